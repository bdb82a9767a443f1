/**
 * Everything Imprint puts on the page after Chromium's one print, from the layout facts (pdf-destinations.ts):
 * blank versos before chapters that would open on one, each page cut to the trim with the inner margin on the
 * spine side, running heads and folios (none on title, copyright, opening and blank pages), the contents page
 * numbers, bookmarks from the Book's headings, page labels and the document metadata. It also says which
 * block each print page begins at, for the EPUB page-list.
 */
import {
  PDFArray,
  PDFContentStream,
  PDFDict,
  type PDFDocument,
  PDFName,
  PDFNumber,
  type PDFOperator,
  type PDFPage,
  type PDFRef,
  popGraphicsState,
  pushGraphicsState,
  ReadingDirection,
  translate,
} from 'pdf-lib';
import { textDirection } from '../../book/text-direction.ts';
import type { Book } from '../../book/types.ts';
import { plainText } from '../assemble.ts';
import type { PageBreak } from '../layout/page-list.ts';
import { type Bookmark, writeBookmarks, writePageLabels } from './bookmarks.ts';
import {
  type CssTextStyle,
  FontFiles,
  type TextStyle,
  ThemeFonts,
  textOnPage,
  textStyle,
} from './draw-text.ts';
import { type PdfMetadata, writePdfMetadata } from './metadata.ts';
import { cssPixels, type PageSize, sideMargin } from './page-geometry.ts';
import { isRightHand, type PlannedPage, planBook } from './page-plan.ts';
import type { Place } from './pdf-destinations.ts';
import { chapterTitle, type PrintDocument, RUNNING_HEAD_MAX, shorten } from './print-document.ts';

const PT_PER_PX = 0.75;

/** What the print document measured of itself before printing (CSS px). */
export interface PrintMeasurements {
  runningHead: CssTextStyle;
  folio: CssTextStyle;
  /** Distance from the running head's baseline up from the text block (its margin-bottom). */
  headGap: number;
  /**
   * Per contents placeholder id: its style, width, distance from the text block's right edge (Chromium's
   * destinations give no x in a right-to-left document) and the distance from its top to its baseline.
   */
  tocNumbers: Record<string, { style: CssTextStyle; width: number; fromRight: number; baseline: number }>;
}

export interface FinishInput {
  book: Book;
  document: PrintDocument;
  size: PageSize;
  measured: PrintMeasurements;
  places: Map<string, Place>;
  meta: PdfMetadata;
  contentKey: string;
  /** The theme's fonts, read ahead by prepareFinishing; read on first use without. */
  fonts?: FontFiles;
}

export interface FinishedLayout {
  plan: PlannedPage[];
  /** Where each folio of the chapters begins, for the EPUB and HTML page-lists. */
  pageBreaks: PageBreak[];
  /** Folios of chapter pages whose first block has no known place, so they have no marker. */
  unmarkedPages: string[];
  /** Final page index (0-based) of every id the layout measured. */
  pageOf: Map<string, number>;
  /** Lifted pull-quotes printed on the same spread as the words they repeat though the chapter goes on past it. */
  pullQuotesBesideSource: number;
}

