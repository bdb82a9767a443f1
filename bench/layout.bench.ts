/**
 * Holes in the print layout, read from the finished PDF (test/support/page-fill.ts): how many mid-chapter
 * pages end 2 or more lines short and how many facing pages end 3 or more lines apart, on the 40-chapter book,
 * with the pages filled (src/outputs/pdf/fill-pages.ts: blocks moved to the next page's top, page ends moved
 * up before a keep) and, as the reference in the same run, without. Each build is timed in process (launch
 * excluded: load, measure, print, finish), and the fill pass on its own.
 *
 * Run alone with `npx tsx bench/layout.bench.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBookLoader } from '../src/book/load-book.ts';
import type { Book } from '../src/book/types.ts';
import { cssPixels, DEFAULT_PAGE_SIZE, parsePageSize } from '../src/outputs/pdf/page-geometry.ts';
import { renderPdf } from '../src/outputs/pdf/render-pdf.ts';
import { launchBrowser } from '../src/platform/browser/launch-browser.ts';
import { facingMidChapterSpreads, measurePageFill, type PageFillReport } from '../test/support/page-fill.ts';
import { generateBenchBook } from './bench-book.ts';

export interface LayoutRun {
  name: string;
  pages: number;
  fill: PageFillReport;
  /** Spreads whose two pages are both mid-chapter pages. */
  spreads: number;
  /** Blocks moved, page ends moved up, short pages predicted before printing, and the pass's time (ms). */
  moved?: number;
  pushed?: number;
  /** Spreads balanced and short pages loosened; pull-quotes left out of the print. */
  balanced?: number;
  loosened?: number;
  dropped?: number;
  predictedShort?: number;
  passMs?: number;
  seconds: number;
}

export interface LayoutBenchResult {
  runs: LayoutRun[];
  load: string;
}

/** The default theme sets its text on 14 pt lines. */
const LINE_PT = 14;

function geometry(book: Book) {
  const pt = (length: string) => cssPixels(length) * 0.75;
  const { margins, size } = book.meta.print;
  return {
    pageHeight: pt((parsePageSize(size) ?? DEFAULT_PAGE_SIZE).height),
    top: pt(margins.top),
    bottom: pt(margins.bottom),
    line: LINE_PT,
  };
}

export async function benchLayout(): Promise<LayoutBenchResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'imprint-bench-layout-'));
  const browser = await launchBrowser();
  try {
    generateBenchBook(dir);
    const book = createBookLoader()(path.join(dir, 'manuscript'));
    const runs: LayoutRun[] = [];
    for (const fillPages of [false, true]) {
      const started = performance.now();
      const rendered = await renderPdf(book, browser, {
        buildDate: new Date(0),
        workDir: mkdtempSync(path.join(dir, 'work-')),
        fillPages,
      });
      const seconds = (performance.now() - started) / 1000;
      if (!rendered.pdf || !rendered.layout) throw new Error('The bench book did not print.');
      const fill = await measurePageFill(rendered.pdf, rendered.layout.plan, geometry(book));
      runs.push({
        name: fillPages ? 'pages filled (Imprint)' : 'nothing moved (reference)',
        pages: rendered.pageCount,
        fill,
        spreads: facingMidChapterSpreads(fill, rendered.layout.plan),
        moved: rendered.pageFill?.moved,
        pushed: rendered.pageFill?.linesPushed,
        balanced: rendered.pageFill?.spreadsBalanced,
        loosened: rendered.pageFill?.pagesLoosened,
        dropped: rendered.pageFill?.droppedPullQuotes.length,
        passMs: rendered.pageFill?.ms,
        predictedShort: rendered.pageFill?.shortPages,
        seconds,
      });
    }
    return {
      runs,
      load: os
        .loadavg()
        .map((value) => value.toFixed(2))
        .join(' '),
    };
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatLayoutBench(result: LayoutBenchResult): string {
  const percent = (part: number, whole: number) => (whole ? `${((100 * part) / whole).toFixed(1)} %` : '–');
  return [
    `Layout of the 40-chapter book (holes read from the PDF; load average ${result.load}):`,
    ...result.runs.map(
      (run) =>
        `  ${run.name.padEnd(34)} ${String(run.pages).padStart(4)} pages  short ${String(run.fill.short.length).padStart(3)}/${run.fill.midChapter.length} mid-chapter pages (${percent(run.fill.short.length, run.fill.midChapter.length)})  uneven spreads ${run.fill.unevenSpreads.length}/${run.spreads}` +
        `${run.moved === undefined ? '' : `  blocks moved ${run.moved}, page ends moved ${run.pushed}, spreads balanced ${run.balanced}, pages loosened ${run.loosened}, pull-quotes left out ${run.dropped}, predicted short ${run.predictedShort}, pass ${((run.passMs ?? 0) / 1000).toFixed(2)} s`}  build ${run.seconds.toFixed(2)} s`,
    ),
    '  (short: ends 2+ lines above the text block; uneven: facing pages 3+ lines apart; targets ≤ 5 % and none)',
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${formatLayoutBench(await benchLayout())}\n`);
}
