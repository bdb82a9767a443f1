/**
 * A font's PostScript name (name ID 6) read from its `name` table as fontkit's `postscriptName` gives it: of the
 * English records (Macintosh language 0, Windows 0x0409), the last in the table, fontkit keeping the last it
 * decodes per language. Undefined where fontkit's choice would depend on more (no English record, a legacy
 * encoding, characters outside ASCII): the caller asks fontkit.
 */
export function postscriptNameIn(name: Buffer): string | undefined {
  const count = name.readUInt16BE(2);
  const strings = name.readUInt16BE(4);
  let found: string | undefined;
  for (let i = 0; i < count; i++) {
    const record = 6 + i * 12;
    if (name.readUInt16BE(record + 6) !== 6) continue;
    const platform = name.readUInt16BE(record);
    const encoding = name.readUInt16BE(record + 2);
    const language = name.readUInt16BE(record + 4);
    const start = strings + name.readUInt16BE(record + 10);
    const bytes = name.subarray(start, start + name.readUInt16BE(record + 8));
    if (platform === 3 && language === 0x0409 && [0, 1, 10].includes(encoding)) {
      if (bytes.length % 2 !== 0) return undefined;
      found = Buffer.from(bytes).swap16().toString('utf16le');
    } else if (platform === 1 && language === 0 && encoding === 0) {
      found = bytes.toString('latin1');
    } else continue;
    if (!/^[\x21-\x7e]+$/.test(found)) return undefined;
  }
  return found;
}
