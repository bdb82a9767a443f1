/** The pure parts of the print layout: page sizes from book.yaml and the finished book's page plan. */
import { describe, expect, it } from 'vitest';
import { cssPixels, cssString, parsePageSize } from '../src/outputs/pdf/page-geometry.ts';
import { planBook, romanNumeral } from '../src/outputs/pdf/page-plan.ts';
import { shorten } from '../src/outputs/pdf/print-document.ts';

describe('parsePageSize', () => {
  it('reads two lengths, one, a name, and an orientation', () => {
    expect(parsePageSize('6in 9in')).toEqual({ width: '6in', height: '9in' });
    expect(parsePageSize('148mm 210mm')).toEqual({ width: '148mm', height: '210mm' });
    expect(parsePageSize('5.5in')).toEqual({ width: '5.5in', height: '5.5in' });
    expect(parsePageSize('A5')).toEqual({ width: '148mm', height: '210mm' });
    expect(parsePageSize('letter landscape')).toEqual({ width: '11in', height: '8.5in' });
  });

  it('refuses what is not a size', () => {
    expect(parsePageSize('6 9')).toBeUndefined();
    expect(parsePageSize('A9')).toBeUndefined();
    expect(parsePageSize('')).toBeUndefined();
  });
});

describe('page geometry helpers', () => {
  it('converts CSS lengths to pixels at 96 to the inch', () => {
    expect(cssPixels('1in')).toBe(96);
    expect(cssPixels('72pt')).toBe(96);
    expect(cssPixels('25.4mm')).toBeCloseTo(96);
  });

  it('quotes running-head text for CSS', () => {
    expect(cssString('A "quoted" \\ title\nnext')).toBe('"A \\"quoted\\" \\\\ title next"');
  });

  it('shortens long titles at a word boundary', () => {
    expect(shorten('Short title', 60)).toBe('Short title');
    const long = shorten(
      'Counter-terrorism could bring Russia and Europe together, and much more besides',
      40,
    );
    expect(long).toBe('Counter-terrorism could bring Russia…');
    expect(long.length).toBeLessThanOrEqual(40);
  });
});

describe('planBook', () => {
  const kinds = (pages: ReturnType<typeof planBook>) =>
    pages.map((page) => `${page.source ?? '-'}:${page.kind}:${page.folio}:${page.recto ? 'r' : 'v'}`);

  it('numbers the front matter in roman, evens it out with a blank, and opens chapters on rectos', () => {
    // Title 0, copyright 1, contents 2; chapter a on 3–5 (3 pages), b on 6–7, c on 8.
    const plan = planBook({ pageCount: 9, chapterStarts: [3, 6, 8], tocStart: 2, recto: true });
    expect(kinds(plan)).toEqual([
      '0:front:i:r',
      '1:front:ii:v',
      '2:toc:iii:r',
      '-:blank:iv:v',
      '3:opening:1:r',
      '4:body:2:v',
      '5:body:3:r',
      '-:blank:4:v',
      '6:opening:5:r',
      '7:body:6:v',
      '8:opening:7:r',
    ]);
    expect(plan[7].chapter).toBe(1);
  });

  it('inserts no blank before chapters when they may open on either side', () => {
    const plan = planBook({ pageCount: 6, chapterStarts: [2, 3, 5], recto: false });
    expect(plan.filter((page) => page.kind === 'blank')).toEqual([]);
    expect(plan.map((page) => page.folio)).toEqual(['i', 'ii', '1', '2', '3', '4']);
    expect(plan.map((page) => page.recto)).toEqual([true, false, true, false, true, false]);
  });

  it('writes roman numerals', () => {
    expect([1, 4, 9, 14, 40, 1999].map(romanNumeral)).toEqual(['i', 'iv', 'ix', 'xiv', 'xl', 'mcmxcix']);
  });
});
