/**
 * The page from book.yaml's `print:` settings: trim size and mirrored margins, as CSS lengths and as the
 * structural stylesheet the print document needs (page sizes, which elements open which named pages, the
 * running heads of each chapter). The theme's print.css does the design; this part follows the book.
 */
import type { PrintSettings } from '../../book/types.ts';

export interface PageSize {
  width: string;
  height: string;
}

/** CSS named page sizes (CSS Paged Media 3), portrait. */
const NAMED_SIZES: Record<string, PageSize> = {
  a3: { width: '297mm', height: '420mm' },
  a4: { width: '210mm', height: '297mm' },
  a5: { width: '148mm', height: '210mm' },
  a6: { width: '105mm', height: '148mm' },
  b4: { width: '250mm', height: '353mm' },
  b5: { width: '176mm', height: '250mm' },
  'jis-b4': { width: '257mm', height: '364mm' },
  'jis-b5': { width: '182mm', height: '257mm' },
  letter: { width: '8.5in', height: '11in' },
  legal: { width: '8.5in', height: '14in' },
  ledger: { width: '11in', height: '17in' },
};

const LENGTH = /^\d+(\.\d+)?(in|mm|cm|pt|pc|px)$/;

/** "6in 9in", "A5", "a4 landscape", "148mm 210mm"; undefined when the text is none of these. */
export function parsePageSize(size: string): PageSize | undefined {
  const words = size.trim().toLowerCase().split(/\s+/);
  const orientation = words.at(-1) === 'landscape' || words.at(-1) === 'portrait' ? words.pop() : undefined;
  let page: PageSize | undefined;
  if (words.length === 1 && NAMED_SIZES[words[0]]) page = NAMED_SIZES[words[0]];
  else if (words.length === 2 && words.every((word) => LENGTH.test(word)))
    page = { width: words[0], height: words[1] };
  else if (words.length === 1 && LENGTH.test(words[0])) page = { width: words[0], height: words[0] };
  if (!page) return undefined;
  return orientation === 'landscape' ? { width: page.height, height: page.width } : page;
}

export const DEFAULT_PAGE_SIZE: PageSize = { width: '6in', height: '9in' };

/** A CSS string literal. */
export function cssString(text: string): string {
  return `"${text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/[\n\r\f]/g, ' ')}"`;
}

/**
 * The structural print stylesheet. Every page is printed with the text block centred between equal side
 * margins (the larger of inner and outer) on a page that much wider than the trim, so a page can become a
 * verso or a recto after printing, when blank pages are inserted: its visible box is then cut to the trim
 * size with the inner margin on the spine side. Chapters start on a fresh page; running heads, folios and
 * contents numbers are drawn after printing, so no margin box prints anything.
 */
export function pageCss(print: PrintSettings, size: PageSize): string {
  const { top, bottom } = print.margins;
  const side = `${sideMargin(print, size)}px`;
  return [
    `:root {
  --page-width: ${size.width};
  --page-height: ${size.height};
  --text-width: calc(${size.width} - ${print.margins.inner} - ${print.margins.outer});
  --text-height: calc(${size.height} - ${top} - ${bottom});
  /* The page as printed, before it is cut to its side: what a full-bleed element must cover. */
  --printed-page-width: ${printedWidth(print, size)}px;
}`,
    `@page { size: ${printedWidth(print, size)}px ${size.height}; margin: ${top} ${side} ${bottom} ${side}; }`,
    '.copyright-page, .toc, .print-chapter { break-before: page; }',
    // The contents numbers are drawn after printing, over the space these keep.
    '.toc-page { visibility: hidden; }',
  ].join('\n');
}

/**
 * The side margin every page is printed with (CSS px): half of what the printed width leaves beside the text
 * block, at least the larger of inner and outer.
 */
export function sideMargin(print: PrintSettings, size: PageSize): number {
  const textWidth = cssPixels(size.width) - cssPixels(print.margins.inner) - cssPixels(print.margins.outer);
  return (printedWidth(print, size) - textWidth) / 2;
}

/** Chromium 156 prints a page width exactly only when it is a whole multiple of 6 pt (verified here). */
const EXACT_PAGE_STEP_PX = 8;

/**
 * The width pages are printed at (CSS px): the trim width and the difference between the side margins,
 * rounded up to a width Chromium keeps. Any other width it silently narrows by up to half a point, which
 * narrows the text block too and breaks lines differently from the measurements made before printing.
 */
export function printedWidth(print: PrintSettings, size: PageSize): number {
  const wanted =
    cssPixels(size.width) + Math.abs(cssPixels(print.margins.inner) - cssPixels(print.margins.outer));
  return Math.ceil(wanted / EXACT_PAGE_STEP_PX - 1e-9) * EXACT_PAGE_STEP_PX;
}

const PX_PER: Record<string, number> = { in: 96, cm: 96 / 2.54, mm: 96 / 25.4, pt: 96 / 72, pc: 16, px: 1 };

/** A CSS length such as "0.75in" or "18mm" in CSS pixels (96 to the inch). */
export function cssPixels(length: string): number {
  const match = /^(\d+(?:\.\d+)?)(in|cm|mm|pt|pc|px)$/.exec(length.trim());
  if (!match) throw new Error(`Not a CSS length: ${length}`);
  return Number(match[1]) * PX_PER[match[2]];
}

/**
 * The text block as Chromium prints it, in CSS pixels: the printed page less its margins, rounded to whole pixels
 * (verified on Chromium 156: the default 6 × 9 in page's 441.6 px prints 442 px wide, an A5 page's 430.9 px 431).
 * Everything measured before printing (lines, columns, wide blocks) uses this box: measured on the 441.6 px,
 * 6 paragraphs of the 40-chapter book printed a line shorter than measured (test/pdf-text-block.test.ts).
 */
export function textBlockPixels(size: PageSize, print: PrintSettings): { width: number; height: number } {
  const { top, bottom, inner, outer } = print.margins;
  return {
    width: Math.round(cssPixels(size.width) - cssPixels(inner) - cssPixels(outer)),
    height: Math.round(cssPixels(size.height) - cssPixels(top) - cssPixels(bottom)),
  };
}
