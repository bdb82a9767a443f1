/**
 * The numbers follow the print: contents numbers, bookmarks and the EPUB page-list all come from where the
 * one print put things. Half a page of text added before chapter 3 moves every later chapter, and each of the
 * three must move to the page where pdftotext now finds the chapter's first words. Headings that used to
 * defeat title matching (inline code, repeated titles, capitals by CSS, CJK, headings pushed to the next
 * page) get the right numbers and bookmarks, and no chapter opening is a page with a title alone.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { selectAll } from 'hast-util-select';
import { toString as hastToString } from 'hast-util-to-string';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBookLoader } from '../src/book/load-book.ts';
import type { Book } from '../src/book/types.ts';
import { tocTree } from '../src/outputs/assemble.ts';
import { renderEpub } from '../src/outputs/epub.ts';
import { pageAnchorBlocks } from '../src/outputs/layout/page-anchor-blocks.ts';
import { cachedPageList, storePageList } from '../src/outputs/layout/page-list.ts';
import { type RenderedPdf, renderPdf } from '../src/outputs/pdf/render-pdf.ts';
import { launchBrowser } from '../src/platform/browser/launch-browser.ts';
import { checkEpub } from './support/check-epub.ts';
import { generateBook } from './support/generate-book.ts';
import { pdfOutline, pdfPageLabels, pdfPageTexts, squeeze } from './support/pdf-tools.ts';
import { readZip } from './support/read-zip.ts';

const BUILD_DATE = new Date(Date.UTC(2024, 4, 1));
/** A 1×1 PNG: these EPUBs need a cover, not a rendered one. */
const TINY_PNG = new Uint8Array(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64',
  ),
);
let browser: Browser;
let work: string;

interface Printed {
  book: Book;
  file: string;
  result: RenderedPdf;
  texts: string[];
  labels: string[];
}

async function print(manuscript: string, name: string): Promise<Printed> {
  const book = createBookLoader()(manuscript);
  const workDir = mkdtempSync(path.join(work, 'print-'));
  const result = await renderPdf(book, browser, { buildDate: BUILD_DATE, workDir });
  if (!result.pdf) throw new Error(JSON.stringify(result.diagnostics));
  const file = path.join(work, `${name}.pdf`);
  writeFileSync(file, result.pdf);
  const labels = pdfPageLabels(file);
  return { book, file, result, texts: pdfPageTexts(file, labels.length), labels };
}

/** The 1-based page after the contents where the squeezed words first appear. */
function pageWith(printed: Printed, words: string): number {
  const start = printed.labels.indexOf('1');
  const index = printed.texts.findIndex((text, at) => at >= start && squeeze(text).includes(words));
  return index + 1;
}

/** The number each contents line ends with, in order. */
function contentsNumbers(printed: Printed): string[] {
  const start = printed.texts.findIndex((text) => /C\s*O\s*N\s*T\s*E\s*N\s*T\s*S/.test(text));
  const end = printed.labels.indexOf('1');
  return printed.texts
    .slice(start, end)
    .flatMap((text) => text.split('\n'))
    .map((line) => /\S.*?\s(\d+)\s*$/.exec(line)?.[1])
    .filter((number): number is string => number !== undefined);
}

/** The first words of a chapter's text, below its title block. */
function firstWords(book: Book, chapter: number): string {
  const source = readFileSync(book.chapters[chapter].path, 'utf8').split(/^---$/m)[2];
  const paragraph = source.trim().split(/\n\s*\n/)[0];
  return squeeze(paragraph.split(/\s+/).slice(0, 6).join(' '));
}

