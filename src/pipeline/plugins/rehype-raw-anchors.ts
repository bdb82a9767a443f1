/**
 * Ids and anchors written as raw HTML (`<a id="intro">`, the legacy `<a name="intro">`, `<span id>` …) join
 * the book's id scheme, "<chapter id>--<id>", as every heading and note already has; raw `href="#intro"`
 * links follow. So `[see](#intro)`, `[see](01-chapter.md#intro)` and `<a href="#intro">` reach the anchor in
 * the HTML edition, the PDF and the EPUB alike. `name` becomes `id` (EPUB 3 has no `name` on `<a>`).
 */
import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';

export default function rehypeRawAnchors() {
  return (tree: Root, file: VFile) => {
    const context = file.data.imprint;
    if (!context) return;
    const chapters = new Set(context.chapterIds.values());
    // A chapter's own id, or an id inside one ("<chapter id>--…"): made by Imprint, or already resolved from
    // a Markdown link. Looked up at each "--" in the id, not by trying every chapter's prefix: a book of n
    // chapters would cost n per id, n² in all.
    const own = (id: string) => {
      if (chapters.has(id)) return true;
      for (let at = id.indexOf('--'); at !== -1; at = id.indexOf('--', at + 1)) {
        if (chapters.has(id.slice(0, at))) return true;
      }
      return false;
    };
    visit(tree, 'element', (node: Element) => {
      if (node.tagName === 'a' && typeof node.properties.name === 'string') {
        node.properties.id ??= node.properties.name;
        delete node.properties.name;
      }
      const id = node.properties.id;
      if (typeof id === 'string' && id !== '' && !own(id)) {
        node.properties.id = `${context.chapterId}--${id}`;
      }
      const href = node.properties.href;
      if (node.tagName === 'a' && typeof href === 'string' && href.startsWith('#') && href.length > 1) {
        const target = decodeURIComponent(href.slice(1));
        if (!own(target)) node.properties.href = `#${context.chapterId}--${target}`;
      }
    });
  };
}
