/**
 * One table of a font file, found through the file's table directory: a plain TrueType/OpenType file, a WOFF
 * 1.0 (each table inflated on its own by node's zlib) or a WOFF2 (W3C WOFF 2.0, section 5: one Brotli stream
 * for all tables, inflated by node's own Brotli, where fontkit inflates it in JavaScript, several times
 * slower). Hand-written because reading one table takes a header and a directory, and the font readers that
 * could do it load and inflate far more than that first. Undefined for anything else: a collection, a
 * table WOFF2 stores transformed (glyf, loca, a transformed hmtx), a damaged file; the callers then ask fontkit.
 */
import { createRequire } from 'node:module';

/** node:zlib, loaded when a font is first read: a rebuild reads none (3.6 ms of every start otherwise). */
let zlibModule: typeof import('node:zlib') | undefined;
const zlib = () => {
  zlibModule ??= createRequire(import.meta.url)('node:zlib') as typeof import('node:zlib');
  return zlibModule;
};

const tagOf = (name: string) => name.split('').reduce((value, char) => value * 256 + char.charCodeAt(0), 0);
const WOFF = tagOf('wOFF');
const WOFF2 = tagOf('wOF2');
const SFNT_VERSIONS = new Set([0x00010000, tagOf('OTTO'), tagOf('true')]);

/** The tags WOFF2 numbers 0–62 in a directory entry's flags (WOFF 2.0, table 5.1), 63 meaning one follows. */
// biome-ignore format: a table, eight to a line
const WOFF2_KNOWN_TAGS = [
  'cmap', 'head', 'hhea', 'hmtx', 'maxp', 'name', 'OS/2', 'post', 'cvt ', 'fpgm', 'glyf', 'loca', 'prep',
  'CFF ', 'VORG', 'EBDT', 'EBLC', 'gasp', 'hdmx', 'kern', 'LTSH', 'PCLT', 'VDMX', 'vhea', 'vmtx', 'BASE',
  'GDEF', 'GPOS', 'GSUB', 'EBSC', 'JSTF', 'MATH', 'CBDT', 'CBLC', 'COLR', 'CPAL', 'SVG ', 'sbix', 'acnt',
  'avar', 'bdat', 'bloc', 'bsln', 'cvar', 'fdsc', 'feat', 'fmtx', 'fvar', 'gvar', 'hsty', 'just', 'lcar',
  'mort', 'morx', 'opbd', 'prop', 'trak', 'Zapf', 'Silf', 'Glat', 'Gloc', 'Feat', 'Sill',
];

export function fontTable(font: Buffer, tag: string): Buffer | undefined {
  try {
    const signature = font.readUInt32BE(0);
    if (signature === WOFF2) return woff2Table(font, tag);
    if (signature === WOFF) return woffTable(font, tagOf(tag));
    if (SFNT_VERSIONS.has(signature)) return sfntTable(font, tagOf(tag));
  } catch {
    // A damaged file: fontkit says what is wrong with it.
  }
  return undefined;
}

function sfntTable(font: Buffer, tag: number): Buffer | undefined {
  const tables = font.readUInt16BE(4);
  for (let i = 0; i < tables; i++) {
    const entry = 12 + i * 16;
    if (font.readUInt32BE(entry) !== tag) continue;
    const offset = font.readUInt32BE(entry + 8);
    return font.subarray(offset, offset + font.readUInt32BE(entry + 12));
  }
  return undefined;
}

/** W3C WOFF 1.0, section 4. */
function woffTable(font: Buffer, tag: number): Buffer | undefined {
  const tables = font.readUInt16BE(12);
  for (let i = 0; i < tables; i++) {
    const entry = 44 + i * 20;
    if (font.readUInt32BE(entry) !== tag) continue;
    const offset = font.readUInt32BE(entry + 4);
    const compressed = font.readUInt32BE(entry + 8);
    const length = font.readUInt32BE(entry + 12);
    const data = font.subarray(offset, offset + compressed);
    return compressed < length ? zlib().inflateSync(data) : data;
  }
  return undefined;
}

/**
 * W3C WOFF 2.0: a 48-byte header, the table directory (variable-length entries), then one Brotli stream
 * holding every table in directory order, unpadded, each at its transformed length where it has one.
 */
function woff2Table(font: Buffer, tag: string): Buffer | undefined {
  if (font.readUInt32BE(4) === tagOf('ttcf')) return undefined;
  const tables = font.readUInt16BE(12);
  const compressedLength = font.readUInt32BE(20);
  let at = 48;
  const base128 = () => {
    let value = 0;
    for (let i = 0; i < 5; i++) {
      const byte = font.readUInt8(at++);
      value = value * 128 + (byte & 0x7f);
      if (!(byte & 0x80)) return value;
    }
    throw new Error('UIntBase128 longer than 5 bytes.');
  };
  let offset = 0;
  let found: { offset: number; length: number } | undefined;
  for (let i = 0; i < tables; i++) {
    const flags = font.readUInt8(at++);
    let entryTag = WOFF2_KNOWN_TAGS[flags & 0x3f];
    if ((flags & 0x3f) === 63) {
      entryTag = font.toString('latin1', at, at + 4);
      at += 4;
    }
    const version = flags >> 6;
    const length = base128();
    // glyf and loca are transformed unless their version is 3; any other table when its version is not 0.
    const transformed = entryTag === 'glyf' || entryTag === 'loca' ? version !== 3 : version !== 0;
    const stored = transformed ? base128() : length;
    if (entryTag === tag) found = transformed ? undefined : { offset, length };
    offset += stored;
  }
  if (!found) return undefined;
  const data = zlib().brotliDecompressSync(font.subarray(at, at + compressedLength));
  return data.subarray(found.offset, found.offset + found.length);
}
