/**
 * One fixture book per script (test/fixtures/scripts/<script>) built into all three editions with one
 * browser: the PDF holds only the theme's fonts and no Type 3 font, the text layer has the words, and the
 * EPUB and the HTML edition carry exactly the font files the text needs.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBookLoader } from '../src/book/load-book.ts';
import type { Book } from '../src/book/types.ts';
import { checkPdf } from '../src/check/editions/pdf.ts';
import type { Diagnostic } from '../src/diagnostics/diagnostic.ts';
import { OUTPUTS } from '../src/outputs/index.ts';
import type { OutputContext } from '../src/outputs/output.ts';
import { launchBrowser } from '../src/platform/browser/launch-browser.ts';
import { postscriptNameOf } from '../src/templates/font-coverage.ts';
import { pdfFonts, pdfjsText, pdfText } from './support/pdf-tools.ts';
import { readZip } from './support/read-zip.ts';
import { tempManuscript } from './support/temp-manuscript.ts';

const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'scripts');
const SCRIPTS = readdirSync(FIXTURES);

let browser: Browser;
let work: string;

interface Built {
  book: Book;
  dir: string;
  diagnostics: Diagnostic[];
}

async function buildAll(manuscript: string, name: string): Promise<Built> {
  const book = createBookLoader()(manuscript);
  const diagnostics = [...book.diagnostics];
  const dir = path.join(work, name);
  const context: OutputContext = {
    outDir: dir,
    browser: async () => browser,
    report: (diagnostic) => diagnostics.push(diagnostic),
    buildDate: new Date(Date.UTC(2024, 0, 1)),
  };
  for (const output of OUTPUTS) await output.build(book, context);
  return { book, dir, diagnostics };
}

const built = new Map<string, Built>();

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'imprint-scripts-'));
  browser = await launchBrowser();
  for (const script of SCRIPTS) built.set(script, await buildAll(path.join(FIXTURES, script), script));
}, 300_000);

afterAll(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

describe.each(SCRIPTS)('the %s fixture book', (script) => {
  it('has a glyph for every character', () => {
    const { diagnostics } = built.get(script) as Built;
    expect(diagnostics.filter((d) => d.code === 'glyph-missing' || d.code === 'font-load')).toEqual([]);
  });

  it('prints with the theme fonts only, none of them Type 3', async () => {
    const { book, dir } = built.get(script) as Built;
    const pdf = path.join(dir, `${book.slug}.pdf`);
    const names = new Set(book.theme.fonts.map((font) => postscriptNameOf(font.source)));
    const fonts = pdfFonts(pdf);
    expect(fonts.length).toBeGreaterThan(0);
    for (const font of fonts) {
      expect(font.type).not.toBe('Type 3');
      expect(names).toContain(font.name.replace(/^[A-Z]{6}\+/, ''));
    }
    // One name, one font program: a printer's RIP takes two subsets named alike for one.
    expect(new Set(fonts.map((font) => font.name)).size).toBe(fonts.length);
    const check = await checkPdf(pdf, 'book.pdf', names);
    expect(check.diagnostics.filter((d) => d.code.startsWith('pdf-'))).toEqual([]);
  });

  it('has the words of the manuscript in the PDF text layer', () => {
    const { book, dir } = built.get(script) as Built;
    // pdftotext wraps right-to-left runs in embedding marks and lists them in visual order: compare words.
    const text = pdfText(path.join(dir, `${book.slug}.pdf`))
      .normalize('NFC')
      .replace(/[\u202a-\u202e]/g, '');
    const heading = readFileSync(path.join(FIXTURES, script, '01-chapter.md'), 'utf8')
      .split('\n')[0]
      .replace(/^# /, '');
    for (const word of heading.normalize('NFC').split(' ')) expect(text).toContain(word);
    // Letters, not the shapes a font drew them in: no Arabic presentation forms.
    expect(text).not.toMatch(/[\ufb50-\ufdff\ufe70-\ufefe]/u);
  });

  it('packs exactly the font files the text needs into the EPUB and beside the HTML', () => {
    const { book, dir } = built.get(script) as Built;
    const entries = readZip(readFileSync(path.join(dir, `${book.slug}.epub`)));
    const packed = entries.filter((entry) => entry.name.includes('/fonts/') && entry.name.endsWith('.woff2'));
    const wanted = [...new Set(book.theme.fonts.map((font) => path.basename(font.source)))].sort();
    expect(packed.map((entry) => path.basename(entry.name)).sort()).toEqual(wanted);
    expect(readdirSync(path.join(dir, book.slug, 'fonts')).sort()).toEqual(wanted);
    expect(wanted.length).toBeLessThan(book.theme.fontFaces.length / 4);
  });
});

describe('scripts', () => {
  it('sets right-to-left books right to left in every edition', () => {
    for (const script of ['arabic', 'hebrew']) {
      const { book, dir } = built.get(script) as Built;
      const entries = readZip(readFileSync(path.join(dir, `${book.slug}.epub`)));
      const opf = entries.find((entry) => entry.name.endsWith('.opf'))?.data.toString('utf8') ?? '';
      expect(opf).toContain('page-progression-direction="rtl"');
      const chapter = entries.find((entry) => entry.name.endsWith('01-chapter.xhtml'))?.data.toString('utf8');
      expect(chapter).toMatch(/<html[^>]* dir="rtl"/);
      expect(readFileSync(path.join(dir, book.slug, 'index.html'), 'utf8')).toMatch(/<html[^>]* dir="rtl"/);
    }
    const { book, dir } = built.get('cyrillic') as Built;
    const entries = readZip(readFileSync(path.join(dir, `${book.slug}.epub`)));
    expect(entries.find((entry) => entry.name.endsWith('.opf'))?.data.toString('utf8')).not.toContain(
      'page-progression-direction',
    );
  });

  // Every Arabic word of the chapter, whole and in logical order, as pdf.js reads it. poppler re-sorts the
  // letters of a right-to-left word by position, so it reverses the pairs Amiri stacks (مج، نج، تح): it is
  // held to the heading above.
  it('has every Arabic word of the chapter whole in the PDF text layer', async () => {
    const { book, dir } = built.get('arabic') as Built;
    const text = (await pdfjsText(path.join(dir, `${book.slug}.pdf`))).normalize('NFC');
    const printed = new Set(text.split(/[^\p{L}\p{M}]+/u));
    const source = readFileSync(path.join(FIXTURES, 'arabic', '01-chapter.md'), 'utf8').normalize('NFC');
    const words = source.match(/[\u0621-\u064a]+/g) ?? [];
    expect(words.length).toBeGreaterThan(20);
    expect(words.filter((word) => !printed.has(word))).toEqual([]);
    expect(text).not.toMatch(/[\ufb50-\ufdff\ufe70-\ufefe]/u);
  });

  it('sets Japanese Han characters in the Japanese face', () => {
    const { book, dir } = built.get('cjk') as Built;
    const fonts = pdfFonts(path.join(dir, `${book.slug}.pdf`)).map((font) => font.name);
    expect(fonts.some((name) => name.includes('NotoSerifJP'))).toBe(true);
    expect(fonts.some((name) => name.includes('NotoSerifKR'))).toBe(true);
  });

  it('prints emoji in monochrome Noto Emoji and box drawing in the code face', () => {
    const { book, dir } = built.get('emoji') as Built;
    const fonts = pdfFonts(path.join(dir, `${book.slug}.pdf`)).map((font) => font.name);
    expect(fonts.some((name) => name.includes('NotoEmoji'))).toBe(true);
    expect(fonts.some((name) => name.includes('DejaVuSansMono'))).toBe(true);
  });

  // fontkit shapes Devanagari (and other syllable-based scripts) with compiled generators that need a global
  // regeneratorRuntime: the chapter's running head on its rectos failed the whole PDF before.
  it('draws a Devanagari chapter title as the running head of its rectos', async () => {
    const paragraph = 'यह एक **नमूना** पाठ है। हिन्दी में *देवनागरी* लिपि। क्षत्रिय, श्री, द्व। यह एक नमूना पाठ है।\n\n';
    const manuscript = tempManuscript({
      'book.yaml': 'title: नमूना पुस्तक\nlang: hi\n',
      '01-chapter.md': `# पहला अध्याय\n\n${paragraph.repeat(120)}`,
    });
    const { book, dir, diagnostics } = await buildAll(manuscript, 'devanagari-heads');
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const pages = pdfText(path.join(dir, `${book.slug}.pdf`)).split('\f');
    expect(pages.length).toBeGreaterThan(5);
    // The heads are letter-spaced: poppler puts a space between their letters.
    const heads = pages.filter((page) => page.split('\n')[0]?.replace(/\s+/g, '') === 'पहलाअध्याय');
    expect(heads.length).toBeGreaterThan(0);
  }, 240_000);

  it('fails the PDF check on a system font standing in for a missing glyph', async () => {
    const manuscript = tempManuscript({
      'book.yaml': 'title: Georgian\nlang: en\n',
      '01-a.md': '# Georgian\n\nქართული ენა\n',
    });
    const { book, dir, diagnostics } = await buildAll(manuscript, 'georgian');
    expect(diagnostics.find((d) => d.code === 'glyph-missing')?.message).toContain('GEORGIAN LETTER');
    const names = new Set(book.theme.fonts.map((font) => postscriptNameOf(font.source)));
    const check = await checkPdf(path.join(dir, `${book.slug}.pdf`), 'book.pdf', names);
    expect(check.diagnostics.map((d) => d.code)).toContain('pdf-foreign-font');
    expect(check.status).toBe('failed');
  }, 240_000);
});
