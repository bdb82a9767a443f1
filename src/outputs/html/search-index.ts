/**
 * Full-text search for the web book that works when a reader double-clicks index.html: browsers refuse
 * `fetch` and module scripts on file: pages, but a plain <script> still runs. So the book's search documents
 * are written as `search-index.js`, a classic script that assigns a global; the page loads it (and MiniSearch's
 * own UMD build, copied from node_modules) the first time the reader uses the search field, and indexes them.
 * One search document per section: a hit leads to the chapter page and the heading's anchor.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Element, Root } from 'hast';
import type { Book, Chapter } from '../../book/types.ts';

/** The global the index script assigns, read by web-book.js. */
export const SEARCH_GLOBAL = 'imprintSearch';
export const SEARCH_INDEX_FILE = 'search-index.js';
export const SEARCH_LIBRARY_FILE = 'minisearch.js';

/** What a search hit carries to the page: where to go and what to call it. */
interface SearchDocument {
  id: number;
  href: string;
  title: string;
  chapter: string;
  text: string;
}

/** The options the page must load the index with; plain data, so they travel inside the script. */
const OPTIONS = {
  fields: ['title', 'text'],
  storeFields: ['href', 'title', 'chapter'],
};

/**
 * Lower case without accents, so "resume" finds "résumé" and "Zurich" finds "Zürich". web-book.client.js applies
 * the same function to the reader's words (a function cannot travel inside the index's JSON).
 */
