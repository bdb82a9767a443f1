import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, HTTPRequest } from 'puppeteer-core';
import type { Book, FontFile, ImageAsset } from '../../book/types.ts';
import { type Diagnostic, hasErrors } from '../../diagnostics/diagnostic.ts';
import { IMPRINT_VERSION } from '../../imprint-package.ts';
import { openLockedPage } from '../../platform/browser/locked-page.ts';
import { fontFaceNeedles, locateInTheme, urlNeedles } from '../../templates/theme-location.ts';
import { plainText } from '../assemble.ts';
import { layoutKey, type PageList } from '../layout/page-list.ts';
import { chapterPages } from './chapter-pages.ts';
import { type FillReport, fillPages } from './fill-pages.ts';
import { type FinishedLayout, finishPdf, type PrintMeasurements } from './finish-pdf.ts';
import { loadPrintedPdf } from './incremental-save.ts';
import { type LineReport, measureJustifiedLines } from './measure-lines.ts';
import { fitWideBlocks, wideBlockDiagnostics } from './measure-wide-blocks.ts';
import { expectsNativeHyphenation, installBookHyphenation } from './native-hyphenation.ts';
import { textBlockPixels } from './page-geometry.ts';
import { readDestinations } from './pdf-destinations.ts';
import { renderPrintDocument } from './print-document.ts';
import { settleSoftHyphens } from './settle-soft-hyphens.ts';

export interface RenderPdfOptions {
  /** Creation and modification date of the PDF. */
  buildDate: Date;
  /** An empty folder for the print document; the caller removes it. */
  workDir: string;
  /** Return the print document as printed (the benchmark prints it once more as the floor). */
  keepHtml?: boolean;
  /** Fill pages that blocks or keeps would leave short (default true; the benchmark's reference turns it off). */
  fillPages?: boolean;
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
  /** Where each print page begins, for the EPUB and HTML page-lists. */
  pageList?: PageList;
  /** Justified lines as printed: loose lines, hyphenated line ends (measure-lines.ts). */
  typography?: LineReport;
  /** Blocks moved to the next page's top, page ends moved up, and the short pages left, before printing. */
  pageFill?: FillReport;
}

/** Loose means word spaces over twice the normal space; at most 2 hyphenated lines in a row. */
const LINE_RULES = { looseRatio: 2, maxHyphenRun: 2, fix: true } as const;

/** A page ending 2 or more lines short is a hole; up to 6 rounds of moving blocks, and of moving lines. */
const FILL_RULES = { minLines: 2, rounds: 6 } as const;

const LOAD_TIMEOUT_MS = 120_000;
/** Room an opening page leaves unused, for the difference between screen and print layout (CSS px). */
const OPENING_SLACK_PX = 6;
const PRINT_TIMEOUT_MS = 600_000;

