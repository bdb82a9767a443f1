/**
 * Which characters a font file really has glyphs for, read from its cmap. A unicode-range only says what a
 * file is *meant* for (Fontsource's "latin" range spans all of U+2000–206F); the cmap is the truth. The
 * cmap is read by font-cmap.ts (fontkit, loaded on first use, reads what that does not), each file once per
 * process. Reading a WOFF2 cmap means inflating the whole font (brotli), so the `.woff` beside it is read
 * instead; with a store (the build's cache), the answer is kept per file, by path, size and time, and a
 * later process reads a few hundred bytes instead.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cmapCodePoints } from './font-cmap.ts';
import { postscriptNameIn } from './font-name.ts';
import { fontTable } from './font-table.ts';

interface FontkitFont {
  characterSet: number[];
  postscriptName: string;
}
interface Fontkit {
  openSync(file: string): FontkitFont | { fonts: FontkitFont[] };
}

const require = createRequire(import.meta.url);
let fontkit: Fontkit | undefined;
const coverage = new Map<string, ReadonlySet<number>>();

/** Where answers outlive the process: the chapter cache's artifacts. */
export interface CoverageStore {
  getArtifact(key: string): Uint8Array | undefined;
  setArtifact(key: string, bytes: Uint8Array): void;
}

export function codePointsOf(file: string, store?: CoverageStore): ReadonlySet<number> {
  let found = coverage.get(file);
  if (!found) {
    const { size, mtimeMs } = statSync(file);
    const key = `cmap\u0000${file}\u0000${size}\u0000${mtimeMs}`;
    const stored = store?.getArtifact(key);
    found = stored ? fromRanges(stored) : undefined;
    if (!found) {
      const source = cmapSource(file);
      found = cmapCodePoints(source);
      if (!found) {
        fontkit ??= require('fontkit') as Fontkit;
        const opened = fontkit.openSync(source);
        found = new Set(('fonts' in opened ? opened.fonts[0] : opened).characterSet);
      }
      store?.setArtifact(key, toRanges(found));
    }
    coverage.set(file, found);
  }
  return found;
}

/**
 * The file to read a cmap from. A WOFF2 is one brotli stream that fontkit inflates whole, in JavaScript, to
 * reach any table; a WOFF compresses each table on its own, so only the cmap is inflated (a quarter of the
 * time over Fontsource's files; a cold build reads a few dozen). Fontsource ships a `.woff` beside each
 * `.woff2`, made from the same font: the two cmaps are the same (test/font-selection.test.ts compares them).
 */
export function cmapSource(file: string): string {
  if (!file.endsWith('.woff2')) return file;
  const woff = file.slice(0, -1);
  return existsSync(woff) ? woff : file;
}

/** The code points as inclusive [first, last] pairs of 32-bit numbers: a CJK slice's few runs, a few bytes. */
function toRanges(codePoints: ReadonlySet<number>): Uint8Array {
  const sorted = [...codePoints].sort((a, b) => a - b);
  const pairs: number[] = [];
  for (const codePoint of sorted) {
    if (pairs.length && pairs[pairs.length - 1] === codePoint - 1) pairs[pairs.length - 1] = codePoint;
    else pairs.push(codePoint, codePoint);
  }
  return new Uint8Array(Uint32Array.from(pairs).buffer);
}

/** Undefined for bytes that are not whole pairs (a damaged entry): the font is then read again. */
function fromRanges(bytes: Uint8Array): Set<number> | undefined {
  if (bytes.byteLength % 8 !== 0) return undefined;
  const pairs = new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const codePoints = new Set<number>();
  for (let i = 0; i < pairs.length; i += 2) {
    if (pairs[i] > pairs[i + 1] || pairs[i + 1] > 0x10ffff) return undefined;
    for (let codePoint = pairs[i]; codePoint <= pairs[i + 1]; codePoint++) codePoints.add(codePoint);
  }
  return codePoints;
}

/** The sfnt tables of a font file, to tell TrueType outlines (glyf) from CFF ones. */
export function hasCffOutlines(file: string): boolean {
  fontkit ??= require('fontkit') as Fontkit;
  const opened = fontkit.openSync(file) as unknown as { directory: { tables: Record<string, unknown> } };
  return 'CFF ' in opened.directory.tables || 'CFF2' in opened.directory.tables;
}

/**
 * The PostScript name a PDF gives the font ("SourceSerif4-Regular", after a subset tag such as "AAAAAA+"), read
 * from the file's own name table: the `.woff` beside a Fontsource `.woff2` often names it differently
 * (NotoSerifJP-Regular against NotoSerifJPExtraLight-Regular), and Chromium embeds the `.woff2`. fontkit, which
 * inflates a whole WOFF2 in JavaScript for it (147 ms over a PDF build's fonts), reads what font-name.ts cannot.
 */
export function postscriptNameOf(file: string): string {
  const name = fontTable(readFileSync(file), 'name');
  const found = name && postscriptNameIn(name);
  if (found) return found;
  fontkit ??= require('fontkit') as Fontkit;
  const opened = fontkit.openSync(file);
  return ('fonts' in opened ? opened.fonts[0] : opened).postscriptName;
}
