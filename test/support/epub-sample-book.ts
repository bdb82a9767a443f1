/**
 * A multi-chapter manuscript with everything an EPUB has to carry: generated interview chapters (footnotes,
 * tables, SVG figures, pull-quotes) plus one chapter of field notes with what those lack: a PNG figure with a
 * credit, an aside, a block pull-quote, an aligned table with a footnote inside, and links into other chapters.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { generateBook } from './generate-book.ts';

/** A real, tiny PNG: `width`×`height` pixels of one RGB colour. */
export function solidPng(width: number, height: number, [r, g, b]: [number, number, number]): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits per channel, RGB, no interlace
  const row = Buffer.from([0, ...Array.from({ length: width }, () => [r, g, b]).flat()]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(Array.from({ length: height }, () => row)))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const FIELD_NOTES = (first: string) => `---
title: Field Notes & Figures
kicker: Appendix
deck: What the stations recorded, in one table and one photograph.
speakers:
  Q: { name: The Editors, role: interviewer }
  A: { name: Dr Ana Ruiz, role: guest }
---

The notes below go with [the first interview](${first}) and with [the numbers](#the-numbers) further down.[^gauge]

::figure[Stations across the region.]{src="images/photos/station map.png" alt="A green square standing in for a map of the stations" credit="Photo: The Archive"}

::related["The first interview"]{label="See also" href="${first}"}

## The numbers

| Year | Rain (mm) | Note |
|:-----|----------:|:----:|
| 2001 | 812 | dry |
| 2002 | 1,034 | wet[^wet] |

Table: Rainfall by year.

:::aside{title="How it was measured"}
Gauges were read at nine each morning & logged by hand.

Two gauges were moved in 2002.
:::

## A last word

Q: What changed?

A: :pull[Everything changed when the river moved.] We had to start again.

:::pullquote{cite="Dr Ana Ruiz"}
Measure twice, build once.
:::

[^gauge]: Standard rain gauges, read by volunteers.
[^wet]: The wettest year since records began.
`;

/** Writes the sample manuscript (`chapters` generated interviews plus the field notes) and returns its folder. */
export function epubSampleBook(chapters = 3): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'imprint-epub-book-'));
  const { chapterFiles } = generateBook(dir, {
    chapters,
    withFootnotes: true,
    withTables: true,
    withFigures: true,
  });
  mkdirSync(path.join(dir, 'images', 'photos'), { recursive: true });
  writeFileSync(path.join(dir, 'images', 'photos', 'station map.png'), solidPng(48, 32, [40, 160, 80]));
  writeFileSync(path.join(dir, `${chapters + 1}-field-notes.md`), FIELD_NOTES(chapterFiles[0]));
  return dir;
}
