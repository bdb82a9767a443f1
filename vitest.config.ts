import { defineConfig } from 'vitest/config';
import LongestFirst from './test/support/longest-first.ts';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // lib/ compiled if src/ is newer, so CLI processes start without tsx; one epubcheck JVM for every test file
    // that checks an EPUB, started on the first request.
    globalSetup: ['test/support/compiled-cli.ts', 'test/support/epubcheck-service.ts'],
    // Browser launches, PDF rendering and epubcheck (13–27 s a run) are slow, and slower still on a busy machine.
    testTimeout: 240_000,
    hookTimeout: 240_000,
    // Separate processes: a test file that launches Chromium gets its own signal handlers and exit.
    pool: 'forks',
    // Two cores: at most two test files (and so two Chromiums) at once.
    fileParallelism: true,
    maxWorkers: 2,
    // The longest files first (by test/support/test-durations.json), so no long file starts near the end.
    sequence: { sequencer: LongestFirst },
    // No page-list cache shared between test files: an EPUB would get the page-list of another file's PDF.
    env: { IMPRINT_PAGE_LIST_CACHE: '0' },
  },
});
