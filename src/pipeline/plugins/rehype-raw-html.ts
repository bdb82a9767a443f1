/**
 * The chapter's raw HTML read into the tree (rehype-raw), when the chapter has any. rehype-raw feeds the whole
 * tree through an HTML parser, not only the raw parts: on a 20 MB chapter with no HTML at all that took 6 s,
 * and the parser builds each text by appending it word by word, so the texts it made held 270 MB of string
 * pieces until the build ended. A tree without raw nodes is left as it is, but for the one thing the parser
 * would change (`data-*` set to true becomes "", false ones vanish, adjacent texts become one), so a chapter comes out as the very
 * tree the parse would give (test/rehype-raw-html.test.ts); after a parse, every text is made one flat string again.
 */
import type { Element, Nodes, Root, Text } from 'hast';
import type { Options } from 'rehype-raw';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { rehypeRaw } from '../html-parser.ts';

export default function rehypeRawHtml(options?: Options) {
  const parseRaw = rehypeRaw(options);
  return (tree: Root, file: VFile): Root => {
    let hasRaw = false;
    visit(tree, (node) => {
      if (node.type === 'raw') hasRaw = true;
      else if (node.type === 'element') trueDataAsEmpty(node);
    });
    if (!hasRaw) {
      mergeTexts(tree);
      tree.data = { ...tree.data, quirksMode: false };
      return tree;
    }
    const parsed = parseRaw(tree, file);
    visit(parsed, 'text', (node: Text) => {
      // A regular expression reads its subject flat: V8 then keeps the flat copy in place of the pieces.
      FLATTEN.test(node.value);
    });
    return parsed;
  };
}

const FLATTEN = /$/;

/** Adjacent texts as one node, empty ones dropped, as the HTML parser leaves them. */
function mergeTexts(tree: Root): void {
  visit(tree, (node) => {
    if (!('children' in node)) return;
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
    if (children.length !== node.children.length) node.children = children as typeof node.children;
  });
}

/** Properties as the HTML parser reads them back: `data-*` set to true is "", a false or empty one is absent. */
function trueDataAsEmpty(node: Element): void {
  for (const key in node.properties) {
    const value = node.properties[key];
    if (value === false || value === null || value === undefined) delete node.properties[key];
    else if (value === true && key.startsWith('data')) node.properties[key] = '';
  }
}
