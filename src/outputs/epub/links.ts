/**
 * In the Book every internal link is `#id` (every id is unique in the whole book); in the EPUB each chapter
 * is its own XHTML file, so a link that leaves its chapter must name the file that holds the id.
 */
import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';
import { treeAnchors } from '../../book/tree-anchors.ts';

/** Every id in the given documents → the file that holds it. */
export function anchorFiles(documents: readonly { file: string; tree: Root }[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const { file, tree } of documents) for (const id of treeAnchors(tree).ids) files.set(id, file);
  return files;
}

/**
 * Rewrites `#id` links in `tree` (the content of `file`) to `other.xhtml#id` where the id lives in another
 * file. A link to an id that exists nowhere (the build has already warned about it) loses its `href` and
 * stays as text: a dangling fragment is an error in an EPUB.
 */
export function linkAcrossFiles(tree: Root, file: string, anchors: ReadonlyMap<string, string>): void {
  visit(tree, 'element', (node: Element) => {
    const href = node.properties.href;
    if (node.tagName !== 'a' || typeof href !== 'string' || !href.startsWith('#')) return;
    const target = anchors.get(safeDecode(href.slice(1)));
    if (target === undefined) delete node.properties.href;
    else if (target !== file) node.properties.href = `${target}${href}`;
  });
}

function safeDecode(fragment: string): string {
  try {
    return decodeURIComponent(fragment);
  } catch {
    return fragment;
  }
}
