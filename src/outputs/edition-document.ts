/**
 * One document an edition produces, rendered when asked: what the build packs or writes, and what the
 * preview serves, so the preview never repeats an edition's steps.
 */
import type { Chapter } from '../book/types.ts';

export interface EditionDocument<Content = string> {
  /** Its path inside the edition ("03-interview.xhtml", "interview.html", "search-index.js", "book.pdf"). */
  path: string;
  /** Its media type as a server sends it ("application/xhtml+xml; charset=utf-8"). */
  mediaType: string;
  /** A page's title; a stylesheet or a script has none. */
  title?: string;
  /** The chapter it shows, when it shows one. */
  chapter?: Chapter;
  /** The document's text (the PDF: its printing); each call renders it anew from the book. */
  render(): Content;
  /**
   * What a build writes: the same document as `render()`, as the UTF-8 bytes a cache kept when it kept them.
   * Absent, the build writes `render()`.
   */
  content?(): Content | Uint8Array;
  /**
   * The key its content is cached under: two documents with the same key have the same bytes (see
   * document-cache.ts). Absent or undefined when it has none.
   */
  key?(): string | undefined;
}

/** What an edition with pages knows once it is made, for the editions and views that point into it. */
export interface EditionFacts {
  /** Chapter id → the page (1-based) the chapter begins on. */
  chapterPages: Record<string, number>;
}

/** A file an edition carries as it is on disk: a font or an image. */
export interface EditionFile {
  /** Its path inside the edition, as the documents name it ("fonts/x.woff2", "images/photo.jpg"). */
  path: string;
  mediaType: string;
  /** The checked file on disk (a font package's file, `ImageAsset.source`), never the path as written. */
  source: string;
  kind: 'font' | 'image';
}

export const HTML_TYPE = 'text/html; charset=utf-8';
export const CSS_TYPE = 'text/css; charset=utf-8';
export const SCRIPT_TYPE = 'text/javascript; charset=utf-8';
export const PDF_TYPE = 'application/pdf';
