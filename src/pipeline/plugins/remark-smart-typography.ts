/**
 * Smart quotes and dashes (remark-smartypants), with one correction: it reads the text of the whole chapter
 * as one string and knows only paragraphs, headings and table cells as places where text starts afresh, so
 * a quote opening a directive label (`::related["Title"]`) came out as a closing quote. Directive labels
 * are smartened on their own first, as the blocks they are.
 */
import type { Root } from 'mdast';
import type { LeafDirective } from 'mdast-util-directive';
import remarkSmartypants from 'remark-smartypants';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';

/** retext-smartypants' options, taken from remark-smartypants so that package is not a dependency of its own. */
type Options = NonNullable<Parameters<typeof remarkSmartypants>[0]>;

export default function remarkSmartTypography(options: Options = { dashes: 'oldschool' }) {
  const smarten = remarkSmartypants.call(unified(), options) as unknown as (tree: Root) => void;
  return (tree: Root) => {
    visit(tree, 'leafDirective', (node: LeafDirective) => {
      smarten({ type: 'root', children: [{ type: 'paragraph', children: node.children }] });
    });
    smarten(tree);
  };
}
