/**
 * The code points a TrueType/OpenType, WOFF or WOFF2 file maps, read from its `cmap` table alone, as fontkit's
 * `characterSet` gives them: the same subtable (fontkit's order of preference) and the same ranges. A cold
 * build needs the cmaps of a few files; through fontkit that meant loading fontkit (some 80 ms of CPU for
 * its modules) and inflating in JavaScript, more than the rest of the font selection. Here the table is read
 * by font-table.ts (node's zlib or Brotli). Anything else (a collection, a cmap format fontkit rejects or maps
 * through a legacy encoding) returns undefined, and the caller asks fontkit.
 */
import { readFileSync } from 'node:fs';
import { fontTable } from './font-table.ts';

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

export function cmapCodePoints(file: string): Set<number> | undefined {
  try {
    const cmap = fontTable(readFileSync(file), 'cmap');
    return cmap ? codePointsOfCmap(cmap) : undefined;
  } catch {
    return undefined; // a damaged file: fontkit says what is wrong with it
  }
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
