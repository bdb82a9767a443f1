/**
 * No silent shrink: a code line wider than the text block (in a theme that does not wrap code) and a
 * raw image wider than the page are fitted with a `wide-block` warning, and every page keeps the theme's
 * body size (measured with pdf.js).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBookLoader } from '../src/book/load-book.ts';
import type { Diagnostic } from '../src/diagnostics/diagnostic.ts';
import { pdfOutput } from '../src/outputs/pdf.ts';
import { launchBrowser } from '../src/platform/browser/launch-browser.ts';
import { generateBook } from './support/generate-book.ts';

const root = path.resolve(import.meta.dirname, '..');
let browser: Browser;
let work: string;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'imprint-wide-test-'));
  browser = await launchBrowser();
}, 240_000);
afterAll(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

/** The most common font size of each page's text, in points. */
async function bodySizes(file: string): Promise<number[]> {
  const pdf = await getDocument({ data: new Uint8Array(readFileSync(file)), verbosity: 0 }).promise;
  const sizes: number[] = [];
  for (let number = 1; number <= pdf.numPages; number++) {
    const page = await pdf.getPage(number);
    const counts = new Map<number, number>();
    for (const item of (await page.getTextContent()).items) {
      if (!('transform' in item) || !item.str.trim()) continue;
      const size = Math.round(Math.hypot(item.transform[2], item.transform[3]) * 100) / 100;
      counts.set(size, (counts.get(size) ?? 0) + item.str.length);
    }
    const mode = [...counts].sort((a, b) => b[1] - a[1])[0];
    if (mode && mode[1] > 200) sizes.push(mode[0]);
  }
  await pdf.destroy();
  return sizes;
}

describe('wide blocks', () => {
  it('are broken, wrapped or scaled with a warning naming file and line; no page shrinks', async () => {
    const manuscript = path.join(work, 'book');
    generateBook(manuscript, {
      chapters: 2,
      sectionsPerChapter: 2,
      turnsPerSection: 3,
      book: { theme: 'rigid' },
    });
    // A theme that sets code on unbroken lines, as many do.
    const theme = path.join(manuscript, 'templates', 'rigid');
    mkdirSync(theme, { recursive: true });
    writeFileSync(
      path.join(theme, 'print.css'),
      `${readFileSync(path.join(root, 'templates/default/print.css'), 'utf8')}\npre { white-space: pre !important; overflow-wrap: normal !important; }\n`,
    );
    const chapter = path.join(manuscript, '1-interview.md');
    const text = readFileSync(chapter, 'utf8');
    const codeLine = text.split('\n').length + 2;
    writeFileSync(chapter, `${text}\n\n\`\`\`\n${'const wide = 1; '.repeat(20)}\n\`\`\`\n`);
    const book = createBookLoader()(manuscript);
    const diagnostics: Diagnostic[] = [];
    const outDir = path.join(work, 'dist');
    await pdfOutput.build(book, {
      outDir,
      browser: async () => browser,
      report: (diagnostic) => diagnostics.push(diagnostic),
      buildDate: new Date(Date.UTC(2024, 4, 1)),
    });
    const display = path.relative(process.cwd(), chapter);
    // Long code lines are broken at the text block before printing (code-overflow, marked ↩); anything that
    // still reaches past it is fitted (wide-block). Either way the block is named, and nothing shrinks.
    const fitted = diagnostics.filter((d) => d.code === 'wide-block' || d.code === 'code-overflow');
    expect(
      fitted.some(
        (d) =>
          d.severity === 'warning' &&
          d.file === display &&
          d.line !== undefined &&
          Math.abs(d.line - codeLine) <= 1,
      ),
      JSON.stringify(diagnostics),
    ).toBe(true);
    const sizes = await bodySizes(path.join(outDir, `${book.slug}.pdf`));
    expect(sizes.length).toBeGreaterThan(3);
    // The default theme's body: 10.5 pt on every page of running text, none scaled down (the copyright
    // page is set at 8 pt on purpose).
    expect(new Set(sizes.filter((size) => size > 9))).toEqual(new Set([10.5]));
  }, 180_000);
});
