/**
 * The finished book's page sequence, planned from where the one print put each chapter: the front matter
 * (numbered in roman), a blank page when the front matter would leave chapter 1 on a verso, a blank verso
 * before every chapter that would open on one (when the book opens chapters on rectos), and each page's
 * folio and kind, which decide its running head. Pure.
 */

export type PageKind = 'front' | 'toc' | 'blank' | 'opening' | 'body';

export interface PlannedPage {
  /** 0-based index of the printed page it shows; undefined for an inserted blank page. */
  source?: number;
  kind: PageKind;
  /** The chapter the page belongs to (index in the book), for body, opening and inserted blank pages. */
  chapter?: number;
  /** The folio as printed and as the PDF's page label: "iii", "12". */
  folio: string;
  /** Whether the page is a recto (odd: the right-hand page, or the left-hand one in a right-to-left book). */
  recto: boolean;
}

/**
 * Whether a page lies on the right of its spread. A right-to-left book is bound on the other edge: its first
 * page is a left-hand page and its spreads run from right to left.
 */
export function isRightHand(page: PlannedPage, direction: 'ltr' | 'rtl'): boolean {
  return page.recto === (direction === 'ltr');
}

export interface PrintedBook {
  /** Pages Chromium printed. */
  pageCount: number;
  /** 0-based printed page of each chapter's first page, in book order (increasing). */
  chapterStarts: number[];
  /** 0-based printed page where the contents begins, if the book has one. */
  tocStart?: number;
  /** Chapters open on rectos. */
  recto: boolean;
}

export function romanNumeral(value: number): string {
  const numerals: [number, string][] = [
    [1000, 'm'],
    [900, 'cm'],
    [500, 'd'],
    [400, 'cd'],
    [100, 'c'],
    [90, 'xc'],
    [50, 'l'],
    [40, 'xl'],
    [10, 'x'],
    [9, 'ix'],
    [5, 'v'],
    [4, 'iv'],
    [1, 'i'],
  ];
  let rest = value;
  let text = '';
  for (const [size, letters] of numerals) {
    while (rest >= size) {
      text += letters;
      rest -= size;
    }
  }
  return text;
}

export function planBook(printed: PrintedBook): PlannedPage[] {
  const pages: PlannedPage[] = [];
  const front = printed.chapterStarts[0] ?? printed.pageCount;
  for (let source = 0; source < front; source++) {
    const kind = printed.tocStart !== undefined && source >= printed.tocStart ? 'toc' : 'front';
    pages.push({ source, kind, folio: romanNumeral(pages.length + 1), recto: pages.length % 2 === 0 });
  }
  // Page 1 is a recto: the front matter takes an even number of pages.
  if (pages.length % 2 === 1)
    pages.push({ kind: 'blank', folio: romanNumeral(pages.length + 1), recto: false });
  const frontLength = pages.length;
  const folio = () => pages.length - frontLength + 1;
  printed.chapterStarts.forEach((start, chapter) => {
    const end = printed.chapterStarts[chapter + 1] ?? printed.pageCount;
    if (printed.recto && folio() % 2 === 0)
      pages.push({ kind: 'blank', chapter, folio: String(folio()), recto: false });
    for (let source = start; source < end; source++) {
      pages.push({
        source,
        kind: source === start ? 'opening' : 'body',
        chapter,
        folio: String(folio()),
        recto: folio() % 2 === 1,
      });
    }
  });
  return pages;
}
