/**
 * Wraps the chapter in the `chapter` component (a <section> with the chapter's id and its semantics), so
 * every edition receives one self-contained element per chapter.
 */
import type { ElementContent, Root } from 'hast';
import type { VFile } from 'vfile';
import { componentElement } from '../imprint-node.ts';

export default function rehypeChapterSection() {
  return (tree: Root, file: VFile) => {
    const id = file.data.imprint?.chapterId ?? 'chapter';
    tree.children = [
      componentElement(
        { component: 'chapter', fields: { id, title: file.data.meta?.title ?? '' } },
        tree.children as ElementContent[],
      ),
    ];
  };
}
