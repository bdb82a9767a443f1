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
      keepSafeSizing(node);
    });
  };
}

/** Classes a raw image may keep: the sizes and placements base.css styles. */
export const IMAGE_CLASSES = [
  'icon',
  'inline',
  'small',
  'medium',
  'large',
  'full-width',
  'left',
  'right',
  'center',
];

/**
 * An icon written as `<img width="16">` or `style="width: 16px"` must stay small: width and height in
 * pixels (from the attributes, or from a style that says only that) and the classes base.css knows are
 * kept; any other style or class goes, as the sanitiser would drop it anyway.
 */
function keepSafeSizing(node: Element) {
  const style = typeof node.properties.style === 'string' ? node.properties.style : '';
  for (const dimension of ['width', 'height'] as const) {
    const fromStyle = new RegExp(`(?:^|;)\\s*${dimension}\\s*:\\s*(\\d+)(?:px)?\\s*(?:;|$)`, 'i').exec(
      style,
    )?.[1];
    const value = node.properties[dimension] ?? fromStyle;
    if (value !== undefined && /^\d+$/.test(String(value))) node.properties[dimension] = Number(value);
    else delete node.properties[dimension];
  }
  delete node.properties.style;
  const classes = Array.isArray(node.properties.className) ? node.properties.className.map(String) : [];
  const kept = classes.filter((name) => IMAGE_CLASSES.includes(name));
  if (kept.length) node.properties.className = kept;
  else delete node.properties.className;
}
