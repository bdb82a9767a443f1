/**
 * The press interior: the reading PDF's own renderer (renderPdf) prints the book on a page that is the
 * trim plus bleed on the outer, top and bottom edges, with every margin grown by the bleed so the text
 * block keeps its place on the trimmed page; figures marked `bleed` fill a page of their own to the sheet's
 * edge. Ghostscript then makes it PDF/X, and pdf-lib sets the boxes.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { textDirection } from '../../book/text-direction.ts';
import { themeWith } from '../../book/theme-with.ts';
import type { Book, PrintSettings } from '../../book/types.ts';
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import { plainText } from '../assemble.ts';
import { renderPdf } from '../pdf/render-pdf.ts';
import { inches, interiorBoxes, points, trimSize } from './geometry.ts';
import { convertToPdfx } from './ghostscript.ts';
import { finishPressPdf } from './page-boxes.ts';

export interface PressInterior {
  pdf?: Uint8Array;
  pageCount: number;
  diagnostics: Diagnostic[];
}

/** The print settings of the bleed sheet: the page grown by the bleed, the margins grown to match. */
export function sheetSettings(print: PrintSettings): PrintSettings {
  const trim = trimSize(print);
  const bleed = points(print.bleed);
  const grown = (length: string) => inches(points(length) + bleed);
  return {
    ...print,
    size: `${inches(trim.width + bleed)} ${inches(trim.height + 2 * bleed)}`,
    margins: {
      top: grown(print.margins.top),
      bottom: grown(print.margins.bottom),
      inner: inches(points(print.margins.inner)),
      outer: grown(print.margins.outer),
    },
  };
}

/**
 * Elements marked bleed (`data-bleed`: the default figure component sets it for `::figure{… bleed}`, and a
 * theme may set it on any component): one page each with no margins and no running heads, the image covering the sheet
 * (it is cut at the trim on the spine side, where there is no bleed); the caption stays 0.625 in or more
 * inside the trim, clear of every service's margin.
 */
export function bleedCss(print: PrintSettings): string {
  const bleed = inches(points(print.bleed));
  // Print media only: before printing, the reading PDF's renderer measures blocks in screen layout, where
  // a figure as wide as the sheet would count as running into the margin.
  return `@media print {
@page bleed { margin: 0;
  @top-left { content: none; } @top-center { content: none; } @top-right { content: none; }
  @bottom-left { content: none; } @bottom-center { content: none; } @bottom-right { content: none; } }
[data-bleed] { page: bleed; break-before: page; break-after: page; position: relative; margin: 0;
  width: var(--printed-page-width, var(--page-width)); height: var(--page-height); max-width: none; }
[data-bleed] img { display: block; width: 100%; height: 100%; max-width: none; max-height: none;
  object-fit: cover; }
[data-bleed] figcaption { position: absolute; left: 0.75in; right: 0.75in; bottom: calc(${bleed} + 0.625in);
  margin: 0; padding: 0.4em 0.6em; background: #fff; }
}
`;
}

/** The book as the press sheet prints it: sheet geometry and the bleed styles; nothing else changes. */
function sheetBook(book: Book): Book {
  return {
    ...book,
    meta: { ...book.meta, print: sheetSettings(book.meta.print) },
    theme: themeWith(book.theme, {
      css: { ...book.theme.css, print: `${book.theme.css.print}\n${bleedCss(book.meta.print)}` },
    }),
  };
}

export async function renderPressInterior(
  book: Book,
  browser: Promise<Browser>,
  options: { buildDate: Date; workDir: string },
): Promise<PressInterior> {
  const rendered = await renderPdf(sheetBook(book), browser, options);
  if (!rendered.pdf) return { pageCount: 0, diagnostics: rendered.diagnostics };
  const chromiumPdf = path.join(options.workDir, 'sheet.pdf');
  const pdfxPdf = path.join(options.workDir, 'sheet-pdfx.pdf');
  await writeFile(chromiumPdf, rendered.pdf);
  await convertToPdfx(chromiumPdf, pdfxPdf, {
    color: book.meta.print.color,
    title: plainText(book.meta.title),
    workDir: options.workDir,
  });
  const print = book.meta.print;
  const pdf = await finishPressPdf(
    await readFile(pdfxPdf),
    (index) => {
      const { media, trim } = interiorBoxes(print, index, textDirection(book.meta.lang));
      return { bleed: media, trim };
    },
    { marks: print.marks },
  );
  return { pdf, pageCount: rendered.pageCount, diagnostics: rendered.diagnostics };
}
