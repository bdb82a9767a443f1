/**
 * Raw HTML in a manuscript may not run code or load anything from outside the book. This reports what the
 * sanitiser is about to remove, so nothing disappears silently; rehype-sanitize then does the removing.
 */
import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { report } from '../report.ts';

const ACTIVE = new Set([
  'script',
  'iframe',
  'object',
  'embed',
  'frame',
  'frameset',
  'applet',
  'form',
  'base',
  'meta',
]);
const LOADING = new Set(['link', 'style']);
const URL_ATTRIBUTES = ['src', 'href', 'srcSet', 'poster', 'data', 'action', 'formAction', 'background'];

export default function rehypeUnsafeHtml() {
  return (tree: Root, file: VFile) => {
    visit(tree, 'element', (node: Element) => {
      if (ACTIVE.has(node.tagName)) {
        report(
          file,
          node,
          'warning',
          'unsafe-html',
          `Raw <${node.tagName}> is removed: a manuscript cannot run code or embed other pages.`,
          'Delete it from the manuscript.',
        );
        return;
      }
      if (LOADING.has(node.tagName)) {
        report(
          file,
          node,
          'warning',
          'unsafe-html',
          `Raw <${node.tagName}> is removed: styles belong in the theme's CSS.`,
          'Move the styling into templates/<theme>/*.css.',
        );
        return;
      }
      for (const [name, value] of Object.entries(node.properties)) {
        if (/^on/i.test(name)) {
          report(
            file,
            node,
            'warning',
            'unsafe-html',
            `The event handler "${name.toLowerCase()}" on <${node.tagName}> is removed: a manuscript cannot run code.`,
            'Delete the attribute.',
          );
        } else if (
          URL_ATTRIBUTES.includes(name) &&
          typeof value === 'string' &&
          /^\s*javascript:/i.test(value)
        ) {
          report(
            file,
            node,
            'warning',
            'unsafe-html',
            'A javascript: link is removed.',
            'Link to a page or a chapter instead.',
          );
        }
      }
      if (node.properties.style !== undefined && /url\s*\(/i.test(String(node.properties.style))) {
        report(
          file,
          node,
          'warning',
          'unsafe-html',
          'An inline style that loads a url() is removed.',
          'Put images in the text as Markdown images.',
        );
      }
    });
  };
}
