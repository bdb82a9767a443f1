/**
 * The PDF outline (bookmarks), written from the Book's headings rather than taken from Chromium, whose own
 * outline doubles headings pushed to the next page, interleaves inline code, loses the space at line breaks,
 * applies `text-transform` and lists sidebar titles. Chapters and their sections, in the author's words.
 */
import {
  type PDFDict,
  type PDFDocument,
  PDFHexString,
  PDFName,
  PDFNull,
  PDFNumber,
  type PDFRef,
} from 'pdf-lib';

export interface Bookmark {
  title: string;
  /** Final page index (0-based) and the point to show, in the page's own coordinates. */
  page: number;
  top: number;
  children: Bookmark[];
}

export function writeBookmarks(doc: PDFDocument, bookmarks: Bookmark[]): void {
  const context = doc.context;
  const pages = doc.getPages();
  const outlines = context.obj({ Type: 'Outlines' }) as PDFDict;
  const outlinesRef = context.register(outlines);
  const writeLevel = (items: Bookmark[], parentRef: PDFRef, parent: PDFDict): number => {
    const refs = items.map(() => context.nextRef());
    let count = 0;
    items.forEach((item, index) => {
      const dict = context.obj({}) as PDFDict;
      dict.set(PDFName.of('Title'), PDFHexString.fromText(item.title));
      dict.set(PDFName.of('Parent'), parentRef);
      if (index > 0) dict.set(PDFName.of('Prev'), refs[index - 1]);
      if (index < items.length - 1) dict.set(PDFName.of('Next'), refs[index + 1]);
      dict.set(
        PDFName.of('Dest'),
        context.obj([pages[item.page].ref, PDFName.of('XYZ'), PDFNull, PDFNumber.of(item.top), PDFNull]),
      );
      if (item.children.length) {
        const open = writeLevel(item.children, refs[index], dict);
        // Chapters open in the viewer's panel; their sections show when a reader opens a chapter.
        dict.set(PDFName.of('Count'), PDFNumber.of(-open));
      }
      context.assign(refs[index], dict);
      count++;
    });
    if (refs.length) {
      parent.set(PDFName.of('First'), refs[0]);
      parent.set(PDFName.of('Last'), refs[refs.length - 1]);
    }
    return count;
  };
  const top = writeLevel(bookmarks, outlinesRef, outlines);
  outlines.set(PDFName.of('Count'), PDFNumber.of(top));
  if (top) doc.catalog.set(PDFName.of('Outlines'), outlinesRef);
  else doc.catalog.delete(PDFName.of('Outlines'));
}

/** `/PageLabels`: the viewer shows the printed folios (roman front matter, then 1, 2, 3 …). */
export function writePageLabels(doc: PDFDocument, arabicFrom: number): void {
  const context = doc.context;
  const nums: unknown[] = [0, { S: 'r' }];
  if (arabicFrom > 0 && arabicFrom < doc.getPageCount()) nums.push(arabicFrom, { S: 'D' });
  if (arabicFrom === 0) nums.splice(0, 2, 0, { S: 'D' });
  doc.catalog.set(PDFName.of('PageLabels'), context.obj({ Nums: context.obj(nums as never) }));
}