/** Chromium's outline is not used: Imprint writes the bookmarks from the Book's headings. */
export const PDF_OPTIONS = {
  preferCSSPageSize: true,
  printBackground: true,
  outline: false,
  tagged: true,
  timeout: PRINT_TIMEOUT_MS,
} as const;

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
  let document = renderPrintDocument(book, documentOptions);
  const diagnostics = [...document.diagnostics];
  const file = path.join(options.workDir, 'print.html');
  await writeFile(file, document.html);

  const images = book.chapters.flatMap((chapter) => chapter.images);
  const allowedRoots = [
    options.workDir,
    ...new Set([...book.theme.fonts, ...images].map((asset) => path.dirname(asset.source))),
  ];
  const launched = await browser;
  if (documentOptions.nativeHyphenation && !installBookHyphenation(book, launched)) {
    // This browser cannot take dictionaries (launched online): soft hyphens after all.
    document = renderPrintDocument(book, { ...documentOptions, nativeHyphenation: false });
    await writeFile(file, document.html);
  }
  const { page, blockedRequests } = await openLockedPage(launched, { allowedRoots });
  try {
    const failed = new Set<string>();
    page.on('requestfailed', (request: HTTPRequest) => {
      if (request.failure()?.errorText !== 'net::ERR_BLOCKED_BY_CLIENT') failed.add(request.url());
    });
    // A viewport as wide as the text block, so the checks below measure blocks as they will be printed.
    const block = textBlockPixels(document.size, book.meta.print);
    await page.setViewport({ width: Math.floor(block.width), height: Math.floor(block.height) });
    try {
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: LOAD_TIMEOUT_MS });
    } catch (error) {
      if (!(error instanceof Error && error.name === 'TimeoutError')) throw error;
      return {
        diagnostics: [...diagnostics, timeoutDiagnostic(book, 'load', LOAD_TIMEOUT_MS)],
        passes: 0,
        pageCount: 0,
      };
    }
    await page.evaluate(fitChapterOpenings, block.height - OPENING_SLACK_PX);
    const inspection = await page.evaluate(inspectPrintDocument);
    diagnostics.push(...inspectionDiagnostics(book, inspection, blockedRequests(), failed));
    const wide = await page.evaluate(fitWideBlocks, inspection.column);
    diagnostics.push(...wideBlockDiagnostics(wide, inspection.column));
    if (hasErrors(diagnostics)) return { diagnostics, passes: 0, pageCount: 0 };
    // Off the source's spread: two page heights further on can never share its spread.
    await page.evaluate(movePullQuotes, { minDistance: 2 * block.height, chapters: document.chapters });
    // Blocks that would leave a page short go on to the next page's top (only ever further from a quote's
    // source), and pages a keep leaves short take lines from the pages before.
    const pageFill =
      options.fillPages === false
        ? undefined
        : await page.evaluate(fillPages, { ...chapterPages(block), ...FILL_RULES });
    // Before the lines, on the layout the moves above left: measured after them, it took one more layout of the
    // whole book (the lines set the text block's exact width, then give the viewport's back). It leaves the
    // document as it found it.
    const measured = await page.evaluate(measurePrintDocument);
    // Lines last, once nothing else moves: what they measure is what prints.
    const typography = await page.evaluate(measureJustifiedLines, { ...LINE_RULES, width: block.width });
    // Soft hyphens (the fallback, or typed by the author) must not reach the text layer.
    if (document.html.includes('\u00AD')) await page.evaluate(settleSoftHyphens, block.width);
    let printed: Uint8Array;
    try {
      printed = await page.pdf(PDF_OPTIONS);
    } catch (error) {
      if (!(error instanceof Error && error.name === 'TimeoutError')) throw error;
      return {
        diagnostics: [...diagnostics, timeoutDiagnostic(book, 'print', PRINT_TIMEOUT_MS)],
        passes: 1,
        pageCount: 0,
      };
    }
    const finalHtml = options.keepHtml ? await page.content() : undefined;
    const { doc, save } = await loadPrintedPdf(printed);
    const key = layoutKey(book);
    const layout = await finishPdf(doc, {
      book,
      document,
      size: document.size,
      measured,
      places: readDestinations(doc),
      meta: pdfMetadata(book, options.buildDate),
      contentKey: document.html,
    });
    const pdf = await save();
    return {
      pdf,
      diagnostics,
      passes: 1,
      pageCount: layout.plan.length,
      finalHtml,
      layout,
      pageList: { key, breaks: layout.pageBreaks },
      typography,
      pageFill,
    };
  } finally {
    await page.close().catch(() => {});
  }
}

/**
 * Runs in the page, before printing: moves each lifted pull-quote that sits less than `minDistance` below the
 * block it repeats words from to the first block of its chapter at least that far down (before it, or after
 * it when it follows a heading; before the question when it is an answer's first paragraph), or, in a
 * chapter too short for that, to its last block. One layout measures every chapter.
 */
