import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'puppeteer-core';
import type { Book, FontFile, ImageAsset } from '../../book/types.ts';
import { type Diagnostic, hasErrors } from '../../diagnostics/diagnostic.ts';
import { IMPRINT_VERSION } from '../../imprint-package.ts';
import { plainText } from '../assemble.ts';
import { layoutKey, type PageList } from '../layout/page-list.ts';
import { chapterPages, layOutBook, layOutChapterPages } from './chapter-pages.ts';
import { type FillReport, fillPages } from './fill-pages.ts';
import type { FinishedLayout } from './finish-pdf.ts';
import { fitChapterOpenings } from './fit-chapter-openings.ts';
import { guardLastWords } from './guard-last-words.ts';
import { inspectPrintDocument } from './inspect-print-document.ts';
import { type LineReport, measureJustifiedLines } from './measure-lines.ts';
import { measurePrintDocument } from './measure-print-document.ts';
import { fitWideBlocks, wideBlockDiagnostics } from './measure-wide-blocks.ts';
import { droppedPullQuoteDiagnostics, movePullQuotes } from './move-pull-quotes.ts';
import {
  expectsNativeHyphenation,
  installBookHyphenation,
  prepareBookHyphenation,
} from './native-hyphenation.ts';
import { LOAD_TIMEOUT_MS, loadPrintDocument, openPrintPage, type PrintPage } from './open-print-page.ts';
import { textBlockPixels } from './page-geometry.ts';
import { pageSteps } from './page-steps.ts';
import { inspectionDiagnostics, timeoutDiagnostic } from './print-diagnostics.ts';
import { type PrintDocument, printPageSize, renderPrintDocument } from './print-document.ts';
import {
  dropFrontMatter,
  joinFillReports,
  joinInspections,
  joinLineReports,
  linkForOtherHalf,
  linksAcrossHalves,
  secondHalfStart,
  sinkForHalves,
} from './print-halves.ts';
import { PRINT_TIMEOUT_MS, printToPdf } from './print-to-pdf.ts';
import { pruneLayoutLinks } from './prune-layout-links.ts';
import { loadFontsOfSettledHyphens, settleSoftHyphens } from './settle-soft-hyphens.ts';
import { declaredFaces, streamPrintDocument } from './stream-print-document.ts';

export interface RenderPdfOptions {
  /** Creation and modification date of the PDF. */
  buildDate: Date;
  /** An empty folder for the print document; the caller removes it. */
  workDir: string;
  /** Return the print document as printed (the benchmark prints it once more as the floor). */
  keepHtml?: boolean;
  /** Fill pages that blocks or keeps would leave short (default true; the benchmark's reference turns it off). */
  fillPages?: boolean;
  /** Measure every justified line's word spaces for `typography.looseLines` (the typography benchmark). */
  lineReport?: boolean;
  /** Called once the print document is made (its parts on their way into the page): node mostly waits from here. */
  onLoading?: () => void;
  /** Called once Chromium is printing: node waits for it (some 0.7 s of a long book) but for the finishing's fonts. */
  onPrinting?: () => void;
  /** Called once Chromium has printed: the finishing needs the browser no more, its owner may close it. */
  onPrinted?: () => void;
  /**
   * Print the book as two halves in two pages at once (print-halves.ts): by default when it is long enough to
   * gain from it, `true` whenever it can be split, `false` never. Never with `keepHtml`, which returns the
   * document of one page.
   */
  halves?: boolean;
}

