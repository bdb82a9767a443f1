/**
 * How full the printed pages are, read from the finished PDF with pdf.js: on every page, the lowest baseline
 * of text inside the text block, turned into the lines left free above the block's bottom. A mid-chapter page
 * (every page of a chapter but its last) that ends two or more lines short is a hole; so is a spread whose
 * facing pages end three or more lines apart. The page plan (which page is which chapter's, opening or body)
 * comes from the build that made the PDF.
 */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { PlannedPage } from '../../src/outputs/pdf/page-plan.ts';

export interface PageFillGeometry {
  /** Page height in points. */
  pageHeight: number;
  /** Top and bottom margins in points: the text block lies between them. */
  top: number;
  bottom: number;
  /** The body text's line pitch in points (14 pt in the default theme). */
  line: number;
}

export interface PageFill {
  /** 0-based page index in the finished PDF. */
  page: number;
  folio: string;
  chapter: number;
  /** Whole lines of body text that would still fit below the page's last line. */
  linesShort: number;
  /** Points free below the last line's box. */
  free: number;
}

export interface PageFillReport {
  /** Every page of a chapter but its last, with how full it is. */
  midChapter: PageFill[];
  /** Mid-chapter pages that end 2 or more lines short. */
  short: PageFill[];
  /** Spreads of two mid-chapter pages whose last lines are 3 or more lines apart: [verso, recto, lines]. */
  unevenSpreads: [PageFill, PageFill, number][];
}

/**
 * A line's box reaches below its baseline by about a quarter of the pitch (descenders and half-leading):
 * a page whose last baseline sits that far above the block's bottom is full.
 */
const BASELINE_DEPTH = 0.25;

export async function measurePageFill(
  pdf: Uint8Array,
  plan: PlannedPage[],
  geometry: PageFillGeometry,
): Promise<PageFillReport> {
  const doc = await getDocument({ data: pdf.slice(), verbosity: 0 }).promise;
  try {
    const blockTop = geometry.pageHeight - geometry.top;
    const lastPageOf = new Map<number, number>();
    plan.forEach((planned, index) => {
      if (planned.chapter !== undefined && (planned.kind === 'body' || planned.kind === 'opening'))
        lastPageOf.set(planned.chapter, index);
    });
    const midChapter: PageFill[] = [];
    for (const [index, planned] of plan.entries()) {
      if (planned.chapter === undefined || (planned.kind !== 'body' && planned.kind !== 'opening')) continue;
      if (lastPageOf.get(planned.chapter) === index) continue;
      const page = await doc.getPage(index + 1);
      let lowest = Number.POSITIVE_INFINITY;
      for (const item of (await page.getTextContent()).items) {
        if (!('transform' in item) || !item.str.trim()) continue;
        const baseline = item.transform[5];
        // Running heads and folios sit above the text block.
        if (baseline > blockTop + 1) continue;
        lowest = Math.min(lowest, baseline);
      }
      page.cleanup();
      if (!Number.isFinite(lowest)) lowest = blockTop;
      const free = Math.max(0, lowest - BASELINE_DEPTH * geometry.line - geometry.bottom);
      midChapter.push({
        page: index,
        folio: planned.folio,
        chapter: planned.chapter,
        free,
        linesShort: Math.floor(free / geometry.line + 1e-6),
      });
    }
    const byPage = new Map(midChapter.map((fill) => [fill.page, fill]));
    const unevenSpreads: PageFillReport['unevenSpreads'] = [];
    plan.forEach((planned, index) => {
      if (planned.recto) return;
      const verso = byPage.get(index);
      const recto = byPage.get(index + 1);
      if (!verso || !recto) return;
      const apart = Math.round(Math.abs(verso.free - recto.free) / geometry.line);
      if (apart >= 3) unevenSpreads.push([verso, recto, apart]);
    });
    return { midChapter, short: midChapter.filter((fill) => fill.linesShort >= 2), unevenSpreads };
  } finally {
    await doc.destroy();
  }
}

/** The spreads measurePageFill() can judge: both facing pages mid-chapter. */
export function facingMidChapterSpreads(report: PageFillReport, plan: PlannedPage[]): number {
  const pages = new Set(report.midChapter.map((fill) => fill.page));
  return plan.filter((planned, index) => !planned.recto && pages.has(index) && pages.has(index + 1)).length;
}