/** Folio → the squeezed text that follows its page-break marker in the EPUB's chapters. */
async function epubPages(book: Book, result: RenderedPdf) {
  const bytes = await renderEpub(book, {
    buildDate: BUILD_DATE,
    cover: { png: TINY_PNG },
    pageList: result.pageList,
  });
  const entries = readZip(bytes);
  const text = (name: string) =>
    new TextDecoder().decode(entries.find((entry) => entry.name === name)?.data ?? new Uint8Array());
  const after = new Map<string, string>();
  for (const entry of entries.filter((item) => /^OEBPS\/\d+-.*\.xhtml$/.test(item.name))) {
    const xhtml = text(entry.name);
    for (const match of xhtml.matchAll(
      /<span epub:type="pagebreak" role="doc-pagebreak" id="page-(\d+)"[^>]*>/g,
    )) {
      const rest = xhtml.slice((match.index ?? 0) + match[0].length, (match.index ?? 0) + 3000);
      after.set(match[1], squeeze(rest.replace(/<[^>]+>/g, ' ')));
    }
  }
  const nav = text('OEBPS/toc.xhtml');
  return { bytes, after, nav };
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'imprint-facts-'));
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('half a page of text added before chapter 3', () => {
  let before: Printed;
  let after: Printed;
  const CHAPTERS = 5;

  beforeAll(async () => {
    const manuscript = path.join(work, 'moving');
    const generated = generateBook(manuscript, {
      chapters: CHAPTERS,
      sectionsPerChapter: 2,
      turnsPerSection: 2,
      book: { toc: true },
    });
    before = await print(manuscript, 'before');
    // About half a 6×9 page: twenty lines of text at the end of chapter 2.
    const chapter2 = path.join(manuscript, generated.chapterFiles[1]);
    const extra = Array.from(
      { length: 4 },
      (_, index) =>
        `Added paragraph ${index + 1}: ${'the council of the harbour argued over the railway and the archive. '.repeat(4)}`,
    ).join('\n\n');
    writeFileSync(chapter2, `${readFileSync(chapter2, 'utf8')}\n\n${extra}\n`);
    after = await print(manuscript, 'after');
  }, 240_000);

  it('moves the later chapters', () => {
    const moved = [2, 3, 4].filter(
      (chapter) =>
        pageWith(before, firstWords(before.book, chapter)) !==
        pageWith(after, firstWords(after.book, chapter)),
    );
    expect(moved.length).toBeGreaterThan(0);
  });

  it('gives every chapter its contents number, bookmark and page-list entry where its first words are', async () => {
    for (const printed of [before, after]) {
      const { book } = printed;
      const numbers = contentsNumbers(printed);
      const entries = tocTree(book).flatMap((entry) => [
        entry.heading,
        ...entry.children.map((child) => child.heading),
      ]);
      expect(numbers).toHaveLength(entries.length);
      const chapterBookmarks = pdfOutline(printed.file).filter((item) => item.depth === 1);
      const epub = await epubPages(book, printed.result);
      for (let chapter = 0; chapter < CHAPTERS; chapter++) {
        const page = pageWith(printed, firstWords(book, chapter));
        expect(page, `chapter ${chapter + 1}'s first words`).toBeGreaterThan(0);
        const folio = printed.labels[page - 1];
        const title = book.chapters[chapter].headings[0];
        expect(numbers[entries.indexOf(title)], `contents number of chapter ${chapter + 1}`).toBe(folio);
        expect(chapterBookmarks[chapter].page, `bookmark of chapter ${chapter + 1}`).toBe(page);
        expect(epub.after.get(folio), `page-list entry ${folio}`).toContain(firstWords(book, chapter));
        expect(epub.nav).toContain(`#page-${folio}">${folio}</a>`);
      }
    }
  });

  it('writes an EPUB with the page-list that epubcheck accepts, naming the print edition as its source', async () => {
    const epub = await epubPages(after.book, after.result);
    const file = path.join(work, 'after.epub');
    writeFileSync(file, epub.bytes);
    const opf = new TextDecoder().decode(
      readZip(epub.bytes).find((entry) => entry.name.endsWith('.opf'))?.data,
    );
    expect(opf).toMatch(/<dc:source id="print-source">[^<]+<\/dc:source>/);
    expect(opf).toContain('<meta refines="#print-source" property="source-of">pagination</meta>');
    expect(epub.nav).toContain('epub:type="page-list"');
    expect(await checkEpub(file, 'after.epub')).toMatchObject({ status: 'passed', diagnostics: [] });
  }, 300_000);

  it('keeps the page-list for a later EPUB-only build of the same content, and only of the same content', () => {
    const saved = { ...process.env };
    try {
      delete process.env.IMPRINT_PAGE_LIST_CACHE;
      process.env.IMPRINT_CACHE_DIR = path.join(work, 'cache');
      const list = after.result.pageList;
      if (!list) throw new Error('The PDF build made no page-list.');
      storePageList(list);
      expect(cachedPageList(after.book)).toEqual(list);
      // The book before the added text is other content: its layout is not the cached one.
      expect(cachedPageList(before.book)).toBeUndefined();
    } finally {
      process.env = saved;
    }
  });

  it('gives only the blocks that can begin a page a destination, and still marks every chapter page', () => {
    const layout = after.result.layout;
    if (!layout) throw new Error('no layout');
    // Blocks without an id of their own are named imprint-block-<chapter>-<n> in the print document.
    const unnamed = after.book.chapters.reduce(
      (sum, chapter) =>
        sum + pageAnchorBlocks(structuredClone(chapter.tree)).filter((block) => !block.properties.id).length,
      0,
    );
    const placed = [...layout.pageOf.keys()].filter((id) => id.startsWith('imprint-block-')).length;
    expect(placed).toBeGreaterThan(0);
    expect(placed).toBeLessThan(unnamed);
    expect(layout.unmarkedPages).toEqual([]);
    const chapterPages = layout.plan.filter(
      (page) => page.source !== undefined && (page.kind === 'opening' || page.kind === 'body'),
    );
    expect(layout.pageBreaks.length).toBe(chapterPages.length);
  });

  it('puts each sampled page-list marker before text that is on that page of the PDF', async () => {
    const epub = await epubPages(after.book, after.result);
    const folios = [...epub.after.keys()];
    expect(folios.length).toBeGreaterThan(10);
    for (const folio of folios.filter((_, index) => index % 3 === 0)) {
      const page = after.labels.indexOf(folio) + 1;
      // The first few words after the marker: the start of the first block that begins on the page.
      const words = epub.after.get(folio)?.slice(0, 24) ?? '';
      expect(squeeze(after.texts[page - 1]), `page ${folio}`).toContain(words);
    }
  });
});

