/**
 * How a reader finds their way: the EPUB 3 navigation document (the theme's table of contents, nested
 * chapters → sections, plus hidden landmarks) and the same tree as NCX navPoints for EPUB 2 reading systems.
 */
import type { Element, ElementContent } from 'hast';
import type { Book, Heading } from '../../book/types.ts';
import { type TocEntry, toc, tocTree } from '../assemble.ts';

export interface Landmark {
  /** EPUB structural semantics: "cover", "titlepage", "toc", "bodymatter". */
  type: string;
  href: string;
  title: string;
}

/**
 * Where a heading is in the EPUB: a chapter title links to the top of its file (so the reader also sees the
 * kicker above it), any other heading to its anchor — a second level-1 heading in the body included, since
 * two NCX entries may not point at the same place.
 */
export function headingHref(heading: Heading, anchors: ReadonlyMap<string, string>, book: Book): string {
  const file = anchors.get(heading.id);
  if (!file) throw new Error(`No EPUB file holds the heading "${heading.id}".`);
  const isChapterTitle = book.chapters.some((chapter) => chapter.headings[0]?.id === heading.id);
  return isChapterTitle ? file : `${file}#${heading.id}`;
}

/** The body of the navigation document: the table of contents, then the landmarks, hidden. */
export function navigationBody(
  book: Book,
  anchors: ReadonlyMap<string, string>,
  landmarks: Landmark[],
  pages: { folio: string; href: string }[] = [],
): ElementContent[] {
  const element = (
    tagName: string,
    properties: Element['properties'],
    children: ElementContent[],
  ): Element => ({
    type: 'element',
    tagName,
    properties,
    children,
  });
  const text = (value: string): ElementContent => ({ type: 'text', value });
  const guide = element(
    'nav',
    { 'epub:type': 'landmarks', hidden: true, ariaLabel: book.strings.landmarks },
    [
      element(
        'ol',
        {},
        landmarks.map((landmark) =>
          element('li', {}, [
            element('a', { 'epub:type': landmark.type, href: landmark.href }, [text(landmark.title)]),
          ]),
        ),
      ),
    ],
  );
  // The print edition's pages, so "page 112" in a class means the same text in the EPUB.
  const pageList = pages.length
    ? [
        text('\n'),
        element('nav', { 'epub:type': 'page-list', hidden: true, ariaLabel: book.strings.pages }, [
          element(
            'ol',
            {},
            pages.map((page) => element('li', {}, [element('a', { href: page.href }, [text(page.folio)])])),
          ),
        ]),
      ]
    : [];
  return [...toc(book, (heading) => headingHref(heading, anchors, book)), text('\n'), guide, ...pageList];
}

export interface NavPoint {
  id: string;
  playOrder: number;
  label: string;
  src: string;
  children: NavPoint[];
}

/** The table of contents as NCX navPoints, numbered in reading order, and how deep it goes. */
export function ncxNavPoints(
  book: Book,
  anchors: ReadonlyMap<string, string>,
): { points: NavPoint[]; depth: number } {
  let order = 0;
  let depth = 0;
  const points = (entries: TocEntry[], level: number): NavPoint[] =>
    entries.map((entry) => {
      order += 1;
      depth = Math.max(depth, level);
      return {
        id: `navpoint-${order}`,
        playOrder: order,
        label: entry.heading.text,
        src: headingHref(entry.heading, anchors, book),
        children: points(entry.children, level + 1),
      };
    });
  return { points: points(tocTree(book), 1), depth };
}
