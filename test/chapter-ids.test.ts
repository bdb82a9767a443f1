/**
 * Chapter ids from file names: unique, and unique as the web book's page names too.
 */
import { describe, expect, it } from 'vitest';
import { chapterIdsFor } from '../src/book/chapter-ids.ts';
import { chapterPage } from '../src/outputs/html/web-book.ts';

describe('chapter ids', () => {
  it('are the file names without their numbers, made unique', () => {
    expect([...chapterIdsFor(['01-the-start.md', '02-the-start.md', '03-2024.md']).values()]).toEqual([
      'the-start',
      'the-start-2',
      'chapter-2024',
    ]);
  });

  it('never give two chapters one web-book page ("index" lives on chapter-index.html)', () => {
    for (const files of [
      ['01-index.md', '02-chapter-index.md'],
      ['01-chapter-index.md', '02-index.md'],
    ]) {
      const ids = [...chapterIdsFor(files).values()];
      const pages = ids.map((id) => chapterPage({ id } as Parameters<typeof chapterPage>[0]));
      expect(new Set(pages).size, files.join(' ')).toBe(files.length);
      expect(pages).not.toContain('index.html');
    }
  });
});