function movePullQuotes(args: {
  minDistance: number;
  chapters: { blocks: string[]; pullQuotes: { quote: string; source: string }[] }[];
}): void {
  const moves: [Element, Element, 'before' | 'after'][] = [];
  for (const chapter of args.chapters) {
    if (!chapter.pullQuotes.length) continue;
    const blocks = chapter.blocks
      .map((id) => document.getElementById(id))
      .filter((block): block is HTMLElement => block !== null);
    const tops = blocks.map((block) => block.getBoundingClientRect().top);
    for (const pull of chapter.pullQuotes) {
      const quote = document.getElementById(pull.quote);
      const source = document.getElementById(pull.source);
      if (!quote || !source) continue;
      const box = quote.getBoundingClientRect();
      const need = source.getBoundingClientRect().top + args.minDistance + box.height;
      if (box.top >= need) continue;
      // Never two quotes at one place: they would stack into one tall block.
      const eligible = tops.map(
        (top, index) =>
          top > box.top &&
          !moves.some((move) => move[1] === blocks[index]) &&
          !/^H[1-6]$/.test(blocks[index].tagName) &&
          !blocks[index].closest('[data-footnotes], .footnotes, .chapter-opening, aside, figure'),
      );
      // The first block far enough down, else the last one the chapter has: as far as it can go.
      let at = tops.findIndex((top, index) => eligible[index] && top >= need);
      if (at < 0) at = eligible.lastIndexOf(true);
      if (at < 0) continue;
      const target = blocks[at];
      if (at > 0 && /^H[1-6]$/.test(blocks[at - 1].tagName)) {
        moves.push([quote, target, 'after']);
        continue;
      }
      const turn = target.parentElement?.closest('.turn');
      if (turn && turn.firstElementChild === target) {
        const previous = turn.previousElementSibling;
        const question =
          turn.classList.contains('turn-guest') && previous?.classList.contains('turn-interviewer');
        moves.push([quote, question && previous ? previous : turn, 'before']);
      } else moves.push([quote, target, 'before']);
    }
  }
  for (const [quote, target, where] of moves) {
    if (where === 'before') target.before(quote);
    else target.after(quote);
  }
}

/**
 * Runs in the page, before printing: the theme's style of the running heads and folios, and of every contents
 * number, with the placeholder's width and baseline, so the numbers drawn later sit where the text would.
 */
function measurePrintDocument(): PrintMeasurements {
  const head = document.querySelector('.imprint-page-furniture .running-head');
  const folio = document.querySelector('.imprint-page-furniture .folio');
  if (!head || !folio) throw new Error('The print document has no page furniture samples.');
  const placeholders = [...document.querySelectorAll('.toc-page[id]')];
  // No named functions here: see inspectPrintDocument.
  const [headStyle, folioStyle, ...numberStyles] = [head, folio, ...placeholders].map((element) => {
    const style = getComputedStyle(element);
    return {
      fontFamily: style.fontFamily,
      fontWeight: style.fontWeight,
      fontStyle: style.fontStyle,
      fontSize: style.fontSize,
      color: style.color,
      letterSpacing: style.letterSpacing,
      textTransform: style.textTransform,
    };
  });
  const tocNumbers: PrintMeasurements['tocNumbers'] = {};
  const column = document.body.getBoundingClientRect();
  // Every probe in before any is read, and out after: a read between two changes lays the book out again.
  const boxes = placeholders.map((placeholder) => placeholder.getBoundingClientRect());
  const probes = placeholders.map((placeholder) => {
    const probe = document.createElement('span');
    probe.style.cssText = 'display: inline-block; width: 0; height: 0; vertical-align: baseline;';
    placeholder.append(probe);
    return probe;
  });
  placeholders.forEach((placeholder, index) => {
    tocNumbers[placeholder.id] = {
      style: numberStyles[index],
      width: boxes[index].width,
      fromRight: column.right - boxes[index].right,
      baseline: probes[index].getBoundingClientRect().top - boxes[index].top,
    };
  });
  for (const probe of probes) probe.remove();
  return {
    runningHead: headStyle,
    folio: folioStyle,
    headGap: Number.parseFloat(getComputedStyle(head).marginBottom) || 0,
    tocNumbers,
  };
}

