/**
 * The HTML edition as a web book, read the way mdBook and Quarto books are: index.html with the title,
 * description and contents, then one page per chapter. Every page has the contents in a sidebar (a drawer on
 * phones), a search field, the book's rights in its footer, and chapter pages link to their neighbours with
 * rel="prev"/"next" (the arrow keys follow them). Links between chapters name the page that holds their
 * target. web-book.js, a classic script, adds the drawer, the keys, search and the print-page indicator.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Element, ElementContent, Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { h } from 'hastscript';
import { codeFingerprint } from '../../book/chapter-cache.ts';
import type { Book, Chapter } from '../../book/types.ts';
import { cloneTree } from '../../pipeline/clone-tree.ts';
import {
  bookTitle,
  plainText,
  shell,
  type TocEntry,
  toc,
  tocTree,
  withoutEpubAttributes,
} from '../assemble.ts';
import {
  bookDocumentKey,
  cachedDocument,
  cachedDocumentContent,
  chapterDocumentKey,
  type DocumentStore,
} from '../document-cache.ts';
import { type EditionDocument, HTML_TYPE, SCRIPT_TYPE } from '../edition-document.ts';
import { anchorFiles, linkAcrossFiles } from '../epub/links.ts';
import { insertPageBreaks, type PageList, pageBreakMarker } from '../layout/page-list.ts';
import { fillPageSlots, insertPageSlots, type PageDraft, placedBreaks } from '../layout/page-slots.ts';
import { placePullQuotes } from '../layout/pull-quotes.ts';
import { pageHead } from './page-head.ts';
import {
  chapterSearchDocuments,
  chapterSearchText,
  SEARCH_GLOBAL,
  SEARCH_INDEX_FILE,
  SEARCH_LIBRARY_FILE,
  searchIndexBytesFrom,
  searchIndexScriptFrom,
  searchLibraryScript,
} from './search-index.ts';

export const WEB_BOOK_SCRIPT = 'web-book.js';
const INDEX = 'index.html';

/** The page a chapter is on: its id as a file name, never the title page's. */
export function chapterPage(chapter: Chapter): string {
  return chapter.id === 'index' ? 'chapter-index.html' : `${chapter.id}.html`;
}

function chapterTitle(chapter: Chapter): string {
  return chapter.headings.find((heading) => heading.depth === 1)?.text ?? plainText(chapter.meta.title);
}

/** Elements a page adds to its head, given the page: the preview's client. */
export type PageHead = (page: { path: string; chapter?: Chapter }) => ElementContent[];

export interface WebBook {
  /** The pages in reading order: index.html, then one per chapter. */
  pages: EditionDocument[];
  /** The scripts beside the pages: web-book.js, minisearch.js, search-index.js. */
  scripts: EditionDocument[];
  /**
   * The chapter page `file` made before the page list is known, with a slot wherever a print page can begin
   * (layout/page-slots.ts); a web book given it as `drafts` fills the slots in instead of making the page.
   */
  draftChapter(file: string): PageDraft;
}

const htmlMarker = (folio: string) => toHtml(pageBreakMarker(folio, false));

/**
 * The web book of `book`: its pages and scripts, each rendered only when asked for, so the preview can serve
 * one page without making the others. Only the map of ids to pages is worked out for all chapters at once.
 * With the print edition's `pageList`, chapter pages carry its page anchors (`#page-112`), as the EPUB does.
 */
