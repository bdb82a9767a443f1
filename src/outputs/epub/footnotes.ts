/**
 * GFM footnotes as EPUB notes: the reference is a `noteref` (reading systems that know it open the note in
 * a pop-up); the notes, gathered at the end of their chapter, are that chapter's `endnotes` (`doc-endnotes`),
 * each an `endnote` whose back-link is a `doc-backlink`. The list items carry no role: DPUB-ARIA deprecated
 * `doc-endnote`, `doc-footnote` is not allowed on a list item, and accessibility checkers (DAISY Ace) flag
 * an `epub:type="footnote"` without it. The ids and links are already unique and resolving
 * (rehype-footnote-ids).
 */
import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';

export function markFootnotes(tree: Root): void {
  visit(tree, 'element', (node: Element) => {
    const { properties } = node;
    if (node.tagName === 'a' && 'dataFootnoteRef' in properties) {
      properties['epub:type'] = 'noteref';
      properties.role = 'doc-noteref';
    } else if (node.tagName === 'a' && 'dataFootnoteBackref' in properties) {
      properties.role = 'doc-backlink';
    } else if (node.tagName === 'section' && 'dataFootnotes' in properties) {
      properties['epub:type'] = 'endnotes';
      properties.role = 'doc-endnotes';
      for (const list of node.children) {
        if (list.type !== 'element' || list.tagName !== 'ol') continue;
        for (const item of list.children) {
          if (item.type !== 'element' || item.tagName !== 'li') continue;
          item.properties['epub:type'] = 'endnote';
        }
      }
    }
  });
}
