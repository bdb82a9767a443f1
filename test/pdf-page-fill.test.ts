/**
 * Keeps without holes, read from the printed PDF (test/support/page-fill.ts): a figure that does not fit goes
 * to the next page's top while the text after it fills the page; a long numbered listing splits with its
 * caption on the page where its code starts; and on a generated book of interviews with figures, tables,
 * pull-quotes and notes, few mid-chapter pages end 2 or more lines short (measured: 4 of 75, a third or less
 * of those with every block where it was written), facing pages end within 2 lines of each other, and the pages measured
 * before printing are the pages printed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Element } from 'hast';
import { toString as hastToString } from 'hast-util-to-string';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBookLoader } from '../src/book/load-book.ts';
import type { Book } from '../src/book/types.ts';
import { pageAnchorBlocks } from '../src/outputs/layout/page-anchor-blocks.ts';
import { cssPixels } from '../src/outputs/pdf/page-geometry.ts';
import { type RenderedPdf, renderPdf } from '../src/outputs/pdf/render-pdf.ts';
import { launchBrowser } from '../src/platform/browser/launch-browser.ts';
import { generateBook } from './support/generate-book.ts';
import { facingMidChapterSpreads, measurePageFill, type PageFillReport } from './support/page-fill.ts';
import { pdfPageTexts, squeeze } from './support/pdf-tools.ts';
import { tempManuscript } from './support/temp-manuscript.ts';

let browser: Browser;
let work: string;

interface Printed {
  book: Book;
  result: RenderedPdf;
  fill: PageFillReport;
  /** pdftotext -layout of each page of the finished PDF. */
  texts: string[];
}

async function print(manuscript: string, fillPages = true): Promise<Printed> {
  const book = createBookLoader()(manuscript);
  const result = await renderPdf(book, browser, {
    buildDate: new Date(0),
    workDir: mkdtempSync(path.join(work, 'print-')),
    fillPages,
  });
  if (!result.pdf || !result.layout) throw new Error(JSON.stringify(result.diagnostics));
  const pt = (length: string) => cssPixels(length) * 0.75;
  const fill = await measurePageFill(result.pdf, result.layout.plan, {
    pageHeight: pt('9in'),
    top: pt(book.meta.print.margins.top),
    bottom: pt(book.meta.print.margins.bottom),
    line: 14,
  });
  const file = path.join(mkdtempSync(path.join(work, 'pdf-')), 'book.pdf');
  writeFileSync(file, result.pdf);
  return { book, result, fill, texts: pdfPageTexts(file, result.pageCount) };
}

const words = (count: number, seed: number) =>
  Array.from(
    { length: count },
    (_, index) => ['harbour', 'council', 'railway', 'archive', 'treaty'][(index * seed) % 5],
  )
    .join(' ')
    .replace(/^./, (letter) => letter.toUpperCase());
/** About eight lines of text, opening with its own number so that each can be found in the PDF. */
const paragraph = (seed: number) => `Paragraph ${seed}: ${words(70, seed)}.`;

