/**
 * How a paragraph opens with a speaker label, read the way remark-speakers reads it ("RD: …" or
 * "**RD:** …" at the start of a top-level paragraph), without changing the tree.
 */
import type { Paragraph, Root } from 'mdast';

export interface OpeningLabel {
  /** The label as written, without the colon. */
  written: string;
  paragraph: Paragraph;
}

export function openingLabel(paragraph: Paragraph): string | undefined {
  const [first, next] = paragraph.children;
  if (first?.type === 'text') {
    const colon = first.value.indexOf(':');
    if (colon <= 0) return undefined;
    const after = first.value.charAt(colon + 1);
    return after === '' || /\s/.test(after) ? first.value.slice(0, colon) : undefined;
  }
  if (first?.type === 'strong' && first.children.length === 1 && first.children[0].type === 'text') {
    const inner = first.children[0].value.trim();
    if (inner.endsWith(':')) return inner.slice(0, -1);
    return next?.type === 'text' && next.value.startsWith(':') ? inner : undefined;
  }
  return undefined;
}

/** Every top-level paragraph that opens with a label, in order. */
export function openingLabels(tree: Root): OpeningLabel[] {
  const found: OpeningLabel[] = [];
  for (const node of tree.children) {
    if (node.type !== 'paragraph') continue;
    const written = openingLabel(node);
    if (written !== undefined) found.push({ written, paragraph: node });
  }
  return found;
}
