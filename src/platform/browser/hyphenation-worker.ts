/**
 * A worker thread that builds hyphenation dictionaries into the cache (buildDictionariesAside in
 * hyphenation-dictionaries.ts), so the thread that asked goes on with its own work meanwhile.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { dictionaryFile } from './hyphenation-dictionaries.ts';

for (const name of (workerData as { names: string[] }).names) {
  let file: string | undefined;
  try {
    file = dictionaryFile(name);
  } catch {
    // Left to the asking thread, which builds it when it needs it and reports what goes wrong.
  }
  parentPort?.postMessage({ name, file });
}
