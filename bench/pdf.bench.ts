/**
 * The PDF edition of a generated 40-chapter interview book of about 330 pages, against the floor of any
 * Chromium-based tool: one browser launch, loading the final print document and one `page.pdf()`. Both are
 * measured side by side in the same run (rounds interleaved), from the resolved Book; reading the manuscript
 * is shared by every edition and reported beside them. Target: the whole PDF build (the one print, checks,
 * the finishing from the layout facts, the atomic write) within 1.3× the floor, with the node process under
 * 400 MB. Pages per second are the finished book's pages over the median build.
 *
 * Run alone with `npx tsx bench/pdf.bench.ts`.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'puppeteer-core';
import { createBookLoader } from '../src/book/load-book.ts';
import { PDF_OPTIONS } from '../src/outputs/pdf/print-to-pdf.ts';
import { renderPdf } from '../src/outputs/pdf/render-pdf.ts';
import { pdfOutput } from '../src/outputs/pdf.ts';
import { launchBrowser } from '../src/platform/browser/launch-browser.ts';
import { generateBenchBook } from './bench-book.ts';

export const TARGET_RATIO = 1.3;
export const TARGET_RSS_MB = 400;

export interface PdfBenchResult {
  chapters: number;
  pages: number;
  passes: number;
  bytes: number;
  loadMs: number;
  /** Launch, load of the final print document, one page.pdf(). */
  floorMs: Timing;
  /** Launch and pdfOutput.build: document, checks, every pass, metadata, write. */
  buildMs: Timing;
  /** Median build over median floor. */
  ratio: number;
  /** Finished pages over the median build time. */
  pagesPerSecond: number;
  /** Peak resident set size of this node process so far (getrusage): manuscript, Book and every build. */
  peakRssMb: number;
}

interface Timing {
  best: number;
  median: number;
}

function timing(times: number[]): Timing {
  const sorted = [...times].sort((a, b) => a - b);
  return { best: sorted[0], median: sorted[Math.floor(sorted.length / 2)] };
}

export async function benchPdf(rounds = 3): Promise<PdfBenchResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'imprint-bench-pdf-'));
  try {
    generateBenchBook(dir);
    let started = performance.now();
    const book = createBookLoader()(path.join(dir, 'manuscript'));
    const loadMs = performance.now() - started;
    const buildDate = new Date(0);

    // Once, untimed: the final print document for the floor (and a warm file cache for both).
    const first = await withLaunched((browser) =>
      renderPdf(book, browser, { buildDate, workDir: mkdtempSync(path.join(dir, 'work-')), keepHtml: true }),
    );
    const finalHtml = path.join(dir, 'final.html');
    writeFileSync(finalHtml, first.finalHtml ?? '');

    const floor: number[] = [];
    const build: number[] = [];
    let file = '';
    for (let round = 0; round < rounds; round++) {
      started = performance.now();
      let browser: Browser | undefined;
      try {
        browser = await launchBrowser();
        const page = await browser.newPage();
        await page.goto(pathToFileURL(finalHtml).href, { waitUntil: 'load', timeout: 0 });
        await page.pdf(PDF_OPTIONS);
        floor.push(performance.now() - started);
      } finally {
        await browser?.close();
      }

      started = performance.now();
      let launched: Promise<Browser> | undefined;
      try {
        [file] = await pdfOutput.build(book, {
          outDir: path.join(dir, 'dist'),
          browser: () => {
            launched ??= launchBrowser();
            return launched;
          },
          report: () => {},
          buildDate,
        });
        build.push(performance.now() - started);
      } finally {
        await (await launched)?.close();
      }
    }
    const floorMs = timing(floor);
    const buildMs = timing(build);
    return {
      chapters: book.chapters.length,
      pages: first.pageCount,
      passes: first.passes,
      bytes: statSync(file).size,
      loadMs,
      floorMs,
      buildMs,
      ratio: buildMs.median / floorMs.median,
      pagesPerSecond: first.pageCount / (buildMs.median / 1000),
      // ru_maxrss is in kilobytes on Linux.
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function withLaunched<T>(fn: (browser: Browser) => Promise<T>): Promise<T> {
  const browser = await launchBrowser();
  try {
    return await fn(browser);
  } finally {
    await browser.close();
  }
}

export function formatPdfBench(result: PdfBenchResult): string {
  const seconds = (timing: Timing) =>
    `${(timing.median / 1000).toFixed(2)} s median, ${(timing.best / 1000).toFixed(2)} s best`;
  const verdict = (ok: boolean) => (ok ? 'within target' : 'OVER TARGET');
  return [
    `PDF: ${result.chapters} chapters, ${result.pages} pages, ${result.passes} passes, ${(result.bytes / 1024 / 1024).toFixed(1)} MB`,
    `  book loaded (shared by all editions)   ${(result.loadMs / 1000).toFixed(2)} s`,
    `  Chromium floor (launch, load, 1 print) ${seconds(result.floorMs)}`,
    `  PDF build (launch, print, finish, write) ${seconds(result.buildMs)}, ${result.pagesPerSecond.toFixed(0)} pages/s`,
    `  ratio to the floor                     ${result.ratio.toFixed(2)}× (target ≤ ${TARGET_RATIO}×, ${verdict(result.ratio <= TARGET_RATIO)})`,
    `  peak RSS of the node process           ${Math.round(result.peakRssMb)} MB (target < ${TARGET_RSS_MB} MB, ${verdict(result.peakRssMb < TARGET_RSS_MB)})`,
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(`${formatPdfBench(await benchPdf())}\n`);
}