export async function finishPdf(doc: PDFDocument, input: FinishInput): Promise<FinishedLayout> {
  const { book, document, places } = input;
  const print = book.meta.print;
  const pt = (length: string) => cssPixels(length) * PT_PER_PX;
  const width = pt(input.size.width);
  const height = pt(input.size.height);
  const top = pt(print.margins.top);
  const side = sideMargin(print, input.size) * PT_PER_PX;
  const textWidth = width - pt(print.margins.inner) - pt(print.margins.outer);
  const printedPages = doc.getPages();
  const direction = textDirection(book.meta.lang);
  const renderer = doc.getProducer();

  const startOf = (id: string) => places.get(id)?.page;
  const chapterStarts = document.chapters.map((chapter) => startOf(chapter.start) ?? Number.NaN);
  if (chapterStarts.some((start, index) => Number.isNaN(start) || start < (chapterStarts[index - 1] ?? 0)))
    throw new Error('Chromium wrote no destination for a chapter: the layout facts are incomplete.');
  const tocPages = document.tocNumbers
    .map((entry) => startOf(entry.placeholder))
    .filter((page) => page !== undefined);
  const plan = planBook({
    pageCount: printedPages.length,
    chapterStarts,
    tocStart: tocPages.length ? Math.min(...tocPages) : undefined,
    recto: print.recto,
  });

  plan.forEach((planned, index) => {
    if (planned.source === undefined) doc.insertPage(index, [width, height]);
  });
  const pages = doc.getPages();
  const finalIndex = new Map<number, number>();
  const shifts = new PageShifts(doc);
  plan.forEach((planned, index) => {
    if (planned.source === undefined) return;
    finalIndex.set(planned.source, index);
    // The printed page is wider by the difference of the margins; show the trim with the inner margin inside.
    const left = pt(isRightHand(planned, direction) ? print.margins.inner : print.margins.outer);
    // Moved rather than windowed, so every box starts at 0 as later steps (the press edition) expect.
    shifts.shift(pages[index], left - side);
    pages[index].setMediaBox(0, 0, width, height);
    pages[index].setCropBox(0, 0, width, height);
  });
  const pageOf = new Map<string, number>();
  for (const [id, place] of places) {
    const index = finalIndex.get(place.page);
    if (index !== undefined) pageOf.set(id, index);
  }
  // A destination's y is the page height less its distance from the top of the page area.
  const topOf = (place: Place) => place.y - top;
  // Where the page area's left edge is on the finished page: Imprint's text is drawn after the printed content,
  // outside its shift.
  const areaLeft = (index: number) =>
    pt(isRightHand(plan[index], direction) ? print.margins.inner : print.margins.outer);

  const fonts = new ThemeFonts(doc, input.fonts ?? book.theme.fonts);
  const headStyle = textStyle(input.measured.runningHead);
  const folioStyle = textStyle(input.measured.folio);
  const headBaseline = height - top + input.measured.headGap * PT_PER_PX;
  const { bookTitle, chapterHeads } = runningHeads(book);
  // What Imprint draws on each page, added after the printed content (outside its shift) as one stream.
  const drawn = new Map<PDFPage, PDFOperator[]>();
  const draw = async (
    page: PDFPage,
    text: string,
    style: TextStyle,
    x: number,
    y: number,
    align: 'left' | 'center' | 'right',
    artifact = true,
  ) => {
    const operators = await textOnPage(page, fonts, text, style, {
      x,
      y,
      align,
      artifact,
      lang: book.meta.lang,
    });
    const list = drawn.get(page);
    if (list) list.push(...operators);
    else drawn.set(page, operators);
  };

  for (const [index, planned] of plan.entries()) {
    const page = pages[index];
    const left = areaLeft(index);
    if (planned.kind === 'body' || planned.kind === 'toc') {
      const rightHand = isRightHand(planned, direction);
      const outer = rightHand ? left + textWidth : left;
      await draw(page, planned.folio, folioStyle, outer, headBaseline, rightHand ? 'right' : 'left');
    }
    if (planned.kind === 'body' && planned.chapter !== undefined) {
      const head = planned.recto ? chapterHeads[planned.chapter] : bookTitle;
      await draw(page, head, headStyle, left + textWidth / 2, headBaseline, 'center');
    }
  }

  // One style per distinct measured style: the contents numbers mostly share one.
  const tocStyles = new Map<string, TextStyle>();
  const tocStyle = (css: CssTextStyle) => {
    const key = JSON.stringify(css);
    let style = tocStyles.get(key);
    if (!style) {
      style = textStyle(css);
      tocStyles.set(key, style);
    }
    return style;
  };
  for (const entry of document.tocNumbers) {
    const place = places.get(entry.placeholder);
    const target = pageOf.get(entry.heading);
    const metrics = input.measured.tocNumbers[entry.placeholder];
    const at = place && finalIndex.get(place.page);
    if (!place || at === undefined || target === undefined || !metrics) continue;
    // Set flush to the entry's end, as `.toc-page { text-align: end }` would: its left edge in a right-to-left
    // book, where Chromium's destinations all say x = 0 and the measured offset from the right is used.
    const rtl = direction === 'rtl';
    const x = rtl
      ? textWidth - (metrics.fromRight + metrics.width) * PT_PER_PX
      : place.x + metrics.width * PT_PER_PX;
    await draw(
      pages[at],
      plan[target].folio,
      tocStyle(metrics.style),
      areaLeft(at) + x,
      topOf(place) - metrics.baseline * PT_PER_PX,
      rtl ? 'left' : 'right',
      false,
    );
  }

  for (const [page, operators] of drawn) {
    // Left uncompressed: a few hundred bytes each, and a deflate per page cost more than it saved.
    const stream = doc.context.register(PDFContentStream.of(doc.context.obj({}), operators, false));
    // A page drawn on is normalized (its fonts were added), so its Contents is an array; addContentStream would
    // first walk up the page tree for inherited resources, on every page.
    const contents = page.node.Contents();
    if (contents instanceof PDFArray) contents.push(stream);
    else page.node.addContentStream(stream);
  }

  const bookmarks: Bookmark[] = [];
  book.chapters.forEach((chapter, index) => {
    const start = places.get(document.chapters[index].start);
    const at = start && finalIndex.get(start.page);
    if (at === undefined) return;
    const sections = chapter.headings.filter((heading) => heading.depth === 2);
    bookmarks.push({
      title: chapterTitle(chapter),
      page: at,
      top: height,
      children: sections.flatMap((heading) => {
        const place = places.get(heading.id);
        const page = pageOf.get(heading.id);
        return place && page !== undefined
          ? [{ title: heading.text, page, top: topOf(place), children: [] }]
          : [];
      }),
    });
  });
  writeBookmarks(doc, bookmarks);
  writePageLabels(
    doc,
    plan.findIndex((planned) => planned.chapter !== undefined),
  );
  doc.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
  // A viewer showing two pages side by side then puts page 2 on the right of page 3, as the bound book does.
  if (direction === 'rtl')
    doc.catalog.getOrCreateViewerPreferences().setReadingDirection(ReadingDirection.R2L);
  writePdfMetadata(doc, input.meta, renderer, input.contentKey);

  // Page 1 stands alone; then 2–3, 4–5 … face each other.
  const spread = (index: number) => Math.floor((index + 1) / 2);
  // Counted where the chapter goes on past the source's spread, so the quote could have gone elsewhere.
  const pullQuotesBesideSource = document.chapters
    .flatMap((chapter, index) => {
      const last = plan.map((planned) => planned.chapter).lastIndexOf(index);
      return chapter.pullQuotes.map((pull) => ({ pull, last }));
    })
    .filter(({ pull, last }) => {
      const quote = pageOf.get(pull.quote);
      const source = pageOf.get(pull.source);
      return (
        quote !== undefined &&
        source !== undefined &&
        spread(quote) === spread(source) &&
        spread(last) > spread(source)
      );
    }).length;
  const { breaks, unmarked } = pageBreaks(plan, document, pageOf);
  return { plan, pageBreaks: breaks, unmarkedPages: unmarked, pageOf, pullQuotesBesideSource };
}

