/**
 * Native hyphenation: .hyb dictionaries written from the `hyphen` package's TeX patterns, loaded by
 * Chromium from the browser profile, and a PDF text layer with whole words and no soft hyphens.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBookLoader } from '../src/book/load-book.ts';
import { buildHybFile } from '../src/outputs/browser/hyb-file.ts';
import { chromiumDictionaryName } from '../src/outputs/browser/hyphenation-dictionaries.ts';
import { loadTexPatterns } from '../src/outputs/browser/tex-patterns.ts';
import { launchBrowser, provideHyphenation } from '../src/outputs/browser.ts';
import { pdfOutput } from '../src/outputs/pdf.ts';
import { hyphenateWithHyb } from './support/hyb-reader.ts';
import { pdfText } from './support/pdf-tools.ts';

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

  it('names dictionaries as Chromium asks for them', () => {
    expect(chromiumDictionaryName('en')).toBe('en-us');
    expect(chromiumDictionaryName('en-GB')).toBe('en-gb');
    expect(chromiumDictionaryName('de-CH')).toBe('de-1996');
    expect(chromiumDictionaryName('pt-BR')).toBe('pt');
    expect(chromiumDictionaryName('no')).toBe('nb');
  });
});

describe('Chromium with the dictionaries', () => {
  let browser: Browser;
  let work: string;
  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'imprint-hyphenation-test-'));
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('hyphenates every shipped language natively', async () => {
    expect(provideHyphenation(browser, Object.keys(SAMPLES))).toEqual([]);
    const page = await browser.newPage();
    try {
      const html = Object.entries(SAMPLES)
        .map(
          ([lang, word]) =>
            `<p lang="${lang}" style="width:70px;hyphens:auto;font:16px serif;overflow-wrap:normal">${word}</p>`,
        )
        .join('');
      await page.setContent(`<body>${html}</body>`);
      const lines = await page.$$eval('p', (paragraphs) =>
        paragraphs.map((p) => {
          const text = p.firstChild as Text;
          const parts: string[] = [];
          let top = Number.NaN;
          for (let i = 0; i < text.length; i++) {
            const range = document.createRange();
            range.setStart(text, i);
            range.setEnd(text, i + 1);
            const y = range.getBoundingClientRect().top;
            if (!(Math.abs(y - top) < 2)) parts.push('');
            top = y;
            parts[parts.length - 1] += text.data[i];
          }
          return parts;
        }),
      );
      Object.entries(SAMPLES).forEach(([lang, word], index) => {
        const parts = lines[index] as string[];
        expect(parts.length, `${lang}: ${parts.join('|')}`).toBeGreaterThan(1);
        // A word alone in a too-narrow box breaks one letter later than in running text (a Chromium
        // quirk of that path), so only the break itself is checked here; the PDF test checks positions.
        expect(parts.join('')).toBe(word);
      });
    } finally {
      await page.close();
    }
  }, 120_000);

  it('prints the seed with whole words: no soft hyphens, hyphens only at line ends', async () => {
    const book = createBookLoader()(path.join(root, 'manuscript'));
    const outDir = path.join(work, 'seed');
    await pdfOutput.build(book, {
      outDir,
      browser: async () => browser,
      report: () => {},
      buildDate: new Date(Date.UTC(2024, 4, 1)),
    });
    const text = pdfText(path.join(outDir, `${book.slug}.pdf`));
    expect(text).not.toContain('\u00AD');
    const manuscriptWords = new Set(
      readdirSync(path.join(root, 'manuscript'))
        .filter((file) => file.endsWith('.md') || file.endsWith('.yaml'))
        .flatMap((file) => readFileSync(path.join(root, 'manuscript', file), 'utf8').match(/\p{L}+/gu) ?? [])
        .map((word) => word.toLowerCase()),
    );
    // A hyphen that ends a line joins the word's halves; one inside a line is a real hyphen.
    const breaks = [...text.matchAll(/(\p{L}+)-\n(\p{L}+)/gu)];
    const joinedWords = breaks
      .map(([, a, b]) => `${a}${b}`.toLowerCase())
      .filter((word) => manuscriptWords.has(word));
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
