/**
 * What the preview serves, kept in memory: the latest book (read through the cached loader, so a save
 * re-processes only the chapter that changed), a version for every page of every view, the edition
 * stylesheets, and the files pages may load. A page is rendered when it is first asked for, not on every
 * save: a save costs only the re-read and the versions, and the open pages hear of it at once. A manuscript
 * error never empties the site: the last good pages stay up and the errors travel beside them.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import type { Element, Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { visit } from 'unist-util-visit';
import { openChapterCache } from '../book/chapter-cache.ts';
import { createBookLoader } from '../book/load-book.ts';
import type { Book, Chapter } from '../book/types.ts';
import { type Diagnostic, formatDiagnostic, ImprintError } from '../diagnostics/diagnostic.ts';
import { type EditionDocument, HTML_TYPE } from '../outputs/edition-document.ts';
import { epubDocuments } from '../outputs/epub/epub-documents.ts';
import { type HtmlDocuments, htmlDocuments } from '../outputs/html.ts';
import type { AssetFile } from './book-assets.ts';
import { clientScript, type View } from './views/client-script.ts';
import { epubChapterFile, epubViewImages, inReadingSystem } from './views/epub-view.ts';
import { renderNoBook, renderPrintView } from './views/preview-page.ts';

export interface Page {
  /** Changes exactly when the page's content does (its stylesheet aside). */
  version: string;
  /** Media type: the EPUB view's documents are XHTML, parsed as XML like in a reading system. */
  type: string;
  /** The view whose stylesheet the page links, if any. */
  view?: View;
  /** The page, rendered on first call; the stylesheet version is left as STYLESHEET_VERSION. */
  render(): string;
}

/** Stands for the stylesheet's version in a rendered page; filled in when the page is sent. */
export const STYLESHEET_VERSION = '__imprint_stylesheet_version__';

export interface Stylesheet {
  /** The file name pages link it by. */
  name: string;
  text: string;
  version: string;
}

/** The key of the page shown in every view while no book could be read. */
export const NO_BOOK_PAGE = 'no-book';

export interface ReloadResult {
  /** Keys of pages whose content changed ("screen", "epub/<file>" …). */
  pages: string[];
  /** Views whose stylesheet changed. */
  stylesheets: View[];
  ms: number;
}

export interface PreviewSite {
  /** The last book read without a fatal error. */
  readonly book: Book | undefined;
  /** "screen", "print", "epub/<file>" (the EPUB's own file names) → page. */
  readonly pages: ReadonlyMap<string, Page>;
  readonly stylesheets: ReadonlyMap<View, Stylesheet>;
  /** The web book's scripts in the screen view (web-book.js, minisearch.js, search-index.js), made when asked. */
  readonly screenScripts: ReadonlyMap<string, EditionDocument>;
  /** The HTML edition's documents the screen view serves (and `chapterHref`); undefined without a book. */
  readonly screen: HtmlDocuments | undefined;
  /** Per view, the fonts and images its pages load, by the path they use. */
  readonly assets: ReadonlyMap<View, ReadonlyMap<string, AssetFile>>;
  /** Problems of the latest read, errors and warnings. */
  readonly diagnostics: readonly Diagnostic[];
  /** Changes whenever anything the PDF edition is made from does; undefined while there is no book. */
  readonly printVersion: string | undefined;
  /** Files to watch beyond the manuscript folder: the theme's, and images named outside it. */
  watchPaths(): string[];
  /** Reads the manuscript again and works out which pages changed. Never throws. */
  reload(): ReloadResult;
}

function hash(...parts: string[]): string {
  const digest = createHash('sha1');
  for (const part of parts) digest.update(part).update('\0');
  return digest.digest('base64url').slice(0, 16);
}

/** Sizes and dates of the given files: a page showing them must reload when one is replaced. */
function filesStamp(files: Iterable<string>): string {
  const parts: string[] = [];
  for (const file of files) {
    try {
      const stats = statSync(file);
      parts.push(`${file}:${stats.size}:${stats.mtimeMs}`);
    } catch {
      parts.push(`${file}:-`);
    }
  }
  return hash(...parts);
}

/** Computes `make()` once, on first use. */
function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => {
    made ??= { value: make() };
    return made.value;
  };
}

/** What the versions need to know of a chapter tree; worked out once per tree (the loader keeps trees). */
interface TreeFacts {
  /** A hash of the tree as HTML: a chapter saved back to what it was gets its old token back. */
  token: string;
  /** Every id in it. */
  ids: string[];
  /** The ids its `#…` links point to. */
  links: string[];
}

