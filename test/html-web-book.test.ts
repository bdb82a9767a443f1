/**
 * The HTML edition of a 40-chapter book as a web book, opened from disk (file:) in headless Chromium as a
 * reader who double-clicks index.html would: a page per chapter, the contents in a sidebar at phone and
 * desktop sizes, next/previous links and arrow keys, search that finds a word and leads to its chapter, and
 * screenshots at 390×844 and 1280×800 in light and dark.
 */
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { select, selectAll } from 'hast-util-select';
import { toString as hastToString } from 'hast-util-to-string';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/index.ts';
import { launchBrowser } from '../src/platform/browser/launch-browser.ts';
import { type GeneratedBook, generateBook } from './support/generate-book.ts';
import { textContrasts } from './support/text-contrast.ts';

const CHAPTERS = 40;
/** A word only chapter 23 has. */
const UNIQUE_WORD = 'quodlibetarian';
const BOOK_URL = 'https://books.example.org/continent/';

let book: GeneratedBook;
let dir: string;
let browser: Browser;
/** Screenshots for a person to look at, kept after the run. */
const SCREENSHOTS = path.join(os.tmpdir(), 'imprint-web-book-screenshots');

const read = (file: string): Root => fromHtml(readFileSync(path.join(dir, file), 'utf8'));
const fileUrl = (file: string) => pathToFileURL(path.join(dir, file)).href;

beforeAll(async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'imprint-web-book-'));
  book = generateBook(path.join(root, 'manuscript'), {
    chapters: CHAPTERS,
    withFootnotes: true,
    withFigures: true,
    book: { url: BOOK_URL },
  });
  appendFileSync(
    path.join(book.dir, book.chapterFiles[22]),
    `\nA last word, ${UNIQUE_WORD}, and a pointer back to [the fifth interview](${book.chapterFiles[4]}).\n`,
  );
  const out = path.join(root, 'dist');
  // In-process through the API: this file is about the web book, not the command line.
  const result = await build({ manuscript: book.dir, out, formats: ['html'] });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(result.ok).toBe(true);
  const [slug] = readdirSync(out).filter((name) => !name.startsWith('.'));
  dir = path.join(out, slug);
  browser = await launchBrowser();
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
});

/** The chapter pages in reading order, by following rel="next" from index.html. */
function readingOrder(): string[] {
  const files: string[] = [];
  let next = select('link[rel="next"]', read('index.html'))?.properties.href;
  while (typeof next === 'string') {
    files.push(next);
    next = select('link[rel="next"]', read(next))?.properties.href;
  }
  return files;
}

async function open(file: string, width: number, height: number, scheme = 'light'): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewport({ width, height });
  await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
  await page.goto(fileUrl(file));
  await page.evaluate(() => document.fonts.ready);
  return page;
}

