/**
 * A worker thread of the chapter pool (src/book/chapter-pool.ts): runs the pipeline over the chapters it
 * takes and posts each result back; once done, it may be asked to build hyphenation dictionaries. It keeps one processor per language and theme components, as the loader does.
 */
import { parentPort } from 'node:worker_threads';
import { takeAddedYamlResults } from '../config/yaml-results.ts';
import { createChapterProcessor, processChapterText } from '../pipeline/chapter-processor.ts';
import type { ChapterJob, ProcessedChapter } from './load-book.ts';

const processors = new Map<string, ReturnType<typeof createChapterProcessor>>();

/**
 * Sent the whole list and the pool's shared counter, it takes chapters until none is left, posting each result
 * as it is made, then says it is done.
 */
parentPort?.on(
  'message',
  (message: { jobs: ChapterJob[]; next: Int32Array } | { dictionaries: string[] }) => {
    // Done reading, the pool may hand this thread to the print's hyphenation dictionaries (chapter-pool.ts).
    if ('dictionaries' in message) {
      void import('../platform/browser/hyphenation-worker.ts').then(({ buildDictionariesHere }) =>
        buildDictionariesHere(message.dictionaries),
      );
      return;
    }
    const { jobs, next } = message;
    for (let id = Atomics.add(next, 0, 1); id < jobs.length; id = Atomics.add(next, 0, 1)) {
      try {
        const job = jobs[id];
        const key = [job.lang, JSON.stringify(job.strings), ...[...job.context.components].flat()].join(
          '\u0000',
        );
        let processor = processors.get(key);
        if (!processor) {
          processor = createChapterProcessor(job.context.components, job.strings, job.lang);
          processors.set(key, processor);
        }
        const { tree, file } = processChapterText(processor, job.text, job.path, job.context);
        const { meta, headings, images, diagnostics } = file.data;
        const result: ProcessedChapter = { tree, data: { meta, headings, images, diagnostics } };
        // The front matter it read, so the next build need not read it again (yaml-result-cache.ts).
        parentPort?.postMessage({ id, result, yaml: takeAddedYamlResults() });
      } catch (error) {
        parentPort?.postMessage({
          id,
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        });
        return;
      }
    }
    parentPort?.postMessage({ done: true });
  },
);
