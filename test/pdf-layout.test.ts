/** The pure parts of the print layout: page sizes from book.yaml and the second pass's plan. */
import { describe, expect, it } from 'vitest';
import { cssPixels, cssString, parsePageSize } from '../src/outputs/pdf/page-geometry.ts';
import { EMPTY_LAYOUT, planPages, sameLayout } from '../src/outputs/pdf/pagination.ts';
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

describe('planPages', () => {
  const chapter = (id: string, ...pages: number[]) => ({
    id,
    headings: pages.map((page, index) => ({ id: `${id}--${index}`, page })),
  });

  it('puts a blank page before every chapter that would open on a verso, and moves what follows', () => {
    // Title 1, copyright 2, contents 3: chapter a opens on 4 (a verso), b on 8, c on 11.
    const plan = planPages([chapter('a', 4, 6), chapter('b', 8, 10), chapter('c', 11)], EMPTY_LAYOUT, true);
    expect(plan.blankBefore).toEqual(['a', 'c']);
    expect(plan.pages).toEqual({ 'a--0': 5, 'a--1': 7, 'b--0': 9, 'b--1': 11, 'c--0': 13 });
  });

  it('gives the same plan from a rendering that already has those blanks', () => {
    const first = planPages([chapter('a', 4, 6), chapter('b', 8, 10), chapter('c', 11)], EMPTY_LAYOUT, true);
    const second = planPages([chapter('a', 5, 7), chapter('b', 9, 11), chapter('c', 13)], first, true);
    expect(sameLayout(first, second)).toBe(true);
  });

  it('inserts nothing when chapters may open on either side', () => {
    const plan = planPages([chapter('a', 4), chapter('b', 9)], EMPTY_LAYOUT, false);
    expect(plan.blankBefore).toEqual([]);
    expect(plan.pages).toEqual({ 'a--0': 4, 'b--0': 9 });
  });
});
