/**
 * The last touch on a press file, with pdf-lib: each page's TrimBox and BleedBox (Ghostscript sets every box
 * to the media box), optional crop marks outside the bleed, and nothing a press file must not carry
 * (an outline, annotations, named destinations) should any be left.
 */
import { createHash } from 'node:crypto';
import { grayscale, PDFDocument, PDFHexString, PDFName, type PDFPage } from 'pdf-lib';
import type { Box } from './geometry.ts';

export interface PageBoxes {
  /** The page as printed on the sheet: trim plus bleed. */
  bleed: Box;
  trim: Box;
}

/** Room for crop marks beyond the bleed, and where they start and end there (points). */
const MARK_SLUG = 27;
const MARK_OFFSET = 3;
const MARK_LENGTH = 18;

export async function finishPressPdf(
  pdf: Uint8Array,
  boxesFor: (pageIndex: number) => PageBoxes,
  options: { marks: boolean; draw?: (page: PDFPage, pageIndex: number) => void },
): Promise<Uint8Array> {
  const document = await PDFDocument.load(pdf, { updateMetadata: false });
  const catalog = document.catalog;
  catalog.delete(PDFName.of('Outlines'));
  catalog.delete(PDFName.of('Dests'));
  catalog.delete(PDFName.of('PageMode'));
  document.getPages().forEach((page, index) => {
    page.node.delete(PDFName.of('Annots'));
    const { bleed, trim } = boxesFor(index);
    const [x0, y0, x1, y1] = bleed;
    page.setBleedBox(x0, y0, x1 - x0, y1 - y0);
    page.setTrimBox(trim[0], trim[1], trim[2] - trim[0], trim[3] - trim[1]);
    page.node.delete(PDFName.of('ArtBox'));
    options.draw?.(page, index);
    if (options.marks) {
      page.setMediaBox(x0 - MARK_SLUG, y0 - MARK_SLUG, x1 - x0 + 2 * MARK_SLUG, y1 - y0 + 2 * MARK_SLUG);
      page.node.delete(PDFName.of('CropBox'));
      drawCropMarks(page, bleed, trim);
    } else {
      page.setMediaBox(x0, y0, x1 - x0, y1 - y0);
      page.setCropBox(x0, y0, x1 - x0, y1 - y0);
    }
  });
  // PDF/X-3 is PDF 1.3: no object streams, and the header Ghostscript wrote. pdf-lib always writes
  // "%PDF-1.7"; the version has the same length, so every byte offset in the file stays right.
  // PDF/X needs a file /ID; Ghostscript's differs on every run even with SOURCE_DATE_EPOCH (which it honours
  // for the dates). One made from the file's content keeps two builds of the same book identical.
  document.context.trailerInfo.ID = undefined;
  const digest = createHash('md5')
    .update(await document.save({ useObjectStreams: false }))
    .digest('hex');
  document.context.trailerInfo.ID = document.context.obj([PDFHexString.of(digest), PDFHexString.of(digest)]);
  const saved = await document.save({ useObjectStreams: false });
  saved.set(new TextEncoder().encode(PDFX_HEADER), 0);
  return saved;
}

const PDFX_HEADER = '%PDF-1.3';

/** Hairlines in line with each trim edge, outside the bleed, in black only (DeviceGray 0). */
function drawCropMarks(page: PDFPage, bleed: Box, trim: Box): void {
  const [bx0, by0, bx1, by1] = bleed;
  const [tx0, ty0, tx1, ty1] = trim;
  const line = (x1: number, y1: number, x2: number, y2: number) =>
    page.drawLine({ start: { x: x1, y: y1 }, end: { x: x2, y: y2 }, thickness: 0.25, color: grayscale(0) });
  for (const x of [tx0, tx1]) {
    line(x, by0 - MARK_OFFSET, x, by0 - MARK_OFFSET - MARK_LENGTH);
    line(x, by1 + MARK_OFFSET, x, by1 + MARK_OFFSET + MARK_LENGTH);
  }
  for (const y of [ty0, ty1]) {
    line(bx0 - MARK_OFFSET, y, bx0 - MARK_OFFSET - MARK_LENGTH, y);
    line(bx1 + MARK_OFFSET, y, bx1 + MARK_OFFSET + MARK_LENGTH, y);
  }
}
