/**
 * The measurements of the press files, in PostScript points (72 to the inch): trim, bleed, the press
 * interior's page (trim plus bleed on the outer, top and bottom edges), and the cover sheet, whose spine
 * grows with the page count and the paper's caliper.
 */
import type { PrintSettings } from '../../book/types.ts';
import { cssPixels, DEFAULT_PAGE_SIZE, parsePageSize } from '../pdf/page-geometry.ts';

export const POINTS_PER_INCH = 72;

/** Inches per page (one leaf is two pages) as KDP publishes them for its paperback papers. */
export const PAPER_CALIPER_IN: Record<'white' | 'cream', number> = { white: 0.002252, cream: 0.0025 };

/** KDP prints spine text on books of this many pages or more (a narrower spine has no room for it). */
export const SPINE_TEXT_MIN_PAGES = 79;

/** A CSS length in points. */
export function points(length: string): number {
  return (cssPixels(length) * POINTS_PER_INCH) / 96;
}

export interface Trim {
  width: number;
  height: number;
}

/** The trim size from `print.size`, in points. */
export function trimSize(print: PrintSettings): Trim {
  const size = parsePageSize(print.size) ?? DEFAULT_PAGE_SIZE;
  return { width: points(size.width), height: points(size.height) };
}

export function caliperInches(paper: PrintSettings['paper']): number {
  return typeof paper === 'number' ? paper : PAPER_CALIPER_IN[paper];
}

/** Spine width in points: page count × the paper's caliper. */
export function spineWidth(pageCount: number, paper: PrintSettings['paper']): number {
  return pageCount * caliperInches(paper) * POINTS_PER_INCH;
}

export interface CoverLayout {
  /** The whole sheet: bleed + back + spine + front + bleed wide, bleed + trim height + bleed high. */
  width: number;
  height: number;
  bleed: number;
  trim: Trim;
  spine: number;
  /** Left edges of the back panel, the spine and the front panel on the sheet (trim, not bleed). */
  backX: number;
  spineX: number;
  frontX: number;
  spineText: boolean;
}

/** Where everything sits on the cover sheet of a book with `pageCount` interior pages. */
export function coverLayout(print: PrintSettings, pageCount: number): CoverLayout {
  const trim = trimSize(print);
  const bleed = points(print.bleed);
  const spine = spineWidth(pageCount, print.paper);
  return {
    width: 2 * bleed + 2 * trim.width + spine,
    height: 2 * bleed + trim.height,
    bleed,
    trim,
    spine,
    backX: bleed,
    spineX: bleed + trim.width,
    frontX: bleed + trim.width + spine,
    spineText: pageCount >= SPINE_TEXT_MIN_PAGES,
  };
}

/** A box as PDF writes it: left, bottom, right, top. */
export type Box = [number, number, number, number];

/**
 * The press interior's page: the trim plus bleed on the outer edge (right on a recto, left on a verso;
 * mirrored in a right-to-left book, whose rectos are left-hand pages), the top and the bottom; the spine edge
 * has none. Every page has the same size, so the trim sits at x = 0 on right-hand pages and x = bleed on
 * left-hand ones. Page 1 is a recto.
 */
export function interiorBoxes(
  print: PrintSettings,
  pageIndex: number,
  direction: 'ltr' | 'rtl' = 'ltr',
): { media: Box; trim: Box } {
  const trim = trimSize(print);
  const bleed = points(print.bleed);
  const rightHand = (pageIndex % 2 === 0) === (direction === 'ltr');
  const left = rightHand ? 0 : bleed;
  return {
    media: [0, 0, trim.width + bleed, trim.height + 2 * bleed],
    trim: [left, bleed, left + trim.width, bleed + trim.height],
  };
}

/** `value` points as a CSS length in inches, for the print document's page size. */
export function inches(value: number): string {
  return `${Number((value / POINTS_PER_INCH).toFixed(5))}in`;
}