/** The words of the running heads: the book's title on versos, the chapter's on rectos. */
function runningHeads(book: Book): { bookTitle: string; chapterHeads: string[] } {
  return {
    bookTitle: shorten(plainText(book.meta.title), RUNNING_HEAD_MAX),
    chapterHeads: book.chapters.map((chapter) => shorten(chapterTitle(chapter), RUNNING_HEAD_MAX)),
  };
}

/**
 * The fonts the finishing draws with, read, parsed and shaped with its texts once: called while Chromium prints,
 * when node would otherwise only wait. Reading a WOFF2's name inflates the whole font, and fontkit parses its
 * tables on first use.
 */
export function prepareFinishing(book: Book, measured: PrintMeasurements): FontFiles {
  const files = new FontFiles(book.theme.fonts);
  const { bookTitle, chapterHeads } = runningHeads(book);
  const head = textStyle(measured.runningHead);
  const cased = (text: string) => (head.uppercase ? text.toLocaleUpperCase(book.meta.lang) : text);
  files.warm([bookTitle, ...chapterHeads].map(cased), head);
  // One by one, as folios and contents numbers are laid out (draw-text.ts).
  const figures = [...'0123456789ivxlcdm'];
  files.warm(figures, textStyle(measured.folio));
  const numberStyles = new Map(
    Object.values(measured.tocNumbers).map((entry) => [JSON.stringify(entry.style), entry.style]),
  );
  for (const style of numberStyles.values()) files.warm(figures, textStyle(style));
  return files;
}

