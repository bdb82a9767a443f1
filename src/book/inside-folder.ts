/**
 * Whether a file a manuscript names really lies inside a folder once every symlink on its way is followed.
 * A manuscript is one folder: a symlink inside it that leads elsewhere (to /etc/passwd, or a linked folder)
 * must not carry that file into an edition.
 */
import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';

export type InsideResult =
  | { ok: true; real: string }
  | { ok: false; reason: 'missing' | 'outside' | 'not-a-file' };

export function isInside(file: string, root: string): boolean {
  const relative = path.relative(root, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * Resolves `file` (absolute) and checks that it is a regular file inside `root`, both as written and after
 * symlinks. Returns the real path to read, so what was checked is what is read.
 */
export function resolveInside(file: string, root: string): InsideResult {
  if (!isInside(path.resolve(file), path.resolve(root))) return { ok: false, reason: 'outside' };
  let real: string;
  let realRoot: string;
  try {
    // The system's realpath: node's own walks and lstat-s every folder on the way (6 ms for 40 chapters).
    real = realpathSync.native(file);
    realRoot = realpathSync.native(root);
  } catch {
    return { ok: false, reason: 'missing' };
  }
  if (!isInside(real, realRoot)) return { ok: false, reason: 'outside' };
  try {
    if (!statSync(real).isFile()) return { ok: false, reason: 'not-a-file' };
  } catch {
    return { ok: false, reason: 'missing' };
  }
  return { ok: true, real };
}
