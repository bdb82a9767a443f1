/**
 * The HTML edition: dist/<slug>/ with index.html, its stylesheet, fonts and images beside it, so it opens from
 * disk in any browser. A book of several chapters becomes a web book (src/outputs/html/web-book.ts): a page
 * per chapter with contents, search and next/previous. `html: { pages: single }` in book.yaml, or a book of
 * one chapter, keeps the whole book in index.html.
 */
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Element, ElementContent } from 'hast';
import { toHtml } from 'hast-util-to-html';
import type { Book } from '../book/types.ts';
import { fontFaceCss } from '../templates/theme-fonts.ts';
import { bookTitle, shell, toc, wantsToc, withoutDeadLinks, withoutEpubAttributes } from './assemble.ts';
import { replaceDirAtomic } from './atomic-write.ts';
import { pageHead } from './html/page-head.ts';
import { footer, renderWebBook } from './html/web-book.ts';
import { insertPageBreaks, type PageList, resolvePageList } from './layout/page-list.ts';
import { placePullQuotes } from './layout/pull-quotes.ts';
import type { Output } from './output.ts';

export { withoutEpubAttributes };

export const STYLESHEET = 'screen.css';

/** The screen stylesheet: the theme's fonts, then base.css and screen.css. */
export function screenCss(book: Book): string {
  return `${fontFaceCss(book.theme.fonts, (font) => font.href)}\n${book.theme.css.screen}`;
}

/** Whether the HTML edition is a web book of several pages or one document. */
export function isWebBook(book: Book): boolean {
  return book.meta.html.pages === 'chapters' && book.chapters.length > 1;
}

/** The whole book as one HTML document for the screen; `head` lets the preview add its client. */
export function renderHtmlDocument(book: Book, head: ElementContent[] = [], pageList?: PageList): string {
  const link: Element = {
    type: 'element',
    tagName: 'link',
    properties: { rel: ['stylesheet'], href: STYLESHEET },
    children: [],
  };
  const body: ElementContent[] = [
    ...bookTitle(book),
    ...(wantsToc(book) ? toc(book, (heading) => `#${heading.id}`) : []),
    ...book.chapters.flatMap((chapter) => {
      const tree = structuredClone(chapter.tree);
      placePullQuotes(tree);
      // The print edition's page anchors (#page-112), as in the EPUB.
      if (pageList) insertPageBreaks(tree, chapter.id, pageList, false);
      return tree.children as ElementContent[];
    }),
  ];
  const tree = shell(
    book,
    'screen',
    [link, ...pageHead(book, { file: 'index.html' }), ...head],
    [{ type: 'element', tagName: 'main', properties: {}, children: body }, footer(book)],
  );
  withoutEpubAttributes(tree);
  withoutDeadLinks(tree);
  return toHtml(tree, { allowDangerousHtml: false });
}

export const htmlOutput: Output = {
  name: 'html',
  entries: (book) => [book.slug],
  async build(book, context) {
    const target = path.join(context.outDir, book.slug);
    const pageList = await resolvePageList(book, context, 'HTML');
    await replaceDirAtomic(target, async (dir) => {
      if (isWebBook(book)) {
        await Promise.all(
          renderWebBook(book, STYLESHEET, pageList).map(({ file, text }) =>
            writeFile(path.join(dir, file), text),
          ),
        );
      } else {
        await writeFile(path.join(dir, 'index.html'), renderHtmlDocument(book, [], pageList));
      }
      await writeFile(path.join(dir, STYLESHEET), screenCss(book));
      await copyAssets(book, dir);
    });
    return [path.join(target, 'index.html')];
  },
};

/** Copies the fonts and images the documents refer to, under the same relative paths. */
export async function copyAssets(book: Book, dir: string): Promise<void> {
  const files = [
    ...book.theme.fonts.map((font) => ({ from: font.source, to: font.href })),
    ...book.chapters.flatMap((chapter) =>
      chapter.images.map((image) => ({ from: image.source, to: image.href })),
    ),
  ];
  for (const folder of new Set(files.map(({ to }) => path.dirname(path.join(dir, to))))) {
    await mkdir(folder, { recursive: true });
  }
  // Side by side: on a busy disk each copy waits, and the waits overlap.
  const byTarget = new Map(files.map(({ from, to }) => [to, from]));
  await Promise.all([...byTarget].map(([to, from]) => copyFile(from, path.join(dir, to))));
}
