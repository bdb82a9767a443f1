/**
 * The resolved publication: what every output (html, pdf, epub) reads. Outputs never re-parse the
 * manuscript; they only arrange these chapters into their own documents.
 */
import type { Root } from 'hast';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { UiStrings } from './ui-strings.ts';

export interface PrintSettings {
  size: string;
  margins: { top: string; bottom: string; inner: string; outer: string };
  hyphenate: boolean;
  recto: boolean;
  /** Black-and-white (false) or colour press files. */
  color: boolean;
  /** white, cream, or inches per page. */
  paper: 'white' | 'cream' | number;
  /** A CSS length: how far bleeding images and the cover run past the trim. */
  bleed: string;
  /** Crop marks on the press interior. */
  marks: boolean;
  /** The back-cover text of the print cover. */
  back?: string;
}

export interface BookMeta {
  title: string;
  subtitle?: string;
  authors: string[];
  lang: string;
  publisher?: string;
  /** ISO date (YYYY-MM-DD or a year). */
  date?: string;
  /** Stable: from book.yaml, or a urn:uuid derived from title and authors. */
  identifier: string;
  rights?: string;
  /** The edition statement: "First edition". */
  edition?: string;
  /** Credits for the copyright page. */
  credits: string[];
  /** The book's public web address, for Open Graph tags in the HTML edition. */
  url?: string;
  description?: string;
  keywords: string[];
  toc: boolean | 'auto';
  /** Absolute path of the cover image, when book.yaml names one. */
  cover?: string;
  print: PrintSettings;
  html: { pages: 'chapters' | 'single' };
  ignoredChecks: string[];
}

export type SpeakerRole = 'interviewer' | 'guest';

export interface Speaker {
  /** The label as written in the text, e.g. "RD" or "A.B.". */
  label: string;
  /** Safe for ids and CSS: "rd", "a-b". */
  id: string;
  name: string;
  role: SpeakerRole;
}

export interface ChapterMeta {
  title: string;
  kicker?: string;
  deck?: string;
  authors: string[];
  byline?: string;
  date?: string;
  speakers: Speaker[];
}

export interface Heading {
  /** Globally unique within the book. */
  id: string;
  /** 1 is the chapter title, 2.. its sections. */
  depth: number;
  text: string;
}

export interface ImageAsset {
  /** Absolute path on disk. */
  source: string;
  /** Path used by every edition's documents: the image's path in the manuscript folder, "images/photo.jpg". */
  href: string;
  mediaType: string;
}

export interface Chapter {
  /** Unique slug; the chapter's element id and the prefix of every id inside it ("interview--…"). */
  id: string;
  index: number;
  /** Path relative to the manuscript folder, e.g. "01-interview.md". */
  file: string;
  /** Absolute path. */
  path: string;
  /**
   * The chapter's text as written (UTF-8, byte-order mark removed, invisible control characters kept), so
   * checks and editions that point at a line never read the file again. The pipeline read the same text
   * with those characters as U+FFFD (same length: positions agree).
   */
  source: string;
  meta: ChapterMeta;
  headings: Heading[];
  /**
   * The chapter as one `<section class="chapter">` element, templates applied, links resolved to
   * `#id` form. Outputs clone before changing it.
   */
  tree: Root;
  images: ImageAsset[];
  /** What the pipeline reported about this chapter (errors, warnings, notes), in reading order. */
  diagnostics: Diagnostic[];
}

export interface FontFile {
  family: string;
  weight: number;
  style: 'normal' | 'italic';
  unicodeRange?: string;
  /** Absolute path of the woff2 file. */
  source: string;
  /** Path used by the documents: "fonts/source-serif-4-latin-400-normal.woff2". */
  href: string;
}

export interface Theme {
  name: string;
  dir: string;
  /** Component name → its HTML source, e.g. "pullquote" → '<aside …><slot></slot></aside>'. */
  components: Map<string, string>;
  /** The document shell with {{…}} fields and a <slot>. */
  shell: string;
  /** Stylesheet per output: base.css followed by the output's own file. */
  css: { screen: string; print: string; epub: string };
  fonts: FontFile[];
  /** Files read, so the preview knows what to watch. */
  files: string[];
}

export interface Book {
  /** Absolute path of the manuscript folder. */
  dir: string;
  /** book.yaml: its path as shown in diagnostics, its text as written, and where a setting stands in it. */
  config: {
    file: string;
    source: string;
    locate(path: readonly PropertyKey[]): { file: string; line: number; column: number };
  };
  /** File-name-safe name for outputs: dist/<slug>.pdf, dist/<slug>.epub, dist/<slug>/index.html. */
  slug: string;
  meta: BookMeta;
  theme: Theme;
  /** The words Imprint adds ("Contents", "Notes", landmark names) in the book's language. */
  strings: UiStrings;
  chapters: Chapter[];
  diagnostics: Diagnostic[];
}
