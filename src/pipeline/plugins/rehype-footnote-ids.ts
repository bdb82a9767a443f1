/**
 * GFM footnotes come out of remark-rehype with ids like "user-content-fn-1", the same in every chapter.
 * This renames them to "<chapter id>--fn-1" (and every link to them), so a book of many chapters has unique
 * footnote ids and every footnote link and back-link resolves.
 */
import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';

const GENERATED = 'user-content-';
/** remark-rehype names the hidden footnotes heading without the prefix. */
const LABEL = 'footnote-label';

export default function rehypeFootnoteIds() {
  return (tree: Root, file: VFile) => {
    const prefix = `${file.data.imprint?.chapterId ?? 'chapter'}--`;
    const rename = (value: string) =>
      value === LABEL
        ? prefix + LABEL
        : value.startsWith(GENERATED)
          ? prefix + value.slice(GENERATED.length)
          : value;
    visit(tree, 'element', (node: Element) => {
      const { id, href, ariaDescribedBy } = node.properties;
      if (typeof id === 'string') node.properties.id = rename(id);
      if (typeof href === 'string' && href.startsWith(`#${GENERATED}`))
        node.properties.href = `#${rename(href.slice(1))}`;
      if (Array.isArray(ariaDescribedBy))
        node.properties.ariaDescribedBy = ariaDescribedBy.map((v) => rename(String(v)));
    });
  };
}
