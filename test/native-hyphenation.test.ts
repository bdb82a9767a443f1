/**
 * Native hyphenation: .hyb dictionaries written from the `hyphen` package's TeX patterns, loaded by
 * Chromium from the browser profile, and a PDF text layer with whole words and no soft hyphens.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBookLoader } from '../src/book/load-book.ts';
import { cssPixels, parsePageSize } from '../src/outputs/pdf/page-geometry.ts';
import { renderPdf } from '../src/outputs/pdf/render-pdf.ts';
import { pdfOutput } from '../src/outputs/pdf.ts';
import { buildHybFile } from '../src/platform/browser/hyb-file.ts';
import {
  buildDictionariesAside,
  chromiumDictionaryName,
  dictionaryCacheDir,
  dictionaryFile,
  provideHyphenation,
  shippedDictionary,
  writeShippedDictionaries,
} from '../src/platform/browser/hyphenation-dictionaries.ts';
import { launchBrowser } from '../src/platform/browser/launch-browser.ts';
import { loadTexPatterns } from '../src/platform/browser/tex-patterns.ts';
import { generateBook } from './support/generate-book.ts';
import { hyphenateWithHyb } from './support/hyb-reader.ts';
import { pdfBodyText, pdfjsText, pdfText } from './support/pdf-tools.ts';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '..');

/** One long word per shipped language, and the break positions its patterns give. */
const SAMPLES: Record<string, string> = {
  en: 'extraordinarily',
  de: 'Donaudampfschifffahrtsgesellschaft',
  fr: 'anticonstitutionnellement',
  es: 'electroencefalografista',
  it: 'precipitevolissimevolmente',
  ru: 'достопримечательность',
  pl: 'konstantynopolitańczykowianeczka',
  sv: 'nationalencyklopedin',
};

function packageBreaks(patterns: string, word: string): number[] {
  const { hyphenateSync } = require(`hyphen/${patterns}`) as {
    hyphenateSync: (text: string, options: object) => string;
  };
  const breaks: number[] = [];
  let at = 0;
  for (const char of hyphenateSync(word, { hyphenChar: '|', minWordLength: 1 })) {
    if (char === '|') breaks.push(at);
    else at++;
  }
  return breaks;
}

