/** The text a reader reads in a chapter's final tree: every text node outside code and other verbatim elements. */
import type { Element, Root, Text } from 'hast';

const VERBATIM = new Set(['code', 'pre', 'kbd', 'samp', 'var', 'script', 'style', 'textarea']);

export function proseTextNodes(tree: Root): Text[] {
  const found: Text[] = [];
  const walk = (node: Root | Element) => {
    for (const child of node.children) {
      if (child.type === 'text') found.push(child);
      else if (child.type === 'element' && !VERBATIM.has(child.tagName)) walk(child);
    }
  };
  walk(tree);
  return found;
}

/** The whitespace-delimited word around `index`, to find the spot in the source. */
export function wordAround(value: string, index: number): string {
  let start = index;
  let end = index + 1;
  while (start > 0 && !/\s/.test(value[start - 1])) start--;
  while (end < value.length && !/\s/.test(value[end])) end++;
  return value.slice(start, end);
}
