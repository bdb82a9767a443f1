/**
 * What the preview serves, kept in memory: the latest book (read through the cached loader, so a save
 * re-processes only the chapter that changed), every page of every view rendered from it with its version,
 * the edition stylesheets, and the files pages may load. A manuscript error never empties the site: the
 * last good pages stay up and the errors travel beside them.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import path from 'node:path';
import { createBookLoader } from '../book/load-book.ts';
import type { Book } from '../book/types.ts';
import { type Diagnostic, formatDiagnostic, ImprintError } from '../diagnostics/diagnostic.ts';
import { renderHtmlDocument, STYLESHEET, screenCss } from '../outputs/html.ts';
import { type AssetFile, bookAssets } from './book-assets.ts';
import { clientScript as script, stampVersion, type View } from './views/client-script.ts';
import { EPUB_STYLESHEET, epubStylesheet, renderEpubView } from './views/epub-view.ts';
import { renderNoBook, renderPrintView } from './views/preview-page.ts';

export interface Versioned {
  text: string;
  version: string;
}

export interface Page extends Versioned {
  /** Media type: the EPUB view's documents are XHTML, parsed as XML like in a reading system. */
  type: string;
}

const HTML = 'text/html; charset=utf-8';
const XHTML = 'application/xhtml+xml; charset=utf-8';

export interface Stylesheet extends Versioned {
  /** The file name pages link it by. */
  name: string;
}

/** The key of the page shown in every view while no book could be read. */
export const NO_BOOK_PAGE = 'no-book';

export interface ReloadResult {
  /** Keys of pages whose content changed ("screen", "epub/<id>" …). */
  pages: string[];
  /** Views whose stylesheet changed. */
  stylesheets: View[];
  /** The print edition's input changed. */
  print: boolean;
  ms: number;
}

export interface PreviewSite {
  /** The last book read without a fatal error. */
  readonly book: Book | undefined;
  /** "screen", "print", "epub/<file>" (the EPUB's own file names) → page. */
  readonly pages: ReadonlyMap<string, Page>;
  readonly stylesheets: ReadonlyMap<View, Stylesheet>;
  /** Per view, the fonts and images its pages load, by the path they use. */
  readonly assets: ReadonlyMap<View, ReadonlyMap<string, AssetFile>>;
  /** Problems of the latest read, errors and warnings. */
  readonly diagnostics: readonly Diagnostic[];
  /** A hash of everything the PDF edition is made from; undefined while there is no book. */
  readonly printVersion: string | undefined;
  /** Files to watch beyond the manuscript folder: the theme's, and images named outside it. */
  watchPaths(): string[];
  /** Reads the manuscript again and re-renders what changed. Never throws. */
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

export function createPreviewSite(manuscriptDir: string): PreviewSite {
  const load = createBookLoader();
  let book: Book | undefined;
  let pages = new Map<string, Page>();
  let stylesheets = new Map<View, Stylesheet>();
  let assets = new Map<View, ReadonlyMap<string, AssetFile>>();
  let diagnostics: Diagnostic[] = [];
  let printVersion: string | undefined;

  function render(next: Book): void {
    const screenAssets = bookAssets(next);
    const screen = screenCss(next);
    const epub = epubStylesheet(next);
    const nextStylesheets = new Map<View, Stylesheet>([
      ['screen', { name: STYLESHEET, text: screen, version: hash(screen) }],
      ['epub', { name: EPUB_STYLESHEET, text: epub, version: hash(epub) }],
    ]);
    const images = [...screenAssets.values()]
      .filter((asset) => asset.kind === 'image')
      .map((asset) => asset.source);
    const imagesStamp = filesStamp(images);
    const rendered = new Map<string, Page>();
    const add = (key: string, html: string, type: string, view?: View) => {
      const { html: text, version } = stampVersion(
        html,
        imagesStamp,
        view && nextStylesheets.get(view)?.version,
      );
      rendered.set(key, { text, version, type });
    };
    add(
      'screen',
      renderHtmlDocument(next, [script({ view: 'screen', page: 'screen', stylesheet: STYLESHEET })]),
      HTML,
      'screen',
    );
    const epubView = renderEpubView(next, (file, chapter) =>
      script({ view: 'epub', page: `epub/${file}`, chapter: chapter?.id, stylesheet: EPUB_STYLESHEET }),
    );
    for (const [file, xhtml] of epubView.documents) add(`epub/${file}`, xhtml, XHTML, 'epub');
    add(
      'print',
      renderPrintView(next.meta.title, next.meta.lang, script({ view: 'print', page: 'print' })),
      HTML,
    );

    pages = rendered;
    stylesheets = nextStylesheets;
    const fonts = [...screenAssets].filter(([, asset]) => asset.kind === 'font');
    assets = new Map<View, ReadonlyMap<string, AssetFile>>([
      ['screen', screenAssets],
      ['epub', new Map([...fonts, ...epubView.images])],
    ]);
    printVersion = hash(
      JSON.stringify(next.meta),
      next.theme.css.print,
      (pages.get('screen') as Page).version,
      filesStamp([...next.theme.files, ...(next.meta.cover ? [next.meta.cover] : [])]),
    );
  }

  function renderNothing(): void {
    const { html: text, version } = stampVersion(
      renderNoBook(script({ view: 'screen', page: NO_BOOK_PAGE })),
    );
    pages = new Map([[NO_BOOK_PAGE, { text, version, type: HTML }]]);
    stylesheets = new Map();
    assets = new Map();
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
      const before = { pages, stylesheets, printVersion };
      try {
        const next = load(manuscriptDir);
        diagnostics = next.diagnostics;
        render(next);
        book = next;
      } catch (error) {
        diagnostics =
          error instanceof ImprintError
            ? error.diagnostics
            : [
                {
                  code: 'preview-failed',
                  severity: 'error',
                  message: `Imprint could not read the book: ${(error as Error)?.stack ?? String(error)}`,
                },
              ];
        if (!book) renderNothing();
      }
      const changedPages = [...pages].filter(
        ([key, page]) => before.pages.get(key)?.version !== page.version,
      );
      const removed = [...before.pages.keys()].filter((key) => !pages.has(key));
      return {
        pages: [...changedPages.map(([key]) => key), ...removed],
        stylesheets: [...stylesheets]
          .filter(([view, sheet]) => before.stylesheets.get(view)?.version !== sheet.version)
          .map(([view]) => view),
        print: before.printVersion !== printVersion,
        ms: performance.now() - started,
      };
    },
  };
}

/** One line per diagnostic, for comparing two reads. */
export function diagnosticsKey(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map(formatDiagnostic).join('\n');
}
