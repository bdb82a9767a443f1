/**
 * The print edition's pages in the EPUB and HTML editions: a page-break marker where each print page begins
 * (DPUB-ARIA `doc-pagebreak`, EPUB `pagebreak`) and the list of them. The PDF build measures where its pages
 * begin (finish-pdf.ts) and hands the list to the other editions of the same run, and keeps it in a cache
 * keyed by everything that decides the print layout, so a later EPUB-only build of the same content has it.
 *
 * Accuracy: a marker sits before the first block (paragraph, heading, listing, table, figure, list) that
 * starts on its page; the text of a paragraph that runs over from the previous page comes before it.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Element, ElementContent, Root } from 'hast';
import { treeDigest } from '../../book/tree-digest.ts';
import type { Book } from '../../book/types.ts';
import { IMPRINT_VERSION } from '../../imprint-package.ts';
import type { OutputContext } from '../output.ts';
import { pageAnchorBlocks } from './page-anchor-blocks.ts';

export interface PageBreak {
  /** The folio printed on the page, e.g. "112". */
  folio: string;
  chapterId: string;
  /** Index in the chapter's pageAnchorBlocks(). */
  block: number;
}

export interface PageList {
  /** layoutKey() of the book the print was made from. */
  key: string;
  breaks: PageBreak[];
}

/** Everything that decides where the print pages break: content, theme, settings, Imprint's version. */
export function layoutKey(book: Book): string {
  const hash = createHash('sha256');
  hash.update(IMPRINT_VERSION);
  hash.update(JSON.stringify(book.meta));
  hash.update(book.theme.css.print);
  for (const font of book.theme.fonts) hash.update(font.source);
  for (const chapter of book.chapters) hash.update(treeDigest(chapter.tree));
  return hash.digest('hex');
}

/**
 * In the cache folder the chapter cache uses (IMPRINT_CACHE_DIR, else $XDG_CACHE_HOME/imprint or
 * ~/.cache/imprint), under page-lists/. IMPRINT_CACHE=0 or IMPRINT_PAGE_LIST_CACHE=0 turns it off.
 */
function cacheFile(key: string): string | undefined {
  const env = process.env;
  if (env.IMPRINT_CACHE === '0' || env.IMPRINT_PAGE_LIST_CACHE === '0') return undefined;
  const base =
    env.IMPRINT_CACHE_DIR ||
    path.join(env.XDG_CACHE_HOME || path.join(os.homedir() || os.tmpdir(), '.cache'), 'imprint');
  return path.join(base, 'page-lists', `${key}.json`);
}

/** Keeps the page list for later builds of the same content; a cache that cannot be written is skipped. */
export function storePageList(list: PageList): void {
  const file = cacheFile(list.key);
  if (!file) return;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(list));
  } catch {
    // Only a later EPUB-only build would have used it.
  }
}

export function cachedPageList(book: Book): PageList | undefined {
  const key = layoutKey(book);
  const file = cacheFile(key);
  if (!file) return undefined;
  try {
    const list = JSON.parse(readFileSync(file, 'utf8')) as PageList;
    return list.key === key && Array.isArray(list.breaks) ? list : undefined;
  } catch {
    return undefined;
  }
}

/** The marker's id in every edition. */
export function pageBreakId(folio: string): string {
  return `page-${folio}`;
}

/** The marker before the first block of the page `folio`; `epub` adds `epub:type="pagebreak"`. */
export function pageBreakMarker(folio: string, epub: boolean): Element {
  return {
    type: 'element',
    tagName: 'span',
    properties: {
      ...(epub ? { 'epub:type': 'pagebreak' } : {}),
      role: 'doc-pagebreak',
      id: pageBreakId(folio),
      ariaLabel: folio,
    },
    children: [],
  };
}

/**
 * Puts the markers of `chapterId`'s pages into its tree (a clone), before the blocks the pages begin at.
 * @param epub add `epub:type="pagebreak"` (the EPUB's XHTML); the HTML edition gets the ARIA role alone.
 * @returns the folios placed, in order.
 */
export function insertPageBreaks(tree: Root, chapterId: string, list: PageList, epub: boolean): string[] {
  const breaks = list.breaks.filter((entry) => entry.chapterId === chapterId);
  if (!breaks.length) return [];
  const blocks = pageAnchorBlocks(tree);
  const parents = new Map<Element, Root | Element>();
  const walk = (node: Root | Element) => {
    for (const child of node.children) {
      if (child.type !== 'element') continue;
      parents.set(child, node);
      walk(child);
    }
  };
  walk(tree);
  const placed: string[] = [];
  for (const entry of breaks) {
    const block = blocks[entry.block];
    const parent = block && parents.get(block);
    if (!block || !parent) continue;
    const siblings = parent.children as ElementContent[];
    siblings.splice(siblings.indexOf(block), 0, pageBreakMarker(entry.folio, epub));
    placed.push(entry.folio);
  }
  return placed;
}

/**
 * How the PDF edition of a build hands its page list to the EPUB and HTML editions of the same build, which
 * run side by side with it.
 */
export class PageListChannel {
  private resolve!: (list: PageList | undefined) => void;
  private resolveBusy!: () => void;
  readonly list: Promise<PageList | undefined> = new Promise((resolve) => {
    this.resolve = resolve;
  });
  /**
   * Settles when the PDF has handed its document to Chromium (or ended): from then on node mostly waits, and
   * the other editions make what does not need the page list (layout/page-slots.ts) without delaying the print.
   */
  readonly browserBusy: Promise<void> = new Promise((resolve) => {
    this.resolveBusy = resolve;
  });

  printing(): void {
    this.resolveBusy();
  }

  publish(list: PageList | undefined): void {
    this.resolveBusy();
    this.resolve(list);
  }
}

/**
 * The page list for an edition of this build: the PDF's of the same run, else one cached for the same content.
 * Without either, the EPUB (whose page-list reading systems show) says so with an info diagnostic; the HTML
 * edition, read on screen, just has no page markers.
 */
export async function resolvePageList(
  book: Book,
  context: OutputContext,
  edition: 'EPUB' | 'HTML',
): Promise<PageList | undefined> {
  const list = (context.pageList && (await context.pageList.list)) ?? cachedPageList(book);
  if (!list && edition === 'EPUB') {
    context.report({
      code: 'page-list-missing',
      severity: 'info',
      message: `The ${edition} edition has no print page numbers: no PDF of this content was built in this run or before.`,
      hint: 'Build the PDF in the same run (imprint build --format pdf,epub) or once before.',
    });
  }
  return list;
}
