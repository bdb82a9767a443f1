/**
 * The press files' parts that need no browser: ISBN check digits, the cover and sheet geometry, the print
 * settings in book.yaml, the PDF/X prologue handed to Ghostscript, and the boxes and crop marks pdf-lib sets.
 */
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { parseIsbn } from '../src/book/isbn.ts';
import { createBookLoader } from '../src/book/load-book.ts';
import type { PrintSettings } from '../src/book/types.ts';
import { matchingTrim, SERVICES } from '../src/check/preflight/services.ts';
import { type Diagnostic, ImprintError } from '../src/diagnostics/diagnostic.ts';
import { DEFAULT_FORMATS, FORMAT_NAMES } from '../src/outputs/index.ts';
import { coverLayout, interiorBoxes, spineWidth } from '../src/outputs/press/geometry.ts';
import { pdfxDefinition } from '../src/outputs/press/ghostscript.ts';
import { sheetSettings } from '../src/outputs/press/interior.ts';
import { finishPressPdf } from '../src/outputs/press/page-boxes.ts';
import { tempManuscript } from './support/temp-manuscript.ts';

const PRINT: PrintSettings = {
  size: '6in 9in',
  margins: { top: '0.7in', bottom: '0.85in', inner: '0.8in', outer: '0.6in' },
  hyphenate: true,
  recto: true,
  color: false,
  paper: 'white',
  bleed: '0.125in',
  marks: false,
};

describe('ISBN', () => {
  it('accepts a valid ISBN-13 written in any of the usual ways', () => {
    for (const text of ['9781566199094', 'urn:isbn:978-1-56619-909-4', 'ISBN 978 1 56619 909 4']) {
      expect(parseIsbn(text)).toMatchObject({ isbn13: '9781566199094', valid: true });
    }
  });

  it('finds the wrong check digit of the seed placeholder 9780000000000', () => {
    expect(parseIsbn('urn:isbn:9780000000000')).toMatchObject({ valid: false, expectedCheckDigit: '2' });
  });

  it('converts an ISBN-10 to the ISBN-13 of its barcode, X check digits included', () => {
    expect(parseIsbn('isbn:0-306-40615-2')).toMatchObject({ valid: true, isbn13: '9780306406157' });
    expect(parseIsbn('isbn:0-8044-2957-X')).toMatchObject({ valid: true });
    expect(parseIsbn('isbn:0-8044-2957-5')).toMatchObject({ valid: false, expectedCheckDigit: 'X' });
  });

  it('leaves other identifiers alone', () => {
    expect(parseIsbn('urn:uuid:0c0ffee0-0000-5000-8000-000000000000')).toBeUndefined();
    expect(parseIsbn('1234567890')).toBeUndefined();
  });
});

describe('geometry', () => {
  it('makes the spine page count × caliper and the sheet back + spine + front + bleed', () => {
    expect(spineWidth(200, 'white')).toBeCloseTo(200 * 0.002252 * 72, 6);
    expect(spineWidth(200, 'cream')).toBeCloseTo(200 * 0.0025 * 72, 6);
    expect(spineWidth(200, 0.003)).toBeCloseTo(200 * 0.003 * 72, 6);
    const layout = coverLayout(PRINT, 300);
    expect(layout.width).toBeCloseTo((0.25 + 12 + 300 * 0.002252) * 72, 6);
    expect(layout.height).toBeCloseTo(9.25 * 72, 6);
    expect(layout.frontX - layout.spineX).toBeCloseTo(layout.spine, 6);
    expect(coverLayout(PRINT, 78).spineText).toBe(false);
    expect(coverLayout(PRINT, 79).spineText).toBe(true);
  });

  it('puts the bleed on the outer edge: right of a recto, left of a verso', () => {
    expect(interiorBoxes(PRINT, 0)).toEqual({ media: [0, 0, 441, 666], trim: [0, 9, 432, 657] });
    expect(interiorBoxes(PRINT, 1)).toEqual({ media: [0, 0, 441, 666], trim: [9, 9, 441, 657] });
    // A right-to-left book's recto is a left-hand page: its bleed is on the left.
    expect(interiorBoxes(PRINT, 0, 'rtl')).toEqual({ media: [0, 0, 441, 666], trim: [9, 9, 441, 657] });
    expect(interiorBoxes(PRINT, 1, 'rtl')).toEqual({ media: [0, 0, 441, 666], trim: [0, 9, 432, 657] });
  });

  it('grows the page and every margin but the inner one by the bleed', () => {
    expect(sheetSettings({ ...PRINT, size: 'A5' })).toMatchObject({
      size: '5.95177in 8.51772in',
      margins: { top: '0.825in', bottom: '0.975in', inner: '0.8in', outer: '0.725in' },
    });
  });

  it("knows each service's trim sizes", () => {
    expect(matchingTrim(SERVICES.kdp, 6, 9)).toBe(true);
    expect(matchingTrim(SERVICES.kdp, 5.83, 8.27)).toBe(false);
    expect(matchingTrim(SERVICES.ingramspark, 5.83, 8.27)).toBe(true);
    expect(SERVICES.kdp.minInside(150)).toBe(0.375);
    expect(SERVICES.kdp.minInside(151)).toBe(0.5);
    expect(SERVICES.kdp.minInside(828)).toBe(0.875);
  });
});

