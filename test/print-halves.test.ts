/**
 * A book printed as two halves in two pages (print-halves.ts, merge-printed-pdfs.ts) is the book printed whole:
 * the same pages pixel for pixel, the same text on each, the same contents numbers, bookmarks, page labels,
 * page-list and links (the contents in the first half to chapters in the second, a chapter of the second half
 * to one of the first), one structure tree with every element of both, and a well-formed file.
 */
import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef } from 'pdf-lib';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBookLoader } from '../src/book/load-book.ts';
import type { Book } from '../src/book/types.ts';
import { readDestinations } from '../src/outputs/pdf/pdf-destinations.ts';
import type { PrintDocumentSink } from '../src/outputs/pdf/print-document.ts';
import { secondHalfStart, sinkForHalves } from '../src/outputs/pdf/print-halves.ts';
import { type RenderedPdf, renderPdf } from '../src/outputs/pdf/render-pdf.ts';
import { launchBrowser } from '../src/platform/browser/launch-browser.ts';
import { generateBook } from './support/generate-book.ts';
import { pdfIsWellFormed, pdfOutline, pdfPageLabels, pdfPageTexts, squeeze } from './support/pdf-tools.ts';

const BUILD_DATE = new Date(Date.UTC(2024, 4, 1));
const PNG = path.join(import.meta.dirname, 'fixtures', 'programming', 'images', 'icon.png');
let browser: Browser;
let work: string;
let book: Book;
const printed: Record<'whole' | 'halves', { result: RenderedPdf; file: string; events: string[] }> =
  {} as never;

async function print(halves: boolean) {
  const workDir = mkdtempSync(path.join(work, 'print-'));
  const events: string[] = [];
  const result = await renderPdf(book, browser, {
    buildDate: BUILD_DATE,
    workDir,
    halves,
    onLoading: () => events.push('loading'),
    onPrinting: () => events.push('printing'),
    onPrinted: () => events.push('printed'),
  });
  if (!result.pdf) throw new Error(JSON.stringify(result.diagnostics));
  const file = path.join(work, `${halves ? 'halves' : 'whole'}.pdf`);
  writeFileSync(file, result.pdf);
  return { result, file, events };
}

/** Every link annotation as [page it is on, page it goes to], in page order. */
async function links(file: string): Promise<[number, number][]> {
  const doc = await PDFDocument.load(readFileSync(file), { updateMetadata: false });
  const pages = doc.getPages();
  const index = new Map(pages.map((page, at) => [page.ref.toString(), at]));
  const places = readDestinations(doc);
  const found: [number, number][] = [];
  pages.forEach((page, at) => {
    const annots = page.node.Annots();
    for (let item = 0; item < (annots?.size() ?? 0); item++) {
      const annot = annots?.lookup(item);
      if (!(annot instanceof PDFDict)) continue;
      const action = annot.lookup(PDFName.of('A'));
      if (action instanceof PDFDict) {
        expect(String(action.lookup(PDFName.of('URI')) ?? '')).not.toContain('imprint-dest');
        continue;
      }
      const dest = annot.lookup(PDFName.of('Dest'));
      if (dest instanceof PDFName)
        found.push([at, places.get(decodeURIComponent(dest.decodeText()))?.page ?? -1]);
      else if (dest instanceof PDFArray) {
        const target = dest.get(0);
        found.push([at, target instanceof PDFRef ? (index.get(target.toString()) ?? -1) : -1]);
      }
    }
  });
  return found;
}

/** Every word of the PDF with its page and place (`pdftotext -bbox`). */
function wordBoxes(file: string): { page: number; x: number; y: number; text: string }[] {
  const html = execFileSync('pdftotext', ['-bbox', file, '-'], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    // It says "no word list" of each empty page.
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const words: { page: number; x: number; y: number; text: string }[] = [];
  let page = -1;
  for (const match of html.matchAll(/<page |<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)<\/word>/g)) {
    if (match[0] === '<page ') page++;
    else words.push({ page, x: Number(match[1]), y: Number(match[2]), text: match[3] });
  }
  return words;
}

