/**
 * The print's pages, measured before printing: while measuring, every chapter is laid out as a multi-column
 * box whose columns are the text block's size (`column-fill: auto`). Chromium's fragmentation engine breaks
 * columns as it breaks pages — keeps, orphans and widows included — so column n of a chapter is its page n.
 * The in-page pass (fill-pages.ts) takes these as arguments, since a function run in the page cannot
 * import anything.
 */

export interface ChapterPages {
  /** The text block's exact size in CSS px. */
  width: number;
  height: number;
  /** Space between columns, so that each block's column follows from its left edge. */
  gap: number;
  /** The stylesheet that lays the chapters out as columns while measuring. */
  css: string;
  /** The blocks of a chapter's flow; a flow block is one that no other flow block contains. */
  flow: string;
}

const GAP_PX = 64;

export function chapterPages(block: { width: number; height: number }): ChapterPages {
  return {
    width: block.width,
    height: block.height,
    gap: GAP_PX,
    // Each chapter its own layout root while measuring, so a change lays out only its chapter again.
    css: `.print-chapter { column-width: ${block.width}px; column-gap: ${GAP_PX}px; column-fill: auto; height: ${block.height}px; width: ${block.width}px; contain: strict; }`,
    flow: 'p, h1, h2, h3, h4, h5, h6, pre, table, figure, blockquote, ul, ol, dl, hr, aside, .footnotes, .chapter-opening',
  };
}

/**
 * Runs in the page: lays the chapters out as their pages (`css`) at the text block's exact `width`, until
 * layOutBook undoes it. The page fill, the justified lines and the layout links all read this one layout:
 * each switch between it and the book's own layout lays the whole book out again (about 0.15 s on the
 * 40-chapter book). (The id is written out: a function run in the page sees no module constants.)
 */
export function layOutChapterPages(options: Pick<ChapterPages, 'css' | 'width'>): void {
  if (document.getElementById('imprint-chapter-pages')) return;
  const style = document.createElement('style');
  style.id = 'imprint-chapter-pages';
  style.textContent = options.css;
  style.dataset.bodyWidth = document.body.style.width;
  document.head.append(style);
  document.body.style.width = `${options.width}px`;
}

/** Runs in the page: the book's own layout again, as layOutChapterPages found it. */
export function layOutBook(): void {
  const style = document.getElementById('imprint-chapter-pages');
  if (!style) return;
  document.body.style.width = style.dataset.bodyWidth ?? '';
  style.remove();
}
