/**
 * Reads a zip file's entries exactly as stored: order, compression method and bytes. Tests need what an
 * unzip library hides (is `mimetype` first and stored?), and zips made by JSZip need nothing more than this.
 */
import { inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  /** 0 = stored, 8 = deflated. */
  method: number;
  /** Offset of the entry's local header in the file. */
  offset: number;
  /** Length of the local header's extra field (an OCF `mimetype` entry must have none). */
  extraLength: number;
  data: Buffer;
}

export function readZip(bytes: Uint8Array): ZipEntry[] {
  const zip = Buffer.from(bytes);
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end === -1) throw new Error('Not a zip file: no end of central directory.');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`Bad central directory entry at ${at}.`);
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const offset = zip.readUInt32LE(at + 42);
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);

    const localNameLength = zip.readUInt16LE(offset + 26);
    const extraLength = zip.readUInt16LE(offset + 28);
    const start = offset + 30 + localNameLength + extraLength;
    const raw = zip.subarray(start, start + compressedSize);
    entries.push({
      name,
      method,
      offset,
      extraLength,
      data: method === 8 ? inflateRawSync(raw) : Buffer.from(raw),
    });
  }
  return entries;
}
