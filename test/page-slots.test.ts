/**
 * The EPUB and HTML documents made before the print's page list is known (slots where a page can begin, filled
 * in afterwards: src/outputs/layout/page-slots.ts) are the documents made with the page list from the start,
 * byte for byte: markers at the first block, the last, two pages on one block, a page past the last block (left
 * out), with pull-quotes, footnotes, tables and figures; the navigation's page-list and the anchors the same;
 * and the same without a page list. A chapter that links to a page marker's id is made afresh, not drafted.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Book } from '../src/book/types.ts';
import { loadBook } from '../src/index.ts';
import { draftEpubChapters, epubDocuments } from '../src/outputs/epub/epub-documents.ts';
import { webBook } from '../src/outputs/html/web-book.ts';
import { pageAnchorBlocks } from '../src/outputs/layout/page-anchor-blocks.ts';
import type { PageBreak, PageList } from '../src/outputs/layout/page-list.ts';
import type { PageDraft } from '../src/outputs/layout/page-slots.ts';
import { placePullQuotes } from '../src/outputs/layout/pull-quotes.ts';
import { generateBook } from './support/generate-book.ts';

/** Pages at the first block, every fifth, two on the third, on the last, and one past the end of each chapter. */
function pageListOf(book: Book): PageList {
  const breaks: PageBreak[] = [];
  let folio = 1;
  for (const chapter of book.chapters) {
    const tree = structuredClone(chapter.tree);
    placePullQuotes(tree);
    const count = pageAnchorBlocks(tree).length;
    const blocks = [
      0,
      2,
      2,
      ...Array.from({ length: Math.floor(count / 5) }, (_, i) => 5 * (i + 1)),
      count - 1,
    ];
    for (const block of [...new Set(blocks.filter((b) => b < count)), 2, count + 3].sort((a, b) => a - b)) {
      breaks.push({ folio: String(folio++), chapterId: chapter.id, block });
    }
  }
  return { key: 'test', breaks };
}

async function webDrafts(book: Book): Promise<Map<string, PageDraft>> {
  const draft = webBook(book, 'screen.css');
  const drafts = new Map<string, PageDraft>();
  for (const page of draft.pages) if (page.chapter) drafts.set(page.path, draft.draftChapter(page.path));
  return drafts;
}

function epubTexts(book: Book, options: Parameters<typeof epubDocuments>[1]) {
  const edition = epubDocuments(book, options);
  return {
    documents: edition.documents.map((document) => [document.path, document.render()]),
    navigation: edition.navigation.render(),
    pages: edition.pages(),
    anchors: [...edition.anchors()].sort(([a], [b]) => a.localeCompare(b)),
  };
}

const webTexts = (book: Book, pageList?: PageList, drafts?: Map<string, PageDraft>) =>
  webBook(book, 'screen.css', pageList, undefined, undefined, drafts).pages.map((page) => [
    page.path,
    page.render(),
  ]);

let book: Book;
let pageList: PageList;

beforeAll(async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'imprint-page-slots-'));
  const generated = generateBook(path.join(root, 'manuscript'), {
    chapters: 3,
    pullQuoteEvery: 2,
    withFootnotes: true,
    withTables: true,
    withFigures: true,
  });
  book = await loadBook(generated.dir, { cache: false });
  pageList = pageListOf(book);
}, 120_000);

describe('documents made before the page list, then filled in', () => {
  it('are the EPUB documents made with the page list, with the same page-list and anchors', async () => {
    const drafts = await draftEpubChapters(book);
    expect(drafts.every((draft) => draft && draft.slots > 10)).toBe(true);
    const direct = epubTexts(book, { pageList });
    const filled = epubTexts(book, { pageList, drafts });
    // The test's page list reaches the documents: two markers on one block, none past the last block.
    expect(direct.pages.length).toBe(pageList.breaks.length - book.chapters.length);
    expect(direct.documents.some(([, text]) => /<\/span><span epub:type="pagebreak"/.test(text))).toBe(true);
    expect(filled).toEqual(direct);
    expect(filled.documents.join('')).not.toContain('imprint-page-slot');
  });

  it('are the web book pages made with the page list', async () => {
    const direct = webTexts(book, pageList);
    expect(direct.filter(([, text]) => text.includes('role="doc-pagebreak"')).length).toBe(
      book.chapters.length,
    );
    expect(webTexts(book, pageList, await webDrafts(book))).toEqual(direct);
  });

  it('are the documents made without a page list when the PDF gave none', async () => {
    expect(epubTexts(book, { drafts: await draftEpubChapters(book) })).toEqual(epubTexts(book, {}));
    expect(webTexts(book, undefined, await webDrafts(book))).toEqual(webTexts(book));
  });

  it('leave a chapter that links to a page marker to be made with the page list', async () => {
    // The pipeline gives every manuscript link its chapter's prefix; a Book made otherwise (the API takes any)
    // can still link to a marker's id.
    const root = mkdtempSync(path.join(os.tmpdir(), 'imprint-page-slots-link-'));
    const linking = await loadBook(generateBook(path.join(root, 'manuscript'), { chapters: 2 }).dir, {
      cache: false,
    });
    const list = pageListOf(linking);
    const target = list.breaks.find((entry) => entry.chapterId === linking.chapters[1].id && entry.block > 0);
    if (!target) throw new Error('no page in the second chapter');
    linking.chapters[0].tree.children.push({
      type: 'element',
      tagName: 'p',
      properties: {},
      children: [
        { type: 'element', tagName: 'a', properties: { href: `#page-${target.folio}` }, children: [] },
      ],
    });
    const drafts = await draftEpubChapters(linking);
    expect(drafts[0]).toBeUndefined();
    expect(drafts[1]).toBeDefined();
    const filled = epubTexts(linking, { pageList: list, drafts });
    expect(filled).toEqual(epubTexts(linking, { pageList: list }));
    // The link leads to the page marker in the other file, as it does without drafts.
    const first = filled.documents.find(([file]) => file.endsWith(`-${linking.chapters[0].id}.xhtml`));
    expect(first?.[1]).toContain(`.xhtml#page-${target.folio}"`);
  });
});
