/**
 * The generated EPUB cover, drawn without a browser: read back as pixels. Text in a script the theme's fonts
 * cover must come out as glyphs, not as the empty boxes a missing font gives; a long title must shrink until
 * the publisher's line still stands at the foot; a theme's own cover.html is used; a template that would
 * load a file is refused.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { createBookLoader } from '../src/book/load-book.ts';
import { ImprintError } from '../src/diagnostics/diagnostic.ts';
import { COVER_SIZE, renderCoverImage } from '../src/outputs/epub/cover.ts';
import { tempManuscript } from './support/temp-manuscript.ts';

const TIMEOUT = { timeout: 240_000 };

async function coverOf(bookYaml: string, files: Record<string, string> = {}) {
  const dir = tempManuscript({ 'book.yaml': bookYaml, '01-one.md': '# One\n\nText.\n', ...files });
  const book = createBookLoader()(dir);
  const png = await renderCoverImage(book);
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  const pixel = (x: number, y: number) => {
    const at = (y * info.width + x) * info.channels;
    return [data[at], data[at + 1], data[at + 2]];
  };
  /** Pixels in a band of rows darker than the page, i.e. ink. */
  const ink = (top: number, bottom: number) => {
    let count = 0;
    for (let y = top; y < bottom; y++) {
      for (let x = 0; x < info.width; x++) if (pixel(x, y)[0] < 160) count++;
    }
    return count;
  };
  const band = (top: number, bottom: number) =>
    data.subarray(top * info.width * info.channels, bottom * info.width * info.channels);
  return { png, info, pixel, ink, band };
}

describe('the generated cover', () => {
  it('is a 1600×2400 PNG in the default design: page colour, accent bar, title in ink', TIMEOUT, async () => {
    const cover = await coverOf('title: The Long Interview\nauthor: Jane Doe\npublisher: North Press\n');
    expect([cover.info.width, cover.info.height]).toEqual([COVER_SIZE.width, COVER_SIZE.height]);
    expect(cover.png.subarray(1, 4)).toEqual(new Uint8Array(Buffer.from('PNG')));
    expect(cover.pixel(800, 20)).toEqual([0x8c, 0x2a, 0x1c]);
    expect(cover.pixel(20, 1200)).toEqual([0xf4, 0xee, 0xe2]);
    expect(cover.ink(700, 1500)).toBeGreaterThan(20_000);
    // The publisher's line at the foot.
    expect(cover.ink(2150, 2300)).toBeGreaterThan(1_000);
  });

  for (const [language, title] of [
    ['ru', 'Долгое интервью'],
    ['de', 'Große Straßen'],
    ['ja', '長いインタビュー'],
  ]) {
    it(`draws a ${language} title in the theme's fonts, not as missing-glyph boxes`, TIMEOUT, async () => {
      const real = await coverOf(`title: ${title}\nlang: ${language}\nauthor: A\n`);
      // Private-use characters no font has: drawn as .notdef boxes, as a title would be without its font.
      const boxes = await coverOf(
        `title: ${'\uE000'.repeat([...title].length)}\nlang: ${language}\nauthor: A\n`,
      );
      expect(real.ink(500, 1700)).toBeGreaterThan(5_000);
      expect(Buffer.compare(real.band(500, 1700), boxes.band(500, 1700))).not.toBe(0);
    });
  }

  it('shrinks a long title until the publisher still stands at the foot', TIMEOUT, async () => {
    const long = 'The Extraordinarily Long and Winding Conversations of an Entire Generation of Writers';
    const cover = await coverOf(
      `title: ${long} About Everything They Read\nauthor: A\npublisher: North Press\n`,
    );
    expect(cover.ink(2150, 2300)).toBeGreaterThan(1_000);
    expect(cover.pixel(20, 2390)).toEqual([0xf4, 0xee, 0xe2]);
  });

  it("uses the theme's own cover.html, its inline styles too", TIMEOUT, async () => {
    const cover = await coverOf('title: Themed\ntheme: plain\n', {
      'templates/plain/cover.html':
        '<style>.c { height: 100vh; padding-top: 1px; background: #203040; color: #fff; font-family: var(--font-sans); }</style>' +
        '<div class="c"><h1 style="margin: 40vh 0 0; background: #c0ffee"><slot name="title"></slot></h1></div>',
    });
    expect(cover.pixel(20, 20)).toEqual([0x20, 0x30, 0x40]);
    expect(cover.pixel(20, 2390)).toEqual([0x20, 0x30, 0x40]);
    expect(cover.pixel(1500, 975)).toEqual([0xc0, 0xff, 0xee]);
  });

  it('refuses a template that would load a file', TIMEOUT, async () => {
    for (const template of [
      '<div><img src="http://example.org/a.png" alt=""></div>',
      '<style>div { background-image: url(http://example.org/a.png) }</style><div>x</div>',
    ]) {
      const error = await coverOf('title: Loaded\ntheme: net\n', {
        'templates/net/cover.html': template,
      }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ImprintError);
      expect((error as ImprintError).diagnostics.map((d) => d.code)).toEqual(['cover-template']);
    }
  });
});
