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
/** Media a Markdown image does better: their sources would not be checked or copied with the book. */
const MEDIA = new Set(['picture', 'source', 'video', 'audio', 'track']);
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
      if (node.tagName === 'svg' || node.tagName === 'math') {
        report(
          file,
          node,
          'warning',
          'unsafe-html',
          `Raw <${node.tagName}> is removed (only its text stays): inline drawings are not sanitised.`,
          node.tagName === 'svg'
            ? 'Save the drawing as an .svg file and use it as an image: ![what it shows](images/drawing.svg).'
            : 'Describe the formula in text, or use an image of it.',
        );
      }
      if (MEDIA.has(node.tagName)) {
        report(
          file,
          node,
          'warning',
          'unsafe-html',
          `Raw <${node.tagName}> is removed: its sources would not travel with the book.`,
          'Use a Markdown image, ![what it shows](images/file.jpg).',
        );
      }
      // Links may leave the book; nothing the page loads may (raw <img> is checked with the images).
      const remote = Object.entries(node.properties).filter(
        ([name, value]) =>
          URL_ATTRIBUTES.includes(name) &&
          name !== 'href' &&
          !(node.tagName === 'img' && name === 'src') &&
          typeof value === 'string' &&
          /^\s*(https?:)?\/\//i.test(value),
      );
      if (remote.length > 0) {
        report(
          file,
          node,
          'error',
          'remote-url',
          `<${node.tagName}> loads ${remote.map(([, value]) => `"${value}"`).join(' and ')} from the network.`,
          'Imprint never downloads anything during a build: save the file into the manuscript folder and use a Markdown image.',
        );
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
          (URL_ATTRIBUTES.includes(name) || name === 'cite') &&
          typeof value === 'string' &&
          /^\s*javascript:/i.test(value)
        ) {
          // The sanitiser removes the URL attributes; `cite` it keeps as text (an attribution), so here.
          if (name === 'cite') delete node.properties.cite;
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