export function createPreviewSite(
  manuscriptDir: string,
  /** Gets an error that is not the manuscript's (a bug): the page shows its message, this its stack. */
  onUnexpected: (error: unknown) => void = () => {},
): PreviewSite {
  // The build's chapter cache: a preview of a book built before starts from the chapters it processed.
  const load = createBookLoader({ cache: openChapterCache(manuscriptDir) });
  const factsOf = new WeakMap<Root, TreeFacts>();
  const facts = (tree: Root): TreeFacts => {
    let found = factsOf.get(tree);
    if (!found) {
      const ids: string[] = [];
      const links: string[] = [];
      visit(tree, 'element', (node: Element) => {
        if (typeof node.properties.id === 'string') ids.push(node.properties.id);
        const href = node.tagName === 'a' ? node.properties.href : undefined;
        if (typeof href === 'string' && href.startsWith('#')) links.push(href.slice(1));
      });
      found = { token: hash(toHtml(tree)), ids, links };
      factsOf.set(tree, found);
    }
    return found;
  };

  let book: Book | undefined;
  let pages = new Map<string, Page>();
  let stylesheets = new Map<View, Stylesheet>();
  let assets = new Map<View, ReadonlyMap<string, AssetFile>>();
  let screenScripts = new Map<string, EditionDocument>();
  let screen: HtmlDocuments | undefined;
  let diagnostics: Diagnostic[] = [];
  let printVersion: string | undefined;

  function page(key: string, version: string, type: string, make: () => string, view?: View): [string, Page] {
    return [key, { version, type, view, render: once(make) }];
  }

  function update(next: Book): void {
    // Everything a whole-book page is made from: the metadata, the theme's shell and components, every
    // chapter's tree and the images' files. (The loader hands back the same tree while a chapter is unchanged,
    // so only re-processed chapters are hashed.)
    const chapterFacts = next.chapters.map((chapter) => facts(chapter.tree));
    const bookKey = hash(
      JSON.stringify(next.meta),
      next.theme.shell,
      [...next.theme.components].flat().join('\0'),
      next.chapters
        .map((chapter, index) => `${chapter.id}:${chapter.file}:${chapterFacts[index].token}`)
        .join('|'),
      filesStamp(new Set(next.chapters.flatMap((chapter) => chapter.images.map((image) => image.source)))),
    );
    const script = (view: View, key: string, version: string, chapter?: Chapter) =>
      clientScript({
        view,
        page: key,
        version,
        chapter: chapter?.id,
        stylesheet: stylesheets.has(view)
          ? { name: (stylesheets.get(view) as Stylesheet).name, version: STYLESHEET_VERSION }
          : undefined,
      });

    // The screen view is the HTML edition's documents, as `imprint build` writes them, with the client in each
    // page's head: one page, or the web book's index ("screen") and a page per chapter ("screen/<file>").
    // Every page of the web book shows the whole contents, so each follows the book.
    const screenVersion = hash('screen', bookKey);
    const screenKey = (file: string) => (file === 'index.html' ? 'screen' : `screen/${file}`);
    const html = htmlDocuments(next, {
      head: ({ path, chapter }) => [script('screen', screenKey(path), screenVersion, chapter)],
    });
    const screenAssets = new Map<string, AssetFile>(html.files.map((file) => [file.path, file]));
    const screenSheet = html.stylesheet.render();
    // The EPUB view serves the EPUB edition's own documents. Which file holds each id is kept per chapter
    // tree (facts), so a save does not walk every chapter again.
    const fileOf = new Map<string, string>();
    const epub = epubDocuments(next, { anchors: fileOf });
    stylesheets = new Map<View, Stylesheet>([
      ['screen', { name: html.stylesheet.path, text: screenSheet, version: hash(screenSheet) }],
      [
        'epub',
        { name: epub.stylesheet.path, text: epub.stylesheet.text, version: hash(epub.stylesheet.text) },
      ],
    ]);
    const entries: [string, Page][] = html.pages.map((document) =>
      page(screenKey(document.path), screenVersion, document.mediaType, () => document.render(), 'screen'),
    );

    // The EPUB view: a chapter's document changes with its own tree, its file name, the book's metadata and
    // shell, the images' names, and where the ids it links to live; the other documents with the book.
    next.chapters.forEach((chapter, index) => {
      const file = epubChapterFile(next, chapter);
      for (const id of chapterFacts[index].ids) fileOf.set(id, file);
    });
    const imageNames = html.files.filter((file) => file.kind === 'image').map((file) => file.path);
    const shared = hash(JSON.stringify(next.meta), next.theme.shell, imageNames.join('|'));
    for (const document of [...epub.documents, epub.navigation]) {
      const key = `epub/${document.path}`;
      const own = document.chapter ? chapterFacts[document.chapter.index] : undefined;
      const version = own
        ? hash(
            'epub',
            own.token,
            document.path,
            shared,
            own.links.map((id) => fileOf.get(decodeId(id)) ?? '-').join('|'),
          )
        : hash('epub', document.path, bookKey);
      entries.push(
        page(
          key,
          version,
          document.mediaType,
          () => inReadingSystem(document.render(), script('epub', key, version, document.chapter)),
          'epub',
        ),
      );
    }

    const printPage = hash('print', next.meta.title, next.meta.lang);
    entries.push(
      page('print', printPage, HTML_TYPE, () =>
        renderPrintView(next.meta.title, next.meta.lang, script('print', 'print', printPage)),
      ),
    );
    pages = new Map(entries);
    screen = html;
    screenScripts = new Map(
      html.scripts.map((document) => [document.path, { ...document, render: once(() => document.render()) }]),
    );

    const fonts = [...screenAssets].filter(([, asset]) => asset.kind === 'font');
    assets = new Map<View, ReadonlyMap<string, AssetFile>>([
      ['screen', screenAssets],
      ['epub', new Map([...fonts, ...epubViewImages(epub)])],
    ]);
    printVersion = hash(
      bookKey,
      next.theme.css.print,
      filesStamp([...next.theme.files, ...(next.meta.cover ? [next.meta.cover] : [])]),
    );
  }

  function showNothing(): void {
    const version = hash(NO_BOOK_PAGE);
    pages = new Map([
      page(NO_BOOK_PAGE, version, HTML_TYPE, () =>
        renderNoBook(clientScript({ view: 'screen', page: NO_BOOK_PAGE, version })),
      ),
    ]);
    stylesheets = new Map();
    assets = new Map();
    screenScripts = new Map();
    screen = undefined;
    printVersion = undefined;
  }

  return {
    get book() {
      return book;
    },
    get pages() {
      return pages;
    },
    get stylesheets() {
      return stylesheets;
    },
    get assets() {
      return assets;
    },
    get screenScripts() {
      return screenScripts;
    },
    get screen() {
      return screen;
    },
    get diagnostics() {
      return diagnostics;
    },
    get printVersion() {
      return printVersion;
    },
    watchPaths() {
      if (!book) return [];
      const images = book.chapters.flatMap((chapter) => chapter.images.map((image) => image.source));
      return [
        book.theme.dir,
        ...book.theme.files,
        ...images,
        ...(book.meta.cover ? [book.meta.cover] : []),
      ].map((file) => path.resolve(file));
    },
    reload() {
      const started = performance.now();
      const before = { pages, stylesheets };
      try {
        const next = load(manuscriptDir);
        diagnostics = next.diagnostics;
        update(next);
        book = next;
      } catch (error) {
        if (!(error instanceof ImprintError)) onUnexpected(error);
        diagnostics =
          error instanceof ImprintError
            ? error.diagnostics
            : [
                {
                  code: 'preview-failed',
                  severity: 'error',
                  // The stack goes to the terminal (onUnexpected); the page shows only what happened.
                  message: `Imprint could not read the book: ${(error as Error)?.message ?? String(error)}`,
                  hint: 'This is a bug in Imprint: the terminal shows the details; please report them.',
                },
              ];
        if (!book && !pages.has(NO_BOOK_PAGE)) showNothing();
      }
      const changed = [...pages].filter(([key, page]) => before.pages.get(key)?.version !== page.version);
      const removed = [...before.pages.keys()].filter((key) => !pages.has(key));
      return {
        pages: [...changed.map(([key]) => key), ...removed],
        stylesheets: [...stylesheets]
          .filter(([view, sheet]) => before.stylesheets.get(view)?.version !== sheet.version)
          .map(([view]) => view),
        ms: performance.now() - started,
      };
    },
  };
}

function decodeId(fragment: string): string {
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}

/** One line per diagnostic, for comparing two reads. */
export function diagnosticsKey(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map(formatDiagnostic).join('\n');
}
