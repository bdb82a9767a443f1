/**
 * The web book carries the print edition's page anchors, as the EPUB does: one `imprint build` of PDF, EPUB and
 * HTML, and every chapter page of the web book has the same markers (ids, labels, order) before the same text
 * as the EPUB's chapter, with the ARIA role and without the EPUB's vocabulary; in Chromium they take no room.
 * Without a print layout (an HTML-only build, nothing cached) the pages carry none.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/index.ts';
import { launchBrowser } from '../src/platform/browser/launch-browser.ts';
import { type GeneratedBook, generateBook } from './support/generate-book.ts';
import { squeeze } from './support/pdf-tools.ts';
import { readZip } from './support/read-zip.ts';

interface Marker {
  id: string;
  label: string;
  /** The squeezed text that follows the marker. */
  after: string;
}

const MARKER = /<span\b([^>]*\brole="doc-pagebreak"[^>]*)>/g;

/** The page-break markers of one document, in order, with the words after each. */
function markers(html: string): Marker[] {
  return [...html.matchAll(MARKER)].map((match) => {
    const attributes = match[1];
    const rest = html.slice((match.index ?? 0) + match[0].length, (match.index ?? 0) + 1500);
    return {
      id: /\bid="([^"]+)"/.exec(attributes)?.[1] ?? '',
      label: /\baria-label="([^"]+)"/.exec(attributes)?.[1] ?? '',
      after: squeeze(rest.replace(/<[^>]+>/g, ' ')).slice(0, 60),
    };
  });
}

let book: GeneratedBook;
let root: string;
let webDir: string;
let epubChapters: string[];
let browser: Browser;
const savedCache = process.env.IMPRINT_PAGE_LIST_CACHE;

beforeAll(async () => {
  // Only the PDF of the same run may give the page-list here, never one cached by another test.
  process.env.IMPRINT_PAGE_LIST_CACHE = '0';
  root = mkdtempSync(path.join(os.tmpdir(), 'imprint-page-anchors-'));
  book = generateBook(path.join(root, 'manuscript'), {
    chapters: 3,
    sectionsPerChapter: 2,
    turnsPerSection: 3,
    withFootnotes: true,
  });
  const out = path.join(root, 'dist');
  const result = await build({
    manuscript: book.dir,
    out,
    formats: ['pdf', 'epub', 'html'],
    cache: false,
    buildDate: new Date(0),
  });
  expect(result.ok, JSON.stringify(result.diagnostics)).toBe(true);
  const epub = result.written.find((file) => file.path.endsWith('.epub'));
  const html = result.written.find((file) => file.path.endsWith('index.html'));
  if (!epub || !html) throw new Error('The build wrote no EPUB or no HTML edition.');
  webDir = path.dirname(html.path);
  epubChapters = readZip(new Uint8Array(readFileSync(epub.path)))
    .filter((entry) => /^OEBPS\/\d+-.*\.xhtml$/.test(entry.name))
    .sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }))
    .map((entry) => new TextDecoder().decode(entry.data));
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  if (savedCache === undefined) delete process.env.IMPRINT_PAGE_LIST_CACHE;
  else process.env.IMPRINT_PAGE_LIST_CACHE = savedCache;
});

/** The web book's chapter pages in reading order (index.html's contents order is the chapter order). */
function webChapters(): string[] {
  const files = readdirSync(webDir).filter((file) => file.endsWith('.html') && file !== 'index.html');
  expect(files).toHaveLength(3);
  const index = readFileSync(path.join(webDir, 'index.html'), 'utf8');
  return files
    .sort((a, b) => index.indexOf(`href="${a}"`) - index.indexOf(`href="${b}"`))
    .map((file) => readFileSync(path.join(webDir, file), 'utf8'));
}

describe('page anchors in the web book', () => {
  it('are the EPUB page-break markers: same ids, labels and order, before the same text', () => {
    const web = webChapters();
    const epub = epubChapters.filter((xhtml) => xhtml.includes('epub:type="pagebreak"'));
    expect(epub).toHaveLength(3);
    let total = 0;
    for (const [chapter, xhtml] of epub.entries()) {
      const expected = markers(xhtml);
      const found = markers(web[chapter]);
      expect(expected.length, `chapter ${chapter + 1} has print pages`).toBeGreaterThan(1);
      expect(found, `chapter ${chapter + 1}`).toEqual(expected);
      total += found.length;
    }
    // Folios run on through the book: every page from the first chapter page to the last has its marker once.
    const folios = web.flatMap((html) => markers(html).map((marker) => Number(marker.label)));
    expect(folios).toEqual([...folios].sort((a, b) => a - b));
    expect(new Set(folios).size).toBe(total);
  });

  it('carry the ARIA role without the EPUB vocabulary, and take no room on the page', async () => {
    const [first] = webChapters();
    expect(first).toMatch(/<span role="doc-pagebreak" id="page-\d+" aria-label="\d+"><\/span>/);
    expect(first).not.toContain('epub:type');
    const files = readdirSync(webDir).filter((file) => file.endsWith('.html') && file !== 'index.html');
    const page = await browser.newPage();
    try {
      await page.setViewport({ width: 1280, height: 800 });
      await page.goto(pathToFileURL(path.join(webDir, files[0])).href);
      const boxes = await page.$$eval('[role="doc-pagebreak"]', (spans) =>
        spans.map((span) => {
          const box = span.getBoundingClientRect();
          return { width: box.width, height: box.height, text: span.textContent };
        }),
      );
      expect(boxes.length).toBeGreaterThan(1);
      for (const box of boxes) expect(box).toEqual({ width: 0, height: 0, text: '' });
    } finally {
      await page.close();
    }
  });

  it('are left out when no print layout exists for the content', async () => {
    const out = path.join(root, 'html-only');
    const result = await build({ manuscript: book.dir, out, formats: ['html'], cache: false });
    expect(result.ok).toBe(true);
    const dir = path.dirname(result.written[0].path);
    const pages = readdirSync(dir).filter((file) => file.endsWith('.html'));
    expect(pages.length).toBe(4);
    for (const file of pages)
      expect(readFileSync(path.join(dir, file), 'utf8')).not.toContain('doc-pagebreak');
  }, 240_000);
});
