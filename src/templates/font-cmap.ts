/**
 * The code points a TrueType/OpenType or WOFF 1.0 file maps, read from its `cmap` table alone, as fontkit's
 * `characterSet` gives them: the same subtable (fontkit's order of preference) and the same ranges. A cold
 * build needs the cmaps of a few files; through fontkit that meant loading fontkit (some 80 ms of CPU for
 * its modules) and inflating in JavaScript, more than the rest of the font selection. Here a WOFF table
 * is inflated by node's zlib. Anything else (a WOFF2, a collection, a cmap format fontkit rejects or maps
 * through a legacy encoding) returns undefined, and the caller asks fontkit.
 */
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';

/** fontkit's order (CmapProcessor): 32-bit Unicode subtables first, then 16-bit ones. */
const PREFERRED: readonly [platform: number, encoding: number][] = [
  [3, 10],
  [0, 6],
  [0, 4],
  [3, 1],
  [0, 3],
  [0, 2],
  [0, 1],
  [0, 0],
];

const tag = (name: string) => name.split('').reduce((value, char) => value * 256 + char.charCodeAt(0), 0);
const WOFF = tag('wOFF');
const CMAP = tag('cmap');
const SFNT_VERSIONS = new Set([0x00010000, tag('OTTO'), tag('true')]);

export function cmapCodePoints(file: string): Set<number> | undefined {
  try {
    const cmap = cmapTable(readFileSync(file));
    return cmap ? codePointsOfCmap(cmap) : undefined;
  } catch {
    return undefined; // a damaged file: fontkit says what is wrong with it
  }
}

/** The cmap table's bytes, from a WOFF 1.0 (W3C WOFF 1.0, section 4) or a plain sfnt. */
function cmapTable(font: Buffer): Buffer | undefined {
  const signature = font.readUInt32BE(0);
  if (signature === WOFF) {
    const tables = font.readUInt16BE(12);
    for (let i = 0; i < tables; i++) {
      const entry = 44 + i * 20;
      if (font.readUInt32BE(entry) !== CMAP) continue;
      const offset = font.readUInt32BE(entry + 4);
      const compressed = font.readUInt32BE(entry + 8);
      const length = font.readUInt32BE(entry + 12);
      const data = font.subarray(offset, offset + compressed);
      return compressed < length ? inflateSync(data) : data;
    }
    return undefined;
  }
  if (!SFNT_VERSIONS.has(signature)) return undefined;
  const tables = font.readUInt16BE(4);
  for (let i = 0; i < tables; i++) {
    const entry = 12 + i * 16;
    if (font.readUInt32BE(entry) !== CMAP) continue;
    const offset = font.readUInt32BE(entry + 8);
    return font.subarray(offset, offset + font.readUInt32BE(entry + 12));
  }
  return undefined;
}

function codePointsOfCmap(cmap: Buffer): Set<number> | undefined {
  const records = cmap.readUInt16BE(2);
  let subtable: number | undefined;
  for (const [platform, encoding] of PREFERRED) {
    for (let i = 0; i < records && subtable === undefined; i++) {
      const record = 4 + i * 8;
      if (cmap.readUInt16BE(record) === platform && cmap.readUInt16BE(record + 2) === encoding) {
        subtable = cmap.readUInt32BE(record + 4);
      }
    }
    if (subtable !== undefined) break;
  }
  if (subtable === undefined) return undefined;
  const codePoints = new Set<number>();
  const addRange = (first: number, last: number) => {
    for (let codePoint = first; codePoint <= last; codePoint++) codePoints.add(codePoint);
  };
  const format = cmap.readUInt16BE(subtable);
  if (format === 4) {
    // Every segment whole, the final 0xFFFF one included, as fontkit lists them.
    const segments = cmap.readUInt16BE(subtable + 6) / 2;
    const ends = subtable + 14;
    const starts = ends + segments * 2 + 2;
    for (let i = 0; i < segments; i++)
      addRange(cmap.readUInt16BE(starts + i * 2), cmap.readUInt16BE(ends + i * 2));
  } else if (format === 12 || format === 13) {
    const groups = cmap.readUInt32BE(subtable + 12);
    for (let i = 0; i < groups; i++) {
      const group = subtable + 16 + i * 12;
      addRange(cmap.readUInt32BE(group), cmap.readUInt32BE(group + 4));
    }
  } else if (format === 0) {
    addRange(0, 255);
  } else if (format === 6) {
    const first = cmap.readUInt16BE(subtable + 6);
    addRange(first, first + cmap.readUInt16BE(subtable + 8) - 1);
  } else {
    return undefined;
  }
  return codePoints;
}
