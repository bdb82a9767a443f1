/**
 * A worker thread running one of Imprint's own modules, compiled (lib/) or from the TypeScript sources (a
 * checkout, the tests), where the worker has to register tsx before it can import a `.ts` file. The chapter
 * pool and the EPUB cover both start their workers here.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Worker, WorkerOptions } from 'node:worker_threads';

/** Starts `<name>.js` (or `<name>.ts` when `from` is a TypeScript module) beside the module at `from`. */
export function startModuleWorker(from: string, name: string, options: WorkerOptions = {}): Worker {
  // Loaded on first use: a rebuild that starts no thread spares node:worker_threads' 3.5 ms.
  const { Worker } = createRequire(import.meta.url)(
    'node:worker_threads',
  ) as typeof import('node:worker_threads');
  if (from.endsWith('.ts')) {
    const tsxDir = path.dirname(createRequire(from).resolve('tsx/package.json'));
    const tsx = pathToFileURL(path.join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href;
    const source = new URL(`./${name}.ts`, from).href;
    return new Worker(
      `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(source)}); });`,
      { ...options, eval: true },
    );
  }
  return new Worker(new URL(`./${name}.js`, from), options);
}
