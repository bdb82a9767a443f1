/**
 * Justification and hyphenation as printed: for the seed manuscript, the generated 40-chapter book and a
 * German chapter, the share of loose justified lines (word spaces over twice the normal space), the
 * hyphenated line ends and the longest run of them, measured in the loaded print document
 * (src/outputs/pdf/measure-lines.ts) during a real PDF build.
 *
 * Run alone with `npx tsx bench/typography.bench.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBookLoader } from '../src/book/load-book.ts';
import type { LineReport } from '../src/outputs/pdf/measure-lines.ts';
import { renderPdf } from '../src/outputs/pdf/render-pdf.ts';
import { launchBrowser } from '../src/platform/browser/launch-browser.ts';
import { generateBenchBook } from './bench-book.ts';

const root = path.resolve(import.meta.dirname, '..');

export interface TypographyBenchResult {
  books: { name: string; pages: number; lines: LineReport }[];
}

export async function benchTypography(): Promise<TypographyBenchResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'imprint-bench-typography-'));
  const browser = await launchBrowser();
  try {
    generateBenchBook(dir);
    const books = [
      { name: 'seed manuscript', dir: path.join(root, 'manuscript') },
      { name: '40-chapter generated book', dir: path.join(dir, 'manuscript') },
      { name: 'German chapter', dir: path.join(root, 'test/fixtures/languages/de') },
      { name: 'Russian chapter', dir: path.join(root, 'test/fixtures/languages/ru') },
    ];
    const results: TypographyBenchResult['books'] = [];
    for (const book of books) {
      const loaded = createBookLoader()(book.dir);
      const rendered = await renderPdf(loaded, browser, {
        buildDate: new Date(0),
        workDir: mkdtempSync(path.join(dir, 'work-')),
        lineReport: true,
      });
      if (rendered.typography)
        results.push({ name: book.name, pages: rendered.pageCount, lines: rendered.typography });
    }
    return { books: results };
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatTypographyBench(result: TypographyBenchResult): string {
  const percent = (part: number, whole: number) => (whole ? `${((100 * part) / whole).toFixed(1)} %` : '–');
  return [
    'Typography (justified lines as printed; loose = word spaces over 2× normal):',
    ...result.books.map(
      ({ name, pages, lines }) =>
        `  ${name.padEnd(27)} ${String(pages).padStart(4)} pages  ${String(lines.justifiedLines).padStart(6)} lines  loose ${percent(lines.looseLines ?? 0, lines.justifiedLines).padStart(7)}  hyphenated ${percent(lines.hyphenatedLines, lines.justifiedLines).padStart(7)}  longest run ${lines.longestHyphenRun}  kept whole ${lines.keptWhole}`,
    ),
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${formatTypographyBench(await benchTypography())}\n`);
}
