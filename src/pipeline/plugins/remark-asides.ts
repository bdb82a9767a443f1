/**
 * Editorial asides: `:::aside{title="…"}` … `:::` is a sidebar; `::related[Title]{label="Recommended"
 * href="…"}` points the reader to another article.
 */
import type { Root } from 'mdast';
import type { ContainerDirective, LeafDirective } from 'mdast-util-directive';
import { SKIP, visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { directiveFields } from '../component-fields.ts';
import { fieldSlot, imprintBlock } from '../imprint-node.ts';

export default function remarkAsides() {
  return (tree: Root, file: VFile) => {
    visit(tree, (node, index, parent) => {
      if (!parent || index === undefined) return;
      if (node.type === 'containerDirective' && (node as ContainerDirective).name === 'aside') {
        const aside = node as ContainerDirective;
        const [first, ...rest] = aside.children;
        const hasLabel = first?.type === 'paragraph' && first.data?.directiveLabel === true;
        const { title } = directiveFields(file, aside, 'aside');
        const titleSlot = hasLabel ? [fieldSlot('title', first.children)] : [];
        const block = imprintBlock(
          'aside',
          { title: title ?? (hasLabel ? true : undefined) },
          [...(titleSlot as never[]), ...(hasLabel ? rest : aside.children)],
          aside.position,
        );
        parent.children.splice(index, 1, block as never);
        // Visit the new block next, so asides and related links inside it are converted too.
        return index;
      }
      if (node.type === 'leafDirective' && (node as LeafDirective).name === 'related') {
        const related = node as LeafDirective;
        const { label, href } = directiveFields(file, related, 'related');
        const block = imprintBlock(
          'related',
          { label: label ?? 'Related', href },
          [fieldSlot('title', related.children) as never],
          related.position,
        );
        parent.children.splice(index, 1, block as never);
        return [SKIP, index + 1];
      }
    });
  };
}