describe('40-chapter web book, from disk', () => {
  it('has a title page and one page per chapter, chained by rel="prev"/"next"', () => {
    const order = readingOrder();
    expect(order).toHaveLength(CHAPTERS);
    expect(new Set(order).size).toBe(CHAPTERS);
    order.forEach((file, index) => {
      const tree = read(file);
      expect(selectAll('section.chapter', tree), file).toHaveLength(1);
      expect(hastToString(select('h1', tree) ?? tree)).toBe(book.chapterTitles[index].replace(/'/g, '’'));
      expect(select('link[rel="prev"]', tree)?.properties.href).toBe(index ? order[index - 1] : 'index.html');
      expect(select('a[rel="prev"]', tree)).toBeTruthy();
      expect(Boolean(select('a[rel="next"]', tree))).toBe(index < CHAPTERS - 1);
    });
  });

  it('gives every page a search field, the contents, the book’s metadata and its rights', () => {
    for (const file of ['index.html', ...readingOrder()]) {
      const tree = read(file);
      expect(select('input[type="search"]', tree), file).toBeTruthy();
      expect(selectAll('nav#book-sidebar a', tree).length).toBeGreaterThan(CHAPTERS);
      expect(select('nav#book-sidebar a[aria-current="page"]', tree)?.properties.href).toBe(file);
      expect(select('meta[name="description"]', tree)?.properties.content).toBeTruthy();
      expect(select('meta[name="author"]', tree)?.properties.content).toBe('Imprint Test Press');
      expect(select('html', tree)?.properties.lang).toBe('en');
      expect(hastToString(select('footer .book-rights', tree) ?? tree)).toBe(
        '© 2024 Imprint Test Press. All rights reserved.',
      );
      expect(select('meta[property="og:url"]', tree)?.properties.content).toBe(
        file === 'index.html' ? BOOK_URL : `${BOOK_URL}${file}`,
      );
      expect(select('meta[property="og:title"]', tree)).toBeTruthy();
      expect(readFileSync(path.join(dir, file), 'utf8')).not.toContain('epub:type');
    }
  });

  it('keeps every link between pages working: each page and #id exists', () => {
    const ids = new Map<string, Set<string>>();
    const idsOf = (file: string) => {
      if (!ids.has(file)) {
        ids.set(file, new Set(selectAll('[id]', read(file)).map((node) => String(node.properties.id))));
      }
      return ids.get(file) as Set<string>;
    };
    let crossChapter = 0;
    for (const file of ['index.html', ...readingOrder()]) {
      for (const a of selectAll('main a[href]', read(file))) {
        const href = String(a.properties.href);
        if (/^[a-z]+:/.test(href)) continue;
        const [target, id] = href.split('#');
        const targetFile = target || file;
        if (target && target !== file && file !== 'index.html') crossChapter += 1;
        expect(readdirSync(dir), href).toContain(targetFile);
        if (id) expect(idsOf(targetFile).has(decodeURIComponent(id)), `${file} → ${href}`).toBe(true);
      }
    }
    // The link written in chapter 23 as "05-interview.md" reaches the fifth chapter's page.
    expect(crossChapter).toBeGreaterThan(0);
    const fifth = readingOrder()[4];
    expect(selectAll('main a[href]', read(readingOrder()[22])).map((a) => a.properties.href)).toContain(
      `${fifth}#${String(select('section.chapter', read(fifth))?.properties.id)}`,
    );
  });

  it('shows the sidebar on a desktop and behind a button on a phone', { timeout: 240_000 }, async () => {
    const desktop = await open(readingOrder()[1], 1280, 800);
    try {
      expect(await desktop.$eval('#book-sidebar', (nav) => nav.checkVisibility())).toBe(true);
      expect(await desktop.$eval('.sidebar-toggle', (button) => button.checkVisibility())).toBe(false);
    } finally {
      await desktop.close();
    }
    const phone = await open(readingOrder()[1], 390, 844);
    try {
      expect(await phone.$('#book-sidebar')).toBeTruthy();
      expect(await phone.$eval('#book-sidebar', (nav) => nav.checkVisibility())).toBe(false);
      await phone.click('.sidebar-toggle');
      expect(await phone.$eval('#book-sidebar', (nav) => nav.checkVisibility())).toBe(true);
      expect(await phone.$eval('.sidebar-toggle', (button) => button.getAttribute('aria-expanded'))).toBe(
        'true',
      );
      // The contents links work from the drawer.
      await Promise.all([phone.waitForNavigation(), phone.click('#book-sidebar li:nth-child(4) > a')]);
      expect(path.basename(new URL(phone.url()).pathname)).toBe(readingOrder()[2]);
    } finally {
      await phone.close();
    }
  });

  it('finds a word and follows the first result to its chapter', { timeout: 240_000 }, async () => {
    const page = await open('index.html', 1280, 800);
    try {
      await page.type('input[type="search"]', UNIQUE_WORD.slice(0, 9));
      await page.waitForSelector('#book-search-results a');
      const first = await page.$eval('#book-search-results a', (a) => a.getAttribute('href'));
      expect(first?.split('#')[0]).toBe(readingOrder()[22]);
      await Promise.all([page.waitForNavigation(), page.click('#book-search-results a')]);
      expect(path.basename(new URL(page.url()).pathname)).toBe(readingOrder()[22]);
      expect(await page.$eval('main', (main) => main.textContent)).toContain(UNIQUE_WORD);
      // A word in no chapter says so.
      await page.type('input[type="search"]', 'zzzzqqqq');
      await page.waitForSelector('#book-search-results .search-empty');
    } finally {
      await page.close();
    }
  });

  it('turns pages with the arrow keys', { timeout: 240_000 }, async () => {
    const order = readingOrder();
    const page = await open(order[9], 1280, 800);
    try {
      await Promise.all([page.waitForNavigation(), page.keyboard.press('ArrowRight')]);
      expect(path.basename(new URL(page.url()).pathname)).toBe(order[10]);
      await Promise.all([page.waitForNavigation(), page.keyboard.press('ArrowLeft')]);
      await Promise.all([page.waitForNavigation(), page.keyboard.press('ArrowLeft')]);
      expect(path.basename(new URL(page.url()).pathname)).toBe(order[8]);
    } finally {
      await page.close();
    }
  });

  it('shows the print page when the page carries page-break anchors', { timeout: 240_000 }, async () => {
    const file = readingOrder()[3];
    const html = readFileSync(path.join(dir, file), 'utf8');
    const marked = html.replace(
      /<h2 /g,
      (() => {
        let n = 40;
        return () => `<span role="doc-pagebreak" id="page-${++n}" aria-label="${n}"></span><h2 `;
      })(),
    );
    writeFileSync(path.join(dir, 'marked.html'), marked);
    const page = await open('marked.html', 1280, 800);
    try {
      expect(await page.$eval('.print-page', (span) => span.textContent)).toBe('p. 40');
      await page.$eval('#page-42', (span) => span.scrollIntoView());
      await page.waitForFunction(() => document.querySelector('.print-page')?.textContent === 'p. 42');
    } finally {
      await page.close();
    }
    const plain = await open(file, 1280, 800);
    try {
      expect(await plain.$eval('.print-page', (span) => span.checkVisibility())).toBe(false);
    } finally {
      await plain.close();
    }
  });

  it('keeps 4.5:1 contrast for every text, light and dark, phone and desktop', {
    timeout: 240_000,
  }, async () => {
    for (const file of ['index.html', readingOrder()[1]]) {
      for (const viewport of [
        { width: 390, height: 844 },
        { width: 1280, height: 800 },
      ]) {
        for (const scheme of ['light', 'dark'] as const) {
          const contrasts = await textContrasts(browser, fileUrl(file), scheme, undefined, viewport);
          expect(contrasts.length).toBeGreaterThan(20);
          expect(
            contrasts.filter((entry) => entry.ratio < 4.5),
            `${file} ${viewport.width} ${scheme}`,
          ).toEqual([]);
        }
      }
    }
  });

  it('takes screenshots at phone and desktop sizes, light and dark', { timeout: 240_000 }, async () => {
    const file = readingOrder()[1];
    for (const [width, height] of [
      [390, 844],
      [1280, 800],
    ]) {
      for (const scheme of ['light', 'dark']) {
        const page = await open(file, width, height, scheme);
        try {
          const shot = path.join(SCREENSHOTS, `chapter-${width}x${height}-${scheme}.png`);
          await page.screenshot({ path: shot });
          const colours = await page.evaluate(() => ({
            text: getComputedStyle(document.body).color,
            page: getComputedStyle(document.documentElement).backgroundColor,
          }));
          // Dark really is dark: light text on a dark page.
          const lightness = (rgb: string) =>
            (rgb.match(/\d+/g) ?? []).slice(0, 3).reduce((sum, channel) => sum + Number(channel), 0);
          if (scheme === 'dark') expect(lightness(colours.text)).toBeGreaterThan(lightness(colours.page));
          else expect(lightness(colours.text)).toBeLessThan(lightness(colours.page));
        } finally {
          await page.close();
        }
      }
    }
    const menu = await open(file, 390, 844);
    try {
      await menu.click('.sidebar-toggle');
      await menu.screenshot({ path: path.join(SCREENSHOTS, 'chapter-390x844-contents.png') });
      await menu.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    } finally {
      await menu.close();
    }
    const search = await open('index.html', 1280, 800);
    try {
      await search.type('input[type="search"]', 'energy');
      await search.waitForSelector('#book-search-results a');
      await search.screenshot({ path: path.join(SCREENSHOTS, 'index-1280x800-search.png') });
    } finally {
      await search.close();
    }
  });
});
