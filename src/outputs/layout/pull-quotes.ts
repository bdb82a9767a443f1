/**
 * Where a lifted pull-quote goes: not right after the sentence it repeats, where a reader meets the same words
 * twice in a row, but a few blocks further on in the same section (never past a heading or into the notes).
 * Every edition places them so (the print moves them further still, off the source's spread: see
 * pdf/move-pull-quotes.ts and pdf/fill-pages.ts). A quote never closes a chapter. A `:::pullquote` block, which
 * repeats nothing, stays where the author put it.
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
    // The last block before the quote that holds its words: looked for backwards, so only the blocks between
    // the two are read (each block's text is normalised, and a block's text holds its nested blocks' again).
    let sourceIndex = -1;
    for (let index = blocks.length - 1; index >= 0; index--) {
      const block = blocks[index];
      if ((position.get(block) ?? 0) < at && squeeze(hastToString(block)).includes(words)) {
        sourceIndex = index;
        break;
      }
    }
    if (!words || sourceIndex < 0) continue;
    // A block of the running text a quote may stand beside: not in the notes, a sidebar or a figure, and not
    // another quote (two would stack into one).
    const text = (index: number) =>
      !notes.has(blocks[index]) && !boxed.has(blocks[index]) && !isPullQuote(blocks[index]);
    const ends = (index: number) => !blocks.slice(index + 1).some((_, at) => text(index + 1 + at));
    const steps: number[] = [];
    for (let next = sourceIndex + 1; steps.length < distance && next < blocks.length; next++) {
      if (isHeading(blocks[next]) || notes.has(blocks[next])) break;
      if (!boxed.has(blocks[next])) steps.push(next);
    }
    // `distance` blocks on, unless nothing but notes would follow it there: a quote never closes a chapter.
    // Then as many blocks back (before its source, after its section's heading; at least 2), else as far on as
    // leaves text after it, else where the author put it.
    let target = steps.length === distance && !ends(steps[distance - 1]) ? steps[distance - 1] : sourceIndex;
    let before: number | undefined;
    if (target === sourceIndex) {
      const back: number[] = [];
      for (let previous = sourceIndex - 1; back.length < distance && previous >= 0; previous--) {
        if (isHeading(blocks[previous]) || notes.has(blocks[previous])) break;
        if (text(previous)) back.push(previous);
      }
      if (back.length >= 2) before = back[back.length - 1];
      else target = steps.filter((step) => !ends(step)).pop() ?? sourceIndex;
    }
    placed.push({ quote, source: blocks[sourceIndex] });
    if (target === sourceIndex && before === undefined) continue;
    const from = parents.get(quote);
    const anchor = before === undefined ? blocks[target] : opening(blocks[before], parents);
    const to = parents.get(anchor);
    if (!from || !to) continue;
    from.children.splice(from.children.indexOf(quote), 1);
    to.children.splice(to.children.indexOf(anchor) + (before === undefined ? 1 : 0), 0, quote);
    parents.set(quote, to);
  }
  return placed;
}

/**
 * Where a quote set before `block` goes: before the turn, section or list it opens, and before the question of
 * an answer it opens, so that a question stays with its answer.
 */
function opening(block: Element, parents: Map<Element, Root | Element>): Element {
  let target = block;
  for (let parent = parents.get(target); parent?.type === 'element'; parent = parents.get(target)) {
    if (parent.children.find((child) => child.type === 'element') !== target || isChapter(parent)) break;
    target = parent;
  }
  const parent = parents.get(target);
  if (!parent || !hasClass(target, 'turn')) return target;
  const siblings: Element[] = [];
  for (const child of parent.children) if (child.type === 'element') siblings.push(child);
  const question = siblings[siblings.indexOf(target) - 1];
  return question && hasClass(question, 'turn-interviewer') ? question : target;
}

function hasClass(node: Element, name: string): boolean {
  const classes = node.properties.className;
  return Array.isArray(classes) && classes.includes(name);
}

function isChapter(node: Element): boolean {
  return node.tagName === 'section' || node.tagName === 'article' || node.tagName === 'body';
}
