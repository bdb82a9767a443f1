/**
 * The chapter's raw HTML read into the tree (rehype-raw), when the chapter has any. rehype-raw feeds the whole
 * tree through an HTML parser, not only the raw parts: on a 20 MB chapter with no HTML at all that took 6 s,
 * and the parser builds each text by appending it word by word, so the texts it made held 270 MB of string
 * pieces until the build ended. A tree without raw nodes is left as it is, but for the one thing the parser
 * would change (`data-*` set to true becomes ""), so a chapter comes out the same with or without some HTML in
 * it; after a parse, every text is made one flat string again.
 */
import type { Element, Root, Text } from 'hast';
import rehypeRaw, { type Options } from 'rehype-raw';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';

export default function rehypeRawHtml(options?: Options) {
  const parseRaw = rehypeRaw(options);
  return (tree: Root, file: VFile): Root => {
    let hasRaw = false;
    visit(tree, (node) => {
      if (node.type === 'raw') hasRaw = true;
      else if (node.type === 'element') trueDataAsEmpty(node);
    });
    if (!hasRaw) return tree;
    const parsed = parseRaw(tree, file);
    visit(parsed, 'text', (node: Text) => {
      // A regular expression reads its subject flat: V8 then keeps the flat copy in place of the pieces.
      FLATTEN.test(node.value);
    });
    return parsed;
  };
}

const FLATTEN = /$/;

function trueDataAsEmpty(node: Element): void {
  for (const key in node.properties) {
    if (key.startsWith('data') && node.properties[key] === true) node.properties[key] = '';
  }
}
