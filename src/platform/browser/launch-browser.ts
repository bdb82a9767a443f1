// The only place Imprint launches Chromium. It launches the browser findBrowserExecutable chose headless
// with a throw-away profile (carrying the hyphenation dictionaries) and makes sure no Chromium outlives the
// node process (Ctrl-C, SIGTERM, process.exit, even SIGKILL). A profile a killed process could not remove is
// removed by the next launch on the machine (stale-profiles.ts).

import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { constants as osConstants, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';
import puppeteer from 'puppeteer-core';
import { PipeTransport } from 'puppeteer-core/internal/node/PipeTransport.js';
import { writeBlankDocument } from './blank-document.ts';
import { chromiumArguments } from './chromium-args.ts';
import { findBrowserExecutable } from './find-browser.ts';
import { prepareHyphenationProfile, useHyphenationProfile } from './hyphenation-dictionaries.ts';
import {
  killProcessGroup,
  killSpawnedChromium,
  removeProfile,
  type SpawnedChromium,
  spawnChromium,
  takeEarlyChromium,
} from './spawn-chromium.ts';
import { profilePrefix, removeStaleProfiles } from './stale-profiles.ts';

export { LAUNCH_ARGS, OFFLINE_ARGS } from './chromium-args.ts';

export interface LaunchOptions {
  /** A browser named by the config; see findBrowserExecutable for the search order without it. */
  executablePath?: string;
  /** Add OFFLINE_ARGS (default true). Only a caller that must reach a local server turns it off. */
  offline?: boolean;
  /**
   * Close the browser on SIGINT/SIGTERM/SIGHUP, then exit with 128 + the signal number (130, 143,
   * 129). Default true. Turn it off only when the caller closes the browser on signals itself.
   */
  handleSignals?: boolean;
  /** More Chromium arguments. */
  args?: readonly string[];
  /** Launch timeout in ms (Puppeteer's default is 30 000). */
  timeout?: number;
}

interface LiveBrowser {
  browser: Browser;
  spawned: SpawnedChromium;
  handleSignals: boolean;
}

const live = new Set<LiveBrowser>();
const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
/** How long a signal waits for browsers to close cleanly before they are killed. */
const SIGNAL_CLOSE_GRACE_MS = 3_000;
let signalHandlersOn = false;
let exitHandlerOn = false;
let exitingOnSignal = false;
/** Profiles of killed processes are looked for once a process (stale-profiles.ts); settles when that is done. */
let staleProfilesRemoval: Promise<void> | undefined;

/**
 * Profiles of exited browsers being removed on libuv's threads: removed on the main thread, a profile took
 * 80 ms of the finishing of a PDF (the browser closes while the PDF is finished). Process exit finishes them.
 */
const removing = new Set<string>();

function removeProfileLater(dir: string): Promise<void> {
  removing.add(dir);
  return rm(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 50 })
    .then(
      () => {
        removing.delete(dir);
      },
      () => {
        // Not removed (a process of the browser's still writing into it): it stays in `removing`, so process
        // exit tries once more (killAllLive), and a process that already exited leaves it to the next launch's
        // search for stale profiles.
      },
    )
    .finally(() => syncHandlers());
}

/**
 * Browsers spawned and not connected to yet: a signal or process.exit then must kill them and remove their
 * profiles too (they are not in `live` yet).
 */
const launching = new Set<SpawnedChromium>();

function killAllLive(): void {
  for (const entry of live) killSpawnedChromium(entry.spawned);
  live.clear();
  for (const dir of removing) removeProfile(dir);
  for (const spawned of launching) killSpawnedChromium(spawned);
}

function onSignal(signal: NodeJS.Signals): void {
  const code = 128 + (osConstants.signals[signal] ?? 0);
  if (exitingOnSignal) {
    // A second Ctrl-C: stop waiting.
    killAllLive();
    process.exit(code);
  }
  exitingOnSignal = true;
  // Work in flight fails as its browser closes ("No target with given id", "Target closed"): that is the
  // interruption, not a crash, so it must not end the process with code 1 and a stack trace first.
  process.on('uncaughtException', () => {});
  process.on('unhandledRejection', () => {});
  const closing = Promise.allSettled([...live].map((entry) => entry.browser.close()));
  const grace = new Promise<void>((done) => setTimeout(done, SIGNAL_CLOSE_GRACE_MS).unref());
  void Promise.race([closing, grace]).finally(() => {
    killAllLive();
    process.exit(code);
  });
}

