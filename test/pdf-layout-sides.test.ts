/**
 * Which side of the spread each thing lands on, read back from the finished PDF with `pdftotext -bbox`: the
 * same two-chapter book set left to right (lang: en) and right to left (lang: ar). In a right-to-left book the
 * first page is a left-hand page, so every margin, folio, contents number and indent is mirrored; and numeric
 * table columns have tabular figures while cells of prose keep proportional ones.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBookLoader } from '../src/book/load-book.ts';
import type { Diagnostic } from '../src/diagnostics/diagnostic.ts';
import type { OutputContext } from '../src/outputs/output.ts';
import { pdfOutput } from '../src/outputs/pdf.ts';
import { renderPrintCover } from '../src/outputs/press/cover.ts';
import { coverLayout } from '../src/outputs/press/geometry.ts';
import { launchBrowser } from '../src/platform/browser/launch-browser.ts';
import { postscriptNameOf } from '../src/templates/font-coverage.ts';
import { type PdfWord, pdfCatalog, pdfFonts, pdfInfo, pdfPageLabels, pdfWords } from './support/pdf-tools.ts';
import { tempManuscript } from './support/temp-manuscript.ts';

// The default print settings: 6 × 9 in, inner 0.8 in, outer 0.6 in, top 0.7 in, bottom 0.85 in (points).
const WIDTH = 432;
const HEIGHT = 648;
const INNER = 57.6;
const OUTER = 43.2;
const TOP = 50.4;
const BOTTOM = 61.2;
/** pdftotext's boxes are glyph boxes: a letter's side bearing keeps it a little inside the edge. */
const SLACK = 2;

const TEXT = {
  en: {
    title: 'A Book of Nights',
    chapters: ['The First Night', 'The Second Night'],
    paragraph:
      'Once upon a time there was a great king who ruled a large city on the shore of the sea, and he had a wise minister whom he consulted on every matter of the kingdom. One day the king sat in his palace watching the ships that came from distant lands, and he asked his minister about the merchants and the travellers.',
    quote:
      '2024: Sage said: whoever is patient wins, whoever strives finds, and whoever sows reaps; an old saying.',
  },
  ar: {
    title: 'ألف ليلة وليلة',
    chapters: ['الليلة الأولى', 'الليلة الثانية'],
    paragraph:
      'كان يا ما كان في قديم الزمان ملك عظيم يحكم مدينة كبيرة على شاطئ البحر، وكان له وزير حكيم يستشيره في كل أمر من أمور المملكة. وفي يوم من الأيام جلس الملك في قصره ينظر إلى السفن القادمة من بلاد بعيدة، فسأل وزيره عن أخبار التجار والمسافرين.',
    quote: '2024 الحكيم قال: من صبر ظفر، ومن جد وجد، ومن زرع حصد. وهذه حكمة قديمة يرويها الناس جيلا بعد جيل.',
  },
};

const TABLE = `| Fleet | Year | Tons |
| --- | --- | ---: |
| 1111 ships in port | 1111 | 1111 |
| 8888 ships at sea | 8888 | 8888 |
`;

function manuscript(lang: 'en' | 'ar'): string {
  const text = TEXT[lang];
  const chapter = (title: string) =>
    [
      `# ${title}`,
      ...Array(6).fill(text.paragraph),
      `> ${text.quote}`,
      ...Array(16).fill(text.paragraph),
      TABLE,
    ].join('\n\n');
  return tempManuscript({
    'book.yaml': `title: ${text.title}\nlang: ${lang}\nauthor: Anon\n`,
    '01-first.md': chapter(text.chapters[0]),
    '02-second.md': chapter(text.chapters[1]),
  });
}

interface Built {
  file: string;
  /** The press cover sheet for a 200-page interior. */
  cover: string;
  /** PostScript names of the theme's font files the book uses. */
  fonts: Set<string>;
  /** Left and right edges of the cover's spine (points). */
  spine: [number, number];
  words: PdfWord[];
  labels: string[];
  diagnostics: Diagnostic[];
}

