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
 * Runs in the page: lays the chapters out as their pages (`css`) at the text block's exact `width`, on
 * screen, until layOutBook. The page fill, the justified lines, the soft hyphens and the layout links all
 * read this one layout, each change laying out again only its own chapter: each switch between it and the
 * book's own layout lays the whole book out again. (The id is written out: a function run in the page sees
 * no module constants.)
 */
export function layOutChapterPages(options: Pick<ChapterPages, 'css' | 'width'>): void {
  if (document.getElementById('imprint-chapter-pages')) return;
  const style = document.createElement('style');
  style.id = 'imprint-chapter-pages';
  style.media = 'screen';
  style.textContent = `${options.css} body { width: ${options.width}px; }`;
  document.head.append(style);
}

/**
 * Runs in the page: the book's own layout again, for the print. Nothing reads the screen after this, so there
 * the chapters' content is skipped (`content-visibility: hidden`, screen only): taking the columns out lays
 * out no text, and neither does the frame before the print or the screen that Chromium restores after it
 * (renderer CPU 2.60 s against 2.87 s, medians of six alternate builds). Their boxes stay: with the chapters
 * not displayed at all (`display: none`), the print had to build them again and took longer. The sheet is
 * adopted, not a `<style>`, so the print document as printed (`page.content()`) does not hold it.
 */
export function layOutBook(): void {
  document.getElementById('imprint-chapter-pages')?.remove();
  const skipped = new CSSStyleSheet({ media: 'screen' });
  skipped.replaceSync('.print-chapter { content-visibility: hidden; }');
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, skipped];
}
