// The only place Imprint launches Chromium. It launches the browser findBrowserExecutable chose headless
// with a throw-away profile (carrying the hyphenation dictionaries) and makes sure no Chromium outlives the
// node process (Ctrl-C, SIGTERM, process.exit, even SIGKILL). A profile a killed process could not remove is
// removed by the next launch on the machine (stale-profiles.ts).

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { constants as osConstants, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'puppeteer-core';
import puppeteer from 'puppeteer-core';
import { findBrowserExecutable } from './find-browser.ts';
import { prepareHyphenationProfile, useHyphenationProfile } from './hyphenation-dictionaries.ts';
import { profilePrefix, removeStaleProfiles } from './stale-profiles.ts';

/**
 * Launch arguments that work as root in a container and keep Chromium off the network on its own.
 * `--disable-component-update` is not among them: it would also stop Chromium from loading the hyphenation
 * dictionaries Imprint puts in the profile (browser/hyphenation-dictionaries.ts). The update checks it
 * allows go nowhere behind OFFLINE_ARGS; a launch with `offline: false` adds the flag back.
 */
const LAUNCH_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-setuid-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
  '--no-default-browser-check',
  '--disable-extensions',
  // Chromium 156 starts its omnibox popup (a WebUI page) in a renderer of its own even headless: 0.5–0.6 s of
  // CPU at every launch, and the browser 0.1–0.2 s more, for a window no one sees; a build reads the manuscript
  // on both cores meanwhile. Puppeteer adds these to its own --disable-features.
  '--disable-features=PreloadTopChromeWebUI,WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup',
  // The network service in the browser process rather than a utility process of its own: one process fewer to
  // start (a launch, a page and its close: 2.06 s → 1.80 s, 1.97 s → 1.76 s of CPU, eight each). It only ever
  // sees Imprint's own file: and data: loads, and OFFLINE_ARGS apply to it as they did.
  '--enable-features=NetworkServiceInProcess2',
];

/**
 * Browser-wide kill switch for the network, added unless `offline: false`. Request interception
 * (openLockedPage) cannot see WebSockets or `<link rel=preconnect>` sockets, and WebRTC sends UDP
 * past it: verified, each reached a local server. With every connection sent to a proxy on a closed
 * loopback port (loopback included), no hostname resolving, and WebRTC limited to proxied UDP
 * (there is none), none of them gets out.
 */
export const OFFLINE_ARGS: readonly string[] = [
  '--proxy-server=http://127.0.0.1:9',
  '--proxy-bypass-list=<-loopback>',
  '--host-resolver-rules=MAP * ~NOTFOUND',
  '--webrtc-ip-handling-policy=disable_non_proxied_udp',
];

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
  pid: number | undefined;
  userDataDir: string;
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

/** SIGKILLs a browser's whole process group (Puppeteer starts it detached) and removes its profile. */
function forceKill(entry: LiveBrowser): void {
  killProcessGroup(entry);
  removeProfile(entry.userDataDir);
}

