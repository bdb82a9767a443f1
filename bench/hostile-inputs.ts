/**
 * Manuscripts built to be expensive: the inputs issue 9 measured taking minutes or never finishing. The
 * hostile-input bench section and test/hostile-input.test.ts both build them from here, so what is timed
 * is what is tested.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface HostileInput {
  name: string;
  /** What the chapter is, in a few words, for the bench table. */
  what: string;
  /** The chapter text; `scale` below 1 makes a smaller one of the same shape (for tests). */
  chapter(scale?: number): string;
}

const WORDS = ['harbour', 'evening', 'lantern', 'quietly', 'northern', 'considered', 'the', 'of', 'and'];

function prose(bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const word = WORDS[(i * 7 + (i >> 3)) % WORDS.length];
    parts.push(word);
    size += word.length + 1;
  }
  return parts.join(' ');
}

export const HOSTILE_INPUTS: HostileInput[] = [
  {
    name: 'brackets',
    what: '100 kB of nested brackets',
    chapter: () => `# Brackets\n\n${'['.repeat(50_000)}${']'.repeat(50_000)}\n`,
  },
  {
    name: 'long-line',
    what: 'one 2 MB line',
    chapter: (scale = 1) => `# One line\n\n"${prose(2_000_000 * scale)}" -- 'end'...\n`,
  },
  {
    name: 'long-word',
    what: 'one unbroken 2 MB word',
    chapter: (scale = 1) => `# One word\n\n${'abcdefghij'.repeat(200_000 * scale)}\n`,
  },
  {
    name: 'deep-lists',
    what: 'lists nested 500 deep',
    chapter: () =>
      `# Deep\n\n${Array.from({ length: 500 }, (_, i) => `${'  '.repeat(i)}- item ${i}`).join('\n')}\n`,
  },
  {
    name: 'deep-quotes',
    what: 'blockquotes nested 1000 deep',
    chapter: () => `# Deep\n\n${'>'.repeat(1000)} quoted\n`,
  },
  {
    name: 'deep-html',
    what: 'raw <div> nested 5000 deep',
    chapter: () => `# Deep\n\n${'<div>'.repeat(5000)}x${'</div>'.repeat(5000)}\n`,
  },
  {
    name: 'large',
    what: 'a 20 MB chapter',
    chapter: () => {
      const paragraph = `${prose(900)} "quoted" -- dash...`;
      const blocks: string[] = ['# Large'];
      let size = 0;
      for (let i = 0; size < 20_000_000; i++) {
        const block = i % 40 === 0 ? `## Section ${i / 40}` : paragraph;
        blocks.push(block);
        size += block.length + 2;
      }
      return `${blocks.join('\n\n')}\n`;
    },
  },
];

/** A one-chapter manuscript holding the input; returns its folder. */
export function writeHostileManuscript(input: HostileInput, parent = os.tmpdir(), scale = 1): string {
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(path.join(parent, `imprint-hostile-${input.name}-`));
  writeFileSync(path.join(dir, 'book.yaml'), `title: Hostile ${input.name}\n`);
  writeFileSync(path.join(dir, '01-chapter.md'), input.chapter(scale));
  return dir;
}
