/**
 * The one book every benchmark section measures: 40 interview chapters, about 330 pages at 6×9 in, with
 * footnotes, tables and figures, so PDF, EPUB and preview figures describe the same workload.
 */
import path from 'node:path';
import { type GeneratedBook, generateBook } from '../test/support/generate-book.ts';

export function generateBenchBook(dir: string): GeneratedBook {
  return generateBook(path.join(dir, 'manuscript'), {
    chapters: 40,
    sectionsPerChapter: 2,
    turnsPerSection: 4,
    withFootnotes: true,
    withTables: true,
    withFigures: true,
  });
}
