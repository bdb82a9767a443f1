/**
 * The EPUB edition's content documents, each rendered when asked: the cover (when there is one), the title
 * page, the copyright page, the navigation document and one XHTML file per chapter (pull-quotes placed,
 * print-page markers when the PDF's page-list is known, links mapped from `#id` to `file.xhtml#id`, footnotes
 * marked as EPUB notes, table alignment in CSS). renderEpub packs them; the preview serves them as they are.
 */
import type { Element, ElementContent, Root } from 'hast';
import type { Book, Chapter } from '../../book/types.ts';
import { cloneTree } from '../../pipeline/clone-tree.ts';
import { bookTitle, plainText, wantsToc } from '../assemble.ts';
import { copyrightPage } from '../copyright-page.ts';
import { cachedDocument, chapterDocumentKey, type DocumentStore } from '../document-cache.ts';
import type { EditionDocument } from '../edition-document.ts';
import { insertPageBreaks, type PageList, pageBreakId, pageBreakMarker } from '../layout/page-list.ts';
import { fillPageSlots, insertPageSlots, type PageDraft, placedBreaks } from '../layout/page-slots.ts';
import { placePullQuotes } from '../layout/pull-quotes.ts';
import { type CoverSource, coverImageName } from './cover.ts';
import { markFootnotes } from './footnotes.ts';
import { anchorFiles, linkAcrossFiles } from './links.ts';
import { type Landmark, navigationBody } from './navigation.ts';
import { type EpubImage, epubCss, epubImages, useEpubImages } from './resources.ts';
import { alignCellsWithCss } from './tables.ts';
import { EPUB_STYLESHEET, xhtmlDocument, xhtmlMarkup } from './xhtml.ts';

const XHTML_TYPE = 'application/xhtml+xml; charset=utf-8';
const COVER_PAGE = 'cover.xhtml';
const TITLE_PAGE = 'title-page.xhtml';
const COPYRIGHT_PAGE = 'copyright.xhtml';
/** epub-gen-memory's name for the navigation document. */
export const NAVIGATION = 'toc.xhtml';

export interface EpubDocument extends EditionDocument {
  /** Manifest id: an XML name ("chapter-1"). */
  id: string;
  /** Every EPUB document has a title: the navigation and the reading system show it. */
  title: string;
  /** Cover, title and copyright pages come before the table of contents in the spine. */
  beforeToc?: boolean;
}

export interface EpubDocuments {
  /** Cover (when given), title page and copyright page, then the chapters, in reading order. */
  documents: EpubDocument[];
  /** The navigation document (toc + landmarks, and the page-list when there is one). */
  navigation: EditionDocument;
  stylesheet: { path: string; text: string };
  images: EpubImage[];
  /** Print pages: folio → href. Known once every chapter is prepared (always, with a page-list). */
  pages(): { folio: string; href: string }[];
  /** Every id in the book → the file that holds it. */
  anchors(): ReadonlyMap<string, string>;
  landmarks: Landmark[];
  tocInSpine: boolean;
}

export interface EpubDocumentOptions {
  /** The cover; without one (the preview) there is no cover page. */
  cover?: CoverSource;
  /** Where the print edition's pages begin. */
  pageList?: PageList;
  /** Every id → its file, when the caller already knows it (the preview keeps it per chapter tree). */
  anchors?: ReadonlyMap<string, string>;
  /** Where the chapters' documents are kept between builds (src/outputs/document-cache.ts). */
  store?: DocumentStore;
  /** The chapters' documents made before the page list was known (draftEpubChapters), by chapter index. */
  drafts?: readonly (PageDraft | undefined)[];
}

/** "01-interview.xhtml": reading order in the name, and never the name of a file Imprint adds. */
export function chapterFileName(chapter: Chapter, count: number): string {
  return `${String(chapter.index + 1).padStart(Math.max(2, String(count).length), '0')}-${chapter.id}.xhtml`;
}

function chapterTitle(book: Book, chapter: Chapter): string {
  return (
    chapter.headings.find((heading) => heading.depth === 1)?.text ??
    plainText(chapter.meta.title, book.meta.lang)
  );
}

/** A chapter's XHTML from its prepared tree (changed in place): links across files, images, notes, tables. */
function chapterXhtml(
  book: Book,
  tree: Root,
  file: string,
  title: string,
  anchors: ReadonlyMap<string, string>,
  images: ReturnType<typeof epubImages>,
): string {
  linkAcrossFiles(tree, file, anchors);
  useEpubImages(tree, images);
  markFootnotes(tree);
  alignCellsWithCss(tree);
  return xhtmlDocument(book, { title, body: tree.children as ElementContent[], bodyType: 'bodymatter' });
}

