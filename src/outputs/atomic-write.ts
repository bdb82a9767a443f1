/**
 * One file or folder is replaced only once its new version is complete, so a reader (the preview, a check)
 * never opens a half-written file. `imprint build` has editions write into its staging folder, where these
 * temporary names land too; publish-editions.ts makes the whole set atomic.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

const tempName = (target: string) =>
  path.join(
    path.dirname(target),
    `.${path.basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`,
  );

export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  const temp = tempName(target);
  try {
    await writeFile(temp, data);
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/** Fills a fresh temporary folder, then swaps it in for `target` (a folder edition such as the HTML one). */
export async function replaceDirAtomic(target: string, fill: (dir: string) => Promise<void>): Promise<void> {
  await mkdir(path.dirname(target), { recursive: true });
  const temp = tempName(target);
  const old = `${temp}.old`;
  try {
    await mkdir(temp, { recursive: true });
    await fill(temp);
    await rename(target, old).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    await rename(temp, target);
  } finally {
    await rm(temp, { recursive: true, force: true });
    await rm(old, { recursive: true, force: true });
  }
}
