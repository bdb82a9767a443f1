/** The text pull-quotes are compared with: the chapter's own words, with typography told apart no more. */
import type { Nodes, Root } from 'mdast';
import { toString as mdastToString } from 'mdast-util-to-string';

/** Quotes, dashes, case and spacing do not make a pull-quote differ from the text it repeats. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[‘’‚‛′`]/g, "'")
    .replace(/[“”„‟″«»]/g, '"')
    .replace(/[‐‑‒–—―]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The parts of a pull-quote that must each occur in the text: editors cut with an ellipsis or insert words
 * in [brackets], and trim the punctuation at the ends.
 */
export function quotedParts(quote: string): string[] {
  return normalizeText(quote)
    .split(/\s*(?:…|\.\.\.|\[[^\]]*\])\s*/)
    .map((part) => part.replace(/^[\s"'.,;:!?-]+|[\s"'.,;:!?-]+$/g, ''))
    .filter(Boolean);
}

const TEXT_BLOCKS = new Set(['paragraph', 'heading', 'tableCell']);

/** The chapter's text outside container pull-quotes, one block a line. */
export function runningText(tree: Root): string {
  const blocks: string[] = [];
  const walk = (node: Nodes) => {
    if (node.type === 'containerDirective' && node.name === 'pullquote') return;
    if (TEXT_BLOCKS.has(node.type)) {
      blocks.push(mdastToString(node));
      return;
    }
    if ('children' in node) for (const child of node.children) walk(child as Nodes);
  };
  walk(tree);
  return normalizeText(blocks.join('\n'));
}
