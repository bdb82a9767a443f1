/**
 * A worker thread of the chapter pool (src/book/chapter-pool.ts): runs the pipeline over the chapters it is
 * sent and posts each result back. It keeps one processor per language and theme components, as the loader does.
 */
import { parentPort } from 'node:worker_threads';
import { createChapterProcessor, processChapterText } from '../pipeline/chapter-processor.ts';
import type { ChapterJob, ProcessedChapter } from './load-book.ts';
import { uiStrings } from './ui-strings.ts';

const processors = new Map<string, ReturnType<typeof createChapterProcessor>>();

parentPort?.on('message', ({ id, job }: { id: number; job: ChapterJob }) => {
  try {
    const key = [job.lang, ...[...job.context.components].flat()].join('\u0000');
    let processor = processors.get(key);
    if (!processor) {
      processor = createChapterProcessor(job.context.components, uiStrings(job.lang));
      processors.set(key, processor);
    }
    const { tree, file } = processChapterText(processor, job.text, job.path, job.context);
    const { meta, headings, images, diagnostics } = file.data;
    const result: ProcessedChapter = { tree, data: { meta, headings, images, diagnostics } };
    parentPort?.postMessage({ id, result });
  } catch (error) {
    parentPort?.postMessage({
      id,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  }
});
