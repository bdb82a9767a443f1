/**
 * Raw HTML in the chapter becomes elements (rehype-raw): the whole tree goes through parse5 again. A chapter
 * without raw HTML, most of them, needs no parse, yet the editions expect the tree in the form the parse
 * leaves it (attributes as HTML reads them: `dataFootnoteRef: ""`, not `true`; adjacent text as one node), so
 * such a tree gets exactly that, with the same two libraries the parse converts through, for a fraction of
 * the time (parse5's tokenizer and tree builder were a sixth of a chapter's reading).
 */
import type { Element, Nodes, Root } from 'hast';
import { fromParse5 } from 'hast-util-from-parse5';
import { toParse5 } from 'hast-util-to-parse5';
import rehypeRaw from 'rehype-raw';
import type { VFile } from 'vfile';

export default function rehypeRawHtml() {
  const parse = rehypeRaw();
  return (tree: Root, file: VFile): Root => (hasRaw(tree) ? parse(tree, file) : asParsed(tree));
}

function hasRaw(tree: Root): boolean {
  const pending: Nodes[] = [tree];
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (node.type === 'raw') return true;
    if ('children' in node) for (const child of node.children) pending.push(child);
  }
  return false;
}

/** The tree as rehype-raw returns a tree without raw nodes: properties read back from attributes, text merged. */
function asParsed(tree: Root): Root {
  const pending: Nodes[] = [tree];
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (node.type === 'element') node.properties = reparsedProperties(node);
    if (!('children' in node)) continue;
    const children: Nodes[] = [];
    for (const child of node.children) {
      const last = children[children.length - 1];
      if (child.type === 'text' && child.value === '') continue;
      if (child.type === 'text' && last?.type === 'text') {
        last.value += child.value;
        if (last.position && child.position)
          last.position = { start: last.position.start, end: child.position.end };
      } else children.push(child);
    }
    node.children = children as typeof node.children;
    for (const child of children) pending.push(child);
  }
  tree.data = { ...tree.data, quirksMode: false };
  return tree;
}

function reparsedProperties(element: Element): Element['properties'] {
  const shell: Element = {
    type: 'element',
    tagName: element.tagName,
    properties: element.properties,
    children: [],
  };
  return (fromParse5(toParse5(shell)) as Element).properties;
}
