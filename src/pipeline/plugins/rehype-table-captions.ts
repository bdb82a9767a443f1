/**
 * `Table: caption` on the paragraph right after a table becomes that table's <caption>.
 */
import type { Element, ElementContent, Root } from 'hast';
import { visit } from 'unist-util-visit';

const PREFIX = /^\s*Table:\s*/;

export default function rehypeTableCaptions() {
  return (tree: Root) => {
    visit(tree, 'element', (node: Element, index, parent) => {
      if (node.tagName !== 'table' || !parent || index === undefined) return;
      let next = index + 1;
      while (
        parent.children[next]?.type === 'text' &&
        (parent.children[next] as { value: string }).value.trim() === ''
      ) {
        next++;
      }
      const candidate = parent.children[next];
      if (candidate?.type !== 'element' || candidate.tagName !== 'p') return;
      const first = candidate.children[0];
      if (first?.type !== 'text' || !PREFIX.test(first.value)) return;
      first.value = first.value.replace(PREFIX, '');
      const caption: Element = {
        type: 'element',
        tagName: 'caption',
        properties: {},
        children: candidate.children as ElementContent[],
      };
      node.children.unshift(caption);
      parent.children.splice(index + 1, next - index);
    });
  };
}
