/**
 * The text block measured before printing is the one Chromium prints. Chromium rounds every `@page` margin to a
 * whole CSS pixel, so the default 6 × 9 in page (side margins of 79.2 px) prints a text block 442 px wide, not the
 * 441.6 px its margins say; lines measured on the narrower block broke differently in the print (issue 10: a
 * balanced spread printed 3 lines uneven). Each page here is printed with the print document's own page rules
 * and read back with pdf.js: the left edge of a left-aligned line, the right edge of a right-aligned one, the
 * last line the page holds.
 */
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrintSettings } from '../src/book/types.ts';
import { type PageSize, pageCss, textBlockPixels } from '../src/outputs/pdf/page-geometry.ts';
import { launchBrowser } from '../src/platform/browser/launch-browser.ts';

const SETTINGS = (margins: PrintSettings['margins']): PrintSettings => ({
  size: '6in 9in',
  margins,
  hyphenate: true,
  recto: true,
  color: false,
  paper: 'white',
  bleed: '0.125in',
  marks: false,
});

const CASES: [string, PageSize, PrintSettings['margins']][] = [
  [
    'the default 6 × 9 in page',
    { width: '6in', height: '9in' },
    { top: '0.7in', bottom: '0.85in', inner: '0.8in', outer: '0.6in' },
  ],
  [
    'margins in millimetres',
    { width: '148mm', height: '210mm' },
    { top: '17mm', bottom: '21mm', inner: '19mm', outer: '15mm' },
  ],
];

/** A line of 10 px: the page holds whole lines up to the text block's bottom. */
const LINE_PX = 10;

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

describe('the text block measured before printing', () => {
  for (const [name, size, margins] of CASES) {
    it(`is the one Chromium prints: ${name}`, async () => {
      const print = SETTINGS(margins);
      const block = textBlockPixels(size, print);
      const lines = Math.floor(block.height / LINE_PX) + 5;
      const page = await browser.newPage();
      try {
        await page.setContent(`<!doctype html><style>${pageCss(print, size)}
html, body { margin: 0; padding: 0; } body { font: 8px/${LINE_PX}px monospace; }
.right { text-align: right; } p { margin: 0; }</style>
<p>L</p><p class="right">R</p>${Array.from({ length: lines }, (_, i) => `<p>n${i}</p>`).join('')}`);
        const pdf = await page.pdf({ preferCSSPageSize: true });
        const doc = await getDocument({ data: new Uint8Array(pdf), verbosity: 0 }).promise;
        const first = await doc.getPage(1);
        const items = (await first.getTextContent()).items.filter(
          (item): item is typeof item & { str: string; transform: number[]; width: number } =>
            'str' in item && item.str.trim() !== '',
        );
        const px = (pt: number) => pt / 0.75;
        const left = items.find((item) => item.str === 'L');
        const right = items.find((item) => item.str === 'R');
        expect(left && right).toBeTruthy();
        if (!left || !right) return;
        // The right-aligned letter ends where the text block ends.
        const printedWidth = px(right.transform[4] + right.width - left.transform[4]);
        expect(Math.abs(printedWidth - block.width)).toBeLessThan(0.05);
        // The page ends after the last whole line that fits in the text block.
        const numbered = items.filter((item) => /^n\d+$/.test(item.str));
        expect(numbered.length + 2).toBe(Math.floor(block.height / LINE_PX));
        await doc.destroy();
      } finally {
        await page.close();
      }
    }, 60_000);
  }
});
