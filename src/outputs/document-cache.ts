/**
 * An edition's chapter documents kept between builds (in the chapter cache's folder), so a rebuild after one
 * chapter changed renders that chapter's page and reads the others: rendering every chapter again (a copy of
 * its tree, pull-quotes placed, links mapped, the page around it, serialised) was most of what a rebuild did
 * after reading the manuscript.
 *
 * A document's key is a hash of everything it is made from: Imprint's code and dependencies, the book without
 * its chapter trees (book.yaml's settings, the theme, the words Imprint adds, and every chapter's id, file,
 * title, headings and images: the contents, the neighbours' links, the images' names), the document's own
 * chapter tree, the file each of its `#` links leads to (which other chapters decide), and the print-page
 * markers put into it. A document that shows anything else must add it to its key's parts. An entry is stored
 * with a digest of its text: a damaged one is ignored and rendered again, then rewritten.
 */
import { createHash } from 'node:crypto';
import type { Root } from 'hast';
import { codeFingerprint } from '../book/chapter-cache.ts';
import { treeAnchors } from '../book/tree-anchors.ts';
import { treeDigest } from '../book/tree-digest.ts';
import type { Book, Chapter } from '../book/types.ts';
import type { OutputContext } from './output.ts';

export type DocumentStore = NonNullable<OutputContext['cache']>;

const frames = new WeakMap<Book, string>();

/**
 * Everything in the Book but the chapter trees (and the chapters' text, which only the trees carry on) and the
 * font files the text needs: the documents link the stylesheet that names those, and a footnote's ↩ added or
 * removed in one chapter must not make every page again.
 */
function bookFrame(book: Book): string {
  let frame = frames.get(book);
  if (frame === undefined) {
    const { theme } = book;
    const text = JSON.stringify({
      slug: book.slug,
      config: book.config.source,
      meta: book.meta,
      strings: book.strings,
      theme: {
        name: theme.name,
        shell: theme.shell,
        css: theme.css,
        components: [...theme.components],
        strings: theme.strings,
      },
      chapters: book.chapters.map((chapter) => ({
        id: chapter.id,
        index: chapter.index,
        file: chapter.file,
        meta: chapter.meta,
        headings: chapter.headings,
        images: chapter.images.map((image) => [image.href, image.mediaType]),
      })),
    });
    frame = createHash('sha256').update(text).digest('hex');
    frames.set(book, frame);
  }
  return frame;
}

/** The ids a tree's `#` links point at, in order (decoded as the editions decode them). */
function linkedIds(tree: Root): string[] {
  return treeAnchors(tree).links.map((link) => safeDecode(link.href.slice(1)));
}

function safeDecode(fragment: string): string {
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}

/**
 * The key of `chapter`'s document of one kind ("html-page", "epub-chapter"): `anchors` maps every id to the file
 * that holds it, `parts` is whatever else the document depends on (its file name, its print-page markers).
 */
export function chapterDocumentKey(
  kind: string,
  book: Book,
  chapter: Chapter,
  anchors: ReadonlyMap<string, string>,
  parts: unknown,
): string {
  const links = linkedIds(chapter.tree).map((id) => anchors.get(id) ?? null);
  const hash = createHash('sha256');
  for (const part of [
    codeFingerprint(),
    kind,
    bookFrame(book),
    treeDigest(chapter.tree),
    JSON.stringify([chapter.index, links, parts]),
  ]) {
    hash.update(part).update('\u0000');
  }
  return `document\u0000${kind}\u0000${hash.digest('hex')}`;
}

/**
 * The key of a document made from the book alone, no chapter tree in it (the web book's contents page):
 * `parts` as for chapterDocumentKey.
 */
export function bookDocumentKey(kind: string, book: Book, parts: unknown): string {
  const hash = createHash('sha256');
  for (const part of [codeFingerprint(), kind, bookFrame(book), JSON.stringify(parts)]) {
    hash.update(part).update('\u0000');
  }
  return `document\u0000${kind}\u0000${hash.digest('hex')}`;
}

const DIGEST_LENGTH = 64;

/** The document stored under `key`, or rendered now and stored; without a store, rendered. */
export function cachedDocument(store: DocumentStore | undefined, key: string, render: () => string): string {
  const content = cachedDocumentContent(store, key, render);
  return typeof content === 'string' ? content : content.toString('utf8');
}

/**
 * As cachedDocument, for a build that only writes the document: a stored one comes as the bytes the cache
 * kept (UTF-8), not decoded into text that the write would encode again. A rebuild writes forty-odd stored
 * pages; decoding and encoding them was a twentieth of it, most of it in memory touched for the first time.
 */
export function cachedDocumentContent(
  store: DocumentStore | undefined,
  key: string,
  render: () => string,
): string | Buffer {
  const stored = store?.getArtifact(key);
  if (stored && stored.length > DIGEST_LENGTH) {
    const text = Buffer.from(stored.buffer, stored.byteOffset + DIGEST_LENGTH, stored.length - DIGEST_LENGTH);
    const digest = Buffer.from(stored.buffer, stored.byteOffset, DIGEST_LENGTH).toString('latin1');
    if (createHash('sha256').update(text).digest('hex') === digest) return text;
  }
  const document = render();
  if (store) {
    const text = Buffer.from(document, 'utf8');
    store.setArtifact(
      key,
      Buffer.concat([Buffer.from(createHash('sha256').update(text).digest('hex'), 'latin1'), text]),
    );
  }
  return document;
}
