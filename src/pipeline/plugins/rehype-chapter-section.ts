/**
 * Wraps the chapter in the `chapter` component (a <section> with the chapter's id and its semantics), so
 * every edition receives one self-contained element per chapter.
 */
import type { ElementContent, Root } from 'hast';
import type { VFile } from 'vfile';

export default function rehypeChapterSection() {
  return (tree: Root, file: VFile) => {
    const id = file.data.imprint?.chapterId ?? 'chapter';
    tree.children = [
      {
        type: 'element',
        tagName: 'imprint-chapter',
        properties: { id, title: file.data.meta?.title ?? '' },
        children: tree.children as ElementContent[],
      },
    ];
  };
}
