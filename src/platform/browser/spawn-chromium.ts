/**
 * Chromium's process, started by Imprint itself rather than by Puppeteer's launch: Puppeteer connects to it
 * over the pipe afterwards (launch-browser.ts). That lets `imprint build` start Chromium as its first step
 * (spawnChromiumEarly), before Puppeteer's 230 modules and the build's own have loaded, on the core that
 * loading them leaves idle; launched after Puppeteer had loaded, Chromium started 0.3 s into the command and
 * its start-up ran beside the reading of the manuscript. Nothing here loads Puppeteer.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { isExecutableFile, SYSTEM_BROWSER_PATHS } from '../../../scripts/system-tools.mjs';
import { chromiumArguments } from './chromium-args.ts';
import { prepareHyphenationProfile } from './hyphenation-dictionaries.ts';
import { profilePrefix } from './stale-profiles.ts';

export interface SpawnedChromium {
  child: ChildProcess;
  executablePath: string;
  userDataDir: string;
  /** The profile folder that takes the hyphenation dictionaries; none for an online launch. */
  hyphenationFolder?: string;
  /** Chromium's end of the pipe: Puppeteer writes to the first and reads from the second. */
  pipe: { write: Writable; read: Readable };
  /** Chromium's last lines on stderr, for a launch that failed. */
  recentLogs(): string;
}

const LOG_LINES = 50;

/**
 * Spawns Chromium with `args` (chromiumArguments), as the leader of a process group of its own, as Puppeteer
 * does: the group holds its helper processes, so one kill ends them all (launch-browser.ts).
 */
export function spawnChromium(
  executablePath: string,
  userDataDir: string,
  args: readonly string[],
  hyphenationFolder?: string,
): SpawnedChromium {
  const child = spawn(executablePath, args, {
    detached: process.platform !== 'win32',
    // Its stderr is read (a full pipe would stop Chromium), its stdout not wanted; fds 3 and 4 are the pipe.
    stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  let partial = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    logs.push(...lines);
    if (logs.length > LOG_LINES) logs.splice(0, logs.length - LOG_LINES);
  });
  // A failed spawn (ENOENT, EACCES) comes as an 'error' event, then 'exit' or 'close': the launch reports it.
  child.on('error', (error) => logs.push(String(error)));
  // A killed Chromium resets its ends of the pipes (ECONNRESET): that is its exit, which is handled, not an error
  // to end node with.
  for (const stream of child.stdio) stream?.on('error', () => {});
  return {
    child,
    executablePath,
    userDataDir,
    hyphenationFolder,
    pipe: { write: child.stdio[3] as Writable, read: child.stdio[4] as Readable },
    recentLogs: () => [...logs, partial].filter(Boolean).join('\n'),
  };
}

let early: SpawnedChromium | undefined;

/** SIGKILLs a spawned Chromium's process group (the browser and its helpers), while it is still running. */
export function killProcessGroup(child: ChildProcess): void {
  // Only while node has not reaped the process: after that the pid could belong to someone else.
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    try {
      child.kill('SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

/** Removes a profile folder now; never throws. */
export function removeProfile(dir: string): void {
  try {
    // Chromium's other processes can still be writing into it for a moment after its group was killed (longer on
    // a busy machine): the removal then finds the folder not empty, and tries again.
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  } catch {
    // A leftover temporary folder must not turn a finished command into a failure.
  }
}

/** Kills a spawned Chromium (killProcessGroup) and removes its profile. */
export function killSpawnedChromium(spawned: SpawnedChromium): void {
  killProcessGroup(spawned.child);
  removeProfile(spawned.userDataDir);
}

function killEarly(): void {
  if (early) killSpawnedChromium(early);
  early = undefined;
}

/**
 * The Chrome or Chromium findBrowserExecutable will choose, where that is known without Puppeteer: the
 * environment's, or else a system browser when no Puppeteer download can come before it. Undefined otherwise;
 * the launch then chooses as always.
 */
function browserKnownWithoutPuppeteer(): string | undefined {
  const fromEnv = process.env.PUPPETEER_EXECUTABLE_PATH;
  if (fromEnv) return isExecutableFile(fromEnv) ? fromEnv : undefined;
  if (existsSync(process.env.PUPPETEER_CACHE_DIR ?? join(homedir(), '.cache', 'puppeteer'))) return undefined;
  return SYSTEM_BROWSER_PATHS.find(isExecutableFile);
}

/**
 * Starts the browser a default launch (offline, no more arguments) will use, for the next such launch to take
 * (takeEarlyChromium). For a command that launches that browser next: until taken, it is killed and its profile
 * removed at process exit, and it does not keep node running.
 */
export function spawnChromiumEarly(): void {
  if (early) return;
  const executablePath = browserKnownWithoutPuppeteer();
  if (!executablePath) return;
  // Only a head start: whatever fails here (an unwritable temporary folder) is left for the launch to report.
  let userDataDir: string | undefined;
  try {
    userDataDir = mkdtempSync(join(tmpdir(), profilePrefix()));
    const hyphenationFolder = prepareHyphenationProfile(userDataDir);
    early = spawnChromium(executablePath, userDataDir, chromiumArguments(userDataDir), hyphenationFolder);
  } catch {
    if (userDataDir) removeProfile(userDataDir);
    return;
  }
  early.child.unref();
  for (const stream of [early.pipe.write, early.pipe.read, early.child.stderr])
    (stream as Partial<{ unref(): void }> | null)?.unref?.();
  process.on('exit', killEarly);
}

/**
 * The browser spawnChromiumEarly started, if it is the one a launch of `executablePath` with `args` would start;
 * one that is not (or any, without a path) is killed. Either way it is no longer held here: the caller owns what
 * it gets.
 */
export function takeEarlyChromium(
  executablePath: string | undefined,
  args: (userDataDir: string) => readonly string[],
): SpawnedChromium | undefined {
  const spawned = early;
  if (!spawned) return undefined;
  early = undefined;
  process.off('exit', killEarly);
  const wanted = args(spawned.userDataDir);
  const same =
    spawned.executablePath === executablePath &&
    spawned.child.exitCode === null &&
    spawned.child.signalCode === null &&
    wanted.length === spawned.child.spawnargs.length - 1 &&
    wanted.every((arg, index) => arg === spawned.child.spawnargs[index + 1]);
  if (!same) {
    killSpawnedChromium(spawned);
    return undefined;
  }
  spawned.child.ref();
  for (const stream of [spawned.pipe.write, spawned.pipe.read, spawned.child.stderr])
    (stream as Partial<{ ref(): void }> | null)?.ref?.();
  return spawned;
}
