/**
 * A WOFF 1.0 font as the plain TrueType/OpenType file it wraps (W3C WOFF 1.0, section 4): fontkit reads WOFF
 * itself, but inflates tables again on every glyph lookup, which made drawing running heads cost a second.
 * Node's zlib inflates each table once here. Hand-written: the format is one header and a table directory.
 * Glyph records are padded to whole words on the way (padGlyphRecords).
 */
import { inflateSync } from 'node:zlib';

export function woffToSfnt(woff: Uint8Array): Uint8Array {
  const input = Buffer.from(woff.buffer, woff.byteOffset, woff.byteLength);
  if (input.toString('latin1', 0, 4) !== 'wOFF') throw new Error('Not a WOFF 1.0 font.');
  const flavor = input.readUInt32BE(4);
  const count = input.readUInt16BE(12);
  const tables: Table[] = Array.from({ length: count }, (_, index) => {
    const at = 44 + index * 20;
    const offset = input.readUInt32BE(at + 4);
    const compressed = input.readUInt32BE(at + 8);
    const length = input.readUInt32BE(at + 12);
    const stored = input.subarray(offset, offset + compressed);
    return {
      tag: input.subarray(at, at + 4),
      checksum: input.readUInt32BE(at + 16),
      data: compressed < length ? inflateSync(stored) : stored,
    };
  });
  padGlyphRecords(tables);
  const padded = (length: number) => (length + 3) & ~3;
  const headerLength = 12 + count * 16;
  const output = Buffer.alloc(
    headerLength + tables.reduce((sum, table) => sum + padded(table.data.length), 0),
  );
  const power = 2 ** Math.floor(Math.log2(count));
  output.writeUInt32BE(flavor, 0);
  output.writeUInt16BE(count, 4);
  output.writeUInt16BE(power * 16, 6);
  output.writeUInt16BE(Math.log2(power), 8);
  output.writeUInt16BE(count * 16 - power * 16, 10);
  let offset = headerLength;
  tables.forEach((table, index) => {
    const at = 12 + index * 16;
    table.tag.copy(output, at);
    output.writeUInt32BE(table.checksum, at + 4);
    output.writeUInt32BE(offset, at + 8);
    output.writeUInt32BE(table.data.length, at + 12);
    table.data.copy(output, offset);
    offset += padded(table.data.length);
  });
  return output;
}

interface Table {
  tag: Buffer;
  checksum: number;
  data: Buffer;
}

/**
 * Every glyph record of `glyf` padded to a multiple of 4 bytes, with a long `loca` to match. fontkit's subsetter
 * copies records as they are and writes a short `loca` (offsets halved) when the subset is small, so a font
 * whose records have odd lengths (Amiri's) became a subset whose glyphs pdf-lib drew as nothing.
 */
function padGlyphRecords(tables: Table[]): void {
  const find = (tag: string) => tables.find((table) => table.tag.toString('latin1') === tag);
  const head = find('head');
  const loca = find('loca');
  const glyf = find('glyf');
  if (!head || !loca || !glyf) return;
  const long = head.data.readInt16BE(50) === 1;
  const count = loca.data.length / (long ? 4 : 2);
  const offsets = Array.from({ length: count }, (_, index) =>
    long ? loca.data.readUInt32BE(index * 4) : loca.data.readUInt16BE(index * 2) * 2,
  );
  if (offsets.every((offset) => offset % 4 === 0)) return;
  const records = offsets.slice(0, -1).map((offset, index) => glyf.data.subarray(offset, offsets[index + 1]));
  const newGlyf = Buffer.alloc(records.reduce((sum, record) => sum + ((record.length + 3) & ~3), 0));
  const newLoca = Buffer.alloc(count * 4);
  let at = 0;
  records.forEach((record, index) => {
    newLoca.writeUInt32BE(at, index * 4);
    record.copy(newGlyf, at);
    at += (record.length + 3) & ~3;
  });
  newLoca.writeUInt32BE(at, (count - 1) * 4);
  const newHead = Buffer.from(head.data);
  newHead.writeInt16BE(1, 50);
  head.data = newHead;
  loca.data = newLoca;
  glyf.data = newGlyf;
}
