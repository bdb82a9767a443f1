// The only place Imprint launches Chromium. It finds a browser, launches it headless with a throw-away
// profile, makes sure no Chromium outlives the node process (Ctrl-C, SIGTERM, process.exit, even
// SIGKILL), and opens pages that may load local files under given roots and nothing from the network.

import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { constants as osConstants, tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, HTTPRequest, Page } from 'puppeteer-core';
import puppeteer from 'puppeteer-core';
import { isExecutableFile, SETUP_ADVICE, SYSTEM_BROWSER_PATHS } from '../../scripts/system-tools.mjs';
import { installDictionaries, prepareHyphenationProfile } from './browser/hyphenation-dictionaries.ts';

export { SYSTEM_BROWSER_PATHS };

/** Thrown when no usable Chrome or Chromium is found; its message says how to install one. */
export class BrowserNotFoundError extends Error {
  /** Every path that was tried, in order. */
  readonly searched: readonly string[];

  constructor(problem: string, searched: readonly string[]) {
    super(`${problem}\n${SETUP_ADVICE}`);
    this.name = 'BrowserNotFoundError';
    this.searched = searched;
  }
}

/** Where findBrowserExecutable looks; every field has the real default and exists for tests. */
export interface BrowserSearch {
  env?: NodeJS.ProcessEnv;
  /** Puppeteer's downloaded Chrome; `null` to skip it. Default: `puppeteer.executablePath()`. */
  puppeteerPath?: string | null;
  systemPaths?: readonly string[];
}

function puppeteerDownloadPath(): string | null {
  try {
    return puppeteer.executablePath();
  } catch {
    return null;
  }
}

/**
 * The Chrome/Chromium to launch, in this order: `explicitPath` (from the config), the
 * PUPPETEER_EXECUTABLE_PATH environment variable, Puppeteer's own downloaded Chrome if that file
 * exists, then /usr/bin/chromium, chromium-browser, google-chrome, google-chrome-stable.
 * An explicit path or environment variable that names no executable is an error, not skipped.
 * @throws BrowserNotFoundError
 */
export function findBrowserExecutable(explicitPath?: string, search: BrowserSearch = {}): string {
  const env = search.env ?? process.env;
  if (explicitPath) {
    if (isExecutableFile(explicitPath)) return explicitPath;
    throw new BrowserNotFoundError(`The configured browser ${explicitPath} is not an executable file.`, [
      explicitPath,
    ]);
  }
  const fromEnv = env.PUPPETEER_EXECUTABLE_PATH;
  if (fromEnv) {
    if (isExecutableFile(fromEnv)) return fromEnv;
    throw new BrowserNotFoundError(
      `PUPPETEER_EXECUTABLE_PATH is set to ${fromEnv}, which is not an executable file.`,
      [fromEnv],
    );
  }
  const downloaded = search.puppeteerPath === undefined ? puppeteerDownloadPath() : search.puppeteerPath;
  const candidates = [...(downloaded ? [downloaded] : []), ...(search.systemPaths ?? SYSTEM_BROWSER_PATHS)];
  const found = candidates.find(isExecutableFile);
  if (found) return found;
  throw new BrowserNotFoundError(
    `No Chrome or Chromium found (looked for ${candidates.join(', ') || 'nothing'}).`,
    candidates,
  );
}

/**
 * Launch arguments that work as root in a container and keep Chromium off the network on its own.
 * `--disable-component-update` is not among them: it would also stop Chromium from loading the hyphenation
 * dictionaries Imprint puts in the profile (browser/hyphenation-dictionaries.ts). The update checks it
 * allows go nowhere behind OFFLINE_ARGS; a launch with `offline: false` adds the flag back.
 */
