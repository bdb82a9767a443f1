/**
 * The hyphenation guards (`<span style="hyphens: manual">`, hyphenation-rules.ts and measure-lines.ts) matter
 * only where a line begins: Chromium breaks lines greedily and tries to hyphenate only the word that does not
 * fit at a line's end, which then begins the next line, hyphenated or whole. A guarded word with text before
 * it on its own line fitted whole where it is, and hyphenation could not have moved it. Once the lines are
 * set, those guards are taken out before the print: each is an element of its own in Chromium's tagged PDF.
 * A guard whose word begins a line or its block, is split over two lines, or is not laid out, stays; so do the
 * guards of a block whose lines are not broken greedily (`text-wrap: pretty` or `balance` in a theme).
 */

export interface UnwrapReport {
  guards: number;
  unwrapped: number;
}

/**
 * Runs in the page once the lines are set and nothing reads the layout after it (no named inner functions, see
 * measure-lines.ts): what it takes out is laid out again by the print itself, not by a step in between.
 */
export function unwrapIdleGuards(): UnwrapReport {
  const guards = [
    ...document.querySelectorAll<HTMLElement>(
      'span[style="hyphens: manual"], span[style="hyphens: manual;"]',
    ),
  ];
  // One Range for all: every Range left alive is updated on each later edit of the document (measure-lines.ts).
  const range = document.createRange();
  const blocks = new Map<Element, { greedy: boolean; rtl: boolean }>();
  // Decide every guard first, on the lines as set; then edit.
  const idle = guards.filter((guard) => {
    if (guard.attributes.length !== 1) return false;
    const rects = guard.getClientRects();
    if (rects.length !== 1) return false;
    const block = guard.closest('p, li, dd, dt, td, th, caption, figcaption, blockquote, div');
    if (!block) return false;
    let lines = blocks.get(block);
    if (!lines) {
      const style = getComputedStyle(block);
      const wrap = style.getPropertyValue('text-wrap-style') || 'auto';
      lines = { greedy: wrap === 'auto' || wrap === 'stable', rtl: style.direction === 'rtl' };
      blocks.set(block, lines);
    }
    if (!lines.greedy) return false;
    // The last character before the guard that is not a space, in the same block.
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    walker.currentNode = guard;
    let before: Text | null = null;
    let at = -1;
    for (let node = walker.previousNode() as Text | null; node; node = walker.previousNode() as Text | null) {
      const match = /\S\s*$/.exec(node.data);
      if (match) {
        before = node;
        at = match.index;
        break;
      }
    }
    if (!before) return false;
    range.setStart(before, at);
    range.setEnd(before, at + 1);
    const previous = [...range.getClientRects()].filter((rect) => rect.width > 0).pop();
    const own = rects[0];
    // On the same line: the same band, and to the guard's left (in a right-to-left line, to its right).
    return (
      previous !== undefined &&
      Math.abs(previous.bottom - own.bottom) < 1 &&
      Math.abs(previous.top - own.top) < 1 &&
      (lines.rtl ? previous.left >= own.right - 1 : previous.right <= own.left + 1)
    );
  });
  const parents = new Set<Node>();
  for (const guard of idle) {
    const parent = guard.parentNode;
    if (!parent) continue;
    guard.replaceWith(...guard.childNodes);
    parents.add(parent);
  }
  // One text node again where the guard split one.
  for (const parent of parents) parent.normalize();
  return { guards: guards.length, unwrapped: idle.length };
}

/** Both halves' reports as one (print-halves.ts); undefined when no half took guards out. */
export function joinUnwrapReports(...reports: (UnwrapReport | undefined)[]): UnwrapReport | undefined {
  const present = reports.filter((report) => report !== undefined);
  if (present.length === 0) return undefined;
  return {
    guards: present.reduce((sum, report) => sum + report.guards, 0),
    unwrapped: present.reduce((sum, report) => sum + report.unwrapped, 0),
  };
}
