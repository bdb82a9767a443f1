/**
 * The chapter pool's worker threads (chapter-worker.ts), and starting them early. A worker spends its first
 * 0.2–0.3 s loading the pipeline; started by the pool, that is after the calling thread has loaded its own
 * modules, book.yaml and the theme, so it joined the reading late. `imprint build` starts them as its first
 * act when the build is likely to need them (a cold cache and enough chapters), so both threads load at
 * once; the pool then takes these before starting others, and whatever it does not take is stopped. This
 * module imports nothing of the pipeline, so starting workers costs the calling thread nothing.
 */
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../platform/module-worker.ts';
import { chapterCacheDir } from './chapter-cache.ts';
import { isChapterFileName } from './chapter-file-name.ts';

/** Below this many chapters to process, the pool is not started. */
export const MIN_CHAPTERS_FOR_WORKERS = 6;

/**
 * Threads that read chapters, this one included: IMPRINT_WORKERS, else one per two cores. A thread running the
 * pipeline keeps about one and a half cores busy, not one: V8 compiles the hot code and collects garbage on
 * threads of its own (measured: 0.63 s of CPU in 0.44 s for 20 chapters in one thread; 0.62 s in 0.62 s with
 * `--single-threaded`). On two cores a second thread's start-up (its modules, its own compiled code, its
 * results copied back) then cost more than it read: cold builds of the 40-chapter book, interleaved, were 9 %
 * (HTML) and 7 % (EPUB) faster on one thread, and the 135-chapter book's read too (see README, Performance).
 */
export function poolSize(
  env: NodeJS.ProcessEnv = process.env,
  cores: number = os.availableParallelism(),
): number {
  const asked = Number.parseInt(env.IMPRINT_WORKERS ?? '', 10);
  return Number.isNaN(asked) ? Math.max(1, Math.floor(cores / 2)) : Math.max(0, asked);
}

export function startChapterWorker(): Worker {
  return startModuleWorker(import.meta.url, 'chapter-worker');
}

const early: Worker[] = [];

/**
 * Starts the pool's workers now when a build of `manuscriptDir` will most likely parse its chapters: the
 * cache folder holds no chapters yet (or is off) and the book has enough of them. Otherwise (a rebuild)
 * nothing is started, and the pool starts workers only if enough chapters changed.
 */
export function startChapterWorkersEarly(manuscriptDir: string, env: NodeJS.ProcessEnv = process.env): void {
  const workers = poolSize(env) - 1;
  if (workers < 1) return;
  const cacheDir = chapterCacheDir(manuscriptDir, env);
  if (cacheDir && existsSync(path.join(cacheDir, 'chapters'))) return;
  // The files the loader reads when book.yaml lists no chapters. A `chapters:` list in book.yaml is not read
  // here: parsing YAML is the kind of work this start is made to run beside. The count only decides whether to
  // start workers now; the pool processes the loader's own list either way, so a wrong guess costs a worker
  // started and stopped unused (stopEarlyChapterWorkers) or one started later by the pool, never a chapter.
  let chapters = 0;
  try {
    chapters = readdirSync(manuscriptDir).filter(isChapterFileName).length;
  } catch {
    return; // the build reports the folder
  }
  if (chapters < MIN_CHAPTERS_FOR_WORKERS) return;
  for (let i = 0; i < workers; i++) {
    const worker = startChapterWorker();
    // Not taken yet: it must neither keep the process alive nor crash it. One that failed to start is
    // dropped, and the pool starts its own, whose failure it reports.
    worker.unref();
    worker.once('error', () => {
      const at = early.indexOf(worker);
      if (at >= 0) early.splice(at, 1);
    });
    early.push(worker);
  }
}

/** How many workers started early wait for the pool. */
export function earlyChapterWorkerCount(): number {
  return early.length;
}

/** A worker for the pool: one started early, else a new one. */
export function takeChapterWorker(): Worker {
  const worker = early.shift();
  if (!worker) return startChapterWorker();
  worker.removeAllListeners('error');
  worker.ref();
  return worker;
}

/** Stops the workers started early that the pool did not take. */
export async function stopEarlyChapterWorkers(): Promise<void> {
  await Promise.all(early.splice(0).map((worker) => worker.terminate()));
}