/** How many structure elements of each type `pdfinfo -struct` lists. */
function structure(file: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of execFileSync('pdfinfo', ['-struct', file], { encoding: 'utf8' }).split('\n')) {
    const type = /^\s*(\w+)/.exec(line)?.[1];
    if (type) counts[type] = (counts[type] ?? 0) + 1;
  }
  return counts;
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'imprint-halves-'));
  const manuscript = path.join(work, 'book');
  const generated = generateBook(manuscript, {
    chapters: 4,
    sectionsPerChapter: 2,
    turnsPerSection: 3,
    withFootnotes: true,
    // Images in both halves: the print pages are hidden, where image.decode() never settles.
    withFigures: true,
    book: { toc: true },
  });
  // Links across the halves, both ways; a PNG in the first half.
  mkdirSync(path.join(manuscript, 'images'), { recursive: true });
  copyFileSync(PNG, path.join(manuscript, 'images', 'icon.png'));
  appendFileSync(
    path.join(manuscript, generated.chapterFiles[0]),
    `\n\nSee [the last chapter](${generated.chapterFiles[3]}) as well. ![An icon](images/icon.png)\n`,
  );
  appendFileSync(
    path.join(manuscript, generated.chapterFiles[3]),
    `\n\nBack to [the first chapter](${generated.chapterFiles[0]}).\n`,
  );
  book = createBookLoader()(manuscript);
  browser = await launchBrowser();
  printed.whole = await print(false);
  printed.halves = await print(true);
}, 240_000);

