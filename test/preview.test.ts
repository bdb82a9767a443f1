// `imprint preview` end to end: a real preview server on a free port, a real headless Chromium on its pages,
// and files edited on disk the way an author's editor saves them.
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../src/platform/browser/launch-browser.ts';
import { solidPng } from './support/epub-sample-book.ts';
import { generateBook } from './support/generate-book.ts';
import {
  clickInToolbar,
  copyOfSeed,
  editFile,
  get,
  openPreview,
  overlayText,
  startPreview,
  waitInPage,
} from './support/preview-harness.ts';

let browser: Browser;
const cleanup: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  // The pages must reach the local server, so not the offline browser the builds use.
  browser = await launchBrowser({ offline: false });
});
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});
afterAll(async () => {
  await browser?.close();
});

/** A generated book of `chapters` interviews with figures, tables and footnotes, in a temporary folder. */
function multiChapterBook(chapters: number): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'imprint-preview-book-'));
  generateBook(dir, { chapters, withFigures: true, withTables: true, withFootnotes: true });
  return dir;
}

/** A preview of `manuscript` (default: `dir`); `dir` is removed after the test. */
async function preview(dir: string, options: Parameters<typeof startPreview>[1] = {}, manuscript = dir) {
  const server = await startPreview(manuscript, options);
  cleanup.push(
    () => server.close(),
    () => rmSync(dir, { recursive: true, force: true }),
  );
  return server;
}

