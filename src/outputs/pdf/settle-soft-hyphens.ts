/**
 * The soft-hyphen fallback without soft hyphens in the PDF's text layer. Where Chromium has no dictionary,
 * the print document carries U+00AD from the `hyphen` patterns; every one of them, used or not, would land
 * in the text layer and split words for search, copy and screen readers. Once the lines are set (measured
 * in the page at the text block's exact width), each soft hyphen that ends a line becomes a real hyphen
 * (U+2010, the glyph Chromium drew there anyway) and every other one is removed. Neither changes the lines:
 * an unused soft hyphen has no width, and the lines break at the used ones either way.
 */

/**
 * Runs in the page (no named inner functions, see measure-lines.ts). `width` is the text block's exact
 * width in CSS px. Returns how many soft hyphens became hyphens and how many were removed.
 */
export function settleSoftHyphens(width: number): { hyphens: number; removed: number } {
  const bodyWidth = document.body.style.width;
  document.body.style.width = `${width}px`;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const nodes: Text[] = [];
  for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
    if (node.data.includes('\u00AD')) nodes.push(node);
  }
  // One Range for all: every Range left alive is updated on each later edit of the document (measure-lines.ts).
  const across = document.createRange();
  // Decide every position first, on the lines as set; then edit.
  const plans = nodes.map((node) => {
    const used: number[] = [];
    for (let at = node.data.indexOf('\u00AD'); at >= 0; at = node.data.indexOf('\u00AD', at + 1)) {
      if (at === 0 || at === node.data.length - 1) continue;
      // A range across the soft hyphen has one rect per line it touches. (A one-letter range just after
      // a break reports the line before, so single letters cannot be compared.)
      across.setStart(node, at - 1);
      across.setEnd(node, Math.min(node.data.length, at + 3));
      const rects = [...across.getClientRects()].filter((rect) => rect.width > 0);
      const first = rects[0];
      // A rect wholly above the first is on the next column, when the chapters are laid out as their pages.
      if (
        first &&
        rects.some((rect) => rect.top > (first.top + first.bottom) / 2 || rect.bottom <= first.top)
      )
        used.push(at);
    }
    return { node, used };
  });
  let hyphens = 0;
  let removed = 0;
  for (const { node, used } of plans) {
    let text = '';
    for (let i = 0; i < node.data.length; i++) {
      const char = node.data[i] as string;
      if (char !== '\u00AD') text += char;
      else if (used.includes(i)) {
        text += '\u2010';
        hyphens++;
      } else removed++;
    }
    node.data = text;
  }
  document.body.style.width = bodyWidth;
  return { hyphens, removed };
}

/**
 * Runs in the page after settleSoftHyphens: the hyphens (U+2010) it set may be in a font file the page has not
 * loaded yet (another unicode-range), which only a layout asks for; the print waits for nothing.
 */
export async function loadFontsOfSettledHyphens(): Promise<void> {
  document.body.getBoundingClientRect();
  await document.fonts.ready;
}
