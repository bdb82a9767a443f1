/**
 * Where a lifted pull-quote goes: not right after the sentence it repeats, where a reader meets the same words
 * twice in a row, but a few blocks further on in the same section (never past a heading or into the notes).
 * Every edition places them so (the print moves them further still, off the source's spread: see
 * print-pull-quotes.ts). A `:::pullquote` block, which repeats nothing, stays where the author put it.
 */
import type { Element, Root } from 'hast';
import { toString as hastToString } from 'hast-util-to-string';
import { pageAnchorBlocks } from './page-anchor-blocks.ts';

/** How many blocks after its source a pull-quote goes. */
export const PULL_QUOTE_DISTANCE = 3;

const squeeze = (text: string) =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');

function isPullQuote(node: Element): boolean {
  const classes = node.properties.className;
  return (
    node.properties.role === 'doc-pullquote' || (Array.isArray(classes) && classes.includes('pullquote'))
  );
}

function isHeading(node: Element): boolean {
  return /^h[1-6]$/.test(node.tagName);
}

export interface PlacedPullQuote {
  quote: Element;
  /** The block holding the words the quote repeats. */
  source: Element;
}

/** Moves each lifted pull-quote in `tree` (changed in place) and returns them with their sources. */
export function placePullQuotes(tree: Root | Element, distance = PULL_QUOTE_DISTANCE): PlacedPullQuote[] {
  const parents = new Map<Element, Root | Element>();
  const order: Element[] = [];
  const notes = new Set<Element>();
  // Blocks inside an aside (a sidebar, related links) or a figure are no place for a pull-quote.
  const boxed = new Set<Element>();
  const walk = (node: Root | Element, inNotes: boolean, inBox: boolean) => {
    for (const child of node.children) {
      if (child.type !== 'element') continue;
      parents.set(child, node);
      order.push(child);
      const childInNotes = inNotes || 'dataFootnotes' in child.properties;
      const childInBox = inBox || child.tagName === 'aside' || child.tagName === 'figure';
      if (childInNotes) notes.add(child);
      if (inBox) boxed.add(child);
      walk(child, childInNotes, childInBox);
    }
  };
  walk(tree, false, false);
  const position = new Map(order.map((node, index) => [node, index]));
  const blocks = pageAnchorBlocks(tree);
  const placed: PlacedPullQuote[] = [];
  for (const quote of order.filter(isPullQuote)) {
    const words = squeeze(hastToString(quote).replace(/—[^—]*$/, ''));
    const at = position.get(quote) ?? 0;
    let sourceIndex = -1;
    blocks.forEach((block, index) => {
      if ((position.get(block) ?? 0) < at && squeeze(hastToString(block)).includes(words))
        sourceIndex = index;
    });
    if (!words || sourceIndex < 0) continue;
    let target = sourceIndex;
    for (let next = sourceIndex + 1, passed = 0; passed < distance && next < blocks.length; next++) {
      if (isHeading(blocks[next]) || notes.has(blocks[next])) break;
      if (boxed.has(blocks[next])) continue;
      target = next;
      passed++;
    }
    placed.push({ quote, source: blocks[sourceIndex] });
    if (target === sourceIndex) continue;
    const from = parents.get(quote);
    const to = parents.get(blocks[target]);
    if (!from || !to) continue;
    from.children.splice(from.children.indexOf(quote), 1);
    to.children.splice(to.children.indexOf(blocks[target]) + 1, 0, quote);
    parents.set(quote, to);
  }
  return placed;
}
