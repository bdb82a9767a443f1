/** CSS `unicode-range` values ("U+0000-00FF,U+0131,U+4??") as sorted [first, last] code point pairs. */
export type CodePointRanges = readonly (readonly [number, number])[];

export function parseUnicodeRange(value: string): CodePointRanges {
  const ranges: [number, number][] = [];
  for (const part of value.split(',')) {
    const match = /^\s*U\+([0-9a-f?]+)(?:-([0-9a-f]+))?\s*$/i.exec(part);
    if (!match) continue;
    const [, first, last] = match;
    if (first.includes('?')) {
      ranges.push([
        Number.parseInt(first.replace(/\?/g, '0'), 16),
        Number.parseInt(first.replace(/\?/g, 'f'), 16),
      ]);
    } else {
      const start = Number.parseInt(first, 16);
      ranges.push([start, last ? Number.parseInt(last, 16) : start]);
    }
  }
  return ranges.sort((a, b) => a[0] - b[0]);
}

export function inRanges(ranges: CodePointRanges, codePoint: number): boolean {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const [first, last] = ranges[middle];
    if (codePoint < first) high = middle - 1;
    else if (codePoint > last) low = middle + 1;
    else return true;
  }
  return false;
}
