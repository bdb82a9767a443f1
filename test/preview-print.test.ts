// The print view: the PDF edition's own pages, shown as spreads, rebuilt in the background after a save
// and never shown as current while a newer layout is being made.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OUTPUTS } from '../src/outputs/index.ts';
import { launchBrowser } from '../src/platform/browser/launch-browser.ts';
import type { PreviewState } from '../src/preview/preview-server.ts';
import { generateBook } from './support/generate-book.ts';
import {
  clickInToolbar,
  copyOfSeed,
  editFile,
  get,
  openPreview,
  startPreview,
  waitInPage,
} from './support/preview-harness.ts';

const pdfOutput = OUTPUTS.find((output) => output.name === 'pdf');
let browser: Browser;
const cleanup: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  browser = await launchBrowser({ offline: false });
});
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});
afterAll(async () => {
  await browser?.close();
});

async function preview(dir: string) {
  const server = await startPreview(dir, { pdfOutput });
  cleanup.push(
    () => server.close(),
    () => rmSync(dir, { recursive: true, force: true }),
  );
  return server;
}

/** The print state the page's client last received. */
async function printState(server: { url: string }): Promise<PreviewState['print']> {
  const res = await fetch(`${server.url}__imprint/events?view=state-probe`);
  const reader = res.body?.getReader();
  let text = '';
  while (reader && !/\n\n$/.test(text.split('event: state')[1] ?? '')) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  await reader?.cancel();
  const data = /event: state\ndata: (.*)\n/.exec(text)?.[1] ?? '{}';
  return (JSON.parse(data) as PreviewState).print;
}

const shownGeneration = (page: Page) =>
  page.evaluate(() => Number(document.body.dataset.printGeneration ?? 0));

describe.skipIf(!pdfOutput)('print view', () => {
  it('shows the PDF edition as spreads and rebuilds it after a save, marked as updating until then', async () => {
    const dir = copyOfSeed();
    const server = await preview(dir);
    const page = await openPreview(browser, `${server.url}print/`);
    await waitInPage(page, () => document.querySelectorAll('.imprint-page img').length > 0, 120_000);
    const first = await printState(server);
    expect(first.current).toBe(true);
    expect(first.generation).toBe(1);

    // Pages two by two, page 1 alone on the right, each image at the PDF page's proportions.
    const spreads = await page.$$eval('.imprint-spread', (rows) =>
      rows.map((row) =>
        [...row.querySelectorAll('.imprint-page')].map((p) => (p as HTMLElement).dataset.page ?? 'blank'),
      ),
    );
    expect(spreads[0]).toEqual(['blank', '1']);
    expect(spreads[1]).toEqual(['2', '3']);
    expect(spreads.flat().filter((n) => n !== 'blank')).toHaveLength(first.pages.length);
    await waitInPage(page, () => {
      const image = document.querySelector<HTMLImageElement>('#page-1 img');
      return image?.complete && image.naturalWidth > 0;
    });
    const [width, height] = await page.$eval('#page-1 img', (image) => [
      (image as HTMLImageElement).naturalWidth,
      (image as HTMLImageElement).naturalHeight,
    ]);
    expect(width / height).toBeCloseTo(first.pages[0][0] / first.pages[0][1], 2);

    // From the save on, the old pages are only ever shown marked as out of date.
    // (Recorded from the first moment the page knows of the save: before that it cannot know better.)
    await page.evaluate(() => {
      const seen: [string | undefined, boolean][] = [];
      (window as unknown as { seen: typeof seen }).seen = seen;
      new MutationObserver(() =>
        seen.push([document.body.dataset.printGeneration, document.body.classList.contains('imprint-stale')]),
      ).observe(document.body, { attributes: true });
    });
    editFile(path.join(dir, '01-interview.md'), (text) => `${text}\nRD: Zanzibar, one last question?\n`);
    await waitInPage(page, () => document.body.classList.contains('imprint-stale'), 120_000);
    expect(await page.$eval('#imprint-print-banner', (banner) => banner.textContent)).toMatch(/Updating/);
    await waitInPage(page, () => Number(document.body.dataset.printGeneration) >= 2, 120_000);
    await waitInPage(page, () => !document.body.classList.contains('imprint-stale'));
    const seen = await page.evaluate(() => (window as unknown as { seen: [string, boolean][] }).seen);
    const known = seen.findIndex(([, stale]) => stale);
    expect(known).toBeGreaterThanOrEqual(0);
    expect(seen.slice(known).filter(([generation, stale]) => generation === '1' && !stale)).toEqual([]);

    // The pages come from the new PDF.
    const state = await printState(server);
    const pdf = await get(`${server.url}print/${state.generation}/book.pdf`);
    expect(pdf.type).toBe('application/pdf');
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'imprint-preview-pdf-')), 'book.pdf');
    writeFileSync(file, pdf.body);
    expect(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\u00ad/g, '')).toContain(
      'Zanzibar',
    );
    rmSync(path.dirname(file), { recursive: true });
  });

  it('does not print a book with errors, and says so', async () => {
    const dir = copyOfSeed();
    const server = await preview(dir);
    const page = await openPreview(browser, `${server.url}print/`);
    await waitInPage(page, () => Number(document.body.dataset.printGeneration) >= 1, 120_000);
    const chapter = path.join(dir, '01-interview.md');
    editFile(chapter, (text) => text.replace('title: Counter', 'title: [Counter'));
    await waitInPage(page, () =>
      /errors/.test(document.getElementById('imprint-print-banner')?.textContent ?? ''),
    );
    expect(await page.evaluate(() => document.body.classList.contains('imprint-stale'))).toBe(true);
    editFile(chapter, (text) => text.replace('title: [Counter', 'title: Counter'));
    await waitInPage(page, () => !document.body.classList.contains('imprint-stale'), 120_000);
    // The fixed book is the one printed before, so no second PDF pass was needed.
    expect(await shownGeneration(page)).toBe(1);
  });

  it('jumps to the page a chapter starts on', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'imprint-preview-book-'));
    generateBook(dir, { chapters: 4 });
    const server = await preview(dir);
    const page = await openPreview(browser, `${server.url}print/`);
    await waitInPage(page, () => document.querySelectorAll('.imprint-page').length > 0, 120_000);
    const state = await printState(server);
    const starts = server.site.book?.chapters.map((chapter) => state.chapters[chapter.id]) ?? [];
    expect(starts.every((start) => Number.isInteger(start))).toBe(true);
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);

    await clickInToolbar(page, '.chapters-button');
    await clickInToolbar(page, '.chapters a', 2);
    await waitInPage(page, () => location.hash.startsWith('#page-'));
    expect(await page.evaluate(() => location.hash)).toBe(`#page-${starts[2]}`);
    const top = await page.$eval(`#page-${starts[2]}`, (element) => element.getBoundingClientRect().top);
    expect(Math.abs(top)).toBeLessThan(60);
  });
});
