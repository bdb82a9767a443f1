/**
 * Links between chapters. `[text](02-other.md#section)` becomes `#other--section`, and `#section` within a
 * chapter becomes `#this--section`: every id in the book is "<chapter id>--<slug>", so a link written once
 * works in the single-file HTML edition, the PDF and (after the EPUB maps ids to files) the EPUB.
 */
import path from 'node:path';
import type { Definition, Link, Root } from 'mdast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { leavesTheManuscript } from '../addresses.ts';
import type { ImprintBlock } from '../imprint-node.ts';
import { report } from '../report.ts';

export default function remarkChapterLinks() {
  return (tree: Root, file: VFile) => {
    const context = file.data.imprint;
    if (!context) return;
    // Links in the text, and the href of a `::related` pointer, which may name a chapter too.
    visit(tree, (node) => {
      // Reference-style links resolve through their definition, so the definition's url is rewritten.
      const link =
        node.type === 'link' || node.type === 'definition' ? (node as Link | Definition) : undefined;
      const related = node.type === 'imprintBlock' ? (node as ImprintBlock).data.fields : undefined;
      const url = link?.url ?? (typeof related?.href === 'string' ? related.href : undefined);
      if (url === undefined) return;
      const resolved = resolveManuscriptHref(url, file);
      if (resolved === null) {
        report(
          file,
          node,
          'error',
          'missing-chapter',
          `The link "${url}" points to a chapter that is not in this book.`,
          'Check the file name against the chapters in book.yaml.',
        );
        return;
      }
      if (resolved === undefined) return;
      if (link) link.url = resolved;
      else if (related) related.href = resolved;
    });
  };
}

/**
 * Returns `#id` for links into the book, `undefined` for links that leave it (web pages, mail), and `null` for
 * a link to a Markdown file that is not one of the book's chapters.
 */
export function resolveManuscriptHref(url: string, file: VFile): string | undefined | null {
  const context = file.data.imprint;
  if (!context || leavesTheManuscript(url)) return undefined;
  const [target, hash = ''] = url.split('#');
  if (target === '') return hash ? `#${prefixed(context.chapterId, hash)}` : undefined;
  if (!/\.(md|markdown)$/i.test(target)) return undefined;
  const fromDir = file.path ? path.dirname(file.path) : context.manuscriptDir;
  const relative = path
    .relative(context.manuscriptDir, path.resolve(fromDir, decodeURI(target)))
    .split(path.sep)
    .join('/');
  const chapterId = context.chapterIds.get(relative);
  if (!chapterId) return null;
  return `#${hash ? prefixed(chapterId, hash) : chapterId}`;
}

function prefixed(chapterId: string, hash: string): string {
  return hash.startsWith(`${chapterId}--`) ? hash : `${chapterId}--${hash}`;
}