describe('headings that title matching got wrong', () => {
  let printed: Printed;
  beforeAll(async () => {
    const manuscript = path.join(work, 'headings');
    mkdirSync(manuscript, { recursive: true });
    writeFileSync(path.join(manuscript, 'book.yaml'), 'title: Heading Trouble\nlang: en\ntoc: true\n');
    const filler = (n: number) =>
      Array.from({ length: n }, (_, index) =>
        `Paragraph ${index + 1} goes on about iterators, traits and students for a while, long enough to fill some lines of the page. `.repeat(
          3,
        ),
      ).join('\n\n');
    const chapters = [
      [
        'The Iterator Trait',
        ['The `Iterator` Trait and the `next` Method', 'Students', '*Emphasis* and **strong** words'],
      ],
      [
        'Students',
        [
          'Students',
          'Students again',
          'Long Heading That Wraps Over Two Lines Because It Has Very Many Words In It',
        ],
      ],
      ['東京と大阪の物語', ['東京の章', 'Osaka (大阪)']],
    ] as const;
    chapters.forEach(([title, sections], index) => {
      const body = sections.flatMap((section, at) => [`## ${section}`, '', filler(3 + ((index + at) % 4))]);
      writeFileSync(
        path.join(manuscript, `${index + 1}-chapter.md`),
        [`# ${title}`, '', filler(2), '', ...body].join('\n'),
      );
    });
    // Sections of growing length: section 9's heading lands at the top of a page, pushed from the foot of the
    // one before (Chromium's own outline doubled such headings).
    const pushing = ['# Pushing', ''];
    for (let n = 1; n <= 14; n++)
      pushing.push(`Sentence ${n} about the railway. `.repeat(4 + n), '', `## Section ${n} heading`, '');
    writeFileSync(path.join(manuscript, '4-chapter.md'), pushing.join('\n'));
    printed = await print(manuscript, 'headings');
  }, 240_000);

  it("bookmarks every chapter and section in the author's words, at the heading's page", () => {
    const { book } = printed;
    const outline = pdfOutline(printed.file);
    const expected = book.chapters.flatMap((chapter) =>
      chapter.headings.filter((heading) => heading.depth <= 2).map((heading) => heading.text),
    );
    expect(outline.map((item) => item.title)).toEqual(expected);
    for (const [index, item] of outline.entries()) {
      // CJK has no glyphs in the default theme's fonts: its text is not searchable, its page is checked by order.
      if (/[\u3040-\u9fff]/.test(item.title)) continue;
      const text = squeeze(printed.texts[item.page - 1]);
      expect(text, `"${item.title}" on page ${item.page}`).toContain(squeeze(item.title));
      if (index > 0) expect(item.page).toBeGreaterThanOrEqual(outline[index - 1].page);
    }
  });

  it('numbers each contents entry with the folio of its bookmark, repeated titles included', () => {
    const { book } = printed;
    // The contents and the bookmarks list the same headings in the same order.
    const entries = tocTree(book).flatMap((entry) => [
      entry.heading,
      ...entry.children.map((child) => child.heading),
    ]);
    const outline = pdfOutline(printed.file);
    expect(outline.map((item) => item.title)).toEqual(entries.map((heading) => heading.text));
    expect(contentsNumbers(printed)).toEqual(outline.map((item) => printed.labels[item.page - 1]));
    expect(outline.filter((item) => item.title === 'Students')).toHaveLength(3);
    // At least one section heading was pushed to the top of a page (below the running head), and its
    // bookmark and contents number (checked above) name that page.
    const pushed = outline.filter((item) => {
      if (!/^Section \d+ heading$/.test(item.title)) return false;
      const lines = printed.texts[item.page - 1].split('\n').filter((line) => line.trim());
      return squeeze(lines[1] ?? '') === squeeze(item.title);
    });
    expect(pushed.length).toBeGreaterThan(0);
  });
});

