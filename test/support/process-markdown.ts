/** Runs one Markdown text through the chapter pipeline with the default theme, as a chapter of a test book. */
import path from 'node:path';
import { toHtml } from 'hast-util-to-html';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.ts';
import { createChapterProcessor, processChapterText } from '../../src/pipeline/chapter-processor.ts';
import { loadTheme } from '../../src/templates/load-theme.ts';

const theme = loadTheme('default', process.cwd(), {});
const processor = createChapterProcessor(theme.components);

export interface Processed {
  html: string;
  diagnostics: Diagnostic[];
  file: ReturnType<typeof processChapterText>['file'];
  tree: ReturnType<typeof processChapterText>['tree'];
}

export function processMarkdown(
  markdown: string,
  options: { dir?: string; file?: string; chapterIds?: Record<string, string> } = {},
): Processed {
  const dir = options.dir ?? path.resolve('test/fixtures/pipeline');
  const file = options.file ?? 'input.md';
  const chapterIds = new Map(Object.entries(options.chapterIds ?? { [file]: 'test' }));
  const { tree, file: vfile } = processChapterText(processor, markdown, path.join(dir, file), {
    chapterId: chapterIds.get(file) ?? 'test',
    manuscriptDir: dir,
    chapterIds,
    components: theme.components,
    displayPath: file,
  });
  return { html: toHtml(tree), diagnostics: vfile.data.diagnostics ?? [], file: vfile, tree };
}