describe('screen view of the seed manuscript', () => {
  it('shows a saved chapter edit without a manual reload, at the same scroll position', async () => {
    const dir = copyOfSeed();
    const server = await preview(dir);
    const page = await openPreview(browser, `${server.url}screen/`);
    expect(await page.title()).toBe('Russia, Europe and the Terror Threat');
    await page.evaluate(() => window.scrollTo(0, 1200));
    await page.evaluate(() => {
      (window as unknown as { marker: string }).marker = 'before';
    });

    const chapter = path.join(dir, '01-interview.md');
    editFile(chapter, (text) => `${text}\nRD: A question added while the preview was open?\n`);

    await waitInPage(page, () =>
      document.body.textContent?.includes('A question added while the preview was open?'),
    );
    // It was a reload (the page's script state is gone), and the reader is where they were.
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBeUndefined();
    await waitInPage(page, () => Math.abs(window.scrollY - 1200) < 40);
    expect(server.log.some((line) => line.includes('01-interview.md') && line.includes('screen'))).toBe(true);
  });

  it('swaps the stylesheet without reloading when only CSS changed', async () => {
    // A project with the manuscript and, beside it (outside the manuscript folder), a theme of its own that
    // holds only a screen.css; everything else falls back to the default theme.
    const project = mkdtempSync(path.join(os.tmpdir(), 'imprint-preview-project-'));
    const dir = path.join(project, 'manuscript');
    renameSync(copyOfSeed(), dir);
    mkdirSync(path.join(project, 'templates/house'), { recursive: true });
    const css = path.join(project, 'templates/house/screen.css');
    writeFileSync(css, '.chapter-title { color: rgb(10, 20, 30); }\n');
    editFile(path.join(dir, 'book.yaml'), (text) => `${text}\ntheme: house\n`);
    const server = await preview(project, {}, dir);
    const page = await openPreview(browser, `${server.url}screen/`);
    const titleColor = () =>
      page.evaluate(() => getComputedStyle(document.querySelector('.chapter-title') as Element).color);
    expect(await titleColor()).toBe('rgb(10, 20, 30)');
    await page.evaluate(() => {
      (window as unknown as { marker: string }).marker = 'kept';
    });

    writeFileSync(css, '.chapter-title { color: rgb(200, 0, 100); }\n');

    await waitInPage(
      page,
      () =>
        getComputedStyle(document.querySelector('.chapter-title') as Element).color === 'rgb(200, 0, 100)',
    );
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('kept');
    // One edition stylesheet, not the old one beside the new.
    expect(
      await page.$$eval(
        'link[rel="stylesheet"]',
        (links) => links.filter((l) => /screen\.css/.test(l.getAttribute('href') ?? '')).length,
      ),
    ).toBe(1);
  });

  it('reloads for book.yaml, a theme template and a replaced image', async () => {
    const dir = copyOfSeed();
    mkdirSync(path.join(dir, 'theme/components'), { recursive: true });
    mkdirSync(path.join(dir, 'images'));
    writeFileSync(path.join(dir, 'images/square.png'), solidPng(4, 4, [0, 0, 255]));
    editFile(path.join(dir, '01-interview.md'), (text) => `${text}\n![A square](images/square.png)\n`);
    editFile(path.join(dir, 'book.yaml'), (text) => `${text}\ntheme: ./theme\n`);
    const server = await preview(dir);
    const page = await openPreview(browser, `${server.url}screen/`);
    const marked = async () => {
      await page.evaluate(() => {
        (window as unknown as { marker: string }).marker = 'before';
      });
      return () => page.evaluate(() => (window as unknown as { marker?: string }).marker === undefined);
    };

    let reloaded = await marked();
    editFile(path.join(dir, 'book.yaml'), (text) =>
      text.replace(/^subtitle: .*$/m, 'subtitle: A Subtitle Saved Later'),
    );
    await waitInPage(page, () => document.body.textContent?.includes('A Subtitle Saved Later'));
    expect(await reloaded()).toBe(true);

    reloaded = await marked();
    writeFileSync(
      path.join(dir, 'theme/components/book-title.html'),
      '<header class="book-title"><h1 class="book-title-main" data-house="yes"><slot name="title"></slot></h1></header>\n',
    );
    await waitInPage(page, () => Boolean(document.querySelector('[data-house="yes"]')));
    expect(await reloaded()).toBe(true);

    await marked();
    const blue = await page.$eval('img[alt="A square"]', (image) => (image as HTMLImageElement).src);
    writeFileSync(path.join(dir, 'images/square.png'), solidPng(8, 8, [255, 0, 0]));
    await waitInPage(page, () => (window as unknown as { marker?: string }).marker === undefined);
    await waitInPage(
      page,
      () => (document.querySelector('img[alt="A square"]') as HTMLImageElement)?.naturalWidth === 8,
    );
    expect(blue).toContain('/screen/images/square.png');
  });

  it('shows broken front matter as an overlay with file:line, and clears it once fixed', async () => {
    const dir = copyOfSeed();
    const server = await preview(dir);
    const page = await openPreview(browser, `${server.url}screen/`);
    expect(await overlayText(page)).toBe('');
    const chapter = path.join(dir, '01-interview.md');
    const good = readFileSync(chapter, 'utf8');

    writeFileSync(chapter, good.replace('title: Counter-terrorism', 'title: [Counter-terrorism'));

    await waitInPage(page, () => Boolean(document.querySelector('imprint-error-overlay')));
    const text = await overlayText(page);
    expect(text).toMatch(/01-interview\.md:3:1/);
    expect(text).toContain('YAML');
    expect(server.log.join('\n')).toMatch(/01-interview\.md:3:1\s+error:/);

    writeFileSync(chapter, good);
    await waitInPage(page, () => !document.querySelector('imprint-error-overlay'));
    expect(server.log.join('\n')).toContain('The errors are fixed.');
  });

  it('keeps serving through a missing book.yaml and a chapter that is not UTF-8', async () => {
    const dir = copyOfSeed();
    const server = await preview(dir);
    const page = await openPreview(browser, `${server.url}screen/`);

    renameSync(path.join(dir, 'book.yaml'), path.join(dir, 'book.yaml.away'));
    await waitInPage(page, () =>
      /no book\.yaml/.test(document.querySelector('imprint-error-overlay')?.shadowRoot?.textContent ?? ''),
    );
    // The last good book stays readable under the overlay.
    expect((await get(`${server.url}screen/`)).status).toBe(200);

    renameSync(path.join(dir, 'book.yaml.away'), path.join(dir, 'book.yaml'));
    await waitInPage(page, () => !document.querySelector('imprint-error-overlay'));

    writeFileSync(path.join(dir, '02-broken.md'), Buffer.from([0x23, 0x20, 0xff, 0xfe, 0x0a]));
    await waitInPage(page, () =>
      /not UTF-8/.test(document.querySelector('imprint-error-overlay')?.shadowRoot?.textContent ?? ''),
    );
    rmSync(path.join(dir, '02-broken.md'));
    await waitInPage(page, () => !document.querySelector('imprint-error-overlay'));
  });
});

