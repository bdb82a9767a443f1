/**
 * EPUB generation for a 40-chapter book of about 300 pages (~100 000 words, with footnotes, tables and
 * figures): from the resolved Book to dist/<slug>.epub, the rendered cover included. The bar is Pandoc 2.17's
 * EPUB writer, about 3.1 s for such a book on this kind of machine. Reading the manuscript and launching
 * Chromium are shared by every edition of a build, so they are reported beside the EPUB's own time.
 *
 * Run alone with `npx tsx bench/epub.bench.ts`.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createBookLoader } from '../src/book/load-book.ts';
import { epubOutput } from '../src/outputs/epub.ts';
import { launchBrowser } from '../src/platform/browser/launch-browser.ts';
import { generateBenchBook } from './bench-book.ts';

export const PANDOC_EPUB_SECONDS = 3.1;

export interface EpubBenchResult {
  chapters: number;
  words: number;
  bytes: number;
  loadMs: number;
  launchMs: number;
  /** Best and median of the EPUB builds (cover, documents, zip, atomic write). */
  epubMs: { best: number; median: number };
}

export async function benchEpub(runs = 5): Promise<EpubBenchResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'imprint-bench-epub-'));
  try {
    generateBenchBook(dir);
    let started = performance.now();
    const book = createBookLoader()(path.join(dir, 'manuscript'));
    const loadMs = performance.now() - started;
    const words = book.chapters.reduce((sum, chapter) => sum + countWords(chapter.tree), 0);

    started = performance.now();
    const browser = await launchBrowser();
    const launchMs = performance.now() - started;
    try {
      const context = {
        outDir: path.join(dir, 'dist'),
        browser: async () => browser,
        report: () => {},
        buildDate: new Date(0),
      };
      const times: number[] = [];
      let file = '';
      for (let run = 0; run < runs; run++) {
        started = performance.now();
        [file] = await epubOutput.build(book, context);
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      return {
        chapters: book.chapters.length,
        words,
        bytes: statSync(file).size,
        loadMs,
        launchMs,
        epubMs: { best: times[0], median: times[Math.floor(times.length / 2)] },
      };
    } finally {
      await browser.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function countWords(node: { type: string; value?: string; children?: unknown[] }): number {
  if (node.type === 'text') return (node.value ?? '').split(/\s+/).filter(Boolean).length;
  return (node.children ?? []).reduce<number>((sum, child) => sum + countWords(child as typeof node), 0);
}

export function formatEpubBench(result: EpubBenchResult): string {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const verdict = result.epubMs.median / 1000 < PANDOC_EPUB_SECONDS ? 'faster than' : 'NOT faster than';
  return [
    `EPUB: ${result.chapters} chapters, ${Math.round(result.words / 1000)}k words, ${(result.bytes / 1024 / 1024).toFixed(1)} MB`,
    `  book loaded (shared by all editions)   ${seconds(result.loadMs)}`,
    `  Chromium launched (shared)             ${seconds(result.launchMs)}`,
    `  EPUB built, cover included             ${seconds(result.epubMs.median)} median, ${seconds(result.epubMs.best)} best`,
    `  ${verdict} Pandoc's ${PANDOC_EPUB_SECONDS} s`,
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(`${formatEpubBench(await benchEpub())}\n`);
}
