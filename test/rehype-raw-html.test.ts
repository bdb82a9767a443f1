/**
 * rehype-raw-html (src/pipeline/plugins/rehype-raw-html.ts) skips parse5 for a chapter without raw HTML: the
 * whole chapter pipeline must then give the very tree (positions included) and diagnostics it gives with
 * rehype-raw itself, on the golden fixtures and on a generated book with footnotes, tables and figures.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import rehypeRaw from 'rehype-raw';
import { describe, expect, it } from 'vitest';
import { createChapterProcessor, processChapterText } from '../src/pipeline/chapter-processor.ts';
import rehypeRawHtml from '../src/pipeline/plugins/rehype-raw-html.ts';
import { loadTheme } from '../src/templates/load-theme.ts';
import { generateBook } from './support/generate-book.ts';

const theme = loadTheme('default', process.cwd(), {});
const withSkip = createChapterProcessor(theme.components);
const alwaysParsed = createChapterProcessor(theme.components);
const attacher = alwaysParsed.attachers.find(([plugin]) => plugin === (rehypeRawHtml as unknown));
if (!attacher) throw new Error('the chapter pipeline no longer uses rehype-raw-html');
attacher[0] = rehypeRaw as never;

function processWith(processor: typeof withSkip, file: string) {
  const { tree, file: vfile } = processChapterText(processor, readFileSync(file, 'utf8'), file, {
    chapterId: 'c',
    manuscriptDir: path.dirname(file),
    chapterIds: new Map([[path.basename(file), 'c']]),
    components: theme.components,
    displayPath: path.basename(file),
  });
  return { tree, diagnostics: vfile.data.diagnostics };
}

const fixtures = path.resolve('test/fixtures/pipeline');
const book = generateBook(path.join(mkdtempSync(path.join(os.tmpdir(), 'imprint-raw-')), 'manuscript'), {
  chapters: 3,
  withFootnotes: true,
  withTables: true,
  withFigures: true,
});
const files = [
  ...readdirSync(fixtures)
    .map((name) => path.join(fixtures, name, 'input.md'))
    .filter((file) => existsSync(file)),
  ...book.chapterFiles.map((file) => path.resolve(book.dir, file)),
];

describe('chapters without raw HTML skip the parse and come out as if parsed', () => {
  it.each(files)('%s', (file) => {
    const skipped = processWith(withSkip, file);
    const parsed = processWith(alwaysParsed, file);
    // rehype-raw drops the root's own position when a component node (passed through, without a position)
    // opens or closes the chapter; nothing reads the root's position, every other node's is compared.
    expect({ ...skipped.tree, position: undefined }).toEqual({ ...parsed.tree, position: undefined });
    expect(skipped.diagnostics).toEqual(parsed.diagnostics);
  });
});