export interface RenderedPdf {
  /** Undefined when the diagnostics hold an error. */
  pdf?: Uint8Array;
  diagnostics: Diagnostic[];
  /** How many times Chromium printed the book: one. */
  passes: number;
  pageCount: number;
  /** The print document as printed. */
  finalHtml?: string;
  /** The finished book's pages and where each measured id landed. */
  layout?: FinishedLayout;
  /** Chapter id → the page (1-based) the chapter begins on, in the finished PDF. */
  chapterPages?: Record<string, number>;
  /** Where each print page begins, for the EPUB and HTML page-lists. */
  pageList?: PageList;
  /** Justified lines as printed: loose lines, hyphenated line ends (measure-lines.ts). */
  typography?: LineReport;
  /** Blocks moved to the next page's top, page ends moved up, and the short pages left, before printing. */
  pageFill?: FillReport;
  /** Printed as two halves (print-halves.ts): the index of the second half's first chapter. */
  secondHalf?: number;
}

/** Loose means word spaces over twice the normal space; at most 2 hyphenated lines in a row. */
const LINE_RULES = { looseRatio: 2, maxHyphenRun: 2, fix: true } as const;

/** A page ending 2 or more lines short is a hole; up to 6 rounds of moving blocks, and of moving lines. */
const FILL_RULES = { minLines: 2, rounds: 6 } as const;

/** Room an opening page leaves unused, for the difference between screen and print layout (CSS px). */
const OPENING_SLACK_PX = 6;

/**
 * Prints `book` to PDF bytes with `browser`, which is never launched here; pass the launch in progress and the
 * print document is assembled while it finishes. Chromium prints once; everything that depends on where
 * things landed is put on the pages afterwards (finish-pdf.ts).
 */