function syncHandlers(): void {
  const wantSignals = [...live].some((entry) => entry.handleSignals);
  if (wantSignals && !signalHandlersOn) {
    for (const signal of SIGNALS) process.on(signal, onSignal);
    signalHandlersOn = true;
  } else if (!wantSignals && signalHandlersOn) {
    for (const signal of SIGNALS) process.off(signal, onSignal);
    signalHandlersOn = false;
  }
  // process.exit() skips `finally` blocks; this last synchronous chance kills what is left.
  const pending = live.size + removing.size + launching.size;
  if (pending > 0 && !exitHandlerOn) {
    process.on('exit', killAllLive);
    exitHandlerOn = true;
  } else if (pending === 0 && exitHandlerOn) {
    process.off('exit', killAllLive);
    exitHandlerOn = false;
  }
}

/**
 * Settles once the search for stale profiles that this process's first launch started has ended; at once when
 * nothing was launched. For a command that ends the process itself (process.exit cuts short what is pending).
 */
export function staleProfilesRemoved(): Promise<void> {
  return staleProfilesRemoval ?? Promise.resolve();
}

/** How many browsers launched by this module are still running (for tests and diagnostics). */
export function liveBrowserCount(): number {
  return live.size;
}

/**
 * Launches a headless Chromium with LAUNCH_ARGS (plus OFFLINE_ARGS) and a fresh temporary profile
 * that is removed when the browser exits. Until then SIGINT/SIGTERM/SIGHUP close it and exit the
 * process, and process exit kills it; the handlers are removed once the last browser has exited.
 * Chromium talks to Puppeteer over a pipe, so it also quits by itself when node is SIGKILLed.
 * Close it with `browser.close()`, or use withBrowser.
 * @throws BrowserNotFoundError when there is no browser to launch.
 */
export async function launchBrowser(opts: LaunchOptions = {}): Promise<Browser> {
  const online = opts.offline === false;
  const argsFor = (userDataDir: string) => chromiumArguments(userDataDir, { online, args: opts.args });
  let executablePath: string;
  try {
    executablePath = findBrowserExecutable(opts.executablePath);
  } catch (error) {
    // What `imprint build` started early (spawn-chromium.ts) must not outlive a launch that failed.
    takeEarlyChromium(undefined, argsFor);
    throw error;
  }
  // Not awaited: it never fails, and node finishes it before exiting (a command that ends the process itself
  // waits for it first, see staleProfilesRemoved).
  staleProfilesRemoval ??= removeStaleProfiles().then(() => {});
  let spawned = takeEarlyChromium(executablePath, argsFor);
  if (!spawned) {
    const userDataDir = mkdtempSync(join(tmpdir(), profilePrefix()));
    try {
      const hyphenationFolder = online ? undefined : prepareHyphenationProfile(userDataDir);
      spawned = spawnChromium(executablePath, userDataDir, argsFor(userDataDir), hyphenationFolder);
    } catch (error) {
      removeProfile(userDataDir);
      throw error;
    }
  }
  launching.add(spawned);
  syncHandlers();
  let browser: Browser;
  try {
    browser = await connectOverPipe(spawned, opts.timeout ?? LAUNCH_TIMEOUT_MS);
  } catch (error) {
    killSpawnedChromium(spawned);
    throw error;
  } finally {
    launching.delete(spawned);
    syncHandlers();
  }
  const { child, userDataDir, hyphenationFolder } = spawned;
  if (hyphenationFolder) useHyphenationProfile(browser, hyphenationFolder);
  writeBlankDocument(browser, userDataDir);
  // A connected browser knows no process of its own; callers (and the tests) ask it for Chromium's.
  browser.process = () => child;
  const entry: LiveBrowser = { browser, spawned, handleSignals: opts.handleSignals !== false };
  if (child.exitCode !== null || child.signalCode !== null) {
    removeProfile(userDataDir);
    return browser;
  }
  live.add(entry);
  syncHandlers();
  // close() waits for the exit and the profile's removal, so the profile is gone when it returns.
  let removed: Promise<void> | undefined;
  const exited = new Promise<void>((done) =>
    child.once('exit', () => {
      live.delete(entry);
      removed = removeProfileLater(userDataDir);
      syncHandlers();
      done();
    }),
  );
  const close = browser.close.bind(browser);
  browser.close = async () => {
    // Killed rather than asked to shut down: the profile is a temporary one, removed next, so nothing in
    // Chromium's orderly shutdown is kept, and that shutdown ran on the two cores beside the PDF's finishing
    // (reading Chromium's file took 100–190 ms beside it, 60 ms after it). Puppeteer's close then finds the
    // connection gone, and lets go of it.
    killProcessGroup(child);
    await close().catch(() => {});
    await exited;
    await removed;
  };
  return browser;
}

