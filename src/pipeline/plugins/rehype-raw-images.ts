/**
 * Images written as raw HTML get the same treatment as Markdown images: local files only, checked, copied
 * with the book. It runs before the sanitiser, which would silently drop a `file:` source.
 */
import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { report } from '../report.ts';
import { resolveImage } from './remark-figures.ts';

export default function rehypeRawImages() {
  return (tree: Root, file: VFile) => {
    file.data.images ??= [];
    const images = file.data.images;
    visit(tree, 'element', (node: Element, index, parent) => {
      if (node.tagName !== 'img') return;
      const src = node.properties.src;
      if (node.properties.dataImprintChecked) {
        delete node.properties.dataImprintChecked;
        if (src) return;
      }
      if (typeof src !== 'string' || src === '') {
        // A Markdown image that failed its checks arrives with an empty source, already reported.
        if (src === undefined) {
          report(
            file,
            node,
            'error',
            'missing-image',
            'This <img> has no src.',
            'Give it src="images/…", or delete it.',
          );
        }
        if (parent && index !== undefined) parent.children.splice(index, 1);
        return index;
      }
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