/** Whether a tree links to an id a page marker could take: such a chapter waits for the page list. */
function linksToPageMarkers(tree: Root): boolean {
  const walk = (node: Root | Element): boolean =>
    node.children.some(
      (child) =>
        child.type === 'element' &&
        ((child.tagName === 'a' &&
          typeof child.properties.href === 'string' &&
          /^#page-/i.test(child.properties.href)) ||
          walk(child)),
    );
  return walk(tree);
}

/**
 * The chapters' documents with a slot wherever a print page can begin (layout/page-slots.ts), made one chapter
 * per turn of the event loop while the PDF is in Chromium; epubDocuments fills them in once the page list is
 * known. A chapter that links to a page marker's id has none (undefined): it is made then.
 */
export async function draftEpubChapters(book: Book): Promise<(PageDraft | undefined)[]> {
  const files = book.chapters.map((chapter) => chapterFileName(chapter, book.chapters.length));
  const anchors = anchorFiles(
    book.chapters.map((chapter, index) => ({ file: files[index], tree: chapter.tree })),
  );
  const images = epubImages(book.chapters);
  const drafts: (PageDraft | undefined)[] = [];
  for (const [index, chapter] of book.chapters.entries()) {
    await new Promise((resolve) => setImmediate(resolve));
    if (linksToPageMarkers(chapter.tree)) {
      drafts.push(undefined);
      continue;
    }
    const tree = cloneTree(chapter.tree);
    placePullQuotes(tree);
    const slots = insertPageSlots(tree);
    drafts.push({
      slots,
      text: chapterXhtml(book, tree, files[index], chapterTitle(book, chapter), anchors, images),
    });
  }
  return drafts;
}

const epubMarker = (folio: string) => xhtmlMarkup({ type: 'root', children: [pageBreakMarker(folio, true)] });

export function epubDocuments(book: Book, options: EpubDocumentOptions = {}): EpubDocuments {
  const files = book.chapters.map((chapter) => chapterFileName(chapter, book.chapters.length));
  const allBreaks = options.pageList?.breaks ?? [];
  // The drafts were made with the anchors of the book's own trees: they hold as long as no id in the book is
  // one a page marker takes (then the anchors with the markers map every linked id the same way).
  let drafts = options.drafts;
  if (drafts && allBreaks.length) {
    const ids = anchorFiles(
      book.chapters.map((chapter, index) => ({ file: files[index], tree: chapter.tree })),
    );
    if (allBreaks.some((entry) => ids.has(pageBreakId(entry.folio)))) drafts = undefined;
  }
  const draftOf = (index: number) => drafts?.[index];
  // A chapter's tree is prepared once, on first need: a copy with its pull-quotes placed and page markers.
  const prepared: ({ tree: Root; folios: string[] } | undefined)[] = [];
  const prepare = (index: number) => {
    let found = prepared[index];
    if (!found) {
      const chapter = book.chapters[index];
      const tree = cloneTree(chapter.tree);
      placePullQuotes(tree);
      // Before links are mapped, so the markers count as anchors too.
      const folios = options.pageList ? insertPageBreaks(tree, chapter.id, options.pageList, true) : [];
      found = { tree, folios };
      prepared[index] = found;
    }
    return found;
  };
  // The folios a chapter's markers show, in order.
  const foliosOf = (index: number): string[] => {
    const draft = draftOf(index);
    return draft
      ? placedBreaks(allBreaks, book.chapters[index].id, draft.slots).map((entry) => entry.folio)
      : prepare(index).folios;
  };
  let anchors = options.anchors;
  // Page markers add ids, so with a page-list the anchors come from the prepared trees; without one the
  // book's own trees hold the same ids (pull-quotes move only within their chapter).
  const anchorsOf = () => {
    if (anchors) return anchors;
    const found = anchorFiles(
      book.chapters.map((chapter, index) => ({
        file: files[index],
        tree: options.pageList && !draftOf(index) ? prepare(index).tree : chapter.tree,
      })),
    );
    if (options.pageList && drafts) {
      for (const [index] of book.chapters.entries()) {
        if (draftOf(index)) for (const folio of foliosOf(index)) found.set(pageBreakId(folio), files[index]);
      }
    }
    anchors = found;
    return anchors;
  };
  // Without a page-list there are no markers, and no chapter needs preparing for them.
  const pages = () =>
    options.pageList
      ? book.chapters.flatMap((_, index) =>
          foliosOf(index).map((folio) => ({ folio, href: `${files[index]}#${pageBreakId(folio)}` })),
        )
      : [];
  const images = epubImages(book.chapters);
  const tocInSpine = wantsToc(book);
  const landmarks: Landmark[] = [
    ...(options.cover ? [{ type: 'cover', href: COVER_PAGE, title: book.strings.cover }] : []),
    { type: 'titlepage', href: TITLE_PAGE, title: book.strings.titlePage },
    ...(tocInSpine ? [{ type: 'toc', href: NAVIGATION, title: book.strings.contents }] : []),
    { type: 'bodymatter', href: files[0], title: book.strings.startOfContent },
  ];

  const rendered = new Map<number, string>();
  const chapters = book.chapters.map((chapter, index): EpubDocument => {
    const title = chapterTitle(book, chapter);
    return {
      id: `chapter-${index + 1}`,
      path: files[index],
      mediaType: XHTML_TYPE,
      title,
      chapter,
      render() {
        // The steps below change the prepared tree they are given, so a chapter is rendered once and the same
        // document returned after that.
        const done = rendered.get(index);
        if (done !== undefined) return done;
        const draft = draftOf(index);
        const make = draft
          ? () => fillPageSlots(draft.text, placedBreaks(allBreaks, chapter.id, draft.slots), epubMarker)
          : () => chapterXhtml(book, prepare(index).tree, files[index], title, anchorsOf(), images);
        const breaks = options.pageList?.breaks.filter((entry) => entry.chapterId === chapter.id);
        const document = options.store
          ? cachedDocument(
              options.store,
              chapterDocumentKey('epub-chapter', book, chapter, anchorsOf(), [files[index], title, breaks]),
              make,
            )
          : make();
        rendered.set(index, document);
        return document;
      },
    };
  });

  return {
    documents: [...frontMatter(book, options.cover), ...chapters],
    navigation: {
      path: NAVIGATION,
      mediaType: XHTML_TYPE,
      title: book.strings.contents,
      render: () =>
        xhtmlDocument(book, {
          title: book.strings.contents,
          bodyClass: ['navigation'],
          body: navigationBody(book, anchorsOf(), landmarks, pages()),
        }),
    },
    stylesheet: { path: EPUB_STYLESHEET, text: epubCss(book.theme.fonts, book.theme.css.epub) },
    images: [...images.values()],
    pages,
    anchors: anchorsOf,
    landmarks,
    tocInSpine,
  };
}

const element = (
  tagName: string,
  properties: Element['properties'],
  children: ElementContent[] = [],
): Element => ({
  type: 'element',
  tagName,
  properties,
  children,
});

/** The cover page, the title page and the copyright page, before the table of contents. */
function frontMatter(book: Book, cover: CoverSource | undefined): EpubDocument[] {
  const title = plainText(book.meta.title, book.meta.lang);
  const page = (id: string, path: string, pageTitle: string, render: () => string): EpubDocument => ({
    id,
    path,
    mediaType: XHTML_TYPE,
    title: pageTitle,
    beforeToc: true,
    render,
  });
  return [
    ...(cover
      ? [
          page('cover', COVER_PAGE, title, () =>
            xhtmlDocument(book, {
              title,
              bodyType: 'cover',
              bodyClass: ['cover-page'],
              body: [
                element('img', {
                  className: ['cover-image'],
                  src: coverImageName(cover),
                  alt: `${book.strings.cover}: ${title}`,
                  role: 'doc-cover',
                }),
              ],
            }),
          ),
        ]
      : []),
    page('title-page', TITLE_PAGE, title, () =>
      xhtmlDocument(book, {
        title,
        bodyType: 'frontmatter',
        bodyClass: ['title-page'],
        body: [element('section', { 'epub:type': 'titlepage' }, bookTitle(book))],
      }),
    ),
    page('copyright-page', COPYRIGHT_PAGE, book.strings.copyright, () =>
      xhtmlDocument(book, {
        title: book.strings.copyright,
        bodyType: 'frontmatter',
        bodyClass: ['copyright'],
        body: withEpubType(copyrightPage(book), 'copyright-page'),
      }),
    ),
  ];
}

/** Marks the component's outer element with an EPUB structural semantic, as the theme cannot know it. */
function withEpubType(content: ElementContent[], type: string): ElementContent[] {
  const outer = content.find((node): node is Element => node.type === 'element');
  if (outer) outer.properties['epub:type'] = type;
  return content;
}
