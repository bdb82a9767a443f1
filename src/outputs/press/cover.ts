/**
 * The print cover: the theme's cover-print.html (title, authors, publisher, back-cover text, an EAN-13
 * barcode for an ISBN) laid out on one sheet, back + spine + front with bleed, printed by the build's
 * browser at the exact sheet size, then made PDF/X in CMYK like the interior.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import bwipjs from 'bwip-js';
import type { Element, ElementContent } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { cmyk, type PDFPage } from 'pdf-lib';
import type { Browser } from 'puppeteer-core';
import { parseIsbn } from '../../book/isbn.ts';
import type { Book } from '../../book/types.ts';
import { IMPRINT_ROOT } from '../../imprint-package.ts';
import { renderComponent } from '../../pipeline/plugins/rehype-components.ts';
import { openLockedPage } from '../../platform/browser/locked-page.ts';
import { fontStackCss } from '../../templates/font-stacks.ts';
import { fontFaceCss } from '../../templates/theme-fonts.ts';
import { inlineHast, plainText, shell } from '../assemble.ts';
import { type CoverLayout, coverLayout, inches } from './geometry.ts';
import { convertToPdfx } from './ghostscript.ts';
import { finishPressPdf } from './page-boxes.ts';

/** The theme's cover-print.html, or the default theme's. */
function coverTemplate(book: Book): string {
  const own = path.join(book.theme.dir, 'cover-print.html');
  return readFileSync(
    existsSync(own) ? own : path.join(IMPRINT_ROOT, 'templates', 'default', 'cover-print.html'),
    'utf8',
  );
}

/** An EAN-13 (ISBN) barcode with its digits, as SVG; undefined without a valid ISBN. */
export function isbnBarcode(identifier: string): string | undefined {
  const isbn = parseIsbn(identifier);
  if (!isbn?.valid) return undefined;
  // Plain EAN-13 (bwip-js's `isbn` symbol wants the ISBN hyphenated by registration group, which book.yaml
  // need not give); the template prints "ISBN …" above it.
  return bwipjs.toSVG({ bcid: 'ean13', text: isbn.isbn13, includetext: true, guardwhitespace: true });
}

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Draws the barcode into the `.barcode` box of the template after colour conversion, in black ink only
 * (DeviceCMYK 0 0 0 1): through the SWOP profile Chromium's black would become four-colour black, whose
 * plates can print out of register and blur the bars.
 */
function drawBarcode(page: PDFPage, svg: string, box: Rect, sheetHeight: number): void {
  const viewBox = /viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(svg);
  if (!viewBox) return;
  const [width, height] = [Number(viewBox[1]), Number(viewBox[2])];
  const scale = Math.min(box.width / width, box.height / height);
  const x = box.x + (box.width - width * scale) / 2;
  const top = sheetHeight - (box.y + (box.height - height * scale) / 2);
  const black = cmyk(0, 0, 0, 1);
  for (const path of svg.matchAll(/<path ([^>]*)\/>/g)) {
    const d = /\bd="([^"]+)"/.exec(path[1])?.[1];
    if (!d) continue;
    const stroke = /stroke-width="([\d.]+)"/.exec(path[1]);
    page.drawSvgPath(
      d,
      stroke
        ? { x, y: top, scale, borderColor: black, borderWidth: Number(stroke[1]) }
        : { x, y: top, scale, color: black },
    );
  }
}

/** The cover sheet as an HTML page: the template filled in, its geometry on :root, fonts from disk. */
export function printCoverDocument(book: Book, layout: CoverLayout): string {
  const { title, subtitle, authors, publisher, identifier } = book.meta;
  const byline = authors.join(', ');
  const slots = new Map<string, ElementContent[]>([
    ['title', inlineHast(title)],
    ['spine', [{ type: 'text', value: [plainText(title), byline].filter(Boolean).join('  ·  ') }]],
  ]);
  if (subtitle) slots.set('subtitle', inlineHast(subtitle));
  const body = renderComponent(
    coverTemplate(book),
    {
      subtitle: Boolean(subtitle),
      authors: byline,
      publisher: publisher && publisher !== byline ? publisher : '',
      back: book.meta.print.back ?? '',
      spine: layout.spineText,
      barcode: isbnBarcode(identifier) ? 'ean-13' : '',
      isbn: isbnBarcode(identifier) ? `ISBN ${parseIsbn(identifier)?.isbn13}` : '',
    },
    slots,
  );
  const geometry = `@page { size: ${inches(layout.width)} ${inches(layout.height)}; margin: 0; }
:root {
  --sheet-width: ${inches(layout.width)};
  --sheet-height: ${inches(layout.height)};
  --bleed: ${inches(layout.bleed)};
  --trim-width: ${inches(layout.trim.width)};
  --trim-height: ${inches(layout.trim.height)};
  --spine-width: ${inches(layout.spine)};
}
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }`;
  const style = (css: string): Element => ({
    type: 'element',
    tagName: 'style',
    properties: {},
    children: [{ type: 'text', value: css }],
  });
  const fonts = fontFaceCss(book.theme.fonts, (font) => pathToFileURL(font.source).href);
  // The theme's stacks (--font-text, --font-sans), so a title in Arabic or Japanese is set in a theme font.
  const stacks = fontStackCss(book.theme.stacks, book.theme.fontFaces, book.meta.lang);
  return toHtml(shell(book, 'print-cover', [style(fonts), style(stacks), style(geometry)], body));
}

/** Prints the cover for an interior of `pageCount` pages and returns the finished PDF/X bytes. */
export async function renderPrintCover(
  book: Book,
  browser: Browser,
  pageCount: number,
  workDir: string,
): Promise<Uint8Array> {
  const layout = coverLayout(book.meta.print, pageCount);
  const file = path.join(workDir, 'cover.html');
  await writeFile(file, printCoverDocument(book, layout));
  const { page, blockedRequests } = await openLockedPage(browser, {
    allowedRoots: [workDir, ...new Set(book.theme.fonts.map((font) => path.dirname(font.source)))],
  });
  let pdf: Uint8Array;
  let barcodeBox: Rect | undefined;
  try {
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    await page.evaluate('document.fonts.ready');
    // CSS pixels to points: 72 / 96.
    barcodeBox = (await page.evaluate(`(() => {
      const box = document.querySelector('.barcode')?.getBoundingClientRect();
      return box && box.width > 0 ? { x: box.x * 0.75, y: box.y * 0.75, width: box.width * 0.75, height: box.height * 0.75 } : undefined;
    })()`)) as Rect | undefined;
    const blocked = blockedRequests();
    if (blocked.length) {
      throw new Error(
        `The print cover template tried to load ${blocked.join(', ')}; a cover may use only the theme's fonts.`,
      );
    }
    pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true, tagged: false, outline: false });
  } finally {
    await page.close();
  }
  const chromiumPdf = path.join(workDir, 'cover-chromium.pdf');
  const pdfxPdf = path.join(workDir, 'cover-pdfx.pdf');
  await writeFile(chromiumPdf, pdf);
  // A cover is printed in colour whatever the interior is.
  await convertToPdfx(chromiumPdf, pdfxPdf, { color: true, title: plainText(book.meta.title), workDir });
  const { width, height, bleed } = layout;
  const barcode = isbnBarcode(book.meta.identifier);
  return finishPressPdf(
    await readFile(pdfxPdf),
    () => ({ bleed: [0, 0, width, height], trim: [bleed, bleed, width - bleed, height - bleed] }),
    {
      marks: false,
      draw: (sheet) => {
        if (barcode && barcodeBox) drawBarcode(sheet, barcode, barcodeBox, height);
      },
    },
  );
}
