/**
 * A reader of minikin `.hyb` files that hyphenates one word the way Chromium's copy of minikin does
 * (Hyphenator::hyphenateFromCodes), so tests can check a written file without a browser.
 */
export function hyphenateWithHyb(file: Uint8Array, word: string, minPrefix = 2, minSuffix = 2): number[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const u32 = (at: number) => view.getUint32(at, true);
  if (u32(0) !== 0x62ad7968) throw new Error('not a .hyb file');
  const alphabet = u32(8);
  const trie = u32(12);
  const pattern = u32(16);
  const letters = [...word];
  const codes = [0];
  for (const letter of letters) {
    const point = letter.codePointAt(0) as number;
    let code = 0;
    if (u32(alphabet) === 0) {
      const min = u32(alphabet + 4);
      const max = u32(alphabet + 8);
      if (point >= min && point < max) code = view.getUint8(alphabet + 12 + point - min);
    } else {
      const n = u32(alphabet + 4);
      for (let i = 0; i < n; i++) {
        const entry = u32(alphabet + 8 + 4 * i);
        if (entry >>> 11 === point) code = entry & 0x7ff;
      }
    }
    if (code === 0) return [];
    codes.push(code);
  }
  codes.push(0);
  const charMask = u32(trie + 4);
  const linkShift = u32(trie + 8);
  const linkMask = u32(trie + 12);
  const patternShift = u32(trie + 16);
  const slot = (i: number) => u32(trie + 24 + 4 * i);
  const poolAt = pattern + u32(pattern + 8);
  const len = codes.length;
  const buffer = new Array<number>(len).fill(0);
  const maxOffset = len - minSuffix - 1;
  for (let i = 0; i < len - 1; i++) {
    let node = 0;
    for (let j = i; j < len; j++) {
      const c = codes[j] as number;
      const entry = slot(node + c);
      if ((entry & charMask) !== c) break;
      node = (entry & linkMask) >>> linkShift;
      const patIx = slot(node) >>> patternShift;
      if (patIx === 0) continue;
      const patEntry = u32(pattern + 16 + 4 * patIx);
      const patLen = patEntry >>> 26;
      const patShift = (patEntry >>> 20) & 0x3f;
      const buf = poolAt + (patEntry & 0xfffff);
      const offset = j + 1 - (patLen + patShift);
      const start = Math.max(minPrefix - offset, 0);
      const end = Math.min(patLen, maxOffset - offset);
      for (let k = start; k < end; k++) {
        buffer[offset + k] = Math.max(buffer[offset + k] as number, view.getUint8(buf + k));
      }
    }
  }
  const breaks: number[] = [];
  for (let i = minPrefix; i < maxOffset; i++) if ((buffer[i] as number) & 1) breaks.push(i);
  return breaks;
}