export function webBook(
  book: Book,
  stylesheet: string,
  pageList?: PageList,
  head?: PageHead,
  store?: DocumentStore,
  drafts?: ReadonlyMap<string, PageDraft>,
): WebBook {
  const chapters = book.chapters.map((chapter) => ({
    chapter,
    file: chapterPage(chapter),
    tree: chapter.tree,
  }));
  const anchors = anchorFiles(chapters);
  // A link to a chapter's title is a link to its page. Every page's sidebar asks for every entry's link.
  const chapterTitleIds = new Set(book.chapters.flatMap((chapter) => chapter.headings[0]?.id ?? []));
  const hrefOf = (id: string) => {
    const file = anchors.get(id) ?? INDEX;
    return chapterTitleIds.has(id) ? file : `${file}#${id}`;
  };
  // The bar and the footer are the same on every page: made once, a copy for each page.
  const bar = topBar(book);
  const rights = footer(book);
  let contents: TocEntry[] | undefined;
  const contentsTree = () => {
    contents ??= tocTree(book);
    return contents;
  };
  const titles = new Map(book.chapters.map((chapter) => [chapter.id, chapterTitle(chapter)]));
  // For the pages' cache keys: the sidebar's headings are in the key's book part, the pages that hold them here.
  let sidebarHrefs: string[] | undefined;
  const sidebarLinks = () => {
    sidebarHrefs ??= contentsTree().flatMap((entry) => [
      hrefOf(entry.heading.id),
      ...entry.children.map((child) => hrefOf(child.heading.id)),
    ]);
    return sidebarHrefs;
  };
  const page = (
    file: string,
    main: ElementContent[],
    extraHead: ElementContent[],
    options: { title?: string; description?: string; current?: Chapter; prev?: string; next?: string },
  ): string => {
    const links = (['prev', 'next'] as const).flatMap((rel) =>
      options[rel] ? [h('link', { rel: [rel], href: options[rel] })] : [],
    );
    const head: ElementContent[] = [
      h('link', { rel: ['stylesheet'], href: stylesheet }),
      // In the head and not deferred: it marks the page as scripted before the first paint, so phones never
      // flash the drawer open; the rest of it waits for the document. No inline script, so a strict CSP holds.
      h('script', { src: WEB_BOOK_SCRIPT }),
      ...pageHead(book, { file, title: options.title, description: options.description }),
      ...links,
      ...extraHead,
    ];
    const body: ElementContent[] = [
      h('a', { className: ['skip-link'], href: '#content' }, book.strings.skipToContent),
      cloneTree(bar),
      sidebar(book, contentsTree(), hrefOf, options.current),
      h('div', { className: ['web-book-page'] }, [
        h('main', { id: 'content', tabIndex: -1 }, main),
        ...(options.current ? [chapterLinks(book, options.prev, options.next, titles, chapters)] : []),
        cloneTree(rights),
      ]),
    ];
    const tree = shell(book, 'screen web-book', head, body);
    const title = firstElement(tree, 'title');
    if (title && options.title) {
      title.children = [{ type: 'text', value: `${options.title} · ${plainText(book.meta.title)}` }];
    }
    withoutEpubAttributes(tree);
    return toHtml(tree);
  };

  const chapterAt = (file: string) => {
    const index = chapters.findIndex((entry) => entry.file === file);
    if (index < 0) throw new Error(`The web book has no page "${file}".`);
    return { index, chapter: chapters[index].chapter };
  };
  // A chapter's page with the print's page markers, or with slots for them (and how many).
  const chapterPageText = (file: string, head: ElementContent[], pages: 'markers' | 'slots') => {
    const { index, chapter } = chapterAt(file);
    const tree = cloneTree(chapter.tree);
    // As in the one-page HTML and the EPUB: a lifted quote a few blocks past the words it repeats.
    placePullQuotes(tree);
    let slots = 0;
    if (pages === 'slots') slots = insertPageSlots(tree);
    else if (pageList) insertPageBreaks(tree, chapter.id, pageList, false);
    linkAcrossFiles(tree, file, anchors);
    const text = page(file, tree.children as ElementContent[], head, {
      title: titles.get(chapter.id),
      description: chapter.meta.deck ? plainText(chapter.meta.deck) : undefined,
      current: chapter,
      prev: index === 0 ? INDEX : chapters[index - 1].file,
      next: chapters[index + 1]?.file,
    });
    return { text, slots };
  };

  // Asked for by the build (to link a page that did not change) and again to render one that did.
  const pageKeys = new Map<string, string>();
  // `content` is how the page's store is read: as text for the preview, as bytes for a build (cachedDocumentContent).
  function render(file: string, head?: ElementContent[]): string;
  function render(file: string, head: ElementContent[], content: 'bytes'): string | Buffer;
  function render(file: string, head: ElementContent[] = [], content?: 'bytes'): string | Buffer {
    const cached = content === 'bytes' ? cachedDocumentContent : cachedDocument;
    if (file === INDEX) {
      const renderIndex = () => {
        const main = [
          ...bookTitle(book),
          ...(book.meta.description
            ? [h('p', { className: ['book-description'] }, book.meta.description)]
            : []),
          ...toc(book, (heading) => hrefOf(heading.id)),
        ];
        return page(INDEX, main, head, { next: chapters[0]?.file });
      };
      const key = pageKey(file, head);
      return store && key ? cached(store, key, renderIndex) : renderIndex();
    }
    const { chapter } = chapterAt(file);
    const draft = head.length === 0 ? drafts?.get(file) : undefined;
    const renderChapter = draft
      ? () =>
          fillPageSlots(draft.text, placedBreaks(pageList?.breaks ?? [], chapter.id, draft.slots), htmlMarker)
      : () => chapterPageText(file, head, 'markers').text;
    const key = pageKey(file, head);
    return store && key ? cached(store, key, renderChapter) : renderChapter();
  }

  /** The key a page is kept under; none without a store, or for the preview's own pages (its client in the head). */
  function pageKey(file: string, head: ElementContent[] = []): string | undefined {
    if (!store || head.length > 0) return undefined;
    let key = pageKeys.get(file);
    if (key === undefined) {
      // The contents page shows the book's frame and where each heading is (sidebarLinks): an edited chapter
      // whose headings stay as they were leaves it as it was.
      if (file === INDEX) key = bookDocumentKey('html-index', book, [stylesheet, sidebarLinks()]);
      else {
        const { chapter } = chapterAt(file);
        const breaks = pageList?.breaks.filter((entry) => entry.chapterId === chapter.id);
        key = chapterDocumentKey('html-page', book, chapter, anchors, [
          file,
          stylesheet,
          sidebarLinks(),
          breaks,
        ]);
      }
      pageKeys.set(file, key);
    }
    return key;
  }

  // Each chapter's part is kept like its page: walking every chapter's tree was a thirtieth of a rebuild.
  const searchParts = <T>(cached: (store: DocumentStore, key: string, make: () => string) => T) =>
    chapters.map(({ chapter, file }) => {
      const name = titles.get(chapter.id) ?? chapter.id;
      const make = () => chapterSearchText(chapterSearchDocuments(chapter, file, name));
      if (!store) return make();
      return cached(
        store,
        chapterDocumentKey('search-documents', book, chapter, anchors, [file, name]),
        make,
      );
    });
  const searchIndex = () => searchIndexScriptFrom(searchParts(cachedDocument));
  // What a build writes: the same script, put together from the bytes the cache kept.
  const searchIndexBytes = () =>
    searchIndexBytesFrom(
      searchParts(cachedDocumentContent).map((part) => (typeof part === 'string' ? Buffer.from(part) : part)),
    );
  const pageDocument = (file: string, title: string, chapter?: Chapter): EditionDocument => ({
    path: file,
    mediaType: HTML_TYPE,
    title,
    chapter,
    render: () => render(file, head?.({ path: file, chapter })),
    content: () => render(file, head?.({ path: file, chapter }) ?? [], 'bytes'),
    key: () => pageKey(file, head?.({ path: file, chapter })),
  });
  // Imprint's own page script and MiniSearch's build change only with Imprint's code and the packages installed
  // (both in codeFingerprint), so a build that keeps pages gives them a key too: a rebuild links them.
  const script = (file: string, make: () => string, fixed = false): EditionDocument => ({
    path: file,
    mediaType: SCRIPT_TYPE,
    render: make,
    ...(fixed && store ? { key: () => `script\u0000${file}\u0000${codeFingerprint()}` } : {}),
  });
  return {
    pages: [
      pageDocument(INDEX, plainText(book.meta.title)),
      ...chapters.map(({ chapter, file }) => pageDocument(file, chapterTitle(chapter), chapter)),
    ],
    scripts: [
      script(WEB_BOOK_SCRIPT, webBookScript, true),
      script(SEARCH_LIBRARY_FILE, searchLibraryScript, true),
      { ...script(SEARCH_INDEX_FILE, searchIndex), content: searchIndexBytes },
    ],
    draftChapter: (file) => chapterPageText(file, [], 'slots'),
  };
}

