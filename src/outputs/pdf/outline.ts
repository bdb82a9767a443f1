/**
 * Where Chromium put each heading: its PDF outline (bookmarks, one per visible h1–h6, in document order) read
 * back with the page each entry points to.
 */
import { type PdfDict, type PdfFile, PdfRef, PdfString, type PdfValue } from './pdf-file.ts';

export interface OutlineEntry {
  title: string;
  /** 1-based page number; undefined when the entry has no page destination. */
  page: number | undefined;
  depth: number;
}

/** The outline in reading order (depth first), with nesting depth from 1. */
export function readOutline(file: PdfFile): OutlineEntry[] {
  const pageOf = new Map(file.pageNumbers().map((num, index) => [num, index + 1]));
  const root = file.catalog().get('Outlines');
  const entries: OutlineEntry[] = [];
  const seen = new Set<number>();
  const walk = (ref: PdfValue | undefined, depth: number) => {
    for (let item = ref; item instanceof PdfRef && !seen.has(item.num); ) {
      seen.add(item.num);
      const dict = file.dict(item);
      const title = file.resolve(dict.get('Title'));
      entries.push({
        title: title instanceof PdfString ? title.text() : '',
        page: destinationPage(file, dict, pageOf),
        depth,
      });
      walk(dict.get('First'), depth + 1);
      item = dict.get('Next');
    }
  };
  if (root) walk(file.dict(root).get('First'), 1);
  return entries;
}

function destinationPage(file: PdfFile, item: PdfDict, pageOf: Map<number, number>): number | undefined {
  let dest = file.resolve(item.get('Dest'));
  if (!Array.isArray(dest)) {
    const action = file.resolve(item.get('A'));
    if (action instanceof Map) dest = file.resolve(action.get('D'));
  }
  const target = Array.isArray(dest) ? dest[0] : undefined;
  return target instanceof PdfRef ? pageOf.get(target.num) : undefined;
}
