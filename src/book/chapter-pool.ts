/**
 * Chapters parsed on several cores: a pool sized to the machine (one thread per two cores, see poolSize;
 * IMPRINT_WORKERS overrides, 0 or 1 turns it off) runs the pipeline over the chapters that changed, and the
 * results come back in chapter order. The calling thread is one of the pool: it has the pipeline loaded
 * already and would only wait otherwise, so a pool of n threads starts n − 1 worker threads
 * (chapter-worker.ts), and the calling thread parses chapters while they load their modules. Every thread is
 * sent the whole list and takes the next untaken chapter from a shared counter, so none waits on another. A
 * few chapters are not worth a thread's start-up, so small jobs run here alone. Workers `imprint build`
 * started early (chapter-workers.ts) are taken first.
 */
import type { Worker } from 'node:worker_threads';
import { restoreYamlResults } from '../config/yaml-results.ts';
import { createChapterProcessor, processChapterText } from '../pipeline/chapter-processor.ts';
import {
  MIN_CHAPTERS_FOR_WORKERS,
  poolSize,
  stopEarlyChapterWorkers,
  takeChapterWorker,
} from './chapter-workers.ts';
import type { ChapterJob, ProcessedChapter } from './load-book.ts';

export { poolSize };

export interface PoolOptions {
  /**
   * Given a worker thread once the chapters are read, for work of its own while this thread finishes the
   * book (a thread already started costs nothing more to start); it then terminates the worker. Without it,
   * or after a failed read, every worker is terminated.
   */
  afterReading?: (worker: Worker) => void;
}

/** Processes `jobs` on `size` threads, this one included, returning the results in the same order. */
export async function processChaptersInPool(
  jobs: ChapterJob[],
  size = poolSize(),
  options: PoolOptions = {},
): Promise<ProcessedChapter[]> {
  const threads = Math.min(size, jobs.length);
  if (threads < 2 || jobs.length < MIN_CHAPTERS_FOR_WORKERS) {
    await stopEarlyChapterWorkers();
    const results: ProcessedChapter[] = [];
    for (const job of jobs) {
      results.push(processHere(job));
      // Between chapters, what came meanwhile (Chromium starting, a signal) is answered.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return results;
  }
  const results: ProcessedChapter[] = new Array(jobs.length);
  const workers = Array.from({ length: threads - 1 }, takeChapterWorker);
  await stopEarlyChapterWorkers();
  // The next chapter nobody has taken, shared by every thread: each takes its next one the moment it is free
  // (Atomics.add), so a worker never waits for this thread to answer a message, however long this thread's
  // chapter or however busy the machine.
  const next = new Int32Array(new SharedArrayBuffer(4));
  const take = () => Atomics.add(next, 0, 1);
  let spare: Worker | undefined;
  try {
    await Promise.all([
      ...workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            let done = false;
            worker.on(
              'message',
              (message: {
                id?: number;
                result?: ProcessedChapter;
                yaml?: [string, string][];
                error?: string;
                done?: boolean;
              }) => {
                if (message.done) {
                  done = true;
                  return resolve();
                }
                const id = message.id ?? -1;
                if (message.error !== undefined || !message.result) {
                  return reject(new Error(`Processing ${jobs[id]?.path} failed: ${message.error}`));
                }
                results[id] = message.result;
                if (message.yaml) restoreYamlResults(message.yaml);
              },
            );
            worker.on('error', reject);
            worker.on('exit', (code) => {
              if (!done) reject(new Error(`A chapter worker exited early (code ${code}).`));
            });
            worker.postMessage({ jobs, next });
          }),
      ),
      (async () => {
        for (let id = take(); id < jobs.length; id = take()) {
          results[id] = processHere(jobs[id]);
          // Between chapters, take in what the workers posted (their results' copies are made here).
          await new Promise((resolve) => setImmediate(resolve));
        }
      })(),
    ]);
    if (options.afterReading) spare = workers.shift();
    return results;
  } catch (error) {
    // A failure ends the read: no thread takes another chapter.
    Atomics.store(next, 0, jobs.length);
    throw error;
  } finally {
    // Not awaited: a thread's teardown (its heap freed) took 10–50 ms, and nothing after the reading needs it.
    for (const worker of workers) void worker.terminate();
    if (spare) {
      // The read's listeners go; the new owner listens from here on.
      for (const event of ['message', 'error', 'exit']) spare.removeAllListeners(event);
      try {
        options.afterReading?.(spare);
      } catch {
        void spare.terminate();
      }
    }
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
