/**
 * Gives every heading a stable id, "<chapter id>--<slug of its text>", unique in the whole book without
 * knowing the other chapters, and records the chapter's outline (for tables of contents and bookmarks).
 */
import GithubSlugger from 'github-slugger';
import type { Element, Root } from 'hast';
import { headingRank } from 'hast-util-heading-rank';
import { toString as hastToString } from 'hast-util-to-string';
import { visitParents } from 'unist-util-visit-parents';
import type { VFile } from 'vfile';

export default function rehypeHeadingIds() {
  return (tree: Root, file: VFile) => {
    const chapterId = file.data.imprint?.chapterId ?? 'chapter';
    const slugger = new GithubSlugger();
    file.data.headings = [];
    visitParents(tree, 'element', (node: Element, ancestors) => {
      const depth = headingRank(node);
      if (!depth) return;
      const text = hastToString(node).trim();
      // Capped: a PDF destination name is at most 127 bytes, and a 300-character title makes a useless id.
      const slug =
        slugger.slug(text.slice(0, 80)).replace(/-+$/, '') || `section-${file.data.headings?.length ?? 0}`;
      const id =
        typeof node.properties.id === 'string' && node.properties.id
          ? node.properties.id
          : `${chapterId}--${slug}`;
      node.properties.id = id;
      // Sidebar titles and the footnotes' hidden label are headings, but not sections of the chapter.
      const outline = !ancestors.some(
        (parent) =>
          parent.type === 'element' &&
          (parent.tagName === 'aside' || parent.tagName === 'nav' || 'dataFootnotes' in parent.properties),
      );
      if (outline) file.data.headings?.push({ id, depth, text });
    });
  };
}
