import type { ChapterPages } from './chapter-pages.ts';

/**
 * Runs in the page, right before printing: takes out of `nav.imprint-layout-links` the links of blocks that
 * cannot begin a page. Chromium's one `page.pdf()` costs about pages × named destinations, and every linked id
 * is a destination: on the 135-chapter bench book (1,095 pages) the nav's 5,535 links, mostly to blocks, made
 * the print's CPU 14 s instead of 4 s. Laid out as columns of the text block (chapter-pages.ts), each
 * chapter shows which block each page would be said to begin at (the same choice as finish-pdf.ts's pageBreaks); that block and the ones
 * before and after it stay linked. pageBreaks takes a block only when the one before it has a place, which
 * shows it is the first: a print that breaks one block later than the columns still finds its block, and a
 * page that breaks earlier, or further away, gets no marker rather than a wrong one. Measured on the
 * 135-chapter book, the columns and the print agree on 133 chapters; the other two differ by 1–2 blocks.
 * Every other link (chapters, headings, pull-quotes and the blocks they repeat, contents numbers) stays.
 */

export interface PruneOptions extends Pick<ChapterPages, 'width' | 'height' | 'gap'> {
  chapters: { start: string; blocks: string[] }[];
  /** Ids linked for something else than a page's first block: never taken out. */
  keep: string[];
}

export interface PruneReport {
  /** Links in the nav before, and left in it. */
  links: number;
  kept: number;
}

/** Runs with the chapters laid out as their pages (layOutChapterPages). No named functions inside: see fill-pages.ts. */
export function pruneLayoutLinks(options: PruneOptions): PruneReport {
  const nav = document.querySelector('nav.imprint-layout-links');
  const links = nav ? [...nav.querySelectorAll('a[href^="#"]')] : [];
  const keep = new Set(options.keep);
  const pitch = options.width + options.gap;
  for (const chapter of options.chapters) {
    const element = document.getElementById(chapter.start);
    if (!element) {
      for (const id of chapter.blocks) keep.add(id);
      continue;
    }
    const origin = element.getBoundingClientRect();
    const middle = origin.left + options.width / 2;
    const pages = chapter.blocks.map((id) => {
      const rect = document.getElementById(id)?.getClientRects()[0];
      // Not laid out now: nothing says where it prints, so it stays linked.
      if (!rect) keep.add(id);
      return rect ? Math.round(Math.abs(rect.left + rect.width / 2 - middle) / pitch) : -1;
    });
    // A block moved on to a later page counts as on the page of the known block after it (as pageBreaks).
    let next = -1;
    for (let at = pages.length - 1; at >= 0; at--) {
      if (pages[at] < 0) continue;
      if (next >= 0 && pages[at] > next) pages[at] = next;
      next = pages[at];
    }
    const last = Math.max(-1, ...pages);
    let block = 0;
    for (let page = 0; page <= last; page++) {
      while (block < pages.length && pages[block] < page) block++;
      if (block >= pages.length) break;
      for (let at = Math.max(0, block - 1); at <= Math.min(pages.length - 1, block + 1); at++)
        keep.add(chapter.blocks[at]);
    }
  }
  let kept = 0;
  for (const link of links) {
    const id = decodeURIComponent((link.getAttribute('href') ?? '#').slice(1));
    if (keep.has(id)) kept++;
    else link.remove();
  }
  return { links: links.length, kept };
}
