/**
 * A build that starts from the previous build's layout (the preview's case) prints once when nothing moved,
 * gives the same PDF as a build from scratch, and still converges when the guess is wrong.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBookLoader } from '../src/book/load-book.ts';
import type { Book } from '../src/book/types.ts';
import { launchBrowser } from '../src/outputs/browser.ts';
import { type RenderedPdf, renderPdf } from '../src/outputs/pdf/render-pdf.ts';
import { generateBook } from './support/generate-book.ts';

let browser: Browser;
let book: Book;
let cold: RenderedPdf;
const buildDate = new Date(Date.UTC(2016, 3, 1));
const render = (initialLayout?: RenderedPdf['layout']) =>
  renderPdf(book, browser, {
    buildDate,
    workDir: mkdtempSync(path.join(os.tmpdir(), 'imprint-carry-')),
    initialLayout,
  });

beforeAll(async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'imprint-carry-book-'));
  book = createBookLoader()(generateBook(path.join(root, 'manuscript'), { chapters: 4 }).dir);
  browser = await launchBrowser();
  cold = await render();
});

afterAll(async () => {
  await browser?.close();
});

describe('starting from the last layout', () => {
  it('needs two prints from scratch for a book with contents and recto openings', () => {
    expect(cold.passes).toBe(2);
    expect(cold.layout?.blankBefore.length).toBeGreaterThan(0);
    expect(Object.keys(cold.layout?.pages ?? {}).length).toBeGreaterThan(4);
  });

  it('prints once with the previous layout and gives the same PDF', async () => {
    const warm = await render(cold.layout);
    expect(warm.passes).toBe(1);
    expect(Buffer.from(warm.pdf ?? []).equals(Buffer.from(cold.pdf ?? []))).toBe(true);
  });

  it('recovers from a wrong guess with the layout a cold build finds', async () => {
    const wrong = { blankBefore: book.chapters.map((chapter) => chapter.id), pages: {} };
    const recovered = await render(wrong);
    expect(recovered.passes).toBeGreaterThan(1);
    expect(recovered.layout).toEqual(cold.layout);
    expect(Buffer.from(recovered.pdf ?? []).equals(Buffer.from(cold.pdf ?? []))).toBe(true);
  });
});
