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
import type { Browser } from 'puppeteer';
import { parseIsbn } from '../../book/isbn.ts';
import type { Book } from '../../book/types.ts';
import { IMPRINT_ROOT } from '../../imprint-package.ts';
import { renderComponent } from '../../pipeline/plugins/rehype-components.ts';
import { fontFaceCss } from '../../templates/theme-fonts.ts';
import { inlineHast, plainText, shell } from '../assemble.ts';
import { openLockedPage } from '../browser.ts';
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

/** An EAN-13 (ISBN) barcode with its digits, as an SVG data URL; undefined without a valid ISBN. */
export function isbnBarcode(identifier: string): string | undefined {
  const isbn = parseIsbn(identifier);
  if (!isbn?.valid) return undefined;
  // Plain EAN-13 (bwip-js's `isbn` symbol wants the ISBN hyphenated by registration group, which book.yaml
  // need not give); the template prints "ISBN …" above it.
  const svg = bwipjs.toSVG({ bcid: 'ean13', text: isbn.isbn13, includetext: true, guardwhitespace: true });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
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
      barcode: isbnBarcode(identifier) ?? '',
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
  return toHtml(shell(book, 'print-cover', [style(fonts), style(geometry)], body));
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
  try {
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    await page.evaluate('document.fonts.ready');
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
  return finishPressPdf(
    await readFile(pdfxPdf),
    () => ({ bleed: [0, 0, width, height], trim: [bleed, bleed, width - bleed, height - bleed] }),
    { marks: false },
  );
}
