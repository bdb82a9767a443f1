/**
 * Building hyphenation dictionaries off the thread that asks for them (buildDictionariesAside in
 * hyphenation-dictionaries.ts): in a thread of its own, started with the names as its workerData, or in a
 * chapter worker that has read its last chapter (chapter-worker.ts), which imports this module when asked.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { dictionaryFile } from './hyphenation-dictionaries.ts';

/** Builds each of `names` into the cache, posting `{ name, file }` for each (no file: left to the asker). */
export function buildDictionariesHere(names: readonly string[]): void {
  for (const name of names) {
    let file: string | undefined;
    try {
      file = dictionaryFile(name);
    } catch {
      // Left to the asking thread, which builds it when it needs it and reports what goes wrong.
    }
    parentPort?.postMessage({ name, file });
  }
}

const started = workerData as { names?: string[] } | null;
if (started?.names) buildDictionariesHere(started.names);