/** As long as Puppeteer's launch waited by default. */
const LAUNCH_TIMEOUT_MS = 30_000;

/**
 * How long a launch whose pipe closed waits for Chromium's exit (or failed spawn) to say why: the two come as
 * separate events, in no fixed order.
 */
const EXIT_GRACE_MS = 1_000;

/**
 * Puppeteer connected to a spawned Chromium over its pipe, once Chromium has opened its first tab (as
 * Puppeteer's launch waits for it: first-tab.ts takes that tab). Fails with Chromium's exit and last lines when
 * it ends first, and after `timeout` ms without a tab (0: no limit, as in Puppeteer). Nothing of a failed
 * connection is left waiting: node's event loop is free as soon as this rejects.
 */
async function connectOverPipe(spawned: SpawnedChromium, timeout: number): Promise<Browser> {
  const { child, pipe } = spawned;
  const failure = (reason: string) =>
    new Error(
      `Failed to launch the browser process: ${spawned.executablePath} ${reason}.\n${spawned.recentLogs()}`.trim(),
    );
  let end: (reason: string) => void = () => {};
  const ended = new Promise<string>((settle) => {
    end = settle;
  });
  const onExit = () => end(`exited (${child.signalCode ?? `code ${child.exitCode}`})`);
  // A spawn that failed (ENOENT, EACCES) has no 'exit' event, only this.
  const onError = (error: Error) => end(`could not be started (${error.message})`);
  child.once('exit', onExit);
  child.once('error', onError);
  if (child.exitCode !== null || child.signalCode !== null) onExit();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<string>((settle) => {
    if (timeout > 0) timer = setTimeout(() => settle(`did not answer within ${timeout} ms`), timeout);
  });
  const waiting = new AbortController();
  let connected: Browser | undefined;
  const connecting = (async () => {
    connected = await puppeteer.connect({ transport: new PipeTransport(pipe.write, pipe.read) });
    await connected.waitForTarget((target) => target.type() === 'page', {
      timeout,
      signal: waiting.signal,
    });
    return connected;
  })();
  try {
    const first = await Promise.race([
      connecting.then(
        (browser) => ({ browser }),
        (error: unknown) => ({ error }),
      ),
      ended.then((reason) => ({ reason })),
      timedOut.then((reason) => ({ reason })),
    ]);
    if ('browser' in first) return first.browser;
    if ('reason' in first) throw failure(first.reason);
    // The pipe closed first (Puppeteer: "Target closed"): Chromium's exit, a moment later, says why.
    let grace: NodeJS.Timeout | undefined;
    const reason = await Promise.race([
      ended,
      new Promise<undefined>((settle) => {
        grace = setTimeout(() => settle(undefined), EXIT_GRACE_MS);
      }),
    ]);
    clearTimeout(grace);
    throw reason ? failure(reason) : first.error;
  } catch (error) {
    waiting.abort();
    // A connection made after the launch gave up is let go of too (its process is killed by the caller).
    connecting
      .then(
        (browser) => browser.disconnect(),
        () => connected?.disconnect(),
      )
      .catch(() => {});
    throw error;
  } finally {
    clearTimeout(timer);
    child.off('exit', onExit);
    child.off('error', onError);
  }
}

/** Launches one browser, runs `fn` with it and closes the browser however `fn` ends (like `finally`). */
export async function withBrowser<T>(
  fn: (browser: Browser) => Promise<T>,
  opts: LaunchOptions = {},
): Promise<T> {
  const browser = await launchBrowser(opts);
  let result: T;
  try {
    result = await fn(browser);
  } catch (error) {
    // Report what went wrong in `fn`, not a follow-on failure to close.
    await browser.close().catch(() => {});
    throw error;
  }
  await browser.close();
  return result;
}