interface Inspection {
  headings: { id: string; text: string }[];
  failedFonts: { family: string; weight: string; style: string; unicodeRange: string }[];
  brokenImages: Located[];
  wide: (Located & { tag: string; width: number })[];
  column: number;
}

interface Located {
  src?: string;
  file?: string;
  line?: number;
}

/**
 * Runs in the page. It declares no named functions of its own: the TypeScript runner would wrap them in a
 * naming helper that does not exist in the page.
 */
async function inspectPrintDocument(): Promise<Inspection> {
  await document.fonts.ready;
  const images = [...document.images];
  const decoded = await Promise.allSettled(images.map((image) => image.decode()));
  const column = document.documentElement.clientWidth;
  // Cells may break words anywhere so that nothing runs off the page; a table that needs that is still too
  // wide to read, so tables are measured as if they could not.
  const measuring = document.createElement('style');
  measuring.textContent = 'th, td { overflow-wrap: normal !important; word-break: normal !important; }';
  document.head.append(measuring);
  const located = [...document.querySelectorAll('[data-source-line]')].map((element) => ({
    element,
    file: element.closest('[data-source-file]')?.getAttribute('data-source-file') ?? undefined,
    line: Number(element.closest('[data-source-line]')?.getAttribute('data-source-line')) || undefined,
  }));
  const wide = located.flatMap(({ element, file, line }) => {
    const width = Math.max(element.getBoundingClientRect().width, element.scrollWidth);
    return width > column + 1 ? [{ file, line, tag: element.tagName.toLowerCase(), width }] : [];
  });
  measuring.remove();
  return {
    headings: [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((heading) => ({
      id: heading.id,
      text: heading.textContent ?? '',
    })),
    failedFonts: [...document.fonts]
      .filter((face) => face.status === 'error')
      .map((face) => ({
        family: face.family,
        weight: face.weight,
        style: face.style,
        unicodeRange: face.unicodeRange,
      })),
    brokenImages: images.flatMap((image, index) => {
      if (decoded[index].status !== 'rejected') return [];
      const place = located.find((candidate) => candidate.element === image);
      return [{ file: place?.file, line: place?.line, src: image.getAttribute('src') ?? '' }];
    }),
    wide,
    column,
  };
}

/**
 * Runs in the page, before the first print: an opening page whose lead figure would push it past one page
 * gets a shorter image, or, when that would leave less than an inch and a half of image, the figure moves
 * to the text. The screen layout measures it: the viewport is as wide as the text block.
 */
function fitChapterOpenings(limit: number): void {
  for (const opening of document.querySelectorAll('.chapter-opening')) {
    const figure = opening.querySelector(':scope > figure');
    const media = figure?.querySelector('img, .fpo');
    const excess = opening.getBoundingClientRect().height - limit;
    if (!figure || !(media instanceof HTMLElement) || excess <= 0) continue;
    const height = media.getBoundingClientRect().height - excess;
    if (height >= 144) {
      media.style.minHeight = '0';
      media.style.maxHeight = `${Math.floor(height)}px`;
      if (media.tagName === 'IMG') media.style.width = 'auto';
    } else {
      opening.after(figure);
    }
  }
}

function inspectionDiagnostics(
  book: Book,
  inspection: Inspection,
  blocked: string[],
  failed: Set<string>,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const themeYaml = book.theme.files.find((file) => file.endsWith('theme.yaml'));
  const display = (file: string) => path.relative(process.cwd(), file) || file;
  const assetUrls = new Set(
    [...book.theme.fonts, ...book.chapters.flatMap((chapter) => chapter.images)].map(
      (asset) => pathToFileURL(asset.source).href,
    ),
  );
  for (const face of inspection.failedFonts) {
    const font = book.theme.fonts.find(
      (candidate) =>
        candidate.family === face.family.replace(/^["']|["']$/g, '') &&
        String(candidate.weight) === face.weight &&
        candidate.style === face.style &&
        unicodeRanges(candidate.unicodeRange ?? 'U+0-10FFFF') === unicodeRanges(face.unicodeRange),
    );
    diagnostics.push({
      code: 'font-load',
      severity: 'error',
      message: `The font ${face.family} ${face.weight} ${face.style} did not load${font ? ` from ${display(font.source)}` : ''}; the PDF would fall back to a system font.`,
      hint: font
        ? 'Reinstall the @fontsource package it comes from (npm install), or fix the font in theme.yaml.'
        : "Fix the @font-face rule in the theme's CSS: its src must be a font file in the theme folder.",
      // A face theme.yaml did not declare comes from an @font-face rule in the theme's own CSS.
      ...(font
        ? { file: themeYaml ? display(themeYaml) : undefined }
        : (locateInTheme(book.theme, fontFaceNeedles(face.family)) ?? {
            file: themeYaml ? display(themeYaml) : undefined,
          })),
    });
  }
  for (const image of inspection.brokenImages) {
    diagnostics.push({
      code: 'image-broken',
      severity: 'error',
      message: `Chromium cannot show the image ${image.src ? decodeURIComponent(image.src.replace(/^file:\/\//, '')) : ''}: the file is damaged or not in the format its name says.`,
      hint: 'Open it in an image viewer and save it again as JPEG, PNG or SVG.',
      file: image.file,
      line: image.line,
      column: image.line === undefined ? undefined : 1,
    });
  }
  const reported = new Set<string>();
  // Other wide blocks are fitted before printing and reported by measure-wide-blocks.ts.
  for (const block of inspection.wide) {
    const key = `${block.file}:${block.line}`;
    if (block.tag !== 'table' || reported.has(key)) continue;
    reported.add(key);
    const points = (pixels: number) => Math.round((pixels * 72) / 96);
    diagnostics.push({
      code: 'wide-table',
      severity: 'warning',
      message: `This table needs ${points(block.width)} pt, more than the ${points(inspection.column)} pt text block of the PDF: its cells break words anywhere to fit.`,
      hint: 'Give it fewer columns or shorter cells, or split it into two tables.',
      file: block.file,
      line: block.line,
      column: block.line === undefined ? undefined : 1,
    });
  }
  for (const url of blocked) {
    diagnostics.push({
      code: 'print-request',
      severity: 'error',
      message: `The print document asked for ${url}, which is not a local file of this book; Imprint never downloads anything while building.`,
      hint: 'Remove the reference from the theme (print.css, components) or the manuscript, or save the file locally.',
      ...locateInTheme(book.theme, urlNeedles(url)),
    });
  }
  for (const url of failed) {
    if (assetUrls.has(url)) continue; // reported above, with the font or the manuscript line
    diagnostics.push({
      code: 'print-request',
      severity: 'error',
      message: `The print document could not load ${url}.`,
      hint: 'Check that the file exists; theme files are looked up next to print.css.',
      ...locateInTheme(book.theme, urlNeedles(url)),
    });
  }
  return diagnostics;
}

/** "U+0000-00FF, U+0131" and Chromium's "U+0-FF, U+131" alike, as "0-255,305-305". */
function unicodeRanges(ranges: string): string {
  return ranges
    .split(',')
    .map((range) => {
      const [from, to = from] = range.trim().replace(/^u\+/i, '').split('-');
      return `${Number.parseInt(from.replace(/\?/g, '0'), 16)}-${Number.parseInt(to.replace(/\?/g, 'f'), 16)}`;
    })
    .join(',');
}

function timeoutDiagnostic(book: Book, step: 'load' | 'print', ms: number): Diagnostic {
  return {
    code: 'print-timeout',
    severity: 'error',
    message: `Chromium did not ${step === 'load' ? 'load the print document' : 'finish printing'} within ${ms / 1000} s; the PDF was not written.`,
    hint: 'Look for a very large image or table in the manuscript, or a stylesheet rule in print.css that never settles.',
    file: path.relative(process.cwd(), path.join(book.dir, 'book.yaml')),
  };
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