/** The bar on top of every page: the drawer's button, the book's name, the print page, the search field. */
function topBar(book: Book): Element {
  const { strings } = book;
  return h('header', { className: ['web-book-bar'] }, [
    h(
      'button',
      {
        type: 'button',
        className: ['sidebar-toggle'],
        ariaControls: 'book-sidebar',
        ariaExpanded: 'false',
        ariaLabel: strings.contents,
        hidden: true,
      },
      [h('span', { ariaHidden: 'true' }, '☰')],
    ),
    h('a', { className: ['web-book-name'], href: INDEX }, plainText(book.meta.title)),
    h('span', { className: ['print-page'], hidden: true, dataLabel: strings.printPage }),
    h('form', { className: ['book-search'], role: 'search', dataGlobal: SEARCH_GLOBAL }, [
      h('label', { className: ['sr-only'], htmlFor: 'book-search-input' }, strings.search),
      h('input', {
        type: 'search',
        id: 'book-search-input',
        name: 'q',
        placeholder: strings.search,
        autoComplete: 'off',
        ariaControls: 'book-search-results',
        dataIndex: SEARCH_INDEX_FILE,
        dataLibrary: SEARCH_LIBRARY_FILE,
        dataEmpty: strings.noResults,
      }),
      h('ol', { id: 'book-search-results', className: ['search-results'], hidden: true, ariaLive: 'polite' }),
    ]),
  ]);
}