let browser: Browser;
let work: string;
const built = new Map<string, Built>();

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'imprint-sides-'));
  browser = await launchBrowser();
  for (const lang of ['en', 'ar'] as const) {
    const book = createBookLoader()(manuscript(lang));
    const diagnostics = [...book.diagnostics];
    const context: OutputContext = {
      outDir: path.join(work, lang),
      browser: async () => browser,
      report: (diagnostic) => diagnostics.push(diagnostic),
      buildDate: new Date(Date.UTC(2024, 0, 1)),
    };
    await pdfOutput.build(book, context);
    const file = path.join(work, lang, `${book.slug}.pdf`);
    const coverWork = path.join(work, lang, 'cover-work');
    mkdirSync(coverWork);
    const cover = path.join(work, lang, 'cover.pdf');
    writeFileSync(cover, await renderPrintCover(book, browser, 200, coverWork));
    const fonts = new Set(book.theme.fonts.map((font) => postscriptNameOf(font.source)));
    const layout = coverLayout(book.meta.print, 200);
    const spine: [number, number] = [layout.spineX, layout.spineX + layout.spine];
    built.set(lang, {
      file,
      cover,
      fonts,
      spine,
      words: pdfWords(file),
      labels: pdfPageLabels(file),
      diagnostics,
    });
  }
}, 240_000);