afterAll(async () => {
  await browser?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('a book printed as two halves', () => {
  it('tells its caller once when the document loads, when Chromium prints it and when it has printed', () => {
    // The build writes the chapter cache while Chromium prints (OutputContext.waiting), closes it once printed.
    for (const { events } of [printed.whole, printed.halves])
      expect(events).toEqual(['loading', 'printing', 'printed']);
  });

  it('is split where the halves hold about as much text, and only a book that can be', () => {
    expect(secondHalfStart(book, true)).toBe(2);
    // Short: printed whole unless asked.
    expect(secondHalfStart(book)).toBeUndefined();
    const unsplittable = { ...book, meta: { ...book.meta, print: { ...book.meta.print, recto: false } } };
    expect(secondHalfStart(unsplittable, true)).toBeUndefined();
    const counted = {
      ...book,
      theme: { ...book.theme, css: { ...book.theme.css, print: 'h1::before { content: counter(ch); }' } },
    };
    expect(secondHalfStart(counted, true)).toBeUndefined();
    // A first page of its own, and chapters styled after the front matter: a half would get them wrong.
    for (const css of ['@page :first { margin-top: 2in; }', '.toc ~ section { color: red; }']) {
      const styled = { ...book, theme: { ...book.theme, css: { ...book.theme.css, print: css } } };
      expect(secondHalfStart(styled, true)).toBeUndefined();
    }
  });

  it('sends a shell with anything after the chapters, and its chapters, to the first page only', () => {
    const record = () => {
      const calls: string[] = [];
      const sink: PrintDocumentSink = {
        start: (before, after) => calls.push(`start ${before}|${after}`),
        chapter: (html) => calls.push(`chapter ${html}`),
        end: (html) => calls.push(`end ${html}`),
        abandon: () => calls.push('abandon'),
      };
      return { calls, sink };
    };
    const split = [record(), record()];
    const halves = sinkForHalves(split[0].sink, split[1].sink, 1);
    halves.start('<body>', '<!-- end --></body>\n</html>');
    for (const html of ['a', 'b', 'c']) halves.chapter(html);
    halves.end('links');
    expect(halves.wholeInFirst()).toBe(false);
    expect(split[0].calls).toEqual(['start <body>|<!-- end --></body>\n</html>', 'chapter a', 'end links']);
    expect(split[1].calls).toEqual([
      'start <body>|<!-- end --></body>\n</html>',
      'chapter b',
      'chapter c',
      'end links',
    ]);

    const whole = [record(), record()];
    const colophon = sinkForHalves(whole[0].sink, whole[1].sink, 1);
    colophon.start('<body>', '<footer>Colophon</footer></body>');
    for (const html of ['a', 'b', 'c']) colophon.chapter(html);
    expect(colophon.wholeInFirst()).toBe(true);
    expect(whole[0].calls).toEqual([
      'start <body>|<footer>Colophon</footer></body>',
      'chapter a',
      'chapter b',
      'chapter c',
    ]);
    expect(whole[1].calls).toEqual(['abandon']);
  });

  it('prints the book whole in the first page when the second page does not open', async () => {
    let opened = 0;
    // The browser, but the second page it is asked for fails to open.
    const flaky = new Proxy(browser, {
      get(target, key) {
        if (key === 'newPage')
          return (...args: Parameters<Browser['newPage']>) => {
            opened++;
            return opened === 2
              ? // As a renderer that fails a moment later.
                new Promise<never>((_, fail) => setTimeout(() => fail(new Error('No second page')), 50))
              : target.newPage(...args);
          };
        const value = Reflect.get(target, key, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const before = (await browser.pages()).length;
    const result = await renderPdf(book, flaky, {
      buildDate: BUILD_DATE,
      workDir: mkdtempSync(path.join(work, 'print-')),
      halves: true,
    });
    expect(opened).toBe(2);
    expect(result.secondHalf).toBeUndefined();
    expect(result.pdf).toBeDefined();
    expect(result.pageCount).toBe(printed.whole.result.pageCount);
    expect(result.chapterPages).toEqual(printed.whole.result.chapterPages);
    // No page left open.
    expect((await browser.pages()).length).toBe(before);
  });

  it('has the pages, text, labels, bookmarks and page-list of the whole print', () => {
    const { whole, halves } = printed;
    expect(halves.result.secondHalf).toBe(2);
    expect(whole.result.secondHalf).toBeUndefined();
    expect(halves.result.pageCount).toBe(whole.result.pageCount);
    expect(pdfIsWellFormed(halves.file)).toBe(true);
    const labels = pdfPageLabels(whole.file);
    expect(pdfPageLabels(halves.file)).toEqual(labels);
    // Word by word: the layout of `pdftotext -layout` turns a 0.01 pt difference into an empty line.
    const texts = (file: string) => pdfPageTexts(file, labels.length).map(squeeze);
    expect(texts(halves.file)).toEqual(texts(whole.file));
    expect(pdfOutline(halves.file)).toEqual(pdfOutline(whole.file));
    expect(halves.result.chapterPages).toEqual(whole.result.chapterPages);
    expect(halves.result.pageList).toEqual(whole.result.pageList);
    expect(halves.result.typography?.justifiedLines).toBe(whole.result.typography?.justifiedLines);
  });

  it('sets every word where the whole print does', () => {
    // Within 0.1 pt: a half lays its chapters out from another origin, and Chromium's layout units (1/64 px)
    // then round a few lines 0.005–0.02 pt apart, which no reader sees.
    const whole = wordBoxes(printed.whole.file);
    const halves = wordBoxes(printed.halves.file);
    expect(whole.length).toBeGreaterThan(1000);
    expect(halves.map((word) => word.text)).toEqual(whole.map((word) => word.text));
    const furthest = Math.max(
      ...halves.map((word, index) =>
        Math.max(
          Math.abs(word.x - whole[index].x),
          Math.abs(word.y - whole[index].y),
          // A word on another page is as far off as can be.
          Math.abs(word.page - whole[index].page) * 1000,
        ),
      ),
    );
    expect(furthest).toBeLessThan(0.1);
  });

  it('links across the halves as the whole print does', async () => {
    const whole = await links(printed.whole.file);
    // The contents' entries, the footnotes and the two links between the first and the last chapter.
    expect(whole.length).toBeGreaterThan(10);
    expect(whole.every(([, target]) => target >= 0)).toBe(true);
    expect(await links(printed.halves.file)).toEqual(whole);
  });

  it('keeps one structure tree with every element of both halves', () => {
    const whole = structure(printed.whole.file);
    expect(whole.Document).toBe(1);
    expect(whole.P).toBeGreaterThan(20);
    expect(structure(printed.halves.file)).toEqual(whole);
  });
});
