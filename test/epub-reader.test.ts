/**
 * The EPUB as a production editor signs it off, for the seed and a 40-chapter book: epubcheck 0/0, Ace with
 * no violations, a copyright page, interface words in the book's language, and colours that hold in a reading
 * system's night theme — every text colour, read from Chromium's computed styles with prefers-color-scheme:
 * dark emulated and the page and text colours a night theme sets, keeps 4.5:1 against what is behind it.
 * Ace checks a 3-chapter book made like the 40-chapter one: the generator writes every chapter alike, so
 * the other 37 showed Ace nothing new and took most of this file's time.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { fromHtml } from 'hast-util-from-html';
import { select } from 'hast-util-select';
import { toString as hastToString } from 'hast-util-to-string';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBookLoader } from '../src/book/load-book.ts';
import { runAce } from '../src/check/editions/ace.ts';
import { epubOutput } from '../src/outputs/epub.ts';
import { launchBrowser } from '../src/platform/browser/launch-browser.ts';
import { checkEpub } from './support/check-epub.ts';
import { generateBook } from './support/generate-book.ts';
import { readZip, type ZipEntry } from './support/read-zip.ts';
import { tempManuscript } from './support/temp-manuscript.ts';
import { textContrasts } from './support/text-contrast.ts';

const buildDate = new Date(1_700_000_000_000);
/** Screenshots for a person to look at, kept after the run. */
const SCREENSHOTS = path.join(os.tmpdir(), 'imprint-epub-night-screenshots');
/** What a reading system's night theme sets on the root (Readium CSS's night mode sets the same two). */
const NIGHT_THEME = ':root { background-color: #121212 !important; color: #e0e0e0 !important; }';

let browser: Browser;
const temporary: string[] = [];
const epubs: Record<'seed' | 'long' | 'short', { file: string; entries: ZipEntry[] }> = {} as never;

async function buildEpub(manuscriptDir: string) {
  const outDir = mkdtempSync(path.join(os.tmpdir(), 'imprint-epub-reader-'));
  temporary.push(outDir);
  const [file] = await epubOutput.build(createBookLoader()(manuscriptDir), {
    outDir,
    browser: async () => browser,
    report: () => {},
    buildDate,
  });
  return { file, entries: readZip(readFileSync(file)) };
}

const entry = (epub: { entries: ZipEntry[] }, name: string) => {
  const found = epub.entries.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`${name} is not in the EPUB`);
  return found.data.toString('utf8');
};

/** Unpacks the EPUB's files into a folder, as a reading system would before showing them. */
function unpack(epub: { entries: ZipEntry[] }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'imprint-epub-unpacked-'));
  temporary.push(dir);
  for (const { name, data } of epub.entries) {
    if (name.endsWith('/')) continue;
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), data);
  }
  return dir;
}

beforeAll(async () => {
  browser = await launchBrowser();
  const root = mkdtempSync(path.join(os.tmpdir(), 'imprint-epub-reader-book-'));
  temporary.push(root);
  const made = {
    withFootnotes: true,
    withTables: true,
    withFigures: true,
    book: { edition: 'First edition', credits: ['Cover design: The Studio', 'Photographs: The Archive'] },
  };
  const long = generateBook(path.join(root, 'manuscript'), { chapters: 40, ...made });
  const short = generateBook(path.join(root, 'short'), { chapters: 3, ...made });
  [epubs.seed, epubs.long, epubs.short] = await Promise.all(
    [path.resolve('manuscript'), long.dir, short.dir].map(buildEpub),
  );
}, 300_000);

