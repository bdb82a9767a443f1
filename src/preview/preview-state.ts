/**
 * What every open preview page is told after each read of the book: the title, each page's version (to know
 * whether to reload), the chapters of every view, the errors, and the print view's state.
 */
import { formatLocation } from '../diagnostics/diagnostic.ts';
import type { PreviewSite } from './preview-site.ts';
import type { PrintState } from './print-edition.ts';
import type { View } from './views/client-script.ts';
import { epubChapterFile } from './views/epub-view.ts';

/** The preview state every client receives: what it needs to know whether to reload, swap or show errors. */
export interface PreviewState {
  title: string;
  /** The book's file-name slug, for the PDF's name. */
  slug: string;
  /** Page key → version. */
  pages: Record<string, string>;
  /** View → stylesheet version. */
  stylesheets: Partial<Record<View, string>>;
  chapters: { id: string; title: string; file: string; epub: string; screen: string }[];
  errors: { location: string; message: string; hint?: string; code: string }[];
  warnings: number;
  print: PrintState;
}

export function previewState(site: PreviewSite, print: PrintState): PreviewState {
  const book = site.book;
  const errors = site.diagnostics.filter((d) => d.severity === 'error');
  return {
    title: book?.meta.title ?? 'Imprint preview',
    slug: book?.slug ?? 'book',
    pages: Object.fromEntries([...site.pages].map(([key, page]) => [key, page.version])),
    stylesheets: Object.fromEntries([...site.stylesheets].map(([view, sheet]) => [view, sheet.version])),
    chapters: book
      ? book.chapters.map((chapter) => ({
          id: chapter.id,
          title: chapter.headings[0]?.text ?? chapter.meta.title,
          file: chapter.file,
          epub: epubChapterFile(book, chapter),
          // Where the chapter is in the screen view: its own page in a web book, an anchor in one page.
          screen: site.screen?.chapterHref(chapter) ?? '',
        }))
      : [],
    errors: errors.map((d) => ({
      // A diagnostic without a file has no place to show ("imprint" is no place a writer can open).
      location: d.file ? formatLocation(d) : '',
      message: d.message,
      hint: d.hint,
      code: d.code,
    })),
    warnings: site.diagnostics.length - errors.length,
    print,
  };
}
