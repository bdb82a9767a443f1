/**
 * The second pass's plan, from where the first pass put things: which chapters need a blank page before them
 * to open on a recto (odd) page, and the page every heading is on once those blanks are in. Chromium has
 * neither `break-before: right` nor `target-counter()`, so both come from reading a rendering back.
 * Pure: a rendering made with any set of blanks gives the same plan.
 */

export interface PlacedHeading {
  id: string;
  /** 1-based page in the rendering read back. */
  page: number;
}

export interface PlacedChapter {
  id: string;
  /** Its headings in order; the first is where the chapter opens. */
  headings: PlacedHeading[];
}

export interface PageLayout {
  /** Chapter ids, in book order, that get a blank page before them. */
  blankBefore: string[];
  /** Heading id → its page once the blanks are in. */
  pages: Record<string, number>;
}

export const EMPTY_LAYOUT: PageLayout = { blankBefore: [], pages: {} };

/**
 * @param chapters the chapters as placed in a rendering made with `rendered.blankBefore` blanks
 * @param recto whether chapters open on a recto page
 */
export function planPages(chapters: PlacedChapter[], rendered: PageLayout, recto: boolean): PageLayout {
  const hadBlank = new Set(rendered.blankBefore);
  const layout: PageLayout = { blankBefore: [], pages: {} };
  let removed = 0;
  let added = 0;
  for (const chapter of chapters) {
    if (hadBlank.has(chapter.id)) removed++;
    const opening = chapter.headings[0];
    if (!opening) continue;
    // A chapter starts on a fresh page, so one blank page more or less before it moves it by exactly one.
    if (recto && (opening.page - removed + added) % 2 === 0) {
      layout.blankBefore.push(chapter.id);
      added++;
    }
    for (const heading of chapter.headings) layout.pages[heading.id] = heading.page - removed + added;
  }
  return layout;
}

export function sameLayout(a: PageLayout, b: PageLayout): boolean {
  const keys = Object.keys(a.pages);
  return (
    a.blankBefore.join('\n') === b.blankBefore.join('\n') &&
    keys.length === Object.keys(b.pages).length &&
    keys.every((key) => a.pages[key] === b.pages[key])
  );
}
