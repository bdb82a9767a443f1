/**
 * The blocks a print page can be said to begin at, in document order: paragraphs, headings, listings,
 * tables, figures, quotations, lists and rules, never looking inside one (a list is one block) and never in a
 * pull-quote, which repeats text. Print, EPUB and HTML all enumerate a chapter's tree with this one function,
 * so "the 12th block of chapter 3" names the same text in every edition.
 */
import type { Element, Root } from 'hast';

const BLOCKS = new Set([
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'pre',
  'table',
  'figure',
  'blockquote',
  'ul',
  'ol',
  'dl',
  'hr',
]);

function isPullQuote(node: Element): boolean {
  const classes = node.properties.className;
  return (
    node.properties.role === 'doc-pullquote' || (Array.isArray(classes) && classes.includes('pullquote'))
  );
}

export function pageAnchorBlocks(tree: Root | Element): Element[] {
  const blocks: Element[] = [];
  const walk = (node: Root | Element) => {
    for (const child of node.children) {
      if (child.type !== 'element' || isPullQuote(child)) continue;
      // Hidden parts (the footnotes' label) and navigation hold no page text.
      if (child.properties.hidden !== undefined && child.properties.hidden !== false) continue;
      if (BLOCKS.has(child.tagName)) blocks.push(child);
      else walk(child);
    }
  };
  walk(tree);
  return blocks;
}
