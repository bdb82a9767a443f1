/**
 * One document an edition produces, rendered when asked: what the build packs or writes, and what the
 * preview serves, so the preview never repeats an edition's steps.
 */
import type { Chapter } from '../book/types.ts';

export interface EditionDocument {
  /** Its path inside the edition ("03-interview.xhtml", "interview.html"). */
  path: string;
  /** Its media type as a server sends it ("application/xhtml+xml; charset=utf-8"). */
  mediaType: string;
  title: string;
  /** The chapter it shows, when it shows one. */
  chapter?: Chapter;
  /** The document's text; each call renders it anew from the book. */
  render(): string;
}