afterAll(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

const near = (value: number, expected: number) => Math.abs(value - expected) <= SLACK;

/** Inked pixels (darker than light grey) in a box of a page (points, from the top left), rendered at 288 dpi. */
function darkPixels(file: string, page: number, box: number[]): number {
  const [x, y, width, height] = box.map((points) => Math.round(points * 4));
  const crop = ['-x', x, '-y', y, '-W', width, '-H', height].map(String);
  const pgm = execFileSync('pdftoppm', [
    '-gray',
    '-r',
    '288',
    '-f',
    String(page),
    '-l',
    String(page),
    ...crop,
    file,
  ]);
  // Binary PGM: "P5", width, height, maximum value, then one byte per pixel.
  const header = /^P5\s+(\d+)\s+(\d+)\s+\d+\s/.exec(pgm.toString('latin1', 0, 40));
  if (!header) throw new Error('pdftoppm wrote no PGM');
  return pgm.subarray(header[0].length).filter((value) => value < 160).length;
}

describe.each(['en', 'ar'] as const)('the %s book', (lang) => {
  const rtl = lang === 'ar';
  /** Page n (1-based) is a recto when odd; a right-to-left book's rectos are its left-hand pages. */
  const rightHand = (page: number) => (page % 2 === 1) !== rtl;
  const textLeft = (page: number) => (rightHand(page) ? INNER : OUTER);
  const textRight = (page: number) => WIDTH - (rightHand(page) ? OUTER : INNER);

  it('is printed at the trim size without errors', () => {
    const { file, diagnostics } = built.get(lang) as Built;
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    // Arabic is not hyphenated: no warning about missing patterns.
    expect(diagnostics.filter((d) => d.code === 'hyphenation-language')).toEqual([]);
    expect(pdfInfo(file)['Page size']).toBe(`${WIDTH} x ${HEIGHT} pts`);
  });

  it('puts the inner margin on the spine side and the folio in the outer corner of every page', () => {
    const { words, labels } = built.get(lang) as Built;
    const sides = new Set<boolean>();
    labels.forEach((label, index) => {
      const page = index + 1;
      const folio = words.find((word) => word.page === page && word.yMax < TOP && word.text === label);
      if (!folio || !/^\d+$/.test(label)) return;
      sides.add(rightHand(page));
      if (rightHand(page))
        expect(folio.xMax, `folio of page ${page}`).toSatisfy((x: number) => near(x, textRight(page)));
      else expect(folio.xMin, `folio of page ${page}`).toSatisfy((x: number) => near(x, textLeft(page)));
      const body = words.filter(
        (word) => word.page === page && word.yMin > TOP && word.yMax < HEIGHT - BOTTOM,
      );
      const left = Math.min(...body.map((word) => word.xMin));
      const right = Math.max(...body.map((word) => word.xMax));
      expect(left, `text block of page ${page}`).toSatisfy((x: number) => near(x, textLeft(page)));
      expect(right, `text block of page ${page}`).toSatisfy((x: number) => near(x, textRight(page)));
    });
    expect([...sides].sort()).toEqual([false, true]);
  });

  it("sets the contents numbers flush with the entries' end", () => {
    const { words, labels } = built.get(lang) as Built;
    const page = labels.indexOf('iii') + 1;
    const numbers = words.filter((word) => word.page === page && word.yMin > TOP && /^\d+$/.test(word.text));
    expect(numbers.map((word) => word.text)).toEqual(expect.arrayContaining(['1']));
    for (const number of numbers) {
      if (rtl) expect(number.xMin).toSatisfy((x: number) => near(x, textLeft(page)));
      else expect(number.xMax).toSatisfy((x: number) => near(x, textRight(page)));
    }
  });

  it('indents a block quotation from the side the lines start on', () => {
    const { words } = built.get(lang) as Built;
    // The quotation starts with a number, which poppler reads the same in either direction.
    const marker = words.find((word) => /^2024:?$/.test(word.text));
    expect(marker).toBeDefined();
    const { page, yMin } = marker as PdfWord;
    const line = words.filter((word) => word.page === page && Math.abs(word.yMin - yMin) < 2);
    // 1.2em of the quotation's 9.5 pt.
    const indent = 1.2 * 9.5;
    if (rtl)
      expect(Math.max(...line.map((word) => word.xMax))).toSatisfy((x: number) =>
        near(x, textRight(page) - indent),
      );
    else
      expect(Math.min(...line.map((word) => word.xMin))).toSatisfy((x: number) =>
        near(x, textLeft(page) + indent),
      );
  });

  it('draws the running heads in ink, in the script of the book', () => {
    const { file, words, labels } = built.get(lang) as Built;
    const heads = words.filter((word) => word.yMax < TOP && word.text !== labels[word.page - 1]);
    expect(heads.length).toBeGreaterThan(2);
    // Arabic heads are drawn in Amiri, whose subset pdf-lib once wrote with glyphs that drew nothing.
    if (rtl) expect(heads.some((word) => /\p{Script=Arabic}/u.test(word.text))).toBe(true);
    for (const head of heads.slice(0, 3)) {
      const box = [head.xMin, head.yMin, head.xMax - head.xMin, head.yMax - head.yMin];
      expect(darkPixels(file, head.page, box), `head "${head.text}" on page ${head.page}`).toBeGreaterThan(
        10,
      );
    }
  });

  it('has a cover sheet in theme fonts with the front panel on the side the book opens from', () => {
    const { cover, fonts, spine } = built.get(lang) as Built;
    for (const font of pdfFonts(cover)) {
      expect(font.type).not.toBe('Type 3');
      expect(fonts).toContain(font.name.replace(/^[A-Z]{6}\+/, ''));
    }
    const title = TEXT[lang].title.split(' ');
    // pdftotext may reverse an Arabic word's letters: any word of the title, either way round, off the spine
    // (which carries the title too).
    const titleWords = pdfWords(cover).filter(
      (word) =>
        (word.xMax < spine[0] || word.xMin > spine[1]) &&
        title.some((part) => word.text === part || word.text === [...part].reverse().join('')),
    );
    expect(titleWords.length).toBeGreaterThan(0);
    for (const word of titleWords) {
      if (rtl) expect(word.xMax).toBeLessThan(spine[0]);
      else expect(word.xMin).toBeGreaterThan(spine[1]);
    }
  });

  it('tells PDF viewers which way the spreads run', () => {
    const catalog = pdfCatalog((built.get(lang) as Built).file);
    if (rtl) expect(catalog).toMatch(/\/Direction \/R2L/);
    else expect(catalog).not.toMatch(/\/Direction/);
  });
});

describe('figures in tables', () => {
  it('are tabular in numeric columns and proportional in cells of prose', () => {
    const { words } = built.get('en') as Built;
    const width = (word: PdfWord) => word.xMax - word.xMin;
    // Per row: the prose cell's number, the all-numeric cell, the right-aligned cell (left to right).
    const cells = (text: string) => {
      const first = words.find((word) => word.text === text) as PdfWord;
      return words
        .filter(
          (word) => word.page === first.page && Math.abs(word.yMin - first.yMin) < 1 && word.text === text,
        )
        .sort((a, b) => a.xMin - b.xMin);
    };
    const ones = cells('1111');
    const eights = cells('8888');
    expect(ones).toHaveLength(3);
    expect(eights).toHaveLength(3);
    // Source Sans 3: 1 and 8 differ by about a third of their width in proportional figures.
    expect(width(eights[0]) - width(ones[0])).toBeGreaterThan(2);
    expect(width(eights[1])).toBeCloseTo(width(ones[1]), 0);
    expect(width(eights[2])).toBeCloseTo(width(ones[2]), 0);
  });
});
