/**
 * A long book is printed as two halves, each in a page of its own: Chromium lays out, measures and prints a page
 * in one renderer thread, so a whole book in one page kept one of the two cores idle from the load to the end of
 * the print (about 2.2 s of a 4 s build of the 40-chapter book). The first half holds the front matter and the
 * first chapters, the second the rest; both get the shell (styles, fonts) and the hidden parts after the
 * chapters. Chapters never share a page (each opens a page, on a recto), so each half's passes decide exactly
 * what they would in the whole book, and merge-printed-pdfs.ts joins the two prints before the finishing.
 *
 * Only when nothing in the layout can depend on the other half: chapters open on rectos (a chapter's folio
 * parity is then its own; the passes count folios from the half's first chapter), and the theme's print CSS
 * uses no counters and no sibling-position selectors across chapters.
 */
import type { Book } from '../../book/types.ts';
import type { FillReport } from './fill-pages.ts';
import type { Inspection } from './inspect-print-document.ts';
import type { LineReport } from './measure-lines.ts';
import type { PrintDocumentSink } from './print-document.ts';

/** Below this much manuscript text (about 20,000 words) a second renderer costs more than it saves. */
const MIN_SOURCE_CHARS = 120_000;
const MIN_CHAPTERS = 4;

/**
 * CSS that could number or style a chapter by its place among the others or after the front matter, or style the
 * first page (`@page :first`), which a half would get wrong. (`:first-child`, `+` and `:has()` are left out:
 * the default theme sets paragraphs and listings with them; a theme that styles a chapter as its body's first
 * child or as the sibling right after another is not caught.)
 */
const POSITIONAL_CSS =
  /counter-(?:increment|reset|set)|\bcounter\(|\bcounters\(|nth-|-of-type|:last-child|:only-child|:first(?![\w-])|~/i;

/**
 * The index of the first chapter of the second half, chosen so that the halves hold about as much text; undefined
 * when the book is printed whole. `always` splits any book that can be split (two chapters or more), however
 * short: the tests' books are.
 */
export function secondHalfStart(book: Book, always = false): number | undefined {
  const sizes = book.chapters.map((chapter) => chapter.source.length);
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (!book.meta.print.recto || sizes.length < 2 || POSITIONAL_CSS.test(book.theme.css.print))
    return undefined;
  if (!always && (sizes.length < MIN_CHAPTERS || total < MIN_SOURCE_CHARS)) return undefined;
  let best = 1;
  let bestGap = Number.POSITIVE_INFINITY;
  let sum = 0;
  for (let index = 1; index < sizes.length; index++) {
    sum += sizes[index - 1];
    const gap = Math.abs(2 * sum - total);
    if (gap < bestGap) {
      best = index;
      bestGap = gap;
    }
  }
  return best;
}

/**
 * One sink feeding two: the shell and what follows the chapters to both, each chapter to its half. A shell with
 * anything after the chapters' place (a theme's colophon) would print it in both halves: its book goes whole
 * to the first, and `wholeInFirst` says so.
 */
export function sinkForHalves(
  first: PrintDocumentSink,
  second: PrintDocumentSink,
  secondStart: number,
): PrintDocumentSink & { wholeInFirst(): boolean } {
  let chapter = 0;
  let whole = false;
  return {
    start(before, after) {
      first.start(before, after);
      whole = !/^(?:\s|<\/[a-z]+>|<!--[\s\S]*?-->)*$/i.test(after);
      if (whole) second.abandon();
      else second.start(before, after);
    },
    chapter(html) {
      (whole || chapter++ < secondStart ? first : second).chapter(html);
    },
    end(html) {
      first.end(html);
      second.end(html);
    },
    abandon() {
      first.abandon();
      second.abandon();
    },
    wholeInFirst: () => whole,
  };
}

/**
 * In the second half's page, once its shell has loaded and before any chapter goes in: takes out the front
 * matter, everything before the chapters' place in document order.
 */
export function dropFrontMatter(): void {
  const place = document.querySelector('template[data-imprint-chapters]');
  for (let node: Node | null = place; node && node !== document.body; node = node.parentNode) {
    while (node.previousSibling) node.previousSibling.remove();
  }
}

/**
 * In each half's page, before the checks: a link to an id the other half holds would print as a link to nowhere.
 * It is written as `imprint-dest:<id>`, which Chromium prints as a URI link that merge-printed-pdfs.ts turns into
 * a link to the id's destination (the other half links every id the text links to: linkForOtherHalf); the
 * hidden layout links (print-document.ts) to the other half are taken out.
 * No named functions inside: see inspect-print-document.ts.
 */
export function linksAcrossHalves(): void {
  for (const link of [...document.querySelectorAll('a[href^="#"]')]) {
    let id = (link.getAttribute('href') ?? '#').slice(1);
    try {
      id = decodeURIComponent(id);
    } catch {
      // As written.
    }
    if (!id || document.getElementById(id)) continue;
    if (link.closest('nav.imprint-layout-links')) link.remove();
    else link.setAttribute('href', `imprint-dest:${encodeURIComponent(id)}`);
  }
}

/**
 * In a half's page, right before its print: hidden links to the ids it holds of `ids` (every id the book's text
 * links to, print-document.ts `linkTargets`), so that a link from the other half finds a destination.
 */
export function linkForOtherHalf(ids: string[]): void {
  const nav = document.querySelector('nav.imprint-layout-links');
  if (!nav) return;
  for (const id of ids) {
    if (!document.getElementById(id)) continue;
    const link = document.createElement('a');
    link.setAttribute('href', `#${encodeURIComponent(id)}`);
    nav.append(link);
  }
}

/** The two halves' inspections as one of the whole book. */
export function joinInspections(first: Inspection, second: Inspection): Inspection {
  const faces = new Map(
    [...first.failedFonts, ...second.failedFonts].map((face) => [JSON.stringify(face), face]),
  );
  return {
    headings: [...first.headings, ...second.headings],
    failedFonts: [...faces.values()],
    brokenImages: [...first.brokenImages, ...second.brokenImages],
    wide: [...first.wide, ...second.wide],
    column: first.column,
  };
}

export function joinFillReports(
  first: FillReport | undefined,
  second: FillReport | undefined,
): FillReport | undefined {
  if (!first || !second) return first ?? second;
  return {
    moved: first.moved + second.moved,
    rounds: Math.max(first.rounds, second.rounds),
    midChapterPages: first.midChapterPages + second.midChapterPages,
    shortPages: first.shortPages + second.shortPages,
    linesPushed: first.linesPushed + second.linesPushed,
    unevenSpreads: first.unevenSpreads + second.unevenSpreads,
    spreadsBalanced: first.spreadsBalanced + second.spreadsBalanced,
    pagesLoosened: first.pagesLoosened + second.pagesLoosened,
    droppedPullQuotes: [...first.droppedPullQuotes, ...second.droppedPullQuotes],
    ms: Math.max(first.ms, second.ms),
  };
}

export function joinLineReports(first: LineReport, second: LineReport): LineReport {
  return {
    justifiedLines: first.justifiedLines + second.justifiedLines,
    ...(first.looseLines === undefined ? {} : { looseLines: first.looseLines + (second.looseLines ?? 0) }),
    hyphenatedLines: first.hyphenatedLines + second.hyphenatedLines,
    longestHyphenRun: Math.max(first.longestHyphenRun, second.longestHyphenRun),
    keptWhole: first.keptWhole + second.keptWhole,
    ...(first.loose === undefined ? {} : { loose: [...first.loose, ...(second.loose ?? [])] }),
  };
}