export async function renderPdf(
  book: Book,
  browser: Browser | Promise<Browser>,
  options: RenderPdfOptions,
): Promise<RenderedPdf> {
  const documentOptions = {
    fontUrl: (font: FontFile) => pathToFileURL(font.source).href,
    imageUrl: (image: ImageAsset) => pathToFileURL(image.source).href,
    nativeHyphenation: expectsNativeHyphenation(book),
  };
  const images = book.chapters.flatMap((chapter) => chapter.images);
  const allowedRoots = [
    options.workDir,
    ...new Set([...book.theme.fonts, ...images].map((asset) => path.dirname(asset.source))),
  ];
  // A viewport as wide as the text block, so the checks below measure blocks as they will be printed.
  const block = textBlockPixels(printPageSize(book), book.meta.print);
  // The dictionaries are built in a worker and the page opens while the print document is put together;
  // both are in place before the document loads.
  const dictionaries = documentOptions.nativeHyphenation ? prepareBookHyphenation(book) : undefined;
  const opening = (async () => {
    const launched = await browser;
    const printPage = await openPrintPage(launched, allowedRoots, block);
    try {
      await dictionaries;
      return {
        native: documentOptions.nativeHyphenation && installBookHyphenation(book, launched),
        ...printPage,
      };
    } catch (error) {
      await printPage.page.close().catch(() => {});
      throw error;
    }
  })();
  // Awaited below; a document that fails first must not leave it an unhandled rejection, nor the page open.
  opening.catch(() => {});
  const secondStart =
    options.halves === false || options.keepHtml ? undefined : secondHalfStart(book, options.halves === true);
  // The second half's page opens while the print document is made; its renderer starts on the other core.
  const openingSecond =
    secondStart === undefined ? undefined : (async () => openPrintPage(await browser, allowedRoots, block))();
  openingSecond?.catch(() => {});
  const file = path.join(options.workDir, 'print.html');
  // The parts go into the page as they are made, unless the browser cannot take the dictionaries the document
  // is made for (launched online): then it is made once more with soft hyphens, below, and loaded whole.
  // A theme whose print CSS brings images (`url(…)` outside its @font-face rules) loads the document whole:
  // its load event waits for them, the parts' end would not (stream-print-document.ts).
  const cssImages = /url\(/i.test(book.theme.css.print.replace(/@font-face\s*\{[^}]*\}/gi, ''));
  const takes = (native: boolean) => !cssImages && (!documentOptions.nativeHyphenation || native);
  const faces = declaredFaces(book.theme.fonts);
  const stream = streamPrintDocument(
    opening.then(({ page, native }) => ({ page, take: takes(native) })),
    file,
    faces,
  );
  const streamSecond =
    openingSecond &&
    streamPrintDocument(
      Promise.all([opening, openingSecond]).then(([first, { page }]) => ({
        page,
        take: takes(first.native),
      })),
      path.join(options.workDir, 'print-2.html'),
      faces,
      dropFrontMatter,
    );
  const sink =
    streamSecond && secondStart !== undefined
      ? sinkForHalves(stream.sink, streamSecond.sink, secondStart)
      : { ...stream.sink, wholeInFirst: () => true };
  let document: PrintDocument;
  try {
    document = await renderPrintDocument(book, documentOptions, sink);
  } catch (error) {
    sink.abandon();
    opening.then(({ page }) => page.close()).catch(() => {});
    openingSecond?.then(({ page }) => page.close()).catch(() => {});
    throw error;
  }
  const diagnostics = [...document.diagnostics];
  const { native, page, blockedRequests, failed } = await opening.catch(async (error) => {
    await openingSecond?.then(({ page }) => page.close()).catch(() => {});
    throw error;
  });
  let second: PrintPage | undefined = await openingSecond?.catch(() => undefined);
  try {
    options.onLoading?.();
    let [loaded, loadedSecond] = await Promise.all([
      stream.done,
      streamSecond?.done.catch(() => 'not-streamed' as const),
    ]);
    // Unless both halves are in their pages, the book is printed whole, in the first page: loaded whole, or
    // already there when the shell could not be split (print-halves.ts), not when the first holds half of it.
    if (streamSecond && (!second || loaded !== 'loaded' || loadedSecond !== 'loaded')) {
      if (loadedSecond === 'timeout') loaded = 'timeout';
      else if (loaded === 'loaded' && !sink.wholeInFirst()) loaded = 'not-streamed';
      await second?.page.close().catch(() => {});
      second = undefined;
    }
    if (loaded === 'not-streamed') {
      if (documentOptions.nativeHyphenation && !native) {
        // This browser cannot take dictionaries (launched online): soft hyphens after all.
        document = await renderPrintDocument(book, { ...documentOptions, nativeHyphenation: false });
      }
      await writeFile(file, document.html);
      loaded = (await loadPrintDocument(page, file)) ? 'loaded' : 'timeout';
    }
    if (loaded === 'timeout') {
      return {
        diagnostics: [...diagnostics, timeoutDiagnostic(book, 'load', LOAD_TIMEOUT_MS)],
        passes: 0,
        pageCount: 0,
      };
    }
    // The passes run as two tasks in each page (page-steps.ts): the checks, then everything up to the print.
    // With two halves, each page runs them on its own chapters at the same time and neither waits for the other,
    // but to print: a half prints once both halves' checks found no error.
    const halves: PrintPage[] = [{ page, blockedRequests, failed }, ...(second ? [second] : [])];
    const checks = halves.map((half) => {
      const steps = pageSteps(half.page);
      if (second) steps.add(linksAcrossHalves);
      steps.add(fitChapterOpenings, block.height - OPENING_SLACK_PX);
      const inspecting = steps.add(inspectPrintDocument);
      return steps.run().then(() => inspecting);
    });
    const checked = Promise.all(checks).then(([first, other]) => {
      const inspection = other ? joinInspections(first, other) : first;
      const blocked = [...new Set(halves.flatMap((half) => half.blockedRequests()))];
      const broken = new Set(halves.flatMap((half) => [...half.failed]));
      return { inspection, found: inspectionDiagnostics(book, inspection, blocked, broken) };
    });
    checked.catch(() => {});
    const pages = chapterPages(block);
    const printingHalves = halves.map(async (half, index) => {
      const inspection = await checks[index];
      const steps = pageSteps(half.page);
      const fitting = steps.add(fitWideBlocks, inspection.column);
      if (hasErrors(inspectionDiagnostics(book, inspection, half.blockedRequests(), half.failed))) {
        await steps.run();
        return { fitted: await fitting };
      }
      // The contents numbers and furniture, on the layout the checks above read (nothing after this moves
      // them). Before the pull-quotes move: what they change is then laid out with the columns below, not once
      // more. The first half holds the contents; both hold the furniture's samples.
      const measuring = index === 0 ? steps.add(measurePrintDocument) : undefined;
      // Off the source's spread: two page heights further on can never share its spread.
      steps.add(movePullQuotes, { minDistance: 2 * block.height, chapters: document.chapters });
      // From here to the print the chapters are laid out as their pages, once: the fill, the lines, the soft
      // hyphens and the links read that one layout, each change laying out again only its own chapter.
      steps.add(layOutChapterPages, pages);
      // Blocks that would leave a page short go on to the next page's top (only ever further from a quote's
      // source), and pages a keep leaves short take lines from the pages before. A quote still on its source's
      // spread goes on to the next, or is left out.
      const filling =
        options.fillPages === false
          ? undefined
          : steps.add(fillPages, { ...pages, ...FILL_RULES, recto: book.meta.print.recto });
      // Lines last, once nothing else moves: what they measure is what prints.
      const setting = steps.add(measureJustifiedLines, {
        ...LINE_RULES,
        width: block.width,
        report: options.lineReport,
      });
      // A paragraph's last word that a line break splits goes whole to its last line, once no word moves between
      // lines any more, and before the soft hyphens it may hold are settled.
      steps.add(guardLastWords);
      // Soft hyphens (the fallback, or typed by the author) must not reach the text layer.
      if (document.html.includes('\u00AD')) {
        steps.add(settleSoftHyphens, block.width);
        // The print does not wait for fonts (print-to-pdf.ts); a hyphen set here may need a file not loaded yet.
        steps.add(loadFontsOfSettledHyphens);
      }
      // Only the blocks that can begin a page keep a destination: the print's cost grows with pages × them.
      steps.add(pruneLayoutLinks, {
        ...pages,
        chapters: document.chapters.map(({ start, blocks }) => ({ start, blocks })),
        keep: [
          ...document.chapters.flatMap((chapter, at) => [
            chapter.start,
            ...book.chapters[at].headings.map((heading) => heading.id),
            // The source's page too: finishing checks that a quote is off its source's spread.
            ...chapter.pullQuotes.flatMap((pull) => [pull.quote, pull.source]),
          ]),
          ...document.tocNumbers.map((entry) => entry.placeholder),
        ],
      });
      // What the other half may link to, linked here too, so that each gets its destination.
      if (second) steps.add(linkForOtherHalf, document.linkTargets);
      // Taken out before the print, though it applies on screen only: printing from the columns took longer
      // (1.53 s against 1.40 s, medians of six alternate builds in one browser).
      steps.add(layOutBook);
      await steps.run();
      if (hasErrors([...diagnostics, ...(await checked).found])) return { fitted: await fitting };
      const printed = printToPdf(half.page);
      // Awaited below, after work that must not leave a failed print an unhandled rejection meanwhile.
      printed.catch(() => {});
      return {
        fitted: await fitting,
        measured: await measuring,
        filled: await filling,
        typography: await setting,
        printed,
      };
    });
    const [printingFirst, printingSecond] = await Promise.all(printingHalves);
    const { inspection, found } = await checked;
    diagnostics.push(...found);
    diagnostics.push(
      ...wideBlockDiagnostics(
        [...printingFirst.fitted, ...(printingSecond?.fitted ?? [])],
        inspection.column,
      ),
    );
    if (
      hasErrors(diagnostics) ||
      !printingFirst.measured ||
      !printingFirst.typography ||
      !printingFirst.printed ||
      (printingSecond && !(printingSecond.typography && printingSecond.printed))
    )
      return { diagnostics, passes: 0, pageCount: 0 };
    const measured = printingFirst.measured;
    const pageFill = joinFillReports(printingFirst.filled, printingSecond?.filled);
    diagnostics.push(...droppedPullQuoteDiagnostics(pageFill?.droppedPullQuotes ?? [], document.chapters));
    const typography = printingSecond?.typography
      ? joinLineReports(printingFirst.typography, printingSecond.typography)
      : printingFirst.typography;
    const printing = Promise.all([printingFirst.printed, printingSecond?.printed]);
    // Awaited below; if loading the finishing fails first, the prints (cut short as the pages close) must not
    // end the process as an unhandled rejection instead of that error.
    printing.catch(() => {});
    options.onPrinting?.();
    // While Chromium prints: the finishing's code loaded (pdf-lib and fontkit: loaded with the rest of this
    // module, they slowed the reading of the manuscript), and its fonts read and parsed.
    const [{ finishPdf, prepareFinishing }, { loadPrintedPdf }, { readDestinations }, { mergePrintedPdfs }] =
      await Promise.all([
        import('./finish-pdf.ts'),
        import('./incremental-save.ts'),
        import('./pdf-destinations.ts'),
        import('./merge-printed-pdfs.ts'),
      ]);
    const fonts = prepareFinishing(book, measured);
    const [printedFirst, printedSecond] = await printing;
    if (!printedFirst || (second && !printedSecond)) {
      return {
        diagnostics: [...diagnostics, timeoutDiagnostic(book, 'print', PRINT_TIMEOUT_MS)],
        passes: 1,
        pageCount: 0,
      };
    }
    const printed = printedSecond ? mergePrintedPdfs(printedFirst, printedSecond) : printedFirst;
    // Two prints of Chromium's that could not be joined (never seen): the book once more, in one page.
    if (!printed) return renderPdf(book, browser, { ...options, halves: false });
    const finalHtml = options.keepHtml ? await page.content() : undefined;
    // The pages are closed in `finally` below, or with the browser if its owner closes it first.
    options.onPrinted?.();
    const { doc, save, destinations } = await loadPrintedPdf(printed);
    const key = layoutKey(book);
    const layout = await finishPdf(doc, {
      book,
      document,
      size: document.size,
      measured,
      places: readDestinations(doc, destinations),
      meta: pdfMetadata(book, options.buildDate),
      contentKey: document.html,
      fonts,
    });
    if (layout.unmarkedPages.length > 0)
      diagnostics.push({
        code: 'page-list-gap',
        severity: 'info',
        message: `${layout.unmarkedPages.length} print page(s) (${layout.unmarkedPages.slice(0, 5).join(', ')}${layout.unmarkedPages.length > 5 ? ', …' : ''}) have no marker in the EPUB and HTML page-lists: the print broke more than one block away from the layout measured before it.`,
        hint: 'Nothing to fix in the manuscript; report it with the book if it happens often.',
      });
    const pdf = await save();
    return {
      pdf,
      diagnostics,
      passes: 1,
      pageCount: layout.plan.length,
      finalHtml,
      layout,
      chapterPages: Object.fromEntries(
        document.chapters.map((chapter) => [chapter.chapterId, (layout.pageOf.get(chapter.start) ?? 0) + 1]),
      ),
      pageList: { key, breaks: layout.pageBreaks },
      typography,
      pageFill,
      secondHalf: second ? secondStart : undefined,
    };
  } finally {
    await Promise.all([page.close().catch(() => {}), second?.page.close().catch(() => {})]);
  }
}

function pdfMetadata(book: Book, date: Date) {
  const { title, authors, description, keywords, lang, identifier } = book.meta;
  return {
    title: plainText(title),
    authors,
    subject: description ?? book.chapters[0]?.meta.deck,
    keywords,
    lang,
    date,
    identifier,
    producer: `Imprint ${IMPRINT_VERSION}`,
  };
}
