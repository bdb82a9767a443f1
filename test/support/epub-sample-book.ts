/**
 * A multi-chapter manuscript that uses everything an EPUB must carry: sections, footnotes, tables, figures
 * with a real PNG, asides, pull-quotes, an interview and links between chapters.
 */
import { crc32, deflateSync } from 'node:zlib';
import { tempManuscript } from './temp-manuscript.ts';

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
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => [r, g, b]).flat())]);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const PARAGRAPH =
  'The committee met in the spring and again in the autumn, and each time the same questions came back: who ' +
  'pays, who decides, and who answers for the result when the weather turns. Nobody in the room pretended ' +
  'that the answers were simple, but everybody agreed that they had to be written down.';

/** Chapter `n` of `count`: about `paragraphs` paragraphs under three sections. */
export function sampleChapter(n: number, count: number, paragraphs = 6): string {
  const next = n < count ? n + 1 : 1;
  const body = (section: number) =>
    Array.from({ length: paragraphs }, (_, p) => `${PARAGRAPH} (Chapter ${n}, section ${section}, paragraph ${p + 1}.)`).join('\n\n');
  return `---
title: Chapter ${n} — "Weather & Water"
kicker: Part ${Math.ceil(n / 4)}
deck: What the record shows about chapter ${n}, in brief.
speakers:
  Q: { name: The Editor, role: interviewer }
  A: { name: Dr Ana Ruiz, role: guest }
---

${body(1)}[^one]

## The record

![A blue square standing in for a chart](images/chart-${n % 2}.png "Rainfall, ${2000 + n}.")

${body(2)} See [the numbers](#the-numbers) and [the next chapter](${String(next).padStart(2, '0')}-chapter.md#the-record).

::figure[Stations across the region.]{src="images/station.png" alt="A green square standing in for a map" credit="Photo: The Archive"}

### The numbers

| Year | Rain (mm) | Note |
|:-----|----------:|:----:|
| 2001 | 812 | dry |
| 2002 | 1,034 | wet[^two] |

Table: Rainfall by year.

:::aside{title="How it was measured"}
Gauges were read at nine each morning & logged by hand.
:::

## The conversation

Q: What changed?

A: :pull[Everything changed when the river moved.] We had to start again.

Q: And now?

A: Now we measure twice.

:::pullquote{cite="Dr Ana Ruiz"}
Measure twice, build once.
:::

${body(3)}

[^one]: The first note of chapter ${n}, with a [link out](https://example.org/).
[^two]: A note inside a table.
`;
}

/** Writes a manuscript folder with `count` chapters and returns its path. */
export function sampleBook(count = 4, options: { paragraphs?: number; title?: string } = {}): string {
  const files: Record<string, string | Uint8Array> = {
    'book.yaml': `title: ${options.title ?? 'Weather & Water'}
subtitle: A Sample Book for *Imprint*
authors: [Ana Ruiz, Ben Okafor]
publisher: Imprint Test Press
lang: en-GB
date: 2024-05-01
description: A generated book that uses every construct an edition has to carry.
keywords: [test, weather]
rights: © 2024 The Authors.
`,
    'images/chart-0.png': solidPng(40, 24, [40, 90, 200]),
    'images/chart-1.png': solidPng(24, 40, [200, 90, 40]),
    'images/station.png': solidPng(32, 32, [40, 160, 80]),
  };
  for (let n = 1; n <= count; n++) {
    files[`${String(n).padStart(2, '0')}-chapter.md`] = sampleChapter(n, count, options.paragraphs);
  }
  return tempManuscript(files);
}