/** A figure taller than it is wide: after two paragraphs it no longer fits on the chapter's first page. */
const TALL_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="500" viewBox="0 0 400 500">
<rect width="400" height="500" fill="#e9e4da"/><circle cx="200" cy="250" r="150" fill="#8c2a1c"/>
</svg>
`;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'imprint-page-fill-'));
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('a figure that does not fit', () => {
  const manuscript = () =>
    tempManuscript({
      'book.yaml': 'title: Floats\nlang: en\n',
      'images/tall.svg': TALL_SVG,
      '01-floats.md': [
        '# A chapter with a tall figure',
        paragraph(1),
        paragraph(2),
        '![A red disc on a grey ground](images/tall.svg "Figure caption here.")',
        ...Array.from({ length: 12 }, (_, index) => paragraph(index + 3)),
      ].join('\n\n'),
    });

  it('heads the next page, and the text after it fills the opening page', async () => {
    const [moved, kept] = await Promise.all([print(manuscript()), print(manuscript(), false)]);
    const opening = (printed: Printed) => printed.fill.midChapter[0];
    // Where it was written the figure leaves the opening page inches short; moved, the page is full.
    expect(opening(kept).linesShort).toBeGreaterThanOrEqual(6);
    expect(opening(moved).linesShort).toBeLessThan(2);
    expect(moved.result.pageFill?.moved).toBe(1);
    // Its caption is the first text of the second page, under the running head.
    const lines = moved.texts[opening(moved).page + 1].split('\n').filter((line) => line.trim());
    expect(lines[1]).toContain('Figure caption here.');
    // The page-list follows the text, not the moved figure: what comes after each page's marker in the other
    // editions' order is on that page or later.
    const plan = moved.result.layout?.plan ?? [];
    const breaks = moved.result.pageList?.breaks ?? [];
    const blocks = pageAnchorBlocks(moved.book.chapters[0].tree);
    const pageOfText = (block: Element) =>
      moved.texts.findIndex((text) => squeeze(text).includes(squeeze(hastToString(block)).slice(0, 24)));
    expect(breaks.length).toBeGreaterThan(2);
    for (const entry of breaks) {
      const page = plan.findIndex((planned) => planned.folio === entry.folio);
      for (const block of blocks.slice(entry.block, entry.block + 3))
        expect(pageOfText(block), `after the marker of page ${entry.folio}`).toBeGreaterThanOrEqual(page);
    }
  }, 240_000);
});

describe('a long numbered listing', () => {
  it('splits, with its caption on the page where its code starts', async () => {
    const code = Array.from({ length: 60 }, (_, index) => `const value${index} = compute(${index});`);
    const dir = tempManuscript({
      'book.yaml': 'title: Listings\nlang: en\n',
      '01-code.md': [
        '# Listings',
        paragraph(1),
        paragraph(2),
        paragraph(3),
        ['```js {title="Sixty lines"}', ...code, '```'].join('\n'),
        paragraph(4),
      ].join('\n\n'),
    });
    const printed = await print(dir);
    const pageOf = (text: string) => printed.texts.findIndex((page) => page.includes(text));
    const caption = pageOf('Sixty lines');
    expect(caption).toBeGreaterThan(0);
    expect(pageOf('const value0 ')).toBe(caption);
    expect(pageOf('const value59 ')).toBe(caption + 1);
    // Split where the page ends: the page it starts on is full.
    expect(printed.fill.midChapter.find((fill) => fill.page === caption)?.linesShort).toBeLessThan(2);
  }, 240_000);
});

describe('a generated book of interviews', () => {
  let moved: Printed;
  let kept: Printed;

  beforeAll(async () => {
    const manuscript = path.join(work, 'interviews');
    generateBook(manuscript, {
      chapters: 12,
      sectionsPerChapter: 2,
      turnsPerSection: 4,
      withFootnotes: true,
      withTables: true,
      withFigures: true,
    });
    // Two pages of the one browser side by side: each print waits on Chromium much of the time.
    [moved, kept] = await Promise.all([print(manuscript), print(manuscript, false)]);
  }, 480_000);

  const share = (printed: Printed) => printed.fill.short.length / printed.fill.midChapter.length;

  it('has few pages that end 2 or more lines short, far fewer than with every block where it was written', () => {
    expect(moved.fill.midChapter.length).toBeGreaterThan(60);
    expect(share(moved)).toBeLessThanOrEqual(0.07);
    expect(share(kept)).toBeGreaterThanOrEqual(3 * share(moved));
  });

  it('has facing pages that end within 2 lines of each other, where nothing moved leaves several apart', () => {
    const spreads = facingMidChapterSpreads(moved.fill, moved.result.layout?.plan ?? []);
    expect(spreads).toBeGreaterThan(25);
    // Measured: 0 of 27, against 5 with every block where it was written; the balancing made it so (3 spreads).
    // One is allowed for a page the print sets a line differently from the layout before it.
    expect(kept.fill.unevenSpreads.length).toBeGreaterThanOrEqual(3);
    expect(moved.fill.unevenSpreads.length).toBeLessThanOrEqual(1);
    expect(moved.result.pageFill?.spreadsBalanced).toBeGreaterThan(0);
  });

  it('says where each pull-quote it left out of the print is written', () => {
    const dropped = moved.result.pageFill?.droppedPullQuotes ?? [];
    const infos = moved.result.diagnostics.filter((d) => d.code === 'pull-quote-dropped');
    expect(infos).toHaveLength(dropped.length);
    for (const info of infos) {
      expect(info.severity).toBe('info');
      expect(info.file).toMatch(/\.md$/);
      expect(info.line).toBeGreaterThan(0);
      expect(info.column).toBeGreaterThan(0);
    }
    // The generated interviews repeat words of each chapter's last answers; the others are printed.
    expect(dropped.length).toBeLessThan(moved.book.chapters.length);
    expect(moved.result.layout?.pullQuotesBesideSource).toBe(0);
  });

  it('prints the pages it measured before printing', () => {
    const predicted = moved.result.pageFill;
    // The lines are set after the pages are measured (no more than two hyphens in a row), which may move one.
    expect(Math.abs((predicted?.midChapterPages ?? 0) - moved.fill.midChapter.length)).toBeLessThanOrEqual(2);
    expect(Math.abs((predicted?.shortPages ?? 0) - moved.fill.short.length)).toBeLessThanOrEqual(3);
  });
});