/**
 * Moves printed pages' content and link areas to the right. Every page moved by the same distance shares one
 * pair of tiny content streams around its own (pdf-lib's translateContent makes and compresses a pair per page).
 */
class PageShifts {
  private readonly wraps = new Map<number, [PDFRef, PDFRef]>();

  constructor(private readonly doc: PDFDocument) {}

  shift(page: PDFPage, dx: number): void {
    if (dx === 0) return;
    let wrap = this.wraps.get(dx);
    if (!wrap) {
      const context = this.doc.context;
      wrap = [
        context.register(context.contentStream([pushGraphicsState(), translate(dx, 0)])),
        context.register(context.contentStream([popGraphicsState()])),
      ];
      this.wraps.set(dx, wrap);
    }
    page.node.normalize();
    page.node.wrapContentStreams(...wrap);
    const annots = page.node.Annots();
    for (let index = 0; index < (annots?.size() ?? 0); index++) {
      const annot = annots?.lookup(index);
      if (!(annot instanceof PDFDict)) continue;
      for (const key of ['Rect', 'QuadPoints']) {
        const box = annot.lookup(PDFName.of(key));
        if (!(box instanceof PDFArray)) continue;
        for (let at = 0; at < box.size(); at += 2) {
          const value = box.lookup(at);
          if (value instanceof PDFNumber) box.set(at, PDFNumber.of(value.asNumber() + dx));
        }
      }
    }
  }
}

/**
 * Each chapter page's folio and the block it is said to begin at: the first block that starts on that page or
 * later (a page that begins inside a long paragraph and ends in it shares the next block with its successor).
 * Only blocks that can begin a page have a place (prune-layout-links.ts): a block is taken only when the one
 * before it has a place too, which shows that it is the first; otherwise the page gets no marker rather than
 * a wrong one (the print then broke more than one block away from the layout measured before it).
 */
function pageBreaks(
  plan: PlannedPage[],
  document: PrintDocument,
  pageOf: Map<string, number>,
): { breaks: PageBreak[]; unmarked: string[] } {
  const breaks: PageBreak[] = [];
  const unmarked: string[] = [];
  for (const chapter of document.chapters) {
    const pages = chapter.blocks.map((id) => pageOf.get(id) ?? -1);
    // A block the print moved on to a later page (a figure to the next page's top) counts as on the page of
    // the next block with a place, where the other editions have it.
    let next = -1;
    for (let at = pages.length - 1; at >= 0; at--) {
      if (pages[at] < 0) continue;
      if (next >= 0 && pages[at] > next) pages[at] = next;
      next = pages[at];
    }
    let block = 0;
    plan.forEach((planned, index) => {
      if (planned.source === undefined || (planned.kind !== 'opening' && planned.kind !== 'body')) return;
      if (document.chapters[planned.chapter ?? -1] !== chapter) return;
      while (block < pages.length && pages[block] < index) block++;
      if (block >= pages.length) return;
      if (block > 0 && pages[block - 1] < 0) unmarked.push(planned.folio);
      else breaks.push({ folio: planned.folio, chapterId: chapter.chapterId, block });
    });
  }
  return { breaks, unmarked };
}
