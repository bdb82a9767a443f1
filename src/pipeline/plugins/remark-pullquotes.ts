/**
 * Pull-quotes, in two forms:
 * - `:::pullquote{cite="…"}` … `:::` — a block of its own;
 * - `:pull[words]` — the words stay in the running text and a copy is lifted into a pull-quote placed after
 *   the paragraph that holds them.
 * Both become the `pullquote` component, which the default theme hides from assistive technology because it
 * repeats the text.
 */
import type { Paragraph, PhrasingContent, Root } from 'mdast';
import type { ContainerDirective, TextDirective } from 'mdast-util-directive';
import { SKIP, visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { directiveFields } from '../component-fields.ts';
import { imprintBlock } from '../imprint-node.ts';
import { report } from '../report.ts';

export default function remarkPullquotes() {
  return (tree: Root, file: VFile) => {
    visit(tree, 'containerDirective', (node: ContainerDirective, index, parent) => {
      if (node.name !== 'pullquote' || !parent || index === undefined) return;
      const block = imprintBlock(
        'pullquote',
        directiveFields(file, node, 'pullquote'),
        node.children,
        node.position,
      );
      parent.children.splice(index, 1, block as never);
      return [SKIP, index + 1];
    });

    visit(tree, 'paragraph', (paragraph: Paragraph, index, parent) => {
      if (!parent || index === undefined) return;
      const lifted: { directive: TextDirective; words: PhrasingContent[] }[] = [];
      visit(paragraph, 'textDirective', (node: TextDirective, at, holder) => {
        if (node.name !== 'pull' || !holder || at === undefined) return;
        lifted.push({ directive: node, words: structuredClone(node.children) });
        holder.children.splice(at, 1, ...node.children);
        return [SKIP, at + node.children.length];
      });
      if (lifted.length === 0) return;
      const quotes = lifted.map(({ directive, words }) =>
        imprintBlock(
          'pullquote',
          directiveFields(file, directive, 'pullquote'),
          [{ type: 'paragraph', children: words }],
          directive.position,
        ),
      );
      parent.children.splice(index + 1, 0, ...(quotes as never[]));
      return [SKIP, index + 1 + quotes.length];
    });

    // Outside a paragraph (a heading, a table cell) there is nowhere to lift the quote to: keep the words.
    visit(tree, 'textDirective', (node: TextDirective, index, parent) => {
      if (node.name !== 'pull' || !parent || index === undefined) return;
      report(
        file,
        node,
        'warning',
        'pullquote-misplaced',
        ':pull[…] outside a paragraph is not lifted into a pull-quote; its words are kept as text.',
        'Move the :pull[…] into a paragraph, or make it a :::pullquote block.',
      );
      parent.children.splice(index, 1, ...(node.children as never[]));
      return [SKIP, index + node.children.length];
    });
  };
}
