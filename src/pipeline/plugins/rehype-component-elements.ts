/**
 * Turns the component nodes that came through remark-rehype and rehype-raw into `imprint-<name>` elements
 * with their fields in `data`, before the sanitiser (which keeps data and strips attributes). An
 * `imprint-*` element written as raw HTML is not one of the pipeline's: it is unwrapped, its content kept,
 * so a manuscript cannot hand a component fields that no schema checked.
 */
import type { ElementContent, Root, RootContent } from 'hast';
import { COMPONENT_NODE_TYPES, componentElement, type HastComponent } from '../imprint-node.ts';

export default function rehypeComponentElements() {
  return (tree: Root) => {
    tree.children = convert(tree.children as ElementContent[]) as RootContent[];
  };
}

function convert(nodes: ElementContent[]): ElementContent[] {
  const out: ElementContent[] = [];
  for (const node of nodes) {
    const type = (node as { type: string }).type;
    if ((COMPONENT_NODE_TYPES as readonly string[]).includes(type)) {
      const component = node as unknown as HastComponent;
      out.push(componentElement(component.data, convert(component.children), component.position));
    } else if (node.type === 'element' && node.tagName.startsWith('imprint-')) {
      out.push(...convert(node.children));
    } else {
      if (node.type === 'element') node.children = convert(node.children);
      out.push(node);
    }
  }
  return out;
}