export function foldTerm(term: string): string {
  // Most words of most books are ASCII, which has nothing to decompose: the index is built from every word.
  return ASCII.test(term) ? term.toLowerCase() : term.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

const ASCII = /^\p{ASCII}*$/u;

/** Elements whose words are not the section's own: repeats of the text and footnote back-links. */
function skipped(node: Element): boolean {
  return (
    // hast keeps aria-hidden as "true" or true, depending on where the element came from.
    String(node.properties.ariaHidden) === 'true' ||
    node.properties.role === 'doc-backlink' ||
    node.properties.dataFootnoteBackref !== undefined ||
    node.tagName === 'script' ||
    node.tagName === 'style'
  );
}

/**
 * The book's sections as search documents: each h1/h2 with an id starts one, and every word up to the
 * next starts belongs to it. `fileOf` gives the page a chapter is on.
 */
export function searchDocuments(
  book: Book,
  fileOf: (chapterId: string) => string,
  chapterTitle: (chapterId: string) => string,
): SearchDocument[] {
  return numbered(
    book.chapters.map((chapter) =>
      chapterSearchDocuments(chapter, fileOf(chapter.id), chapterTitle(chapter.id)),
    ),
  );
}

/** The search documents of one chapter on page `file`, without their ids (their place in the book). */
export function chapterSearchDocuments(
  chapter: Chapter,
  file: string,
  chapterName: string,
): Omit<SearchDocument, 'id'>[] {
  const documents: Omit<SearchDocument, 'id'>[] = [];
  let current: Omit<SearchDocument, 'id'> | undefined;
  const parts: string[][] = [];
  const start = (href: string, title: string) => {
    current = { href, title, chapter: chapterName, text: '' };
    documents.push(current);
    parts.push([]);
  };
  start(file, chapterName);
  let firstHeading = true;
  const walk = (node: Root | Element) => {
    for (const child of node.children) {
      if (child.type === 'text') parts[parts.length - 1].push(child.value);
      if (child.type !== 'element' || skipped(child)) continue;
      const id = child.properties.id;
      if ((child.tagName === 'h1' || child.tagName === 'h2') && typeof id === 'string') {
        // The chapter's own title opens the document started above, so its top stays the chapter page.
        if (!(firstHeading && child.tagName === 'h1')) start(`${file}#${id}`, '');
        firstHeading = false;
        const title: string[] = [];
        collect(child, title);
        if (current && !current.title) current.title = title.join('').trim();
      }
      walk(child);
      if (/^(p|h\d|li|td|th|div|figcaption|blockquote)$/.test(child.tagName)) {
        parts[parts.length - 1].push(' ');
      }
    }
  };
  walk(chapter.tree);
  documents.forEach((document, index) => {
    document.text = parts[index].join('').replace(/\s+/g, ' ').trim();
  });
  return documents;
}

function numbered(chapters: Omit<SearchDocument, 'id'>[][]): SearchDocument[] {
  return chapters.flat().map((document, id) => ({ id, ...document }));
}

/**
 * One chapter's search documents as searchIndexScript writes them, less the ids: each one's JSON after its
 * `{"id":n,`, a line each (JSON text has no line breaks). What the web book keeps per chapter between builds.
 */
export function chapterSearchText(documents: Omit<SearchDocument, 'id'>[]): string {
  return documents.map((document) => escapeForScript(JSON.stringify(document).slice(1))).join('\n');
}

/** searchIndexScript of the documents of every chapter, from each one's chapterSearchText. */
export function searchIndexScriptFrom(chapterTexts: string[]): string {
  let id = 0;
  const documents = chapterTexts.flatMap((text) => text.split('\n').map((rest) => `{"id":${id++},${rest}`));
  const options = escapeForScript(JSON.stringify(OPTIONS));
  return `window.${SEARCH_GLOBAL} = {"options":${options},"documents":[${documents.join(',')}]};\n`;
}

/**
 * searchIndexScriptFrom as UTF-8 bytes, from each chapter's part as the bytes the cache kept: a rebuild writes the
 * index (a line per document, 0.6 MB for the bench book) without decoding every part and encoding it all again.
 */
export function searchIndexBytesFrom(chapterParts: Uint8Array[]): Buffer {
  const options = escapeForScript(JSON.stringify(OPTIONS));
  const pieces: Buffer[] = [Buffer.from(`window.${SEARCH_GLOBAL} = {"options":${options},"documents":[`)];
  let id = 0;
  for (const part of chapterParts) {
    const bytes = Buffer.from(part.buffer, part.byteOffset, part.byteLength);
    // Line by line as String.split('\n') cuts them: an empty part is one empty line.
    for (let start = 0; start <= bytes.length; ) {
      const found = bytes.indexOf(0x0a, start);
      const end = found < 0 ? bytes.length : found;
      pieces.push(Buffer.from(`${id === 0 ? '' : ','}{"id":${id++},`), bytes.subarray(start, end));
      start = end + 1;
    }
  }
  pieces.push(Buffer.from(']};\n'));
  return Buffer.concat(pieces);
}

function collect(node: Element, into: string[]) {
  for (const child of node.children) {
    if (child.type === 'text') into.push(child.value);
    else if (child.type === 'element' && !skipped(child)) collect(child, into);
  }
}

/**
 * `search-index.js`: the search documents and the options MiniSearch indexes them with, which the page does on
 * its first search. Building the index here cost a rebuild the whole book's indexing (about a tenth of an HTML
 * rebuild) for one changed chapter, and its serialised form cannot be put together from per-chapter parts.
 */
export function searchIndexScript(documents: SearchDocument[]): string {
  return `window.${SEARCH_GLOBAL} = ${escapeForScript(JSON.stringify({ options: OPTIONS, documents }))};\n`;
}

/** JSON is a subset of JavaScript; `<` is escaped so no text can close a script element. */
function escapeForScript(json: string): string {
  return json.replace(/</g, '\\u003c');
}

/**
 * MiniSearch's UMD build (it assigns `window.MiniSearch`) with its MIT licence on top, as the licence asks,
 * and without its source-map comment (the map is not copied).
 */
export function searchLibraryScript(): string {
  // The package exports only its CommonJS and ES builds; the UMD build sits beside them.
  const packageDir = path.join(
    path.dirname(createRequire(import.meta.url).resolve('minisearch')),
    '..',
    '..',
  );
  const { version } = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  const licence = readFileSync(path.join(packageDir, 'LICENSE.txt'), 'utf8').trim().replace(/\*\//g, '* /');
  const code = readFileSync(path.join(packageDir, 'dist', 'umd', 'index.js'), 'utf8');
  return `/*! MiniSearch ${version}\n${licence}\n*/\n${code.replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n')}`;
}