export const LAUNCH_ARGS: readonly string[] = [
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

/** The profile folder each browser reads its hyphenation dictionaries from (see provideHyphenation). */
const hyphenationFolders = new WeakMap<Browser, string>();

/**
 * Makes `browser` hyphenate `langs` natively (`hyphens: auto`) by adding their dictionaries to its profile;
 * call it before a page uses those languages (Chromium looks a language up once). Returns the languages it
 * has no dictionary for: all of them for a browser launched with `offline: false`.
 */
export function provideHyphenation(browser: Browser, langs: Iterable<string>): string[] {
  const folder = hyphenationFolders.get(browser);
  return folder ? installDictionaries(folder, langs) : [...new Set(langs)];
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

/** SIGKILLs a browser's whole process group (Puppeteer starts it detached) and removes its profile. */
function forceKill(entry: LiveBrowser): void {
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
  removeProfile(entry.userDataDir);
}

function removeProfile(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3, retryDelay: 50 });
  } catch {
    // A leftover temp directory must not turn a finished build into a failure.
  }
}

function killAllLive(): void {
  for (const entry of live) forceKill(entry);
  live.clear();
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
  if (live.size > 0 && !exitHandlerOn) {
    process.on('exit', killAllLive);
    exitHandlerOn = true;
  } else if (live.size === 0 && exitHandlerOn) {
    process.off('exit', killAllLive);
    exitHandlerOn = false;
  }
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
  const userDataDir = mkdtempSync(join(tmpdir(), 'imprint-chromium-'));
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
  }

  if (hyphenationFolder) hyphenationFolders.set(browser, hyphenationFolder);
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
  // 'exit' fires before Puppeteer's close() resolves, so the profile is gone when close() returns.
  child.once('exit', () => {
    live.delete(entry);
    removeProfile(userDataDir);
    syncHandlers();
  });
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

function canonical(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync(absolute);
  } catch {
    return absolute;
  }
}

function isInside(file: string, root: string): boolean {
  return file === root || file.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * The request policy of openLockedPage: `data:`, `blob:` and `about:` URLs pass, `file:` URLs pass when
 * the file (symlinks resolved) is inside one of `allowedRoots`, everything else is refused.
 */
export function createUrlPolicy(allowedRoots: readonly string[]): (url: string) => boolean {
  const roots = allowedRoots.map(canonical);
  return (url: string): boolean => {
    const scheme = url.slice(0, url.indexOf(':') + 1).toLowerCase();
    if (scheme === 'data:' || scheme === 'blob:' || scheme === 'about:') return true;
    if (scheme !== 'file:') return false;
    let file: string;
    try {
      file = canonical(fileURLToPath(url));
    } catch {
      return false; // file://host/…, an encoded '/', or not a URL at all.
    }
    return roots.some((root) => isInside(file, root));
  };
}

export interface LockedPageOptions {
  /** Directories whose files the page may load (the build directory, fonts, images …). */
  allowedRoots: readonly string[];
}

export interface LockedPage {
  page: Page;
  /**
   * URLs the page tried to load and was refused, without repeats, in the order first seen; WebSocket
   * attempts too. Fail the build when it is not empty.
   */
  blockedRequests(): string[];
}

/**
 * A new page that may load only `file:` URLs under `allowedRoots` and `data:`/`blob:`/`about:` URLs;
 * every other request is aborted (`net::ERR_BLOCKED_BY_CLIENT`) and recorded. Load documents with
 * `page.goto(pathToFileURL(file).href)`: `page.setContent()` pages cannot load `file:` fonts.
 */
export async function openLockedPage(browser: Browser, opts: LockedPageOptions): Promise<LockedPage> {
  const allowed = createUrlPolicy(opts.allowedRoots);
  const blocked = new Set<string>();
  const page = await browser.newPage();
  try {
    page.on('request', (request: HTTPRequest) => {
      if (request.isInterceptResolutionHandled()) return;
      const url = request.url();
      if (allowed(url)) {
        request.continue().catch(() => {});
      } else {
        blocked.add(url);
        request.abort('blockedbyclient').catch(() => {});
      }
    });
    await page.setRequestInterception(true);
    // WebSockets bypass request interception; OFFLINE_ARGS stop them, this makes them visible.
    const cdp = await page.createCDPSession();
    cdp.on('Network.webSocketCreated', (event) => {
      blocked.add(event.url);
    });
    await cdp.send('Network.enable');
  } catch (error) {
    await page.close().catch(() => {});
    throw error;
  }
  return { page, blockedRequests: () => [...blocked] };
}
