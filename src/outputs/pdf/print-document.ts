/**
 * The print edition as one HTML document for Chromium: title page, copyright page, contents (with page-number
 * placeholders the pagination pass fills in), then every chapter, cloned from the Book and prepared for
 * paper: hyphenation (native, or soft hyphens where the browser has no dictionary), a chapter opening on a page of its own, one named page per chapter for its running
 * heads, images and fonts as file: URLs, and the manuscript line of every block the layout checks may
 * report on.
 */
import path from 'node:path';
import type { Element, ElementContent } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { visit } from 'unist-util-visit';
import type { Book, Chapter, FontFile, ImageAsset } from '../../book/types.ts';
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import { hyphenateTree, hyphenatorFor } from '../../pipeline/plugins/rehype-hyphenate.ts';
import { fontFaceCss } from '../../templates/theme-fonts.ts';
import { bookTitle, component, plainText, shell, toc, wantsToc } from '../assemble.ts';
import { copyrightPage } from '../copyright-page.ts';
import { withoutEpubAttributes } from '../html.ts';
import { applyHyphenationRules } from './hyphenation-rules.ts';
import {
  DEFAULT_PAGE_SIZE,
  type PageSize,
  pageCss,
  parsePageSize,
  type RunningHead,
} from './page-geometry.ts';

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

export interface PrintDocument {
  html: string;
  /** The trim size used: book.yaml's, or the default when that is not a page size. */
  size: PageSize;
  diagnostics: Diagnostic[];
}

/** Running heads longer than this are shortened at a word boundary. */
const RUNNING_HEAD_MAX = 60;
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

export function renderPrintDocument(book: Book, options: PrintDocumentOptions): PrintDocument {
  const diagnostics: Diagnostic[] = [];
  const parsedSize = parsePageSize(book.meta.print.size);
  const size = parsedSize ?? DEFAULT_PAGE_SIZE;
  if (!parsedSize) {
    diagnostics.push({
      code: 'print-size',
      severity: 'warning',
      message: `print.size "${book.meta.print.size}" is not a page size; the PDF uses 6in 9in.`,
      hint: 'Write two lengths such as "6in 9in" or "148mm 210mm", or a name such as A5 or letter.',
      file: displayPath(path.join(book.dir, 'book.yaml')),
    });
  }
  if (book.meta.print.hyphenate && !options.nativeHyphenation && !hyphenatorFor(book.meta.lang)) {
    diagnostics.push({
      code: 'hyphenation-language',
      severity: 'warning',
      message: `There are no hyphenation patterns for the language "${book.meta.lang}"; the PDF is set without hyphens.`,
      hint: 'Set lang in book.yaml to a language tag such as en, en-GB, de or fr, or set print.hyphenate: false.',
      file: displayPath(path.join(book.dir, 'book.yaml')),
    });
  }

  const heads: RunningHead[] = [];
  const chapters = book.chapters.map((chapter, index) => {
    const pageName = `ch-${index + 1}`;
    const title = chapterTitle(chapter);
    heads.push({ pageName, chapterTitle: shorten(title, RUNNING_HEAD_MAX) });
    if (title.length > LONG_TITLE) diagnostics.push(longTitleWarning(chapter, title));
    return printChapter(book, chapter, pageName, options);
  });

  const bookTitleText = plainText(book.meta.title);
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
          pageCss(book.meta.print, size, bookTitleText, heads),
        ].join('\n'),
      },
    ],
  };
  const body: ElementContent[] = [
    ...component(book, 'title-page', { label: book.strings.titlePage }, new Map([['', bookTitle(book)]])),
    ...copyrightPage(book),
    ...(wantsToc(book)
      ? toc(
          book,
          (heading) => `#${heading.id}`,
          () => [
            {
              type: 'element',
              tagName: 'span',
              properties: { className: ['toc-page'] },
              children: [{ type: 'text', value: TOC_PAGE_PLACEHOLDER }],
            },
          ],
        )
      : []),
    ...chapters,
  ];
  const tree = shell(book, 'print', [style], body);
  withoutEpubAttributes(tree);
  return { html: toHtml(tree), size, diagnostics };
}

function printChapter(
  book: Book,
  chapter: Chapter,
  pageName: string,
  options: PrintDocumentOptions,
): Element {
  const tree = structuredClone(chapter.tree);
  const section =
    tree.children.find(
      (node): node is Element => node.type === 'element' && node.properties.id === chapter.id,
    ) ?? tree.children.find((node): node is Element => node.type === 'element');
  if (!section) throw new Error(`Chapter ${chapter.file} has no element.`);

  const images = new Map(chapter.images.map((image) => [image.href, image]));
  visit(section, 'element', (node: Element) => {
    const image = typeof node.properties.src === 'string' ? images.get(node.properties.src) : undefined;
    if (image) node.properties.src = options.imageUrl(image);
  });
  locateBlocks(section);
  if (book.meta.print.hyphenate) {
    if (!options.nativeHyphenation) hyphenateTree(section, { lang: book.meta.lang });
    applyHyphenationRules(section);
  }
  wrapOpening(section, chapter);
  // The theme sets `hyphens: auto`; a book that turns hyphenation off gets none in its chapters.
  section.properties.style = `page: ${pageName}${book.meta.print.hyphenate ? '' : '; hyphens: manual'}`;
  section.properties.dataSourceFile = displayPath(chapter.path);
  return section;
}

/**
 * Moves the title block (the child holding the chapter's level-1 heading, and everything before it) and a
 * lead figure right after it into `.chapter-opening`, the chapter's opening page.
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

function containsId(node: Element, id: string): boolean {
  let found = false;
  visit(node, 'element', (child: Element) => {
    if (child.properties.id === id) found = true;
  });
  return found;
}

/** `data-source-line` on blocks the layout checks report: their own line, a descendant's or an ancestor's. */
function locateBlocks(section: Element) {
  const walk = (node: Element, inherited: number | undefined) => {
    const line = node.position?.start.line ?? inherited;
    if (LOCATED.has(node.tagName)) {
      const own = node.position?.start.line ?? firstLine(node) ?? line;
      if (own !== undefined) node.properties.dataSourceLine = String(own);
    }
    for (const child of node.children) if (child.type === 'element') walk(child, line);
  };
  walk(section, undefined);
}

function firstLine(node: Element): number | undefined {
  let line: number | undefined;
  visit(node, (child) => {
    if (line === undefined && child.position) line = child.position.start.line;
  });
  return line;
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
