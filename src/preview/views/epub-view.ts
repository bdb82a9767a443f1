/**
 * The EPUB view: the EPUB edition's own documents (src/outputs/epub/epub-documents.ts), served as XHTML the
 * way a reading system parses them. The view adds only a reading system's default margins before the book's
 * stylesheet and the preview client after it.
 */
import { fileURLToPath } from 'node:url';
import type { Element } from 'hast';
import { toHtml } from 'hast-util-to-html';
import type { Book, Chapter } from '../../book/types.ts';
import { chapterFileName, type EpubDocuments, NAVIGATION } from '../../outputs/epub/epub-documents.ts';
import type { AssetFile } from '../book-assets.ts';
import { CLIENT_PREFIX } from './client-script.ts';

/** The first document of the view: the EPUB's navigation document (its table of contents). */
export const EPUB_CONTENTS = NAVIGATION;

export function epubChapterFile(book: Book, chapter: Chapter): string {
  return chapterFileName(chapter, book.chapters.length);
}

/** The images under the names the EPUB gives them ("images/chart.png"). */
export function epubViewImages(edition: EpubDocuments): Map<string, AssetFile> {
  return new Map(
    edition.images.map((image) => [
      image.name,
      { source: fileURLToPath(image.url), mediaType: image.mediaType, kind: 'image' as const },
    ]),
  );
}

/**
 * A reading system lays out a document with its own defaults under the book's stylesheet: they go first in
 * the head, the preview client last.
 */
export function inReadingSystem(xhtml: string, client: Element): string {
  const defaults = `<link rel="stylesheet" href="${CLIENT_PREFIX}reading-system.css"/>`;
  return xhtml
    .replace(/<head>/, (head) => `${head}${defaults}`)
    .replace(/<\/head>/, (end) => `${toHtml(client, { closeSelfClosing: true })}${end}`);
}
