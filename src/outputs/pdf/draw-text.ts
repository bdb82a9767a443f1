/**
 * Text Imprint draws on the printed pages (running heads, folios, contents page numbers) in the theme's own
 * fonts and the type its print.css gives: the style is measured in the print document, the font files are the
 * theme's @fontsource files. pdf-lib embeds them through @pdf-lib/fontkit, which subsets the WOFF files
 * @fontsource ships beside each WOFF2, unwrapped to plain sfnt first (it cannot subset the WOFF2 ones, so
 * those go in whole).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
// fontkit's shapers for Indic and other syllable-based scripts (Devanagari …) are compiled generators that call a
// global `regeneratorRuntime`; without it, a running head in such a script failed the build.
import 'regenerator-runtime';
// Loaded with this module, only once Chromium prints (render-pdf.ts imports the finishing then): on loading,
// fontkit inflates the data it carries, which slowed the reading of the manuscript when loaded with the rest.
import fontkit, { type Font, type GlyphRun } from '@pdf-lib/fontkit';
import {
  beginMarkedContent,
  degrees,
  endMarkedContent,
  type PDFDict,
  type PDFDocument,
  type PDFFont,
  PDFHexString,
  type PDFName,
  type PDFOperator,
  type PDFPage,
  popGraphicsState,
  pushGraphicsState,
  rgb,
  setCharacterSpacing,
  drawText as textOperators,
  typedArrayFor,
} from 'pdf-lib';
import type { FontFile } from '../../book/types.ts';
import { postscriptNameOf } from '../../templates/font-coverage.ts';
import { woffToSfnt } from './woff-to-sfnt.ts';

/** The computed style of an element of the print document, in points. */
export interface TextStyle {
  families: string[];
  weight: number;
  italic: boolean;
  size: number;
  /** 0–255 each. */
  color: [number, number, number];
  letterSpacing: number;
  uppercase: boolean;
}

export type Align = 'left' | 'center' | 'right';

/** Scripts whose letters join: letter-spacing would break them apart. */
const CURSIVE =
  /[\p{Script=Arabic}\p{Script=Syriac}\p{Script=Nko}\p{Script=Mongolian}\p{Script=Mandaic}\p{Script=Adlam}]/u;

/** Runs in the page: the computed style of an element, in CSS px (the caller converts to points). */
export interface CssTextStyle {
  fontFamily: string;
  fontWeight: string;
  fontStyle: string;
  fontSize: string;
  color: string;
  letterSpacing: string;
  textTransform: string;
}

const PT_PER_PX = 0.75;

