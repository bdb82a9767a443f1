/**
 * Chapters parsed on every core: a pool sized to the machine (IMPRINT_WORKERS overrides; 0 or 1 turns it
 * off) runs the pipeline over the chapters that changed, and the results come back in chapter order. The
 * calling thread is one of the pool: it has the pipeline loaded already and would only wait otherwise, so on
 * n cores n − 1 worker threads (chapter-worker.ts) start, and the calling thread parses chapters while they
 * load their modules. Each worker holds the next chapter in hand while it parses one, so it never waits on
 * the calling thread. A few chapters are not worth a thread's start-up, so small jobs run here alone.
 * Workers `imprint build` started early (chapter-workers.ts) are taken first.
 */
import { createChapterProcessor, processChapterText } from '../pipeline/chapter-processor.ts';
import {
  MIN_CHAPTERS_FOR_WORKERS,
  poolSize,
  stopEarlyChapterWorkers,
  takeChapterWorker,
} from './chapter-workers.ts';
import type { ChapterJob, ProcessedChapter } from './load-book.ts';

export { poolSize };

/** Chapters a worker is sent ahead: one it parses, one it takes up the moment it posts the first. */
const IN_HAND = 2;

/** Processes `jobs` on `size` threads, this one included, returning the results in the same order. */
export async function processChaptersInPool(
  jobs: ChapterJob[],
  size = poolSize(),
): Promise<ProcessedChapter[]> {
  const threads = Math.min(size, jobs.length);
  if (threads < 2 || jobs.length < MIN_CHAPTERS_FOR_WORKERS) {
    await stopEarlyChapterWorkers();
    return jobs.map(processHere);
  }
  const results: ProcessedChapter[] = new Array(jobs.length);
  const workers = Array.from({ length: threads - 1 }, takeChapterWorker);
  await stopEarlyChapterWorkers();
  let next = 0;
  try {
    // A worker's failure ends the read: the calling thread stops taking chapters too.
    let stopped = false;
    await Promise.all([
      ...workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            let inHand = 0;
            const send = () => {
              while (inHand < IN_HAND && next < jobs.length) {
                const id = next++;
                inHand++;
                worker.postMessage({ id, job: jobs[id] });
              }
              if (inHand === 0) resolve();
            };
            worker.on('message', (message: { id: number; result?: ProcessedChapter; error?: string }) => {
              if (message.error !== undefined || !message.result) {
                return reject(new Error(`Processing ${jobs[message.id].path} failed: ${message.error}`));
              }
              results[message.id] = message.result;
              inHand--;
              send();
            });
            worker.on('error', reject);
            worker.on('exit', (code) => {
              if (inHand > 0) reject(new Error(`A chapter worker exited early (code ${code}).`));
            });
            send();
          }),
      ),
      (async () => {
        while (!stopped && next < jobs.length) {
          const id = next++;
          results[id] = processHere(jobs[id]);
          // Between chapters, take in what the workers posted and send them more.
          await new Promise((resolve) => setImmediate(resolve));
        }
      })(),
    ]).catch((error: unknown) => {
      stopped = true;
      throw error;
    });
    return results;
  } finally {
    // Not awaited: a thread's teardown (its heap freed) took 10–50 ms, and nothing after the reading needs it.
    for (const worker of workers) void worker.terminate();
  }
}

let here: { key: string; processor: ReturnType<typeof createChapterProcessor> } | undefined;

function processHere(job: ChapterJob): ProcessedChapter {
  const key = [job.lang, JSON.stringify(job.strings), ...[...job.context.components].flat()].join('\u0000');
  if (here?.key !== key) {
    here = { key, processor: createChapterProcessor(job.context.components, job.strings, job.lang) };
  }
  const { tree, file } = processChapterText(here.processor, job.text, job.path, job.context);
  return { tree, data: file.data };
}
