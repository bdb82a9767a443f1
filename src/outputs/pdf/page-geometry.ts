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

export interface RunningHead {
  /** The named page of the chapter's pages after its opening, e.g. "ch-3". */
  pageName: string;
  /** Text on recto pages. */
  chapterTitle: string;
}

/**
 * The structural print stylesheet: page geometry, the page names of title, copyright, contents, chapter
 * openings and blank pages, and one named page per chapter whose recto head is the chapter title and verso
 * head the book title (Chromium has no `string-set`).
 */
export function pageCss(
  print: PrintSettings,
  size: PageSize,
  bookTitle: string,
  heads: RunningHead[],
): string {
  const { top, bottom, inner, outer } = print.margins;
  const rules = [
    `:root {
  --page-width: ${size.width};
  --page-height: ${size.height};
  --text-width: calc(${size.width} - ${inner} - ${outer});
  --text-height: calc(${size.height} - ${top} - ${bottom});
}`,
    `@page { size: ${size.width} ${size.height}; margin-top: ${top}; margin-bottom: ${bottom}; }`,
    `@page :left { margin-left: ${outer}; margin-right: ${inner}; }`,
    `@page :right { margin-left: ${inner}; margin-right: ${outer}; }`,
    '.title-page, .copyright-page { page: front; }',
    '.copyright-page { break-before: page; }',
    '.toc { page: toc; }',
    // A page of its own: Chromium's `:first` does not select the first page of a named page group, so an
    // opening without running heads has to be its own page group.
    '.chapter-opening { page: chapter-opening; }',
    '.blank-page { page: blank; break-before: page; height: 1px; }',
    ...heads.flatMap((head) => [
      `@page ${head.pageName}:left { @top-center { content: ${cssString(bookTitle)}; } }`,
      `@page ${head.pageName}:right { @top-center { content: ${cssString(head.chapterTitle)}; } }`,
    ]),
  ];
  return rules.join('\n');
}

const PX_PER: Record<string, number> = { in: 96, cm: 96 / 2.54, mm: 96 / 25.4, pt: 96 / 72, pc: 16, px: 1 };

/** A CSS length such as "0.75in" or "18mm" in CSS pixels (96 to the inch). */
export function cssPixels(length: string): number {
  const match = /^(\d+(?:\.\d+)?)(in|cm|mm|pt|pc|px)$/.exec(length.trim());
  if (!match) throw new Error(`Not a CSS length: ${length}`);
  return Number(match[1]) * PX_PER[match[2]];
}

/** The text block (page less margins) in CSS pixels. */
export function textBlockPixels(size: PageSize, print: PrintSettings): { width: number; height: number } {
  const { top, bottom, inner, outer } = print.margins;
  return {
    width: cssPixels(size.width) - cssPixels(inner) - cssPixels(outer),
    height: cssPixels(size.height) - cssPixels(top) - cssPixels(bottom),
  };
}
