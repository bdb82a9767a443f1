/**
 * Images written as raw HTML get the same treatment as Markdown images: local files only, checked, copied
 * with the book.
 */
import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { resolveImage } from './remark-figures.ts';

export default function rehypeRawImages() {
  return (tree: Root, file: VFile) => {
    file.data.images ??= [];
    const images = file.data.images;
    visit(tree, 'element', (node: Element, index, parent) => {
      if (node.tagName !== 'img' || typeof node.properties.src !== 'string') return;
      const src = node.properties.src;
      if (src === '') {
        parent?.children.splice(index ?? 0, 1);
        return index;
      }
      if (src.startsWith('images/') && images.some((image) => image.href === src)) return;
      const asset = resolveImage(file, node, src, false);
      if (!asset) {
        if (parent && index !== undefined) parent.children.splice(index, 1);
        return index;
      }
      if (!images.some((image) => image.source === asset.source)) images.push(asset);
      node.properties.src = asset.href;
    });
  };
}
