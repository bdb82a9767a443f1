/**
 * Chapter workers started before the build loads its runner: only for a build that will parse its chapters
 * (a cold cache, enough chapters), taken by the pool, and the book they read is the one-thread book.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { toHtml } from 'hast-util-to-html';
import { afterEach, describe, expect, it } from 'vitest';
import { processChaptersInPool } from '../src/book/chapter-pool.ts';
import {
  earlyChapterWorkerCount,
  poolSize,
  startChapterWorkersEarly,
  stopEarlyChapterWorkers,
} from '../src/book/chapter-workers.ts';
import { createBookLoader } from '../src/book/load-book.ts';
import { buildHybFile } from '../src/platform/browser/hyb-file.ts';
import {
  buildDictionariesAside,
  dictionaryCacheDir,
} from '../src/platform/browser/hyphenation-dictionaries.ts';
import { loadTexPatterns } from '../src/platform/browser/tex-patterns.ts';
import { generateBook } from './support/generate-book.ts';

const scratch = () => mkdtempSync(path.join(os.tmpdir(), 'imprint-workers-'));
const book = (chapters: number) =>
  generateBook(path.join(scratch(), 'manuscript'), { chapters, withFootnotes: true }).dir;

afterEach(async () => {
  await stopEarlyChapterWorkers();
});

describe('the pool size', () => {
  it('is one reading thread per two cores unless IMPRINT_WORKERS says otherwise', () => {
    expect([1, 2, 3, 4, 8].map((cores) => poolSize({}, cores))).toEqual([1, 1, 1, 2, 4]);
    expect(poolSize({ IMPRINT_WORKERS: '3' }, 2)).toBe(3);
    expect(poolSize({ IMPRINT_WORKERS: '0' }, 8)).toBe(0);
    expect(poolSize({ IMPRINT_WORKERS: 'many' }, 4)).toBe(2);
  });
});

describe('chapter workers started early', () => {
  it('start for a cold cache and are taken by the pool, which reads the same book', {
    timeout: 240_000,
  }, async () => {
    const dir = book(8);
    startChapterWorkersEarly(dir, { IMPRINT_WORKERS: '3', IMPRINT_CACHE_DIR: path.join(scratch(), 'c') });
    expect(earlyChapterWorkerCount()).toBe(2);
    const here = createBookLoader()(dir);
    const pooled = await createBookLoader().loadBookWith(dir, (jobs) => processChaptersInPool(jobs, 3));
    expect(earlyChapterWorkerCount()).toBe(0);
    expect(pooled.chapters.map((c) => toHtml(c.tree))).toEqual(here.chapters.map((c) => toHtml(c.tree)));
    expect(pooled.diagnostics).toEqual(here.diagnostics);
  });

  it('hand one worker, done reading, to afterReading: there the hyphenation dictionaries are built', {
    timeout: 240_000,
  }, async () => {
    const before = process.env.IMPRINT_CACHE_DIR;
    process.env.IMPRINT_CACHE_DIR = path.join(scratch(), 'c');
    try {
      const dir = book(8);
      const handed: Promise<void>[] = [];
      const pooled = await createBookLoader().loadBookWith(dir, (jobs) =>
        processChaptersInPool(jobs, 3, {
          afterReading: (worker) => handed.push(buildDictionariesAside(['en-us'], worker)),
        }),
      );
      expect(pooled.chapters).toHaveLength(8);
      expect(handed).toHaveLength(1);
      await Promise.all(handed);
      const file = path.join(dictionaryCacheDir(), 'hyph-en-us.hyb');
      expect(new Uint8Array(readFileSync(file))).toEqual(buildHybFile(loadTexPatterns('en-us')));
    } finally {
      if (before === undefined) delete process.env.IMPRINT_CACHE_DIR;
      else process.env.IMPRINT_CACHE_DIR = before;
    }
  });

  it('do not start for a cache that holds chapters, a small book, or one thread', () => {
    const warm = path.join(scratch(), 'c');
    mkdirSync(path.join(warm, 'chapters'), { recursive: true });
    startChapterWorkersEarly(book(8), { IMPRINT_WORKERS: '2', IMPRINT_CACHE_DIR: warm });
    startChapterWorkersEarly(book(3), { IMPRINT_WORKERS: '2', IMPRINT_CACHE: '0' });
    startChapterWorkersEarly(book(8), { IMPRINT_WORKERS: '1', IMPRINT_CACHE: '0' });
    expect(earlyChapterWorkerCount()).toBe(0);
    startChapterWorkersEarly(book(8), { IMPRINT_WORKERS: '2', IMPRINT_CACHE: '0' });
    expect(earlyChapterWorkerCount()).toBe(1);
  });

  it('count the chapters the loader reads: `.markdown` files, not the README', () => {
    const env = { IMPRINT_WORKERS: '2', IMPRINT_CACHE: '0' };
    const withReadme = book(5);
    writeFileSync(path.join(withReadme, 'README.md'), '# About this manuscript\n');
    expect(createBookLoader()(withReadme).chapters).toHaveLength(5);
    startChapterWorkersEarly(withReadme, env);
    expect(earlyChapterWorkerCount()).toBe(0);
    const withMarkdown = book(5);
    writeFileSync(path.join(withMarkdown, '99-last.markdown'), '# Last\n\nText.\n');
    expect(createBookLoader()(withMarkdown).chapters).toHaveLength(6);
    startChapterWorkersEarly(withMarkdown, env);
    expect(earlyChapterWorkerCount()).toBe(1);
  });

  it('that the pool does not need are stopped', { timeout: 240_000 }, async () => {
    const dir = book(8);
    startChapterWorkersEarly(dir, { IMPRINT_WORKERS: '2', IMPRINT_CACHE: '0' });
    expect(earlyChapterWorkerCount()).toBe(1);
    // A pool of one thread (IMPRINT_WORKERS=1 for the build) reads every chapter here.
    const loaded = await createBookLoader().loadBookWith(dir, (jobs) => processChaptersInPool(jobs, 1));
    expect(loaded.chapters).toHaveLength(8);
    expect(earlyChapterWorkerCount()).toBe(0);
  });
});
