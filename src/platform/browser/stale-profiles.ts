/**
 * Browser profiles left in the temporary folder by a node process that was killed outright (SIGKILL, the
 * out-of-memory killer): launch-browser.ts removes its profile on every other way out, but a killed process
 * cannot, and each profile holds the hyphenation dictionaries (about 2 MB). A profile is named after the
 * machine and the process that made it, so a later launch on the same machine removes those whose process has
 * exited. A profile named after another machine (a container sharing the folder) is left alone: its process
 * cannot be seen from here, and neither can one of another user (`kill(pid, 0)` answers EPERM: alive).
 */
import { readdir, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'imprint-chromium-';
/** What mkdtemp appends: six letters or digits. */
const NAME_AFTER_PROCESS = /^(\d+)-[A-Za-z0-9]{6}$/;

/** The machine's name as a profile's name carries it: no `-`, so the process id after it reads back whole. */
function machine(host: string): string {
  return host.replace(/[^A-Za-z0-9.]/g, '_') || 'host';
}

/** What a new profile's name begins with (mkdtemp's prefix): this machine and this process. */
export function profilePrefix(host = hostname(), pid = process.pid): string {
  return `${PREFIX}${machine(host)}-${pid}-`;
}

/** Whether a process with this id is running (or is another user's, which this one cannot signal). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes this machine's profiles whose process has exited, and returns their names. On libuv's threads: a
 * launch runs beside the reading of the book, and a temporary folder may hold thousands of entries.
 */
export async function removeStaleProfiles(
  dir = tmpdir(),
  host = hostname(),
  alive: (pid: number) => boolean = processAlive,
): Promise<string[]> {
  const ours = `${PREFIX}${machine(host)}-`;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(ours)) continue;
    const pid = Number(NAME_AFTER_PROCESS.exec(name.slice(ours.length))?.[1] ?? Number.NaN);
    if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid || alive(pid)) continue;
    try {
      await rm(join(dir, name), { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Not ours to remove after all, or already gone: a leftover never stops a build.
    }
  }
  return removed;
}
