/**
 * GFM writes column alignment as `align` on table cells, an attribute HTML5 (and so EPUB 3) no longer has;
 * the same alignment as CSS keeps the table valid and still aligned.
 */
import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';

export function alignCellsWithCss(tree: Root): void {
  visit(tree, 'element', (node: Element) => {
    const { align } = node.properties;
    if ((node.tagName !== 'td' && node.tagName !== 'th') || align === undefined) return;
    delete node.properties.align;
    if (typeof align !== 'string' || !/^(left|right|center|justify)$/.test(align)) return;
    const style =
      typeof node.properties.style === 'string' ? `${node.properties.style.replace(/;?\s*$/, '; ')}` : '';
    node.properties.style = `${style}text-align: ${align}`;
  });
}
