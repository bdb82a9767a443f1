import { defineConfig } from 'vitest/config';
import LongestFirst from './test/support/longest-first.ts';

/**
 * Test files that load no browser, start no server and change nothing of the process (its signal handlers,
 * environment, working folder): they share worker processes (`isolate: false`). Starting a process and loading
 * the pipeline's modules anew for each took longer than most of these files' tests (20 of them: 38 s wall
 * isolated, 19 s shared, on the loaded 2-core machine). A file that does any of those things stays out.
 */
const SHARED_PROCESS = [
  'architecture',
  'book-config',
  'chapter-syntax',
  'cli-errors',
  'epub-cover',
  'epub-parts',
  'font-selection',
  'html-edition',
  'html-multichapter',
  'html-search-index',
  'hyphenation-rules',
  'image-check-cache',
  'incremental-save',
  'language-typography',
  'pdf-hyphenate',
  'pdf-layout',
  'pipeline-fixtures',
  'pipeline',
  'press-parts',
  'publish-editions',
  'pull-quotes',
  'rehype-raw-html',
  'smart-typography',
  'ui-strings',
].map((name) => `test/${name}.test.ts`);

const common = {
  // Browser launches, PDF rendering and epubcheck are slow, and slower still on a busy machine.
  testTimeout: 240_000,
  hookTimeout: 240_000,
  pool: 'forks',
  // Two cores: at most two test files (and so two Chromiums) at once.
  maxWorkers: 2,
  // No page-list cache shared between test files: an EPUB would get the page-list of another file's PDF.
  env: { IMPRINT_PAGE_LIST_CACHE: '0' },
} as const;

export default defineConfig({
  test: {
    fileParallelism: true,
    maxWorkers: 2,
    // The longest files first (by test/support/test-durations.json), so no long file starts near the end; the
    // files that share processes after them, one after another in the same workers.
    sequence: { sequencer: LongestFirst },
    projects: [
      {
        test: {
          ...common,
          name: 'isolated',
          include: ['test/**/*.test.ts'],
          exclude: SHARED_PROCESS,
          // Separate processes: a test file that launches Chromium gets its own signal handlers and exit.
          isolate: true,
          // lib/ compiled if src/ is newer, so CLI processes start without tsx; one epubcheck JVM for every test
          // file that checks an EPUB, started on the first request.
          globalSetup: ['test/support/compiled-cli.ts', 'test/support/epubcheck-service.ts'],
        },
      },
      { test: { ...common, name: 'shared-process', include: SHARED_PROCESS, isolate: false } },
    ],
  },
});