describe('print settings in book.yaml', () => {
  const load = (yaml: string) =>
    createBookLoader()(tempManuscript({ 'book.yaml': yaml, '01-a.md': '# A\n\nText.\n' }));

  it('defaults to a black-and-white interior on white paper with a 0.125 in bleed and no marks', () => {
    expect(load('title: T\n').meta.print).toMatchObject({
      color: false,
      paper: 'white',
      bleed: '0.125in',
      marks: false,
    });
  });

  it('takes cream paper or a caliper in inches, and says what else it would take', () => {
    expect(load('title: T\nprint: { paper: cream }\n').meta.print.paper).toBe('cream');
    expect(load('title: T\nprint: { paper: 0.0031 }\n').meta.print.paper).toBe(0.0031);
    let diagnostics: Diagnostic[] = [];
    try {
      diagnostics = load('title: T\nprint:\n  paper: glossy\n').diagnostics;
    } catch (error) {
      if (!(error instanceof ImprintError)) throw error;
      diagnostics = error.diagnostics;
    }
    expect(diagnostics).toContainEqual(
      expect.objectContaining({
        code: 'invalid-setting',
        line: 3,
        message: expect.stringMatching(/white, cream/),
      }),
    );
  });
});

describe('the PDF/X prologue', () => {
  it('declares PDF/X-3:2002 and an output intent with a grey or a CMYK profile', () => {
    const grey = pdfxDefinition('/icc/default_gray.icc', { color: false, title: 'Straße (2)' });
    expect(grey).toContain('/GTS_PDFXVersion (PDF/X-3:2002)');
    expect(grey).toContain('<< /N 1 >>');
    expect(grey).toContain('(/icc/default_gray.icc) (r) file');
    expect(grey).toContain('/OutputIntents [ {OutputIntent_PDFX} ]');
    // Non-ASCII titles go as UTF-16BE with a byte-order mark.
    expect(grey).toContain('/Title <feff005300740072006100df00650020002800320029>');
    expect(pdfxDefinition('/icc/default_cmyk.icc', { color: true, title: 'T' })).toContain('<< /N 4 >>');
  });
});

describe('page boxes', () => {
  async function sheet(): Promise<Uint8Array> {
    const document = await PDFDocument.create();
    document.addPage([441, 666]);
    document.addPage([441, 666]);
    return document.save();
  }

  it('sets TrimBox and BleedBox per page and writes a PDF 1.3 header', async () => {
    const out = await finishPressPdf(
      await sheet(),
      (index) => ({ bleed: interiorBoxes(PRINT, index).media, trim: interiorBoxes(PRINT, index).trim }),
      { marks: false },
    );
    expect(new TextDecoder().decode(out.subarray(0, 8))).toBe('%PDF-1.3');
    const [recto, verso] = (await PDFDocument.load(out)).getPages();
    expect(recto.getTrimBox()).toEqual({ x: 0, y: 9, width: 432, height: 648 });
    expect(verso.getTrimBox()).toEqual({ x: 9, y: 9, width: 432, height: 648 });
    expect(verso.getBleedBox()).toEqual({ x: 0, y: 0, width: 441, height: 666 });
  });

  it('grows the media box for crop marks outside the bleed only when asked', async () => {
    const out = await finishPressPdf(
      await sheet(),
      (index) => ({ bleed: interiorBoxes(PRINT, index).media, trim: interiorBoxes(PRINT, index).trim }),
      { marks: true },
    );
    const [page] = (await PDFDocument.load(out)).getPages();
    expect(page.getMediaBox()).toEqual({ x: -27, y: -27, width: 495, height: 720 });
    expect(page.getBleedBox()).toEqual({ x: 0, y: 0, width: 441, height: 666 });
  });
});

describe('formats', () => {
  it('builds the press files only when asked: `npm run build` needs no Ghostscript', () => {
    expect(DEFAULT_FORMATS).toEqual(['html', 'pdf', 'epub']);
    expect(FORMAT_NAMES).toContain('print');
  });
});
