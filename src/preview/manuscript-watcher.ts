/**
 * Watches what a book is made of: the manuscript folder (chapters, book.yaml, images) and, outside it, the
 * theme's files and any image the chapters name elsewhere. Changes that arrive together (an editor saving
 * several files, or writing a file in two steps) are handed over as one batch.
 */
import path from 'node:path';
import { type FSWatcher, watch } from 'chokidar';

export interface ManuscriptWatcher {
  /** Watches these paths too (from the latest book: theme files, outside images); earlier extras stay. */
  watchAlso(paths: readonly string[]): void;
  /** Resolves once the initial scan is done: changes after this are reported. */
  ready: Promise<void>;
  close(): Promise<void>;
}

export interface WatchOptions {
  /** How long to wait for more changes before reporting a batch. */
  settleMs?: number;
  onError?: (error: unknown) => void;
}

/** Dot-files and folders (.git, editor swap files, .imprint-cache), node_modules, backup files `name~`. */
function ignored(file: string): boolean {
  const base = path.basename(file);
  return base.startsWith('.') || base === 'node_modules' || base.endsWith('~');
}

export function watchManuscript(
  dir: string,
  onChange: (files: string[]) => void,
  options: WatchOptions = {},
): ManuscriptWatcher {
  const watcher: FSWatcher = watch(dir, { ignoreInitial: true, ignored });
  const extras = new Set<string>();
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;

  const flush = () => {
    timer = undefined;
    const files = [...pending];
    pending = new Set();
    onChange(files);
  };
  watcher.on('all', (_event, file) => {
    pending.add(path.resolve(file));
    timer ??= setTimeout(flush, options.settleMs ?? 8);
  });
  watcher.on('error', (error) => options.onError?.(error));
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  const inside = (file: string) => !path.relative(dir, file).startsWith('..');

  return {
    watchAlso(paths) {
      const added = paths.filter((file) => !extras.has(file) && !inside(file));
      for (const file of added) extras.add(file);
      if (added.length) watcher.add(added);
    },
    ready,
    async close() {
      clearTimeout(timer);
      await watcher.close();
    },
  };
}
