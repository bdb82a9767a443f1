/**
 * What an edition is to the build: a name and a function from the resolved Book to files in dist/.
 * Editions never re-read the manuscript; a browser, when one needs it, is launched once per build and shared.
 */
import type { Browser } from 'puppeteer-core';
import type { ChapterCache } from '../book/chapter-cache.ts';
import type { Book } from '../book/types.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { EditionFacts } from './edition-document.ts';
import type { PageListChannel } from './layout/page-list.ts';

export interface OutputContext {
  /** Absolute path of the folder to write the edition into (a build's staging folder inside dist/). */
  outDir: string;
  /**
   * Where an edition keeps its temporary files; a build passes a folder inside its staging folder, so a killed
   * build leaves them where the next build removes them. Default: the system's temporary folder.
   */
  tempDir?: string;
  /**
   * The output folder the staged editions will replace theirs in: an edition may take files that did not change
   * from its published copy there (unchanged-files.ts), and never writes there.
   */
  publishedDir?: string;
  /** The build's one browser, launched on first use. */
  browser(): Promise<Browser>;
  report(diagnostic: Diagnostic): void;
  /** From SOURCE_DATE_EPOCH, so two builds of the same input can be identical. */
  buildDate: Date;
  /**
   * Kept from one build to the next by a long-running caller (the preview), so an edition can start from
   * what its last build of the book learned. A one-off build has none and starts from nothing.
   */
  carryOver?: Map<string, unknown>;
  /**
   * Present when the PDF edition is built in the same run: it publishes where each print page begins, and the
   * EPUB and HTML editions wait for it to add their page-lists.
   */
  pageList?: PageListChannel;
  /**
   * The on-disk cache (src/book/chapter-cache.ts), for what an edition makes slowly from inputs it hashes into
   * the key itself (the EPUB's rendered cover). None: make everything.
   */
  cache?: Pick<ChapterCache, 'getArtifact' | 'setArtifact'>;
  /** Told an edition's facts (where each chapter begins) once it is written: the preview's print view. */
  facts?(facts: EditionFacts): void;
  /**
   * Called by an edition that uses the browser once it needs it no more (the PDF, once Chromium has printed),
   * so the build can close it while the edition finishes; an edition that ends has released it too.
   */
  browserReleased?(): void;
  /**
   * Called by an edition while it waits a while for another process (the PDF while Chromium prints): the build
   * does then what it put off (the chapter cache's new entries).
   */
  waiting?(): void;
}

export interface Output {
  name: string;
  /** Writes the edition and returns the paths written. */
  build(book: Book, context: OutputContext): Promise<string[]>;
  /**
   * The names the edition takes in the output folder (`<slug>.pdf`), so a build can refuse to replace what
   * Imprint did not make before doing any work. Optional: the files `build` returns are checked anyway.
   */
  entries?(book: Book): string[];
  /**
   * True for the edition that lays out print pages (the PDF): the build then hands its page-list to the other
   * editions of the same run through `context.pageList`, and they wait for it.
   */
  pageListSource?: boolean;
  /**
   * True for an edition that asks for `context.browser()`. The build closes its browser as soon as every such
   * edition has ended, while the others still work; an edition that asks for it without saying so may find it
   * closed.
   */
  usesBrowser?: boolean;
}

export function buildDateFromEnvironment(env: NodeJS.ProcessEnv = process.env): Date {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000);
  return new Date();
}
