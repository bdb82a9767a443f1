/**
 * The print edition as one HTML document for Chromium: title page, copyright page, contents (with page-number
 * placeholders whose numbers are drawn after printing), then every chapter, cloned from the Book and prepared
 * for paper: hyphenation (native, or soft hyphens where the browser has no dictionary), long code lines broken
 * at the text block, the title block at the top of the chapter's first page, images and fonts as file: URLs,
 * and the manuscript line of every block the layout checks may report on. A hidden list of links to every id
 * whose page the finished PDF needs makes Chromium write a named destination for each (see
 * pdf-destinations.ts): chapters, headings, contents numbers and the blocks print pages begin at.
 */
import path from 'node:path';
import type { Element, ElementContent, Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { treeAnchors } from '../../book/tree-anchors.ts';
import type { Book, Chapter, FontFile, ImageAsset } from '../../book/types.ts';
import { isUnhyphenatedScript } from '../../book/unhyphenated-script.ts';
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import { cloneTree } from '../../pipeline/clone-tree.ts';
import { hyphenateTree, hyphenatorFor } from '../../pipeline/plugins/rehype-hyphenate.ts';
import { fontFaceCss } from '../../templates/theme-fonts.ts';
import {
  bookTitle,
  component,
  linkTarget,
  plainText,
  shell,
  toc,
  wantsToc,
  withoutDeadLinks,
} from '../assemble.ts';
import { copyrightPage } from '../copyright-page.ts';
import { withoutEpubAttributes } from '../html.ts';
import { pageAnchorBlocks } from '../layout/page-anchor-blocks.ts';
import { placePullQuotes } from '../layout/pull-quotes.ts';
import { breakLongCodeLines, codeColumns } from './code-lines.ts';
import { applyHyphenationRules } from './hyphenation-rules.ts';
import {
  DEFAULT_PAGE_SIZE,
  type PageSize,
  pageCss,
  parsePageSize,
  textBlockPixels,
} from './page-geometry.ts';
import { collectIds, dropDeadLinks, settleAddresses } from './part-links.ts';

export interface PrintDocumentOptions {
  /** The URL the document loads a font file from (file: URLs in print). */
  fontUrl(font: FontFile): string;
  /** The URL the document loads an image from. */
  imageUrl(image: ImageAsset): string;
  /**
   * True when the browser hyphenates the book's language itself (`hyphens: auto` with a dictionary, see
   * browser/hyphenation-dictionaries.ts): then no soft hyphens go into the text, which keeps the PDF's text
   * layer clean. Without it soft hyphens from the `hyphen` patterns are the fallback.
   */
  nativeHyphenation?: boolean;
}

/** The ids of one chapter whose pages the finished PDF needs. */
export interface ChapterAnchors {
  chapterId: string;
  /** The id of the chapter's element: the page it starts on is the chapter's first page. */
  start: string;
  /** The id of each of the chapter's page-anchor blocks (page-anchor-blocks.ts), in order. */
  blocks: string[];
  /** Lifted pull-quotes, the block holding the words they repeat, and where the `:pull[…]` is written. */
  pullQuotes: { quote: string; source: string; file: string; line?: number; column?: number }[];
}

/**
 * Takes the print document in parts as they are made (stream-print-document.ts). The parts, in order, make up
 * `PrintDocument.html` exactly, unless `abandon` is called instead of `end`.
 */
export interface PrintDocumentSink {
  /** The document around its chapters: the shell and the front matter before them, the shell's end after. */
  start(before: string, after: string): void;
  /** One chapter, in order. */
  chapter(html: string): void;
  /** What follows the chapters in the body: the layout links and the furniture samples. */
  end(html: string): void;
  /** The parts sent do not make the document: `html` has to be loaded whole. */
  abandon(): void;
}

export interface PrintDocument {
  html: string;
  chapters: ChapterAnchors[];
  /** Contents entries: the id of the placeholder that keeps the number's space, and the heading's id. */
  tocNumbers: { placeholder: string; heading: string }[];
  /** The ids the text links to (the contents, cross-references, notes), without the hidden layout links. */
  linkTargets: string[];
  /** The trim size used: book.yaml's, or the default when that is not a page size. */
  size: PageSize;
  diagnostics: Diagnostic[];
}

/** Running heads longer than this are shortened at a word boundary. */
export const RUNNING_HEAD_MAX = 60;
/** Chapter titles longer than this get a warning: they fill the opening page and are cut in the heads. */
const LONG_TITLE = 120;
/** Width of the page-number placeholder: wide enough for any page number, so pass two wraps alike. */
const TOC_PAGE_PLACEHOLDER = '000';

/** Elements the layout checks report on by manuscript line: they can overflow the text block or fail to load. */
const LOCATED = new Set([
  'table',
  'pre',
  'img',
  'figure',
  'svg',
  'p',
  'div',
  'blockquote',
  'aside',
  'ul',
  'ol',
  'dl',
]);

/** The trim size the print uses: book.yaml's, or the default when that is not a page size. */
export function printPageSize(book: Book): PageSize {
  return parsePageSize(book.meta.print.size) ?? DEFAULT_PAGE_SIZE;
}

/**
 * Yields to the event loop after each chapter, so that what the caller started meanwhile (the browser opening
 * the print page: a dozen protocol round trips) goes on while the document is put together.
 */
export async function renderPrintDocument(
  book: Book,
  options: PrintDocumentOptions,
  sink?: PrintDocumentSink,
): Promise<PrintDocument> {
  const diagnostics: Diagnostic[] = [];
  const size = printPageSize(book);
  if (!parsePageSize(book.meta.print.size)) {
    diagnostics.push({
      code: 'print-size',
      severity: 'warning',
      message: `print.size "${book.meta.print.size}" is not a page size; the PDF uses 6in 9in.`,
      hint: 'Write two lengths such as "6in 9in" or "148mm 210mm", or a name such as A5 or letter.',
      file: displayPath(path.join(book.dir, 'book.yaml')),
    });
  }
  // Nothing to warn about in a script that is never hyphenated (Arabic, Hebrew, CJK …).
  if (
    book.meta.print.hyphenate &&
    !options.nativeHyphenation &&
    !hyphenatorFor(book.meta.lang) &&
    !isUnhyphenatedScript(book.meta.lang)
  ) {
    diagnostics.push({
      code: 'hyphenation-language',
      severity: 'warning',
      message: `There are no hyphenation patterns for the language "${book.meta.lang}"; the PDF is set without hyphens.`,
      hint: 'Set lang in book.yaml to a language tag such as en, en-GB, de or fr, or set print.hyphenate: false.',
      file: displayPath(path.join(book.dir, 'book.yaml')),
    });
  }

  // The document is made in parts, each handed to `sink` as soon as it is made: the shell with the front matter,
  // then each chapter, then what follows them, so Chromium can start on the first chapters while the last are made.
  const tocNumbers: PrintDocument['tocNumbers'] = [];
  const style: Element = {
    type: 'element',
    tagName: 'style',
    properties: {},
    children: [
      {
        type: 'text',
        value: [
          fontFaceCss(book.theme.fonts, options.fontUrl),
          book.theme.css.print,
          pageCss(book.meta.print, size),
        ].join('\n'),
      },
    ],
  };
  const front: ElementContent[] = [
    ...component(book, 'title-page', { label: book.strings.titlePage }, new Map([['', bookTitle(book)]])),
    ...copyrightPage(book),
    ...(wantsToc(book)
      ? toc(
          book,
          (heading) => `#${heading.id}`,
          (heading) => {
            const placeholder = `imprint-toc-page-${tocNumbers.length + 1}`;
            tocNumbers.push({ placeholder, heading: heading.id });
            return [
              {
                type: 'element',
                tagName: 'span',
                properties: { className: ['toc-page'], id: placeholder },
                children: [{ type: 'text', value: TOC_PAGE_PLACEHOLDER }],
              },
            ];
          },
        )
      : []),
  ];
  const mark: ElementContent = { type: 'comment', value: CHAPTERS_MARK };
  const tree = shell(book, 'print', [style], [...front, mark]);
  // The dead-link rule of the whole document, part by part (part-links.ts).
  const coming = new Set<string>();
  for (const chapter of book.chapters) {
    coming.add(chapter.id);
    for (const id of treeAnchors(chapter.tree).ids) coming.add(id);
  }
  const made = new Set<string>();
  withoutEpubAttributes(tree);
  collectIds(tree, made);
  const linked = new Set<string>();
  const unsettled = dropDeadLinks(tree, made, coming, linked);
  // A theme shell with no body slot, or more than one, holds the chapters in no place or in several: the
  // document is then made whole, as one tree (below), and nothing is streamed.
  const split = splitAtMark(toHtml(tree));
  if (split) sink?.start(split[0], split[1]);
  else sink?.abandon();

  const columns = codeColumns(textBlockPixels(size, book.meta.print).width);
  const anchors: ChapterAnchors[] = [];
  const chapters: Element[] = [];
  const parts: string[] = [];
  for (const [index, chapter] of book.chapters.entries()) {
    const title = chapterTitle(chapter);
    if (title.length > LONG_TITLE) diagnostics.push(longTitleWarning(chapter, title));
    const printed = printChapter(book, chapter, index, options);
    anchors.push(printed.anchors);
    diagnostics.push(...breakLongCodeLines(printed.section, columns, displayPath(chapter.path)));
    chapters.push(printed.section);
    const part: Root = { type: 'root', children: [printed.section] };
    withoutEpubAttributes(part);
    collectIds(part, made);
    unsettled.push(...dropDeadLinks(part, made, coming, linked));
    parts.push(toHtml(part));
    sink?.chapter(parts[parts.length - 1]);
    await new Promise((resolve) => setImmediate(resolve));
  }
  const after = [layoutLinks(anchors, tocNumbers, book), pageFurniture()];
  const end: Root = { type: 'root', children: after };
  withoutEpubAttributes(end);
  collectIds(end, made);
  unsettled.push(...dropDeadLinks(end, made, coming));
  const result = { chapters: anchors, tocNumbers, linkTargets: [...linked], size, diagnostics };
  if (split && unsettled.every((link) => made.has(linkTarget(String(link.properties.href))))) {
    const ending = toHtml(end);
    sink?.end(ending);
    return { html: `${split[0]}${parts.join('')}${ending}${split[1]}`, ...result };
  }
  // A link to an id no part has after all (the print took it out, or it named an id the print adds to blocks
  // elsewhere): the whole document once more, as one tree, and the parts sent are not used.
  sink?.abandon();
  const whole = shell(book, 'print', [style], [...front, ...chapters, ...after]);
  withoutEpubAttributes(whole);
  settleAddresses(whole);
  withoutDeadLinks(whole);
  return { html: toHtml(whole), ...result };
}

/** Where the chapters go in the shell: a comment in the tree, split out of its HTML. */
const CHAPTERS_MARK = 'imprint-chapters';

/** The shell's HTML before and after the one place of the chapters; undefined unless there is exactly one. */
function splitAtMark(html: string): [string, string] | undefined {
  const mark = `<!--${CHAPTERS_MARK}-->`;
  const at = html.indexOf(mark);
  if (at < 0 || html.indexOf(mark, at + 1) >= 0) return undefined;
  return [html.slice(0, at), html.slice(at + mark.length)];
}

/**
 * Links to every id the finished PDF needs a page for. Hidden (nothing prints), yet Chromium still writes a
 * named destination for each target: verified with display: none.
 */
function layoutLinks(
  anchors: ChapterAnchors[],
  tocNumbers: PrintDocument['tocNumbers'],
  book: Book,
): Element {
  const ids = new Set<string>();
  for (const [index, chapter] of anchors.entries()) {
    ids.add(chapter.start);
    for (const heading of book.chapters[index].headings) ids.add(heading.id);
    for (const block of chapter.blocks) ids.add(block);
    for (const pull of chapter.pullQuotes) ids.add(pull.quote);
  }
  for (const entry of tocNumbers) ids.add(entry.placeholder);
  return {
    type: 'element',
    tagName: 'nav',
    properties: { className: ['imprint-layout-links'], hidden: true, ariaHidden: 'true' },
    children: [...ids].map((id) => ({
      type: 'element',
      tagName: 'a',
      properties: { href: `#${id}` },
      children: [],
    })),
  };
}

/**
 * Samples of the running head and the folio, never shown: Imprint reads their computed style (the theme's
 * print.css decides font, size, colour, letter-spacing, capitals, and the distance from the baseline to the
 * text block as the running head's margin-bottom) and draws them on the finished pages.
 */
function pageFurniture(): Element {
  const sample = (className: string): Element => ({
    type: 'element',
    tagName: 'span',
    properties: { className: [className] },
    children: [{ type: 'text', value: '1' }],
  });
  return {
    type: 'element',
    tagName: 'div',
    properties: { className: ['imprint-page-furniture'], hidden: true },
    children: [sample('running-head'), sample('folio')],
  };
}

function printChapter(
  book: Book,
  chapter: Chapter,
  index: number,
  options: PrintDocumentOptions,
): { section: Element; anchors: ChapterAnchors } {
  const tree = cloneTree(chapter.tree);
  // Before anything moves: the same enumeration as the EPUB's and the HTML edition's.
  const blocks = pageAnchorBlocks(tree).map((block, at) => {
    if (typeof block.properties.id !== 'string' || !block.properties.id)
      block.properties.id = `imprint-block-${index + 1}-${at + 1}`;
    return block.properties.id as string;
  });
  // Placed as in the other editions; the print moves them on, off their source's spread, once it can measure.
  const pullQuotes = placePullQuotes(tree).map(({ quote, source }, at) => {
    quote.properties.id = `imprint-pull-${index + 1}-${at + 1}`;
    quote.properties.dataPullSource = String(source.properties.id);
    return {
      quote: quote.properties.id,
      source: String(source.properties.id),
      file: displayPath(chapter.path),
      line: quote.position?.start.line,
      column: quote.position?.start.column,
    };
  });
  const section =
    tree.children.find(
      (node): node is Element => node.type === 'element' && node.properties.id === chapter.id,
    ) ?? tree.children.find((node): node is Element => node.type === 'element');
  if (!section) throw new Error(`Chapter ${chapter.file} has no element.`);

  prepareBlocks(section, new Map(chapter.images.map((image) => [image.href, image])), options);
  if (book.meta.print.hyphenate) {
    if (!options.nativeHyphenation) hyphenateTree(section, { lang: book.meta.lang });
    applyHyphenationRules(section);
  }
  wrapOpening(section, chapter);
  const classes = Array.isArray(section.properties.className) ? section.properties.className : [];
  section.properties.className = [...classes, 'print-chapter'];
  // The theme sets `hyphens: auto`; a book that turns hyphenation off gets none in its chapters.
  if (!book.meta.print.hyphenate) section.properties.style = 'hyphens: manual';
  section.properties.dataSourceFile = displayPath(chapter.path);
  section.properties.id ??= chapter.id;
  return {
    section,
    anchors: { chapterId: chapter.id, start: String(section.properties.id), blocks, pullQuotes },
  };
}

/**
 * Moves the title block (the child holding the chapter's level-1 heading, and everything before it) and a
 * lead figure right after it into `.chapter-opening`, the top of the chapter's first page.
 */
function wrapOpening(section: Element, chapter: Chapter) {
  const titleId = chapter.headings.find((heading) => heading.depth === 1)?.id;
  const elements = section.children.filter((node): node is Element => node.type === 'element');
  let last = elements.findIndex((node) => titleId !== undefined && containsId(node, titleId));
  if (last < 0) return;
  if (elements[last + 1]?.tagName === 'figure') last++;
  const end = section.children.indexOf(elements[last]) + 1;
  const opening: Element = {
    type: 'element',
    tagName: 'div',
    properties: { className: ['chapter-opening'] },
    children: section.children.slice(0, end),
  };
  section.children.splice(0, end, opening);
}

/** Listings up to this many lines and tables up to this many rows are kept whole on one page. */
const KEEP_LISTING_LINES = 12;
const KEEP_TABLE_ROWS = 6;

/**
 * One walk over a print chapter, each element changed in this order: an image's `src` becomes its URL;
 * `data-source-line` on blocks the layout checks report (their own line, a descendant's or an ancestor's);
 * `keep-whole` on short listings and tables, which print.css keeps on one page, while longer ones split
 * (keeping them whole would leave inches of empty page before them).
 */
function prepareBlocks(section: Element, images: Map<string, ImageAsset>, options: PrintDocumentOptions) {
  const walk = (node: Element, inherited: number | undefined) => {
    const image = typeof node.properties.src === 'string' ? images.get(node.properties.src) : undefined;
    if (image) node.properties.src = options.imageUrl(image);
    const line = node.position?.start.line ?? inherited;
    if (LOCATED.has(node.tagName)) {
      const own = node.position?.start.line ?? firstLine(node) ?? line;
      if (own !== undefined) node.properties.dataSourceLine = String(own);
    }
    if (
      (node.tagName === 'pre' &&
        hastText(node).replace(/\n$/, '').split('\n').length <= KEEP_LISTING_LINES) ||
      (node.tagName === 'table' && rowCount(node) <= KEEP_TABLE_ROWS + 1) // and its header row
    ) {
      const classes = Array.isArray(node.properties.className) ? node.properties.className : [];
      node.properties.className = [...classes, 'keep-whole'];
    }
    for (const child of node.children) if (child.type === 'element') walk(child, line);
  };
  walk(section, undefined);
}

function rowCount(node: Element): number {
  let rows = node.tagName === 'tr' ? 1 : 0;
  for (const child of node.children) if (child.type === 'element') rows += rowCount(child);
  return rows;
}

function hastText(node: ElementContent): string {
  if (node.type === 'text') return node.value;
  return node.type === 'element' ? node.children.map(hastText).join('') : '';
}

function containsId(node: Element, id: string): boolean {
  return (
    node.properties.id === id ||
    node.children.some((child) => child.type === 'element' && containsId(child, id))
  );
}

/** The start line of the first node under `node` (itself excluded) that has a position, in document order. */
function firstLine(node: Element | ElementContent): number | undefined {
  if (!('children' in node)) return undefined;
  for (const child of node.children) {
    const line = child.position?.start.line ?? firstLine(child);
    if (line !== undefined) return line;
  }
  return undefined;
}

export function chapterTitle(chapter: Chapter): string {
  return chapter.headings.find((heading) => heading.depth === 1)?.text ?? plainText(chapter.meta.title);
}

/** Cut at a word boundary with an ellipsis. */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/, '')}…`;
}

function longTitleWarning(chapter: Chapter, title: string): Diagnostic {
  return {
    code: 'long-chapter-title',
    severity: 'warning',
    message: `The chapter title is ${title.length} characters long: it fills the opening page, and the running heads shorten it to "${shorten(title, RUNNING_HEAD_MAX)}".`,
    hint: 'Shorten the title and move the rest into a deck: line in the front matter.',
    file: displayPath(chapter.path),
    line: titleLine(chapter.source),
    column: 1,
  };
}

/** The line of `title:` in the front matter, or of the first `# ` heading. */
function titleLine(source: string): number | undefined {
  const index = source.split(/\r?\n/).findIndex((line) => /^title\s*:/.test(line) || /^#\s/.test(line));
  return index >= 0 ? index + 1 : undefined;
}

function displayPath(file: string): string {
  return path.relative(process.cwd(), file) || file;
}