describe('the .hyb writer', () => {
  it('writes the same breaks the patterns give', () => {
    for (const [name, word] of [
      ['en-us', 'hyphenation'],
      ['en-us', 'extraordinarily'],
      ['de-1996', 'donaudampfschifffahrtsgesellschaft'],
      ['ru', 'достопримечательность'],
      ['pl', 'konstantynopolitańczykowianeczka'],
    ] as const) {
      const hyb = buildHybFile(loadTexPatterns(name));
      expect(hyphenateWithHyb(hyb, word, 2, 2), `${name} ${word}`).toEqual(packageBreaks(name, word));
    }
  });

  it('reads exceptions as TeX means them (the package misplaces them)', () => {
    const set = loadTexPatterns('en-us');
    expect(set.exceptions.get('declination')).toEqual([3, 5, 7]);
    expect(set.exceptions.get('present')).toEqual([]);
  });

  it('reads only the shipped exceptions, not the words the package has hyphenated since', () => {
    const shipped = [...loadTexPatterns('en-us').exceptions.keys()];
    // The package keeps each word it hyphenates in its patterns module's exception list.
    packageBreaks('en-us', 'typesetting');
    const set = loadTexPatterns('en-us');
    expect(set.exceptions.has('typesetting')).toBe(false);
    expect([...set.exceptions.keys()]).toEqual(shipped);
  });

  it("builds missing dictionaries in a worker thread into the cache, byte for byte the writer's", async () => {
    const cache = mkdtempSync(path.join(tmpdir(), 'imprint-hyphen-cache-test-'));
    const before = process.env.IMPRINT_CACHE_DIR;
    process.env.IMPRINT_CACHE_DIR = cache;
    try {
      const file = (name: string) => path.join(dictionaryCacheDir(), `hyph-${name}.hyb`);
      await buildDictionariesAside(['en-us', 'ru', 'zh', 'xx-unknown']);
      // Only languages with patterns get a file, each made by the worker before the promise settled.
      expect(readdirSync(dictionaryCacheDir()).sort()).toEqual(['hyph-en-us.hyb', 'hyph-ru.hyb']);
      for (const name of ['en-us', 'ru']) {
        expect(new Uint8Array(readFileSync(file(name)))).toEqual(buildHybFile(loadTexPatterns(name)));
        expect(dictionaryFile(name)).toBe(file(name));
      }
    } finally {
      if (before === undefined) delete process.env.IMPRINT_CACHE_DIR;
      else process.env.IMPRINT_CACHE_DIR = before;
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('ships a dictionary per pattern file with the package, used only as stamped', {
    timeout: 120_000,
  }, () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'imprint-shipped-hyb-'));
    const other = mkdtempSync(path.join(tmpdir(), 'imprint-shipped-hyb-'));
    try {
      expect(writeShippedDictionaries(dir)).toBeGreaterThanOrEqual(Object.keys(SAMPLES).length);
      for (const name of ['en-us', 'de-1996', 'ru']) {
        expect(new Uint8Array(readFileSync(path.join(dir, `hyph-${name}.hyb`)))).toEqual(
          buildHybFile(loadTexPatterns(name)),
        );
        expect(shippedDictionary(name, dir)).toBe(path.join(dir, `hyph-${name}.hyb`));
      }
      // Built from another version of the patterns, or by another writer: not used.
      writeFileSync(path.join(other, 'hyph-en-us.hyb'), readFileSync(path.join(dir, 'hyph-en-us.hyb')));
      writeFileSync(path.join(other, 'stamp'), '0.0.1-r1\n');
      expect(shippedDictionary('en-us', other)).toBeUndefined();
      // The compiled package holds them (npm run compile, which `npm install` runs here), the same bytes.
      const compiled = path.join(root, 'lib', 'hyphen-data');
      expect(readFileSync(path.join(compiled, 'stamp'), 'utf8')).toBe(
        readFileSync(path.join(dir, 'stamp'), 'utf8'),
      );
      expect(readFileSync(path.join(compiled, 'hyph-en-us.hyb'))).toEqual(
        readFileSync(path.join(dir, 'hyph-en-us.hyb')),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('are taken from lib/hyphen-data by the compiled package, with nothing built or cached', async () => {
    const cache = mkdtempSync(path.join(tmpdir(), 'imprint-hyphen-cache-test-'));
    const before = process.env.IMPRINT_CACHE_DIR;
    process.env.IMPRINT_CACHE_DIR = cache;
    try {
      // lib/ is compiled by the test run's set-up (test/support/compiled-cli.ts).
      const compiled: typeof import('../src/platform/browser/hyphenation-dictionaries.ts') = await import(
        pathToFileURL(path.join(root, 'lib', 'platform', 'browser', 'hyphenation-dictionaries.js')).href
      );
      expect(compiled.dictionaryFile('en-us')).toBe(path.join(root, 'lib', 'hyphen-data', 'hyph-en-us.hyb'));
      // el is read from the `el-monoton` patterns.
      expect(compiled.dictionaryFile('el')).toBe(
        path.join(root, 'lib', 'hyphen-data', 'hyph-el-monoton.hyb'),
      );
      await compiled.buildDictionariesAside(['de-1996', 'ru']);
      expect(readdirSync(cache)).toEqual([]);
    } finally {
      if (before === undefined) delete process.env.IMPRINT_CACHE_DIR;
      else process.env.IMPRINT_CACHE_DIR = before;
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('names dictionaries as Chromium asks for them', () => {
    expect(chromiumDictionaryName('en')).toBe('en-us');
    expect(chromiumDictionaryName('en-GB')).toBe('en-gb');
    expect(chromiumDictionaryName('de-CH')).toBe('de-1996');
    expect(chromiumDictionaryName('pt-BR')).toBe('pt');
    expect(chromiumDictionaryName('no')).toBe('nb');
  });
});

describe('the soft-hyphen fallback', () => {
  it('leaves no soft hyphen in the text layer: used ones become hyphens, the rest go', {
    timeout: 180_000,
  }, async () => {
    // A browser launched online takes no dictionaries, so the print edition falls back to soft hyphens.
    const online = await launchBrowser({ offline: false });
    const work = mkdtempSync(path.join(tmpdir(), 'imprint-soft-hyphen-test-'));
    try {
      expect(provideHyphenation(online, ['en'])).toEqual(['en']);
      const book = createBookLoader()(path.join(root, 'manuscript'));
      const rendered = await renderPdf(book, online, {
        buildDate: new Date(0),
        workDir: work,
        keepHtml: true,
      });
      expect(rendered.finalHtml).not.toContain('\u00AD');
      const file = path.join(work, 'seed.pdf');
      writeFileSync(file, rendered.pdf as Uint8Array);
      const text = pdfText(file);
      expect(text).not.toContain('\u00AD');
      expect(text).toMatch(/\p{L}‐\n\p{L}/u);
    } finally {
      await online.close();
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('Chromium with the dictionaries', () => {
  let browser: Browser;
  let work: string;
  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'imprint-hyphenation-test-'));
    browser = await launchBrowser();
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('hyphenates every shipped language natively', async () => {
    expect(provideHyphenation(browser, Object.keys(SAMPLES))).toEqual([]);
    const page = await browser.newPage();
    try {
      // Each word in running text, at several widths, so its line breaks fall at different places.
      const html = Object.entries(SAMPLES)
        .flatMap(([lang, word]) =>
          [120, 150, 180, 210, 240, 270, 300].map(
            (width) =>
              `<p lang="${lang}" data-word="${word}" style="width:${width}px;hyphens:auto;font:16px serif">So ${word} und ${word}</p>`,
          ),
        )
        .join('');
      await page.setContent(`<body>${html}</body>`);
      // Where each word broke. A one-letter range just after a break reports its rect on the line before,
      // so the first letter seen on a new line is the second one after the break.
      const breaks = await page.$$eval('p', (paragraphs) =>
        paragraphs.map((p) => {
          const text = p.firstChild as Text;
          const found: number[] = [];
          let top = Number.NaN;
          for (let i = 0; i < text.length; i++) {
            const range = document.createRange();
            range.setStart(text, i);
            range.setEnd(text, i + 1);
            const rect = range.getBoundingClientRect();
            if (rect.width === 0) continue;
            if (rect.top > top + rect.height / 2) found.push(i - 1);
            top = rect.top;
          }
          return found;
        }),
      );
      Object.entries(SAMPLES).forEach(([lang, word], index) => {
        // Break positions inside either copy of the word ("So " is 3 letters, " und " 5).
        const inWord = breaks
          .slice(index * 7, index * 7 + 7)
          .flat()
          .map((at) => (at > 3 + word.length ? at - (3 + word.length + 5) : at - 3))
          .filter((at) => at > 0 && at < word.length);
        expect(inWord.length, `${lang} ${word}`).toBeGreaterThan(0);
        // Positions are checked on the printed PDFs below: letter rects here are blurred by ligatures.
      });
    } finally {
      await page.close();
    }
  }, 240_000);

  /** Builds the PDF of a manuscript folder; returns its file and the manuscript's words (lower case). */
  async function build(
    manuscript: string,
    name: string,
  ): Promise<{ file: string; words: Set<string>; text: string }> {
    const book = createBookLoader()(manuscript);
    const outDir = path.join(work, name);
    await pdfOutput.build(book, {
      outDir,
      browser: async () => browser,
      report: () => {},
      buildDate: new Date(Date.UTC(2024, 4, 1)),
    });
    const words = new Set(
      readdirSync(manuscript)
        .filter((file) => file.endsWith('.md') || file.endsWith('.yaml'))
        .flatMap((file) => readFileSync(path.join(manuscript, file), 'utf8').match(/\p{L}+/gu) ?? [])
        .map((word) => word.toLowerCase()),
    );
    const file = path.join(outDir, `${book.slug}.pdf`);
    const pt = (length: string) => cssPixels(length) * 0.75;
    const { top, bottom } = book.meta.print.margins;
    const pageHeight = pt(parsePageSize(book.meta.print.size)?.height ?? '9in');
    // The text block alone: the running heads and folios drawn in the margins would split words broken
    // across a page.
    const text = pdfBodyText(file, { top: pt(top), height: pageHeight - pt(top) - pt(bottom) });
    return { file, words, text };
  }

  /** Words split at a line end by a hyphen, rejoined, that are words of the manuscript. */
  function lineEndWords(text: string, words: Set<string>): string[] {
    return [...text.matchAll(/(\p{L}+)-\n(\p{L}+)/gu)]
      .map(([, a, b]) => `${a}${b}`.toLowerCase())
      .filter((word) => words.has(word));
  }

  for (const [lang, folder, patterns] of [
    ['German', 'de', 'de-1996'],
    ['Russian', 'ru', 'ru'],
    ['English', '../../../manuscript', 'en-us'],
  ] as const) {
    it(`hyphenates ${lang} natively, only where the patterns allow`, { timeout: 180_000 }, async () => {
      const { words, text } = await build(path.join(root, 'test/fixtures/languages', folder), patterns);
      expect(text).not.toContain('\u00AD');
      expect(lineEndWords(text, words).length).toBeGreaterThan(3);
      for (const [, before = '', after = ''] of text.matchAll(/(\p{L}+)-\n(\p{L}+)/gu)) {
        const word = `${before}${after}`;
        if (!words.has(word.toLowerCase())) continue; // a compound broken at its own hyphen
        expect(packageBreaks(patterns, word), `${before}-${after}`).toContain(before.length);
      }
    });
  }

  it('sets at most two hyphenated lines in a row, measured in the page and in the PDF', {
    timeout: 240_000,
  }, async () => {
    const manuscript = path.join(work, 'generated');
    generateBook(manuscript, { chapters: 6, sectionsPerChapter: 2, turnsPerSection: 4 });
    const book = createBookLoader()(manuscript);
    const rendered = await renderPdf(book, browser, {
      buildDate: new Date(0),
      workDir: mkdtempSync(path.join(work, 'lines-')),
      lineReport: true,
    });
    const lines = rendered.typography;
    expect(lines?.justifiedLines).toBeGreaterThan(300);
    expect(lines?.hyphenatedLines).toBeGreaterThan(20);
    expect(lines?.longestHyphenRun).toBeLessThanOrEqual(2);
    expect(lines?.looseLines).toBeGreaterThanOrEqual(0);
    const file = path.join(work, 'generated.pdf');
    writeFileSync(file, rendered.pdf as Uint8Array);
    let run = 0;
    let longest = 0;
    // The text block alone, so a run carried over a page break counts as one.
    const pt = (length: string) => cssPixels(length) * 0.75;
    const { top, bottom } = book.meta.print.margins;
    const band = { top: pt(top), height: pt('9in') - pt(top) - pt(bottom) };
    for (const line of pdfBodyText(file, band).split('\n')) {
      run = /\p{Ll}-$/u.test(line) ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    expect(longest).toBeLessThanOrEqual(2);
  });

  it('finds the same line ends without the word-by-word report, and prints the same lines', {
    timeout: 240_000,
  }, async () => {
    const manuscript = path.join(work, 'generated-ends');
    generateBook(manuscript, { chapters: 6, sectionsPerChapter: 2, turnsPerSection: 4 });
    const book = createBookLoader()(manuscript);
    const printed = [];
    for (const lineReport of [true, false]) {
      const rendered = await renderPdf(book, browser, {
        buildDate: new Date(0),
        workDir: mkdtempSync(path.join(work, 'ends-')),
        lineReport,
      });
      const file = path.join(work, `ends-${lineReport}.pdf`);
      writeFileSync(file, rendered.pdf as Uint8Array);
      printed.push({ lines: rendered.typography, text: pdfText(file) });
    }
    const [reported, built] = printed;
    if (!reported?.lines || !built) throw new Error('The book did not print twice.');
    const { looseLines, loose, ...ends } = reported.lines;
    expect(looseLines).toBeGreaterThan(0);
    expect(loose?.length).toBeGreaterThan(0);
    expect(ends.keptWhole).toBeGreaterThan(0);
    expect(built.lines?.looseLines).toBeUndefined();
    // The words kept whole, hence the lines, are the same: only the word spaces went unmeasured.
    expect(built.lines).toEqual(ends);
    expect(built.text).toBe(reported.text);
  });

  it('prints the seed with whole words: no soft hyphens, hyphens only at line ends', async () => {
    const { file, words: manuscriptWords, text } = await build(path.join(root, 'manuscript'), 'seed');
    expect(text).not.toContain('\u00AD');
    // pdf.js reads the same text layer: no soft hyphen in any item either, and whole words.
    const pdfjs = await pdfjsText(file);
    expect(pdfjs).not.toContain('\u00AD');
    expect(pdfjs).toContain('Brussels');
    // A hyphen that ends a line joins the word's halves; one inside a line is a real hyphen.
    const joinedWords = lineEndWords(text, manuscriptWords);
    // Chromium's hyphens at line ends (pdftotext shows them as "-") rejoin into manuscript words.
    expect(joinedWords.length).toBeGreaterThan(3);
    expect(joinedWords).toContain('borders');
    const joined = text.replace(/(\p{L}+)-\n(\p{L}+)/gu, (all, a: string, b: string) =>
      manuscriptWords.has(`${a}${b}`.toLowerCase()) ? `${a}${b}` : all,
    );
    const foreign = new Set<string>();
    for (const word of joined.match(/\p{L}+/gu) ?? []) {
      if (!manuscriptWords.has(word.toLowerCase())) foreign.add(word);
    }
    // The words Imprint adds itself (contents, copyright page) are few; fragments would be many.
    expect([...foreign].filter((word) => word.length > 3 && /^\p{Ll}/u.test(word))).toEqual([]);
  }, 180_000);
});