/** SIGKILLs a browser's whole process group, if it is still running. */
function killProcessGroup(entry: LiveBrowser): void {
  const child = entry.browser.process();
  // Only while node has not reaped the process: after that the pid could belong to someone else.
  if (entry.pid !== undefined && child && child.exitCode === null && child.signalCode === null) {
    try {
      process.kill(-entry.pid, 'SIGKILL');
    } catch {
      try {
        process.kill(entry.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
}

function removeProfile(dir: string): void {
  try {
    // Chromium's other processes can still be writing into it for a moment after its group was killed (longer on
    // a busy machine): the removal then finds the folder not empty, and tries again.
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  } catch {
    // A leftover temp directory must not turn a finished build into a failure.
  }
}

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
 * Profiles of browsers still launching: a signal or process.exit then must remove them too (the browser is not
 * in `live` yet; it quits by itself once node is gone).
 */
const launching = new Set<string>();

function killAllLive(): void {
  for (const entry of live) forceKill(entry);
  live.clear();
  for (const dir of removing) removeProfile(dir);
  killLaunching(launching);
  for (const dir of launching) removeProfile(dir);
}

/**
 * SIGKILLs the process group of each browser still launching with one of the profiles `dirs`: Puppeteer has not
 * given its process yet, so it is found as this process's child whose `--user-data-dir` is the profile (Linux's
 * /proc; elsewhere it quits by itself once node is gone). Left running, a Chromium still starting went on
 * writing into its profile after the profile was removed, and so made it again (seen on a busy machine when
 * Ctrl-C came during the launch).
 */
function killLaunching(dirs: ReadonlySet<string>): void {
  if (dirs.size === 0 || process.platform !== 'linux') return;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return;
  }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
      // The fields after the command's closing parenthesis: state, then the parent's pid.
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== process.pid) continue;
      const flag = '--user-data-dir=';
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (!args.some((arg) => arg.startsWith(flag) && dirs.has(arg.slice(flag.length)))) continue;
      // Puppeteer starts it detached, as the leader of its own group: the group holds its other processes.
      try {
        process.kill(-Number(pid), 'SIGKILL');
      } catch {
        process.kill(Number(pid), 'SIGKILL');
      }
    } catch {
      // Gone meanwhile, or not readable: not ours to stop.
    }
  }
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
  const executablePath = findBrowserExecutable(opts.executablePath);
  // Not awaited: it never fails, and node finishes it before exiting (a command that ends the process itself
  // waits for it first, see staleProfilesRemoved).
  staleProfilesRemoval ??= removeStaleProfiles().then(() => {});
  const userDataDir = mkdtempSync(join(tmpdir(), profilePrefix()));
  launching.add(userDataDir);
  syncHandlers();
  const online = opts.offline === false;
  let browser: Browser;
  let hyphenationFolder: string | undefined;
  try {
    if (!online) hyphenationFolder = prepareHyphenationProfile(userDataDir);
    browser = await puppeteer.launch({
      executablePath,
      headless: true,
      pipe: true,
      userDataDir,
      args: [
        ...LAUNCH_ARGS,
        ...(online ? ['--disable-component-update'] : OFFLINE_ARGS),
        ...(opts.args ?? []),
      ],
      // Puppeteer's own handlers would race ours (and its SIGTERM handler does not exit).
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      ...(opts.timeout === undefined ? {} : { timeout: opts.timeout }),
    });
  } catch (error) {
    removeProfile(userDataDir);
    throw error;
  } finally {
    launching.delete(userDataDir);
    syncHandlers();
  }

  if (hyphenationFolder) useHyphenationProfile(browser, hyphenationFolder);
  const child = browser.process();
  const entry: LiveBrowser = {
    browser,
    pid: child?.pid,
    userDataDir,
    handleSignals: opts.handleSignals !== false,
  };
  if (!child || child.exitCode !== null || child.signalCode !== null) {
    removeProfile(userDataDir);
    return browser;
  }
  live.add(entry);
  syncHandlers();
  // 'exit' fires before Puppeteer's close() resolves; close() also waits for the profile's removal, so the
  // profile is gone when it returns.
  let removed: Promise<void> | undefined;
  child.once('exit', () => {
    live.delete(entry);
    removed = removeProfileLater(userDataDir);
    syncHandlers();
  });
  const close = browser.close.bind(browser);
  browser.close = async () => {
    // Killed rather than asked to shut down: the profile is a temporary one, removed next, so nothing in
    // Chromium's orderly shutdown is kept, and that shutdown ran on the two cores beside the PDF's finishing
    // (reading Chromium's file took 100–190 ms beside it, 60 ms after it). Puppeteer's close then finds the
    // connection gone and the process exited, and lets go of both.
    killProcessGroup(entry);
    await close().catch(() => {});
    await removed;
  };
  return browser;
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
