/**
 * `Table: caption` on the paragraph right after a table, or right before it, becomes that table's
 * <caption> (after wins when both are there, as in Pandoc).
 */
import type { Element, ElementContent, Root } from 'hast';
import { visit } from 'unist-util-visit';

const PREFIX = /^\s*Table:\s*/;

export default function rehypeTableCaptions() {
  return (tree: Root) => {
    visit(tree, 'element', (node: Element, index, parent) => {
      if (node.tagName !== 'table' || !parent || index === undefined) return;
      if (node.children.some((child) => child.type === 'element' && child.tagName === 'caption')) return;
      const blank = (at: number) =>
        parent.children[at]?.type === 'text' &&
        (parent.children[at] as { value: string }).value.trim() === '';
      let next = index + 1;
      while (blank(next)) next++;
      let previous = index - 1;
      while (blank(previous)) previous--;
      const after = captionParagraph(parent.children[next]);
      const before = after ? undefined : captionParagraph(parent.children[previous]);
      const paragraph = after ?? before;
      if (!paragraph) return;
      const first = paragraph.children[0] as { value: string };
      first.value = first.value.replace(PREFIX, '');
      const caption: Element = {
        type: 'element',
        tagName: 'caption',
        properties: {},
        children: paragraph.children as ElementContent[],
      };
      node.children.unshift(caption);
      if (after) {
        parent.children.splice(index + 1, next - index);
        return;
      }
      parent.children.splice(previous, index - previous);
      return previous;
    });
  };
}

function captionParagraph(node: Root['children'][number] | undefined): Element | undefined {
  if (node?.type !== 'element' || node.tagName !== 'p') return undefined;
  const first = node.children[0];
  return first?.type === 'text' && PREFIX.test(first.value) ? node : undefined;
}