describe('a multi-chapter book', () => {
  it('lists the chapters, jumps between them, and shows EPUB chapters with the EPUB stylesheet', async () => {
    const dir = multiChapterBook(4);
    editFile(
      path.join(dir, '3-interview.md'),
      (text) => `${text}\nRead on in [the next interview](4-interview.md).\n`,
    );
    const server = await preview(dir);
    const page = await openPreview(browser, `${server.url}screen/`);
    const chapterTitles = () =>
      page.evaluate(() =>
        [
          ...(document.querySelector('imprint-preview-bar')?.shadowRoot?.querySelectorAll('.chapters a') ??
            []),
        ].map((link) => link.textContent),
      );
    expect(await chapterTitles()).toEqual([
      'Chapter 1: Energy and the embassy of policy',
      'Chapter 2: Borders and the energy of railway',
      'Chapter 3: Trade and the mandate of coalition',
      'Chapter 4: Security and the energy of embassy',
    ]);

    // Screen view: the HTML edition, a web book; a chapter in the list opens its page.
    await clickInToolbar(page, '.chapters-button');
    await Promise.all([page.waitForNavigation(), clickInToolbar(page, '.chapters a', 2)]);
    expect(new URL(page.url()).pathname).toBe('/screen/interview-3.html');
    expect(await page.$eval('#book-sidebar a[aria-current="page"]', (a) => a.getAttribute('href'))).toBe(
      'interview-3.html',
    );
    // Its search runs under the preview's content policy (scripts from the page's own origin only).
    await page.type('input[type="search"]', 'security');
    await page.waitForSelector('#book-search-results a');

    // To the EPUB view from there: it opens the same chapter, as the EPUB's own XHTML file.
    await Promise.all([page.waitForNavigation(), clickInToolbar(page, '.views a', 2)]);
    expect(new URL(page.url()).pathname).toBe('/epub/03-interview-3.xhtml');
    expect(await page.evaluate(() => document.contentType)).toBe('application/xhtml+xml');
    const stylesheets = await page.$$eval('link[rel="stylesheet"]', (links) =>
      links.map((l) => l.getAttribute('href')),
    );
    expect(stylesheets).toContain('style.css');
    const epubCss = await get(`${server.url}epub/style.css`);
    expect(epubCss.status).toBe(200);
    expect(epubCss.body.toString()).toContain('@font-face');
    // A link to another chapter points at that chapter's file, as in the EPUB.
    expect(await page.$$eval('a[href]', (links) => links.map((l) => l.getAttribute('href')))).toContain(
      '04-interview-4.xhtml#interview-4',
    );
    // Images and fonts load.
    await waitInPage(
      page,
      () =>
        [...document.images].length > 0 &&
        [...document.images].every((image) => image.complete && image.naturalWidth > 0),
    );
    await waitInPage(page, () => [...document.fonts].some((font) => font.status === 'loaded'));

    // Editing another chapter leaves this page alone; editing this one reloads it.
    await page.evaluate(() => {
      (window as unknown as { marker: string }).marker = 'still here';
    });
    editFile(path.join(dir, '1-interview.md'), (text) =>
      text.replace('## Energy section 1', '## Energy section one'),
    );
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('still here');
    editFile(path.join(dir, '3-interview.md'), (text) => `${text}\nA closing line written later.\n`);
    await waitInPage(page, () => document.body.textContent?.includes('A closing line written later.'));
  });

  it('re-processes only the chapter that changed', async () => {
    const dir = multiChapterBook(6);
    let reloaded = () => {};
    const server = await preview(dir, { onReload: () => reloaded() });
    const before = server.site.book?.chapters.map((chapter) => chapter.tree) ?? [];
    const done = new Promise<void>((resolve) => {
      reloaded = resolve;
    });
    editFile(path.join(dir, '5-interview.md'), (text) => `${text}\nOne more line.\n`);
    await done;
    const after = server.site.book?.chapters.map((chapter) => chapter.tree) ?? [];
    expect(after.map((tree, index) => tree === before[index])).toEqual([true, true, true, true, false, true]);
  });
});