/** The first element named `tagName` in document order, as `select(tagName)` finds it, without a selector engine. */
function firstElement(node: Root | Element, tagName: string): Element | undefined {
  for (const child of node.children) {
    if (child.type !== 'element') continue;
    if (child.tagName === tagName) return child;
    const found = firstElement(child, tagName);
    if (found) return found;
  }
  return undefined;
}

/** The contents as a sidebar: every chapter, and the sections of the one on this page. */
function sidebar(
  book: Book,
  entries: TocEntry[],
  hrefOf: (id: string) => string,
  current?: Chapter,
): Element {
  const currentFile = current ? chapterPage(current) : INDEX;
  // Written out rather than through hastscript's h(): every page lists every chapter, thousands of items a book.
  const item = (heading: { id: string; text: string }, children: ElementContent[] = []): Element => {
    const href = hrefOf(heading.id);
    return {
      type: 'element',
      tagName: 'li',
      properties: {},
      children: [
        {
          type: 'element',
          tagName: 'a',
          properties: href === currentFile ? { href, ariaCurrent: 'page' } : { href },
          children: [{ type: 'text', value: heading.text }],
        },
        ...children,
      ],
    };
  };
  return h('nav', { id: 'book-sidebar', className: ['book-sidebar'], ariaLabel: book.strings.contents }, [
    h('ol', [
      h('li', { className: ['sidebar-home'] }, [
        h(
          'a',
          { href: INDEX, ariaCurrent: currentFile === INDEX ? 'page' : undefined },
          plainText(book.meta.title),
        ),
      ]),
      ...entries.map((entry) => {
        const onThisPage = hrefOf(entry.heading.id).split('#')[0] === currentFile;
        return item(
          entry.heading,
          onThisPage && entry.children.length
            ? [
                h(
                  'ol',
                  entry.children.map((child) => item(child.heading)),
                ),
              ]
            : [],
        );
      }),
    ]),
  ]);
}

function chapterLinks(
  book: Book,
  prev: string | undefined,
  next: string | undefined,
  titles: Map<string, string>,
  chapters: { chapter: Chapter; file: string }[],
): Element {
  const titleOf = (file: string) =>
    file === INDEX
      ? plainText(book.meta.title)
      : (titles.get(chapters.find((entry) => entry.file === file)?.chapter.id ?? '') ?? file);
  const link = (rel: 'prev' | 'next', file: string | undefined) =>
    file
      ? [
          h('a', { rel: [rel], href: file, className: [`chapter-${rel}`] }, [
            h(
              'span',
              { className: ['chapter-link-label'] },
              rel === 'prev' ? `← ${book.strings.previous}` : `${book.strings.next} →`,
            ),
            h('span', { className: ['chapter-link-title'] }, titleOf(file)),
          ]),
        ]
      : [];
  return h('nav', { className: ['chapter-links'], ariaLabel: book.strings.chapters }, [
    ...link('prev', prev),
    ...link('next', next),
  ]);
}

/** The rights line and the publisher, on every page. */
export function footer(book: Book): Element {
  const { rights, publisher } = book.meta;
  return h('footer', { className: ['book-footer'] }, [
    ...(rights ? [h('p', { className: ['book-rights'] }, rights)] : []),
    ...(publisher ? [h('p', { className: ['book-footer-publisher'] }, publisher)] : []),
  ]);
}

/**
 * The page script, shipped beside the pages as web-book.js. Its source has its own name: the compiled package
 * puts web-book.ts's JavaScript at web-book.js in the same folder.
 */
function webBookScript(): string {
  return readFileSync(path.join(import.meta.dirname, 'web-book.client.js'), 'utf8');
}