describe('a 40-chapter book', () => {
  it("has no title-only page: each opening page holds the start of the chapter's text", async () => {
    const manuscript = path.join(work, 'forty');
    generateBook(manuscript, {
      chapters: 40,
      sectionsPerChapter: 1,
      turnsPerSection: 2,
      withFigures: true,
      book: { toc: true },
    });
    const printed = await print(manuscript, 'forty');
    const openings = pdfOutline(printed.file).filter((item) => item.depth === 1);
    expect(openings).toHaveLength(40);
    for (const [chapter, opening] of openings.entries()) {
      expect(opening.page % 2, `chapter ${chapter + 1} on a recto`).toBe(1);
      expect(squeeze(printed.texts[opening.page - 1]), `opening of chapter ${chapter + 1}`).toContain(
        firstWords(printed.book, chapter),
      );
    }
    // Blank pages are only the versos before openings (and one after the front matter).
    for (const [index, text] of printed.texts.entries()) {
      if (text.trim()) continue;
      expect(openings.map((item) => item.page)).toContain(index + 2);
    }
  }, 240_000);
});

describe('pull-quotes', () => {
  it('never share a spread with the words they repeat when the chapter is long enough', async () => {
    const manuscript = path.join(work, 'pulls');
    generateBook(manuscript, { chapters: 2, sectionsPerChapter: 3, turnsPerSection: 4, pullQuoteEvery: 2 });
    const printed = await print(manuscript, 'pulls');
    const quotes = [...(printed.result.layout?.pageOf.keys() ?? [])].filter((id) =>
      id.startsWith('imprint-pull-'),
    );
    expect(quotes.length).toBeGreaterThan(6);
    expect(printed.result.layout?.pullQuotesBesideSource).toBe(0);
  }, 240_000);

  it('never stack, stand alone on a page, close the chapter or share the spread of their words (the seed)', async () => {
    const printed = await print(path.resolve('manuscript'), 'seed-pulls');
    const quotes = printed.book.chapters.flatMap((chapter) =>
      selectAll('.pullquote-text', chapter.tree).map((node) => squeeze(hastToString(node))),
    );
    expect(quotes.length).toBeGreaterThan(1);
    // Each quote where the layout facts put it (a quote near the chapter's end goes before its source, so its
    // place is not always the later of the two occurrences), in reading order.
    const pages = printed.texts.map(squeeze);
    const found = quotes
      .map((quote, index) => {
        const page = printed.result.layout?.pageOf.get(`imprint-pull-1-${index + 1}`) ?? -1;
        const offset = pages.slice(0, Math.max(0, page)).join('').length;
        const at = page < 0 ? -1 : pages[page].indexOf(quote);
        return {
          id: index + 1,
          page,
          quote,
          at: offset + at,
          end: offset + at + quote.length,
          found: at >= 0,
        };
      })
      .filter((quote) => quote.page >= 0)
      .sort((a, b) => a.at - b.at);
    expect(found.filter((quote) => quote.found)).toHaveLength(found.length);
    // The third repeats words of the last answer, on the chapter's last spread: the print leaves it out, and
    // says so at its :pull[…].
    const dropped = printed.result.diagnostics.filter((d) => d.code === 'pull-quote-dropped');
    expect(found.map((quote) => quote.id).sort()).toEqual([1, 2]);
    expect(dropped.map((d) => `${d.file}:${d.line}:${d.column}:${d.severity}`)).toEqual([
      'manuscript/01-interview.md:50:7:info',
    ]);
    // Between two quotes there is always some of the chapter's own text.
    for (let index = 1; index < found.length; index++) {
      expect(found[index].at - found[index - 1].end, 'text between two pull-quotes').toBeGreaterThan(20);
    }
    // No page holds a quote and nothing else of the chapter (the third quote once stood alone on page 7).
    for (const { page } of found) {
      const rest = quotes.reduce((text, quote) => text.replace(quote, ''), pages[page]);
      expect(rest.length, `text beside the quote on page ${page + 1}`).toBeGreaterThan(200);
    }
    // The last page ends with the chapter's own words, not with a quote.
    expect(pages[pages.length - 1].endsWith(squeeze('but let’s hope.'))).toBe(true);
  }, 240_000);
});