export function textStyle(css: CssTextStyle): TextStyle {
  const px = (value: string) => (Number.parseFloat(value) || 0) * PT_PER_PX;
  const channels = /rgba?\(([^)]*)\)/
    .exec(css.color)?.[1]
    .split(/[\s,/]+/)
    .map(Number) ?? [0, 0, 0];
  return {
    families: css.fontFamily.split(',').map((family) => family.trim().replace(/^["']|["']$/g, '')),
    weight: Number(css.fontWeight) || 400,
    italic: css.fontStyle === 'italic' || css.fontStyle.startsWith('oblique'),
    size: px(css.fontSize),
    color: [channels[0] ?? 0, channels[1] ?? 0, channels[2] ?? 0],
    letterSpacing: css.letterSpacing === 'normal' ? 0 : px(css.letterSpacing),
    uppercase: css.textTransform === 'uppercase',
  };
}

/** "U+0000-00FF, U+0131" as [low, high] pairs; undefined (everything) without a range. */
function parseRanges(ranges: string | undefined): [number, number][] | undefined {
  if (!ranges) return undefined;
  return ranges.split(',').map((range) => {
    const [from, to = from] = range.trim().replace(/^u\+/i, '').split('-');
    return [Number.parseInt(from.replace(/\?/g, '0'), 16), Number.parseInt(to.replace(/\?/g, 'f'), 16)];
  });
}

/** A run of text in one font: its glyphs as the PDF shows them, its letter-spacing (points) and its width (the spacing included). */
export interface TextRun {
  text: string;
  font: PDFFont;
  encoded: PDFHexString;
  spacing: number;
  width: number;
}

/** Arabic and roman page numbers. */
const NUMERAL = /^(?:[0-9]+|[ivxlcdm]+|[IVXLCDM]+)$/;

/** Runs laid out one after the other as one, neighbours in the same font merged. */
function joinRuns(parts: TextRun[][]): TextRun[] {
  const joined: TextRun[] = [];
  for (const run of parts.flat()) {
    const last = joined.at(-1);
    if (last && last.font === run.font && last.spacing === run.spacing) {
      joined[joined.length - 1] = {
        text: last.text + run.text,
        font: run.font,
        encoded: PDFHexString.of(last.encoded.asString() + run.encoded.asString()),
        spacing: run.spacing,
        width: last.width + run.width,
      };
    } else joined.push(run);
  }
  return joined;
}

/** A font file as the finishing embeds it: its bytes (plain sfnt where a WOFF lets it subset), its name, parsed. */
interface ReadFont {
  bytes: Uint8Array;
  subset: boolean;
  name: string;
  parsed: Font;
}

/**
 * The theme's font files, read and parsed once: which file sets which character of a style, and each file's
 * bytes, PostScript name and fontkit font. Made before the PDF exists, so that the reading (a WOFF2's name
 * means inflating the whole font) and fontkit's parsing can happen while Chromium prints (`warm`).
 */
export class FontFiles {
  private readonly ranges = new Map<FontFile, [number, number][] | undefined>();
  private readonly read = new Map<string, ReadFont>();
  /** Each style's candidates (a folio's are asked for once per figure). */
  private readonly ordered = new WeakMap<TextStyle, FontFile[]>();

  constructor(readonly fonts: readonly FontFile[]) {
    for (const font of fonts) this.ranges.set(font, parseRanges(font.unicodeRange));
  }

  private covers(font: FontFile, code: number): boolean {
    const ranges = this.ranges.get(font);
    return !ranges || ranges.some(([low, high]) => code >= low && code <= high);
  }

  /** The theme's font files for a style, best match first: the style's families in order, nearest weight. */
  private candidates(style: TextStyle): FontFile[] {
    let ordered = this.ordered.get(style);
    if (!ordered) {
      ordered = this.orderedFor(style);
      this.ordered.set(style, ordered);
    }
    return ordered;
  }

  private orderedFor(style: TextStyle): FontFile[] {
    const ordered: FontFile[] = [];
    for (const family of [...style.families, ...new Set(this.fonts.map((font) => font.family))]) {
      const same = this.fonts.filter(
        (font) =>
          font.family === family && (font.style === 'italic') === style.italic && !ordered.includes(font),
      );
      const pool = same.length
        ? same
        : this.fonts.filter((font) => font.family === family && !ordered.includes(font));
      const nearest = Math.min(...pool.map((font) => Math.abs(font.weight - style.weight)));
      ordered.push(...pool.filter((font) => Math.abs(font.weight - style.weight) === nearest));
    }
    return ordered;
  }

  /** The text split into runs, each in the first candidate font whose unicode-range holds its characters. */
  runs(text: string, style: TextStyle): { text: string; file: FontFile }[] {
    const candidates = this.candidates(style);
    if (!candidates.length) throw new Error('The theme has no fonts to draw running heads with.');
    const runs: { text: string; file: FontFile }[] = [];
    for (const char of text) {
      const code = char.codePointAt(0) ?? 32;
      const file = candidates.find((font) => this.covers(font, code)) ?? candidates[0];
      const last = runs.at(-1);
      if (last && last.file === file) last.text += char;
      else runs.push({ text: char, file });
    }
    return runs;
  }

  /** The file read and parsed, on first use. */
  font(file: FontFile): ReadFont {
    let font = this.read.get(file.source);
    if (!font) {
      const woff = file.source.replace(/\.woff2$/, '.woff');
      const subset = woff !== file.source && existsSync(woff);
      const bytes = subset ? woffToSfnt(readFileSync(woff)) : readFileSync(file.source);
      // The PostScript name of the theme's file itself, as Chromium names the same face in the body text (the
      // WOFF beside it may name it differently).
      font = {
        bytes,
        subset,
        name: postscriptNameOf(file.source),
        parsed: laidOutOnce(fontkit.create(bytes)),
      };
      this.read.set(file.source, font);
    }
    return font;
  }

  /**
   * Reads and parses every file `texts` need in `style` and shapes them once, which also parses the tables
   * shaping reads; what the finishing then shapes is quicker. Only speed depends on it.
   */
  warm(texts: readonly string[], style: TextStyle): void {
    for (const text of texts) {
      try {
        for (const run of this.runs(text, style)) this.font(run.file).parsed.layout(run.text, GLYPHS_ONLY);
      } catch {
        // Left to the drawing, which reports it if that text is drawn at all (a chapter may have no recto).
      }
    }
  }
}

/**
 * The features fontkit shapes with: its defaults less the positioning ones. pdf-lib reads only a run's glyphs
 * and sets each at its advance width (a PDF font's widths), so kerning and mark or cursive attachment, which
 * only move glyphs, changed nothing it drew, and were a quarter of the shaping time (20 ms of the bench book's
 * running heads). Glyph substitution (ligatures, contextual forms) and right-to-left order are unaffected.
 */
const GLYPHS_ONLY = { kern: false, mark: false, mkmk: false, curs: false, dist: false };

/**
 * `font` laying out each text once: pdf-lib shapes a text again for its glyphs and again for its width, and
 * the shaping `warm` did while Chromium printed is then reused, not repeated (46 ms of the finishing of the
 * bench book). The runs are only read, by pdf-lib and here.
 */
function laidOutOnce(font: Font): Font {
  const layout = font.layout.bind(font);
  const runs = new Map<string, GlyphRun>();
  font.layout = (text, features) => {
    if (features !== GLYPHS_ONLY) return layout(text, features);
    let run = runs.get(text);
    if (!run) {
      run = layout(text, GLYPHS_ONLY);
      runs.set(text, run);
    }
    return run;
  };
  return font;
}

/** The theme's fonts, embedded on first use, one PDF font per file. */
export class ThemeFonts {
  /** The embedding itself is kept: two runs of one text may ask for a file at once (`runs`). */
  private readonly embedded = new Map<string, Promise<PDFFont>>();
  private readonly files: FontFiles;
  /** The fonts `files` parsed, by their bytes: pdf-lib, which parses what it embeds, gets them back. */
  private readonly parsed = new WeakMap<Uint8Array, Font>();
  /**
   * Running heads repeat on every other page: their runs, glyphs and widths are worked out once (fontkit
   * shapes the text each time it is asked, which was most of the finishing time).
   */
  private readonly laidOut = new Map<string, Promise<TextRun[]>>();
  /** Styles as `laidOut`'s keys have them: equal styles share runs, and a style is written out once. */
  private readonly styleKeys = new WeakMap<TextStyle, string>();
  /** Each page's font resources, and the name they give each font. */
  private readonly keys = new WeakMap<PDFPage, { resources: PDFDict; names: Map<PDFFont, PDFName> }>();

  constructor(
    private readonly doc: PDFDocument,
    fonts: readonly FontFile[] | FontFiles,
  ) {
    this.files = fonts instanceof FontFiles ? fonts : new FontFiles(fonts);
    // The font files and their ToUnicode maps are the streams pdf-lib compresses here: node's zlib at the same
    // level instead of pdf-lib's JavaScript deflate (pako), which took 15–30 ms of the save on the bench book.
    const context = doc.context;
    context.flateStream = (contents, dict = {}) =>
      context.stream(deflateSync(typedArrayFor(contents)), { ...dict, Filter: 'FlateDecode' });
    doc.registerFontkit({
      create: (bytes: Uint8Array, postscriptName?: string) =>
        this.parsed.get(bytes) ?? fontkit.create(bytes, postscriptName),
    });
  }

  /** The text in runs of one font each. */
  layout(text: string, style: TextStyle): Promise<TextRun[]> {
    let styleKey = this.styleKeys.get(style);
    if (styleKey === undefined) {
      styleKey = JSON.stringify(style);
      this.styleKeys.set(style, styleKey);
    }
    const key = `${styleKey}\u0000${text}`;
    let runs = this.laidOut.get(key);
    if (!runs && NUMERAL.test(text) && [...text].length > 1) {
      // Folios and contents numbers differ from page to page but share a few figures or letters: each is put
      // together from its characters' runs, as text fonts do not join figures or roman numerals.
      runs = Promise.all([...text].map((char) => this.layout(char, style))).then(joinRuns);
      this.laidOut.set(key, runs);
    }
    if (!runs) {
      runs = this.runs(text, style).then((list) =>
        list.map((run) => {
          // Spaced-out letters of a joined script come apart: such runs are set solid, as Chromium's text is.
          const spacing = CURSIVE.test(run.text) ? 0 : style.letterSpacing;
          return {
            ...run,
            // Also marks the glyphs the font's subset must keep.
            encoded: run.font.encodeText(run.text),
            spacing,
            width: run.font.widthOfTextAtSize(run.text, style.size) + spacing * [...run.text].length,
          };
        }),
      );
      this.laidOut.set(key, runs);
    }
    return runs;
  }

  /** The name `page` knows `font` by, added to its resources on first use. */
  keyOn(page: PDFPage, font: PDFFont): PDFName {
    let keys = this.keys.get(page);
    if (!keys) {
      // Found once per page: pdf-lib's newFontDictionary finds them twice per call, each time walking up the
      // page tree for inherited resources (25–40 ms of the bench book's finishing). The same names result.
      keys = { resources: page.node.normalizedEntries().Font, names: new Map() };
      this.keys.set(page, keys);
    }
    let key = keys.names.get(font);
    if (!key) {
      key = keys.resources.uniqueKey(font.name);
      keys.resources.set(key, font.ref);
      keys.names.set(font, key);
    }
    return key;
  }

  private embed(file: FontFile): Promise<PDFFont> {
    let font = this.embedded.get(file.source);
    if (!font) {
      const { bytes, subset, name, parsed } = this.files.font(file);
      this.parsed.set(bytes, parsed);
      // Named as the theme's file, fixed where pdf-lib would add a random suffix: the same book gives the same
      // bytes, and the PDF check knows it as the theme's. The tag marks a subset.
      const tag = [...createHash('sha256').update(path.basename(file.source)).digest().subarray(0, 6)]
        .map((byte) => String.fromCharCode(65 + (byte % 26)))
        .join('');
      font = this.doc.embedFont(bytes, {
        features: GLYPHS_ONLY,
        subset,
        customName: subset ? `${tag}+${name}` : name,
      });
      this.embedded.set(file.source, font);
    }
    return font;
  }

  /** The text split into runs of one embedded font each. */
  async runs(text: string, style: TextStyle): Promise<{ text: string; font: PDFFont }[]> {
    return Promise.all(
      this.files.runs(text, style).map(async (run) => ({ text: run.text, font: await this.embed(run.file) })),
    );
  }
}

export interface DrawOptions {
  /** x of the left edge, centre or right edge, by `align`. */
  x: number;
  /** Baseline. */
  y: number;
  align: Align;
  /** Mark as a pagination artifact (running heads, folios): assistive technology skips it. */
  artifact: boolean;
  lang: string;
}

/**
 * The operators that draw `value` on `page` in the page's own coordinates; the caller adds them to a content
 * stream of the page.
 */
export async function textOnPage(
  page: PDFPage,
  fonts: ThemeFonts,
  value: string,
  style: TextStyle,
  options: DrawOptions,
): Promise<PDFOperator[]> {
  const text = style.uppercase ? value.toLocaleUpperCase(options.lang) : value;
  const runs = await fonts.layout(text, style);
  // The spacing after the last letter is not part of the text's visible width.
  const width = runs.reduce((sum, run) => sum + run.width, 0) - (runs.at(-1)?.spacing ?? 0);
  let x =
    options.align === 'left'
      ? options.x
      : options.align === 'center'
        ? options.x - width / 2
        : options.x - width;
  const operators: PDFOperator[] = [];
  if (options.artifact) operators.push(beginMarkedContent('Artifact'));
  operators.push(pushGraphicsState());
  const color = rgb(style.color[0] / 255, style.color[1] / 255, style.color[2] / 255);
  for (const run of runs) {
    operators.push(
      setCharacterSpacing(run.spacing),
      ...textOperators(run.encoded, {
        color,
        font: fonts.keyOn(page, run.font),
        size: style.size,
        rotate: degrees(0),
        xSkew: degrees(0),
        ySkew: degrees(0),
        x,
        y: options.y,
      }),
    );
    x += run.width;
  }
  operators.push(popGraphicsState());
  if (options.artifact) operators.push(endMarkedContent());
  return operators;
}
