/**
 * A chapter's document made before the print's page list is known: in an all-editions build the EPUB and HTML
 * would otherwise wait for the PDF before doing any work, while node sits idle for seconds as Chromium lays out
 * and prints. A comment (a slot) goes before every block a page can begin at (pageAnchorBlocks, the
 * enumeration insertPageBreaks uses), the document is made and serialised, and once the page list is known
 * each slot becomes the markers of the pages that begin there, or nothing: the same text insertPageBreaks
 * and the same serialiser would have given, as a comment and a marker each serialise on their own.
 */
import { randomBytes } from 'node:crypto';
import type { Comment, Element, ElementContent, Root } from 'hast';
import { pageAnchorBlocks } from './page-anchor-blocks.ts';
import type { PageBreak } from './page-list.ts';

/** Per process, so no text of the book can spell a slot (the sanitiser drops comments anyway). */
const SLOT = `imprint-page-slot-${randomBytes(8).toString('hex')}-`;
const SLOTS = new RegExp(`<!--${SLOT}(\\d+)-->`, 'g');

/** A document made with slots: its text and how many slots (page-anchor blocks) its chapter has. */
export interface PageDraft {
  text: string;
  slots: number;
}

/** Puts a slot before each page-anchor block of `tree` (a copy the caller owns); returns how many. */
export function insertPageSlots(tree: Root): number {
  const blocks = pageAnchorBlocks(tree);
  const index = new Map<Element, number>(blocks.map((block, at) => [block, at]));
  const walk = (node: Root | Element) => {
    const children = node.children as ElementContent[];
    for (let at = 0; at < children.length; at++) {
      const child = children[at];
      if (child.type !== 'element') continue;
      const slot = index.get(child);
      if (slot !== undefined) {
        const comment: Comment = { type: 'comment', value: `${SLOT}${slot}` };
        children.splice(at, 0, comment);
        at++;
      }
      walk(child);
    }
  };
  walk(tree);
  return blocks.length;
}

/**
 * The breaks of one chapter that insertPageBreaks would place in a tree of `slots` anchor blocks, in the
 * order their markers would stand.
 */
export function placedBreaks(breaks: readonly PageBreak[], chapterId: string, slots: number): PageBreak[] {
  return breaks.filter((entry) => entry.chapterId === chapterId && entry.block >= 0 && entry.block < slots);
}

/** Each slot in `text` replaced by the markers (`marker(folio)`, serialised) of the pages that begin there. */
export function fillPageSlots(
  text: string,
  placed: readonly PageBreak[],
  marker: (folio: string) => string,
): string {
  const at = new Map<number, string>();
  for (const entry of placed) at.set(entry.block, (at.get(entry.block) ?? '') + marker(entry.folio));
  return text.replace(SLOTS, (_, slot: string) => at.get(Number(slot)) ?? '');
}
