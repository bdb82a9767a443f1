/**
 * The EPUB view: the EPUB edition's own content documents, made by the EPUB output's functions (each chapter
 * its own XHTML file, links across files, EPUB footnotes, the theme's EPUB stylesheet), served as XHTML the
 * way a reading system parses them. The view adds only a reading system's default margins before the book's
 * stylesheet and the preview client after it. Documents are rendered one at a time, when asked for.
 */
import { fileURLToPath } from 'node:url';
import type { Element, ElementContent } from 'hast';
import { toHtml } from 'hast-util-to-html';
import type { Book, Chapter } from '../../book/types.ts';
import { bookTitle } from '../../outputs/assemble.ts';
import { markFootnotes } from '../../outputs/epub/footnotes.ts';
import { anchorFiles, linkAcrossFiles } from '../../outputs/epub/links.ts';
import { navigationBody } from '../../outputs/epub/navigation.ts';
import { type EpubImage, epubCss, epubImages, useEpubImages } from '../../outputs/epub/resources.ts';
import { alignCellsWithCss } from '../../outputs/epub/tables.ts';
import { EPUB_STYLESHEET, xhtmlDocument } from '../../outputs/epub/xhtml.ts';
import { chapterFileName } from '../../outputs/epub.ts';
import type { AssetFile } from '../book-assets.ts';
import { CLIENT_PREFIX } from './client-script.ts';

export { EPUB_STYLESHEET };

/** The first document of the view: the EPUB's title page and table of contents. */
export const EPUB_CONTENTS = 'toc.xhtml';

/** The EPUB stylesheet: the theme's fonts, then base.css and epub.css. */
export function epubStylesheet(book: Book): string {
  return epubCss(book.theme.fonts, book.theme.css.epub);
}

export function epubChapterFile(book: Book, chapter: Chapter): string {
  return chapterFileName(chapter, book.chapters.length);
}

/** What every document of one book's EPUB view shares: which file holds each id, and the images' names. */
export interface EpubViewContext {
  book: Book;
  /** Every id in the book → the file that holds it. */
  anchors: ReadonlyMap<string, string>;
  images: Map<string, EpubImage>;
}

export function epubViewContext(book: Book, anchors?: ReadonlyMap<string, string>): EpubViewContext {
  return {
    book,
    // anchorFiles only reads the trees, so the book's own trees do (no copies).
    anchors:
      anchors ??
      anchorFiles(
        book.chapters.map((chapter) => ({ file: epubChapterFile(book, chapter), tree: chapter.tree })),
      ),
    images: epubImages(book.chapters),
  };
}

/** The images under the names the EPUB gives them ("images/chart.png"). */
export function epubViewImages(context: EpubViewContext): Map<string, AssetFile> {
  return new Map(
    [...context.images.values()].map((image) => [
      image.name,
      { source: fileURLToPath(image.url), mediaType: image.mediaType, kind: 'image' as const },
    ]),
  );
}

/** One chapter's document, as in the EPUB, with `client` added. */
export function renderEpubChapter(context: EpubViewContext, chapter: Chapter, client: Element): string {
  const { book, anchors, images } = context;
  const file = epubChapterFile(book, chapter);
  const tree = structuredClone(chapter.tree);
  linkAcrossFiles(tree, file, anchors);
  useEpubImages(tree, images);
  markFootnotes(tree);
  alignCellsWithCss(tree);
  const title = chapter.headings.find((heading) => heading.depth === 1)?.text ?? chapter.meta.title;
  return withHead(
    xhtmlDocument(book, { title, body: tree.children as ElementContent[], bodyType: 'bodymatter' }),
    client,
  );
}

/** The view's first page: the EPUB's title page and its table of contents, one after the other. */
export function renderEpubContents(context: EpubViewContext, client: Element): string {
  const { book, anchors } = context;
  const titlePage: Element = {
    type: 'element',
    tagName: 'section',
    properties: { className: ['title-page'], 'epub:type': 'titlepage' },
    children: bookTitle(book),
  };
  const contents = xhtmlDocument(book, {
    title: book.strings.contents,
    bodyClass: ['navigation'],
    body: [titlePage, ...navigationBody(book, anchors, [])],
  });
  return withHead(contents, client);
}

/**
 * A reading system lays out a document with its own defaults under the book's stylesheet: they go first in
 * the head, the preview client last.
 */
function withHead(xhtml: string, client: Element): string {
  const defaults = `<link rel="stylesheet" href="${CLIENT_PREFIX}reading-system.css"/>`;
  return xhtml
    .replace(/<head>/, (head) => `${head}${defaults}`)
    .replace(/<\/head>/, (end) => `${toHtml(client, { closeSelfClosing: true })}${end}`);
}
