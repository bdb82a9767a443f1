/**
 * One build at a time per output folder: `<out>/.imprint-lock` holds the process id of the build that writes
 * there. A second build waits for it (up to a bound), so two builds never interleave their editions. A lock
 * whose process is gone (a build killed with SIGKILL) is taken over at once, not obeyed forever.
 *
 * Hand-written rather than taken from proper-lockfile: that library decides staleness by an mtime it keeps
 * refreshing, so a killed build would block the next one for its whole stale period, and it cannot say whose
 * lock it is. A process id answers both. The price: on a folder shared between machines, a lock from
 * another host is never judged stale (its process cannot be seen) and times out with a message instead.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { type FileHandle, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const LOCK_FILE = '.imprint-lock';

export interface LockHolder {
  pid: number;
  host: string;
  /** ISO time the holder started. */
  started: string;
  token: string;
}

export interface LockOptions {
  /** How long to wait for another build, in ms. Default 5 minutes. */
  waitMs?: number;
  /** How often to look again, in ms. */
  pollMs?: number;
  /** Called once when the folder is locked by a live build and this one starts waiting. */
  onWait?(holder: LockHolder | undefined): void;
  /** Called when a lock left by a build that no longer runs is taken over. */
  onTakeOver?(holder: LockHolder | undefined): void;
}

export interface OutLock {
  file: string;
  holder: LockHolder;
  /** Removes the lock if it is still this build's. */
  release(): Promise<void>;
  /** The same, synchronously, for a process 'exit' handler. */
  releaseSync(): void;
}

/** Thrown when another build held the lock for the whole wait. */
export class OutLockedError extends Error {
  constructor(
    readonly file: string,
    readonly holder: LockHolder | undefined,
  ) {
    super(`${file} is held by ${holder ? `process ${holder.pid} on ${holder.host}` : 'another build'}`);
    this.name = 'OutLockedError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseHolder(text: string): LockHolder | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.token === 'string')
      return value as LockHolder;
  } catch {
    // Half-written or not ours: judged by its age below.
  }
  return undefined;
}

/** A lock file younger than this with no readable holder may be one being written right now. */
const UNREADABLE_GRACE_MS = 5_000;

async function isStale(file: string, holder: LockHolder | undefined): Promise<boolean> {
  if (holder) return holder.host === os.hostname() && !alive(holder.pid);
  const info = await stat(file).catch(() => undefined);
  return info !== undefined && Date.now() - info.mtimeMs > UNREADABLE_GRACE_MS;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes `<outDir>/.imprint-lock`, waiting while a live build holds it.
 * @throws OutLockedError after `waitMs`; errno errors of the file system (a read-only folder …) as they come.
 */
export async function acquireOutLock(outDir: string, options: LockOptions = {}): Promise<OutLock> {
  const file = path.join(outDir, LOCK_FILE);
  const holder: LockHolder = {
    pid: process.pid,
    host: os.hostname(),
    started: new Date().toISOString(),
    token: randomBytes(8).toString('hex'),
  };
  const content = `${JSON.stringify(holder)}\n`;
  const deadline = Date.now() + (options.waitMs ?? 300_000);
  let waited = false;
  for (;;) {
    if (await createLockFile(file, content)) return lockOf(file, holder, content);
    const text = await readFile(file, 'utf8').catch(() => undefined);
    if (text === undefined) continue; // Released between our two calls: try again at once.
    const other = parseHolder(text);
    if (await isStale(file, other)) {
      if (await removeIfUnchanged(file, text)) options.onTakeOver?.(other);
      continue;
    }
    if (Date.now() >= deadline) throw new OutLockedError(file, other);
    if (!waited) {
      waited = true;
      options.onWait?.(other);
    }
    await sleep(options.pollMs ?? 250);
  }
}

/** Creates the lock file holding `content`; false when it exists. A lock half-written (a full disk) is removed. */
async function createLockFile(file: string, content: string): Promise<boolean> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(content);
    await handle.close();
    return true;
  } catch (error) {
    await handle.close().catch(() => {});
    await rm(file, { force: true });
    throw error;
  }
}

/**
 * Removes a stale lock only if it still holds `expected`: moved aside under a name of our own first, so two
 * builds that both found it stale cannot remove each other's fresh lock.
 */
async function removeIfUnchanged(file: string, expected: string): Promise<boolean> {
  const aside = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.stale`;
  try {
    await rename(file, aside);
  } catch {
    return false; // Someone else moved it first.
  }
  const moved = await readFile(aside, 'utf8').catch(() => undefined);
  if (moved !== expected) {
    // We moved a lock taken in between: give it back unless yet another build has locked meanwhile.
    await writeFile(file, moved ?? '', { flag: 'wx' }).catch(() => {});
    await rm(aside, { force: true });
    return false;
  }
  await rm(aside, { force: true });
  return true;
}

function lockOf(file: string, holder: LockHolder, content: string): OutLock {
  let released = false;
  return {
    file,
    holder,
    async release() {
      if (released) return;
      released = true;
      if ((await readFile(file, 'utf8').catch(() => undefined)) === content) await rm(file, { force: true });
    },
    releaseSync() {
      if (released) return;
      released = true;
      try {
        if (readFileSync(file, 'utf8') === content) rmSync(file, { force: true });
      } catch {
        // Already gone.
      }
    },
  };
}
