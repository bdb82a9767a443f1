/**
 * The finishing's text (draw-text.ts) embeds each theme font file once, however its runs ask for it: a text
 * whose runs come back to a file (Latin, Cyrillic, Latin) asked for the file twice at once and embedded it
 * twice, two subsets under one name, which a printer's RIP takes for one font.
 */
import path from 'node:path';
import { PDFDict, PDFDocument, PDFName } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { loadBook } from '../src/index.ts';
import { ThemeFonts, textOnPage, textStyle } from '../src/outputs/pdf/draw-text.ts';

const RUSSIAN = path.join(import.meta.dirname, 'fixtures', 'languages', 'ru');

describe('the finishing text', () => {
  it('embeds a font file once when the runs of one text come back to it', async () => {
    const book = await loadBook(RUSSIAN, { cache: false });
    const doc = await PDFDocument.create();
    const page = doc.addPage([400, 400]);
    const fonts = new ThemeFonts(doc, book.theme.fonts);
    const style = textStyle({
      fontFamily: '"Source Serif 4"',
      fontWeight: '400',
      fontStyle: 'normal',
      fontSize: '16px',
      color: 'rgb(0, 0, 0)',
      letterSpacing: 'normal',
      textTransform: 'none',
    });
    await textOnPage(page, fonts, 'Chapter Глава One Два Three', style, {
      x: 10,
      y: 10,
      align: 'left',
      lang: 'ru',
      artifact: true,
    });
    await doc.flush();
    const names = doc.context
      .enumerateIndirectObjects()
      .flatMap(([, object]) =>
        object instanceof PDFDict && object.get(PDFName.of('Subtype')) === PDFName.of('Type0')
          ? [String(object.get(PDFName.of('BaseFont')))]
          : [],
      );
    // A Latin file and a Cyrillic one.
    expect(names.length).toBe(2);
    expect(new Set(names).size).toBe(2);
  });
});