afterAll(async () => {
  await browser?.close();
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

describe('copyright page', () => {
  it('is in the seed EPUB too', () => {
    expect(entry(epubs.seed, 'OEBPS/copyright.xhtml')).toContain('epub:type="copyright-page"');
    expect(entry(epubs.seed, 'OEBPS/copyright.xhtml')).toContain(
      '© 2016 Russia Direct. All rights reserved.',
    );
  });

  it('follows the title page with rights, edition, publisher, date and credits', () => {
    const opf = entry(epubs.long, 'OEBPS/content.opf');
    const spine = [...opf.matchAll(/<itemref idref="([^"]+)"/g)].map((match) => match[1]);
    expect(spine.indexOf('copyright-page')).toBe(spine.indexOf('title-page') + 1);
    const tree = fromHtml(entry(epubs.long, 'OEBPS/copyright.xhtml'));
    const page = select('[epub\\:type="copyright-page"]', tree);
    expect(page).toBeTruthy();
    const text = hastToString(page ?? tree);
    for (const expected of [
      '© 2024 Imprint Test Press. All rights reserved.',
      'First edition',
      'Published by Imprint Test Press',
      'May 1, 2024',
      'Cover design: The Studio',
      'Photographs: The Archive',
      'Made with Imprint.',
    ]) {
      expect(text).toContain(expected);
    }
    expect(hastToString(select('title', tree) ?? tree)).toBe('Copyright');
    // The title page no longer carries the rights line.
    expect(entry(epubs.long, 'OEBPS/title-page.xhtml')).not.toContain('All rights reserved');
  });

  it('names an identifier a reader can use (an ISBN), and is in the book’s language', async () => {
    const dir = tempManuscript({
      'book.yaml':
        'title: Ein Buch\nauthor: Anna Autorin\nlang: de\nidentifier: "urn:isbn:9783161484100"\nrights: © 2024 Anna Autorin\npublisher: Verlag\ndate: 2024-03-05\n',
      '01-eins.md': '# Eins\n\nText.\n',
      '02-zwei.md': '# Zwei\n\nMehr.\n',
    });
    temporary.push(dir);
    const german = await buildEpub(dir);
    const tree = fromHtml(entry(german, 'OEBPS/copyright.xhtml'));
    const text = hastToString(select('[epub\\:type="copyright-page"]', tree) ?? tree);
    expect(text).toContain('ISBN 978-3-16-148410-0');
    expect(text).toContain('Erschienen bei Verlag');
    expect(text).toContain('5. März 2024');
    expect(text).toContain('Erstellt mit Imprint.');
    expect(hastToString(select('title', tree) ?? tree)).toBe('Impressum');
    const nav = fromHtml(entry(german, 'OEBPS/toc.xhtml'));
    expect(select('nav[epub\\:type="landmarks"]', nav)?.properties.ariaLabel).toBe('Orientierungspunkte');
  });
});

describe('validation', () => {
  // Both through the test run's one epubcheck JVM (test/support/epubcheck-service.ts).
  it('passes epubcheck 0/0 for the seed and the 40-chapter book', { timeout: 300_000 }, async () => {
    const results = await Promise.all([
      checkEpub(epubs.seed.file, 'seed.epub'),
      checkEpub(epubs.long.file, 'long.epub'),
    ]);
    for (const result of results) {
      expect(result.diagnostics).toEqual([]);
      expect(result.status).toBe('passed');
    }
  });

  it('passes Ace with no violations for the seed and a book made like the 40-chapter one', {
    timeout: 300_000,
  }, async () => {
    for (const name of ['seed', 'short'] as const) {
      const result = await runAce(epubs[name].file, `${name}.epub`, browser);
      expect(result.diagnostics).toEqual([]);
      expect(result.status).toBe('passed');
    }
  });
});

describe('colours in the reading system', () => {
  it('keep 4.5:1 for every text colour, by day and in a night theme', { timeout: 300_000 }, async () => {
    const dir = unpack(epubs.long);
    const files = epubs.long.entries
      .map((candidate) => candidate.name)
      .filter((name) => name.endsWith('.xhtml'));
    expect(files.length).toBeGreaterThan(40);
    const colours = new Set<string>();
    const pages = files.flatMap((file) =>
      (
        [
          ['light', undefined],
          ['dark', NIGHT_THEME],
        ] as const
      ).map(([scheme, css]) => ({ file, scheme, css })),
    );
    // A few pages at once in the one browser: each waits mostly on Chromium, one at a time took 30 s.
    const measure = async () => {
      for (let next = pages.shift(); next; next = pages.shift()) {
        const { file, scheme, css } = next;
        const contrasts = await textContrasts(browser, pathToFileURL(path.join(dir, file)).href, scheme, css);
        const poor = contrasts.filter((entry) => entry.ratio < 4.5);
        expect(poor, `${file} (${scheme})`).toEqual([]);
        if (scheme === 'dark') for (const { colour } of contrasts) colours.add(colour);
      }
    };
    await Promise.all(Array.from({ length: 4 }, measure));
    // The night theme's text colour and the book's own light accent were both measured.
    expect(colours.size).toBeGreaterThan(1);
    expect(colours).toContain('rgb(224, 224, 224)');
  });

  it('take screenshots of a chapter by night and by day', { timeout: 240_000 }, async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const dir = unpack(epubs.seed);
    const chapter = epubs.seed.entries.find((candidate) => /\/\d+-[^/]+\.xhtml$/.test(candidate.name));
    expect(chapter).toBeTruthy();
    for (const [scheme, css] of [
      ['light', undefined],
      ['dark', NIGHT_THEME],
    ] as const) {
      const page = await browser.newPage();
      try {
        await page.setViewport({ width: 390, height: 844 });
        await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
        await page.goto(pathToFileURL(path.join(dir, chapter?.name ?? '')).href);
        if (css) await page.addStyleTag({ content: css });
        await page.evaluate(() => document.fonts.ready);
        // The first questions and a pull-quote: the accent, the rules and the text side by side.
        await page.evaluate(() => document.querySelector('.qna')?.scrollIntoView());
        await page.screenshot({
          path: path.join(SCREENSHOTS, `seed-chapter-390x844-${scheme}.png`),
        });
      } finally {
        await page.close();
      }
    }
  });
});
