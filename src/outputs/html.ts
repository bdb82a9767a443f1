/**
 * The HTML edition: dist/<slug>/ with index.html, its stylesheet, fonts and images beside it, so it opens from
 * disk in any browser. A book of several chapters becomes a web book (src/outputs/html/web-book.ts): a page
 * per chapter with contents, search and next/previous. `html: { pages: single }` in book.yaml, or a book of
 * one chapter, keeps the whole book in index.html. htmlDocuments lists what the edition holds; the build
 * writes exactly that, and the preview's screen view serves it.
 */
import { constants, mkdirSync, statSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import type { Element, ElementContent } from 'hast';
import { toHtml } from 'hast-util-to-html';
import type { Book, Chapter } from '../book/types.ts';
import { cloneTree } from '../pipeline/clone-tree.ts';
import { fontFaceCss } from '../templates/theme-fonts.ts';
import {
  bookTitle,
  plainText,
  shell,
  toc,
  wantsToc,
  withoutDeadLinks,
  withoutEpubAttributes,
} from './assemble.ts';
import { replaceDirAtomic } from './atomic-write.ts';
import type { DocumentStore } from './document-cache.ts';
import { CSS_TYPE, type EditionDocument, type EditionFile, HTML_TYPE } from './edition-document.ts';
import { pageHead } from './html/page-head.ts';
import { chapterPage, footer, type PageHead, webBook } from './html/web-book.ts';
import {
  insertPageBreaks,
  type PageList,
  type PageListChannel,
  resolvePageList,
} from './layout/page-list.ts';
import type { PageDraft } from './layout/page-slots.ts';
import { placePullQuotes } from './layout/pull-quotes.ts';
import type { Output } from './output.ts';
import { type UnchangedFiles, unchangedFiles } from './unchanged-files.ts';

export { withoutEpubAttributes };

export const STYLESHEET = 'screen.css';

/** The screen stylesheet: the theme's fonts, then base.css and screen.css. */
export function screenCss(book: Book): string {
  return `${fontFaceCss(book.theme.fonts, (font) => font.href)}\n${book.theme.css.screen}`;
}

/** Whether the HTML edition is a web book of several pages or one document. */
export function isWebBook(book: Book): boolean {
  return book.meta.html.pages === 'chapters' && book.chapters.length > 1;
}

/** The whole book as one HTML document for the screen; `head` lets the preview add its client. */
export function renderHtmlDocument(book: Book, head: ElementContent[] = [], pageList?: PageList): string {
  const link: Element = {
    type: 'element',
    tagName: 'link',
    properties: { rel: ['stylesheet'], href: STYLESHEET },
    children: [],
  };
  const body: ElementContent[] = [
    ...bookTitle(book),
    ...(wantsToc(book) ? toc(book, (heading) => `#${heading.id}`) : []),
    ...book.chapters.flatMap((chapter) => {
      const tree = cloneTree(chapter.tree);
      placePullQuotes(tree);
      // The print edition's page anchors (#page-112), as in the EPUB.
      if (pageList) insertPageBreaks(tree, chapter.id, pageList, false);
      return tree.children as ElementContent[];
    }),
  ];
  const tree = shell(
    book,
    'screen',
    [link, ...pageHead(book, { file: 'index.html' }), ...head],
    [{ type: 'element', tagName: 'main', properties: {}, children: body }, footer(book)],
  );
  withoutEpubAttributes(tree);
  withoutDeadLinks(tree);
  return toHtml(tree, { allowDangerousHtml: false });
}

export interface HtmlDocuments {
  /** The pages in reading order: index.html, then in a web book one page per chapter. */
  pages: EditionDocument[];
  /** screen.css: the theme's fonts, base.css and screen.css. */
  stylesheet: EditionDocument;
  /** A web book's scripts (web-book.js, minisearch.js, search-index.js); one page has none. */
  scripts: EditionDocument[];
  /** The fonts and images the documents load, once each, under the paths they use. */
  files: EditionFile[];
  /** Where a chapter begins, as a link from index.html: its own page in a web book, its anchor in one page. */
  chapterHref(chapter: Chapter): string;
}

export interface HtmlDocumentOptions {
  /** Where the print edition's pages begin: page anchors (`#page-112`) in the chapters. */
  pageList?: PageList;
  /** Elements added to every page's head: the preview's client. */
  head?: PageHead;
  /** Where a web book's chapter pages are kept between builds (src/outputs/document-cache.ts). */
  store?: DocumentStore;
  /** A web book's chapter pages made before the page list was known (WebBook.draftChapter), by path. */
  drafts?: ReadonlyMap<string, PageDraft>;
}

/** The HTML edition's documents and files, each page rendered only when asked for. */
export function htmlDocuments(book: Book, options: HtmlDocumentOptions = {}): HtmlDocuments {
  const { pageList, head, store, drafts } = options;
  const web = isWebBook(book) ? webBook(book, STYLESHEET, pageList, head, store, drafts) : undefined;
  const onePage: EditionDocument = {
    path: 'index.html',
    mediaType: HTML_TYPE,
    title: plainText(book.meta.title),
    render: () => renderHtmlDocument(book, head?.({ path: 'index.html' }), pageList),
  };
  return {
    pages: web ? web.pages : [onePage],
    stylesheet: { path: STYLESHEET, mediaType: CSS_TYPE, render: () => screenCss(book) },
    scripts: web ? web.scripts : [],
    files: editionFiles(book),
    chapterHref: (chapter) => (web ? chapterPage(chapter) : `#${encodeURIComponent(chapter.id)}`),
  };
}

/** The theme's fonts the text needs and the chapters' images; a path named twice is carried once. */
function editionFiles(book: Book): EditionFile[] {
  const files = new Map<string, EditionFile>();
  for (const font of book.theme.fonts) {
    const mediaType = `font/${path.extname(font.href).slice(1).toLowerCase()}`;
    files.set(font.href, { path: font.href, mediaType, source: font.source, kind: 'font' });
  }
  for (const chapter of book.chapters) {
    for (const image of chapter.images) {
      files.set(image.href, {
        path: image.href,
        mediaType: image.mediaType,
        source: image.source,
        kind: 'image',
      });
    }
  }
  return [...files.values()];
}

export const htmlOutput: Output = {
  name: 'html',
  entries: (book) => [book.slug],
  async build(book, context) {
    const target = path.join(context.outDir, book.slug);
    const early = context.pageList ? await draftEdition(book, context.pageList) : undefined;
    const edition = htmlDocuments(book, {
      pageList: await resolvePageList(book, context, 'HTML'),
      store: context.cache,
      drafts: early?.drafts,
    });
    // What did not change since the last build is linked from the published edition (unchanged-files.ts).
    const unchanged = unchangedFiles(
      context.cache,
      context.publishedDir && path.join(context.publishedDir, book.slug),
    );
    await replaceDirAtomic(target, async (dir) => {
      // The fonts and images are copied on libuv's threads while this one makes and writes the pages. Each page
      // is written as soon as it is made, synchronously: files this small go to the page cache at once, and 48
      // writes through promises took 8 ms against 3 (one per document: open, write, close each a round trip).
      const copying = copyFiles(edition.files, dir, unchanged);
      const writing = (async () => {
        for (const document of [...edition.pages, edition.stylesheet, ...edition.scripts]) {
          const key = document.key?.();
          if (key && unchanged.link(document.path, key, dir)) continue;
          const made = early?.made.get(document.path) ?? document.content?.() ?? document.render();
          unchanged.write(document.path, made, dir, key);
        }
      })();
      // Both to their end before the folder is kept or removed, whichever failed.
      const [copied, written] = await Promise.allSettled([copying, writing]);
      if (written.status === 'rejected') throw written.reason;
      if (copied.status === 'rejected') throw copied.reason;
    });
    unchanged.save();
    return [path.join(target, 'index.html')];
  },
};

/**
 * With a PDF in this run: what the edition can make while Chromium prints, one document per turn of the event
 * loop. Everything but the chapter pages is made whole (index.html, screen.css, the scripts and search index:
 * none shows print pages); the chapter pages get slots for the page markers the PDF's page list fills in.
 */
async function draftEdition(
  book: Book,
  channel: PageListChannel,
): Promise<{ made: Map<string, string>; drafts: Map<string, PageDraft> }> {
  await channel.browserBusy;
  const made = new Map<string, string>();
  const drafts = new Map<string, PageDraft>();
  const next = () => new Promise((resolve) => setImmediate(resolve));
  if (!isWebBook(book)) return { made, drafts };
  const edition = htmlDocuments(book);
  const web = webBook(book, STYLESHEET);
  for (const document of [...edition.pages, edition.stylesheet, ...edition.scripts]) {
    await next();
    if (document.chapter) drafts.set(document.path, web.draftChapter(document.path));
    else made.set(document.path, document.render());
  }
  return { made, drafts };
}

/**
 * Copies the edition's fonts and images under the paths the documents use, or links those the published
 * edition has as they are. The folders are made and every copy is handed to libuv's threads before this returns,
 * so they go on while the caller's thread works.
 */
function copyFiles(files: EditionFile[], dir: string, unchanged: UnchangedFiles): Promise<void> {
  const copies: EditionFile[] = [];
  const keys = new Map<EditionFile, string>();
  try {
    for (const folder of new Set(files.map((file) => path.dirname(path.join(dir, file.path))))) {
      mkdirSync(folder, { recursive: true });
    }
    for (const file of files) {
      // A font or image is the same file while its source is the same file with the same size and times (the
      // change time too: a copy that kept the old modification time, `cp -p`, `rsync -t`, still changes it).
      const source = statSync(file.source, { bigint: true, throwIfNoEntry: false });
      const key =
        source && [file.source, source.ino, source.size, source.mtimeNs, source.ctimeNs].join('\u0000');
      if (key && unchanged.link(file.path, key, dir)) continue;
      if (key) keys.set(file, key);
      copies.push(file);
    }
  } catch (error) {
    return Promise.reject(error);
  }
  // Side by side: on a busy disk each copy waits, and the waits overlap. Settled only once every copy has ended,
  // failed or not: the folder may be removed next.
  const copy = async (file: EditionFile) => {
    // Never onto a file already there, which may be a link to the published edition: two paths that name one file
    // on a disk that ignores case (`images/Photo.jpg`, `images/photo.jpg`) are one source, already in place.
    try {
      await copyFile(file.source, path.join(dir, file.path), constants.COPYFILE_EXCL);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
      throw error;
    }
    const key = keys.get(file);
    if (key) unchanged.made(file.path, key, dir);
  };
  return Promise.allSettled(copies.map(copy)).then((copies) => {
    const failed = copies.find((copy) => copy.status === 'rejected');
    if (failed) throw failed.reason;
  });
}
