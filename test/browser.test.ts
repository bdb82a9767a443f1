import { type ChildProcess, spawn } from 'node:child_process';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETUP_ADVICE, SETUP_COMMAND } from '../scripts/system-tools.mjs';
import { blankDocumentUrl } from '../src/platform/browser/blank-document.ts';
import { BrowserNotFoundError, findBrowserExecutable } from '../src/platform/browser/find-browser.ts';
import { launchBrowser, liveBrowserCount, withBrowser } from '../src/platform/browser/launch-browser.ts';
import { createUrlPolicy, openLockedPage } from '../src/platform/browser/locked-page.ts';
import { sharedBrowser } from '../src/platform/browser/shared-browser.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const fixture = join(repoRoot, 'test/fixtures/launch-and-wait.ts');

// ---- process helpers (Linux /proc) ------------------------------------------------------------

/** State letter of a process, or undefined when it no longer exists. */
function processState(pid: number): { state: string; pgrp: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0], pgrp: Number(fields[2]) };
  } catch {
    return undefined;
  }
}

/** Alive = exists and is not a zombie (PID 1 here does not reap orphans, so zombies linger). */
function isAlive(pid: number): boolean {
  const info = processState(pid);
  return info !== undefined && info.state !== 'Z';
}

/** Live (non-zombie) processes in process group `pgid`: Chromium and every helper it forked. */
function liveGroupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const info = processState(Number(name));
    if (info && info.pgrp === pgid && info.state !== 'Z') members.push(Number(name));
  }
  return members;
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return condition();
}

function profileDirOf(browser: Browser): string | undefined {
  return browser
    .process()
    ?.spawnargs.find((arg) => arg.startsWith('--user-data-dir='))
    ?.slice('--user-data-dir='.length);
}

// ---- findBrowserExecutable ---------------------------------------------------------------------

describe('findBrowserExecutable', () => {
  const executable = process.execPath; // any executable file stands in for a browser

  it('finds a browser on this machine', () => {
    const found = findBrowserExecutable();
    expect(() => accessSync(found, constants.X_OK)).not.toThrow();
  });

  it('uses PUPPETEER_EXECUTABLE_PATH first', () => {
    const found = findBrowserExecutable(undefined, {
      env: { PUPPETEER_EXECUTABLE_PATH: executable },
      systemPaths: ['/usr/bin/chromium'],
    });
    expect(found).toBe(executable);
  });

  it('lets an explicit path from the config win over the environment', () => {
    const found = findBrowserExecutable(executable, { env: { PUPPETEER_EXECUTABLE_PATH: '/nonexistent/x' } });
    expect(found).toBe(executable);
  });

  it("prefers Puppeteer's downloaded Chrome over system browsers when it exists", () => {
    expect(findBrowserExecutable(undefined, { env: {}, puppeteerPath: executable })).toBe(executable);
    const found = findBrowserExecutable(undefined, {
      env: {},
      puppeteerPath: '/nonexistent/chrome',
      systemPaths: ['/nonexistent/chromium', executable],
    });
    expect(found).toBe(executable);
  });

  it('reports an environment variable that names no file instead of silently skipping it', () => {
    const search = { env: { PUPPETEER_EXECUTABLE_PATH: '/nonexistent/chrome' } };
    expect(() => findBrowserExecutable(undefined, search)).toThrow(BrowserNotFoundError);
    expect(() => findBrowserExecutable(undefined, search)).toThrow(/PUPPETEER_EXECUTABLE_PATH.*nonexistent/);
  });

  it('throws BrowserNotFoundError with the set-up advice when there is no browser', () => {
    let error: unknown;
    try {
      findBrowserExecutable(undefined, {
        env: {},
        puppeteerPath: null,
        systemPaths: ['/nonexistent/chromium'],
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BrowserNotFoundError);
    expect(error).toBeInstanceOf(Error);
    const { message, searched } = error as BrowserNotFoundError;
    expect(message).toContain(SETUP_ADVICE);
    expect(message).toContain('sudo apt-get install -y chromium epubcheck poppler-utils qpdf');
    expect(SETUP_ADVICE).toContain(SETUP_COMMAND);
    expect(searched).toEqual(['/nonexistent/chromium']);
  });
});

// ---- createUrlPolicy (no browser needed) -------------------------------------------------------

describe('createUrlPolicy', () => {
  const base = mkdtempSync(join(tmpdir(), 'imprint-policy-'));
  const root = join(base, 'book');
  mkdirSync(join(root, 'img'), { recursive: true });
  mkdirSync(join(base, 'book2'));
  writeFileSync(join(base, 'secret.txt'), 'secret');
  symlinkSync(join(base, 'secret.txt'), join(root, 'img', 'link.txt'));
  const allowed = createUrlPolicy([root]);
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('allows files under a root and the root itself', () => {
    expect(allowed(pathToFileURL(join(root, 'index.html')).href)).toBe(true);
    expect(allowed(`${pathToFileURL(join(root, 'img', 'a b.png')).href}?v=1#x`)).toBe(true);
    expect(allowed(pathToFileURL(root).href)).toBe(true);
  });

  it('refuses files outside every root, including look-alike siblings, ../ and symlinks out', () => {
    expect(allowed(pathToFileURL(join(base, 'secret.txt')).href)).toBe(false);
    expect(allowed(pathToFileURL(join(base, 'book2', 'x.css')).href)).toBe(false);
    expect(allowed(`${pathToFileURL(root).href}/../secret.txt`)).toBe(false);
    expect(allowed(pathToFileURL(join(root, 'img', 'link.txt')).href)).toBe(false);
    expect(allowed('file:///etc/passwd')).toBe(false);
    expect(allowed('file://otherhost/etc/passwd')).toBe(false);
    expect(allowed(`${pathToFileURL(root).href}/img%2F..%2F..%2Fsecret.txt`)).toBe(false);
  });

  it('allows data:, blob: and about: and refuses every network scheme', () => {
    expect(allowed('data:image/png;base64,AAAA')).toBe(true);
    expect(allowed('blob:null/0a1b')).toBe(true);
    expect(allowed('about:blank')).toBe(true);
    for (const url of [
      'http://example.invalid/x.png',
      'https://example.invalid/a.css',
      'ws://127.0.0.1/socket',
      'ftp://example.invalid/x',
      'chrome://version',
      'not a url',
    ]) {
      expect(allowed(url), url).toBe(false);
    }
  });

  it('allows nothing from the disk without roots', () => {
    expect(createUrlPolicy([])(pathToFileURL(join(root, 'index.html')).href)).toBe(false);
  });
});

// ---- a real browser ----------------------------------------------------------------------------

describe('launchBrowser and openLockedPage', () => {
  let browser: Browser;
  let site: string;
  let root: string;
  let outside: string;
  let server: Server;
  let port = 0;
  const connections: string[] = [];
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    site = mkdtempSync(join(tmpdir(), 'imprint-browser-test-'));
    root = join(site, 'book');
    outside = join(site, 'outside');
    mkdirSync(root);
    mkdirSync(outside);
    // Any TCP connection to this server is network traffic the locked page must not make.
    server = createServer((socket) => {
      sockets.add(socket);
      connections.push('connection');
      socket.on('data', (data) => connections.push(data.toString('latin1').split('\r\n')[0]));
      socket.on('error', () => {});
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const address = server.address();
    port = typeof address === 'object' && address ? address.port : 0;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((done) => server.close(() => done()));
    rmSync(site, { recursive: true, force: true });
  });

  it('opens a local file page and reads its title', async () => {
    writeFileSync(join(root, 'title.html'), '<!doctype html><title>Imprint test page</title><p>Hi</p>');
    const { page, blockedRequests } = await openLockedPage(browser, { allowedRoots: [root] });
    try {
      await page.goto(pathToFileURL(join(root, 'title.html')).href);
      expect(await page.evaluate(() => document.title)).toBe('Imprint test page');
      expect(blockedRequests()).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('blocks and records remote references and makes no network connection', async () => {
    const local = `127.0.0.1:${port}`;
    writeFileSync(join(root, 'style.css'), 'body { color: rgb(1, 2, 3); }');
    writeFileSync(
      join(root, 'remote.html'),
      `<!doctype html><html><head><title>Remote</title>
<link rel="stylesheet" href="style.css">
<link rel="stylesheet" href="https://example.invalid/theme.css">
<link rel="stylesheet" href="http://${local}/local-server.css">
<link rel="preconnect" href="http://${local}">
<link rel="dns-prefetch" href="http://dns-prefetch.example.invalid">
</head><body>
<img src="http://example.invalid/x.png" alt="">
<img src="http://${local}/x.png" alt="">
<script>
  fetch('http://${local}/fetch').catch(() => {});
  try { new WebSocket('ws://${local}/socket'); } catch {}
</script>
</body></html>`,
    );
    const { page, blockedRequests } = await openLockedPage(browser, { allowedRoots: [root] });
    const responses: string[] = [];
    page.on('response', (response) => responses.push(response.url()));
    try {
      await page.goto(pathToFileURL(join(root, 'remote.html')).href, { waitUntil: 'load' });
      await waitFor(() => blockedRequests().some((url) => url.startsWith('ws:')), 60_000);
      await new Promise((r) => setTimeout(r, 500)); // give a preconnect time to (not) happen

      const blocked = blockedRequests();
      expect(blocked).toEqual(
        expect.arrayContaining([
          'https://example.invalid/theme.css',
          'http://example.invalid/x.png',
          `http://${local}/local-server.css`,
          `http://${local}/x.png`,
          `http://${local}/fetch`,
          `ws://${local}/socket`,
        ]),
      );
      expect(new Set(blocked).size).toBe(blocked.length);
      expect(connections).toEqual([]);
      expect(responses.filter((url) => !url.startsWith('file:') && !url.startsWith('data:'))).toEqual([]);
      // The allowed local stylesheet did load.
      expect(await page.evaluate(() => getComputedStyle(document.body).color)).toBe('rgb(1, 2, 3)');
    } finally {
      await page.close();
    }
  });

  it('opens a hidden page on its blank document, and allows that file of the profile alone', async () => {
    const blank = blankDocumentUrl(browser) as string;
    expect(blank).toMatch(/^file:\/\/.*imprint-blank\.html$/);
    const hidden = await openLockedPage(browser, { allowedRoots: [root], hidden: true });
    const shown = await openLockedPage(browser, { allowedRoots: [root] });
    try {
      expect(hidden.page.url()).toBe(blank);
      expect(
        await hidden.page.evaluate(
          () => `${document.compatMode} ${document.characterSet} ${document.documentElement.outerHTML}`,
        ),
      ).toBe('CSS1Compat UTF-8 <html><head></head><body></body></html>');
      expect(shown.page.url()).toBe('about:blank');
      // The profile is not among the roots: its other files stay out of reach.
      const beside = new URL('Local%20State', blank).href;
      await expect(hidden.page.goto(beside)).rejects.toThrow(/ERR_BLOCKED_BY_CLIENT/);
      expect(hidden.blockedRequests()).toEqual([beside]);
    } finally {
      await hidden.page.close();
      await shown.page.close();
    }
  });

  it('blocks file:// URLs outside the allowed roots', async () => {
    writeFileSync(join(outside, 'secret.css'), 'body { color: rgb(200, 0, 0); }');
    writeFileSync(join(outside, 'secret.png'), 'not really a png');
    symlinkSync(join(outside, 'secret.css'), join(root, 'linked.css'));
    const secretCss = pathToFileURL(join(outside, 'secret.css')).href;
    writeFileSync(
      join(root, 'outside.html'),
      `<!doctype html><title>Outside</title>
<link rel="stylesheet" href="../outside/secret.css">
<link rel="stylesheet" href="linked.css">
<img src="${pathToFileURL(join(outside, 'secret.png')).href}" alt="">`,
    );
    const { page, blockedRequests } = await openLockedPage(browser, { allowedRoots: [root] });
    try {
      await page.goto(pathToFileURL(join(root, 'outside.html')).href);
      expect(blockedRequests()).toEqual(
        expect.arrayContaining([
          secretCss,
          pathToFileURL(join(root, 'linked.css')).href,
          pathToFileURL(join(outside, 'secret.png')).href,
        ]),
      );
      expect(await page.evaluate(() => getComputedStyle(document.body).color)).not.toBe('rgb(200, 0, 0)');
      // Navigating the page itself outside the roots fails too.
      await expect(page.goto(secretCss)).rejects.toThrow(/ERR_BLOCKED_BY_CLIENT/);
    } finally {
      await page.close();
    }
  });
});

// ---- no Chromium outlives its owner ------------------------------------------------------------

describe('browser process lifecycle', () => {
  it('close() leaves no Chromium process and removes the temporary profile', async () => {
    const before = liveBrowserCount();
    const browser = await launchBrowser();
    const pid = browser.process()?.pid ?? 0;
    const profile = profileDirOf(browser) ?? '';
    expect(pid).toBeGreaterThan(0);
    expect(profile).toMatch(/imprint-chromium-/);
    expect(existsSync(profile)).toBe(true);
    const page = await browser.newPage();
    await page.goto('data:text/html,<title>x</title>');
    expect(liveGroupMembers(pid).length).toBeGreaterThan(1); // browser plus its helpers
    expect(liveBrowserCount()).toBe(before + 1);

    await browser.close();
    expect(existsSync(profile)).toBe(false);
    expect(liveBrowserCount()).toBe(before);
    expect(await waitFor(() => liveGroupMembers(pid).length === 0, 60_000)).toBe(true);
    expect(isAlive(pid)).toBe(false);
  });

  it('a browser that exits at once fails the launch with its exit, and leaves no profile', async () => {
    const mine = () =>
      readdirSync(tmpdir()).filter(
        (name) => name.startsWith('imprint-chromium-') && name.includes(`-${process.pid}-`),
      );
    const before = mine();
    const live = liveBrowserCount();
    // /bin/false stands in for a Chromium that cannot start (a missing library, a broken install).
    await expect(launchBrowser({ executablePath: '/bin/false' })).rejects.toThrow(
      /^Failed to launch the browser process: \/bin\/false exited \(code 1\)/,
    );
    expect(mine()).toEqual(before);
    expect(liveBrowserCount()).toBe(live);
  });

  it('withBrowser closes the browser when the callback throws', async () => {
    let pid = 0;
    await expect(
      withBrowser(async (browser) => {
        pid = browser.process()?.pid ?? 0;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(pid).toBeGreaterThan(0);
    expect(await waitFor(() => liveGroupMembers(pid).length === 0, 60_000)).toBe(true);
  });

  it('withBrowser returns what the callback returns', async () => {
    const version = await withBrowser((browser) => browser.version());
    expect(version).toMatch(/Chrom/);
  });

  /** The fixture in a node process of its own, its output collected as it comes. */
  function spawnFixture(...args: string[]) {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, ...args], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = { stdout: '', stderr: '' };
    child.stdout?.on('data', (chunk) => {
      output.stdout += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      output.stderr += chunk;
    });
    return { child, output };
  }

  /** The fixture's first line: the pid and profile of the Chromium it launched. */
  function launched(stdout: string): { pid: number; userDataDir: string } {
    return JSON.parse(stdout.split('\n')[0] ?? '') as { pid: number; userDataDir: string };
  }

  async function startChild(
    ...args: string[]
  ): Promise<{ child: ChildProcess; pid: number; userDataDir: string }> {
    const { child, output } = spawnFixture(...args);
    await new Promise<void>((done, fail) => {
      child.stdout?.on('data', () => {
        if (output.stdout.includes('\n')) done();
      });
      child.once('exit', (code) =>
        fail(new Error(`child exited (${code}) before launching:\n${output.stderr}`)),
      );
    });
    return { child, ...launched(output.stdout) };
  }

  function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: string | null }> {
    return new Promise((done) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        done({ code: child.exitCode, signal: child.signalCode });
      } else child.once('exit', (code, signal) => done({ code, signal }));
    });
  }

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('a node process killed with %s closes its Chromium and exits %i', async (signal, expected) => {
    const { child, pid, userDataDir } = await startChild();
    try {
      expect(isAlive(pid)).toBe(true);
      expect(existsSync(userDataDir)).toBe(true);
      const exited = exitOf(child);
      child.kill(signal);
      expect(await exited).toEqual({ code: expected, signal: null });
      expect(await waitFor(() => liveGroupMembers(pid).length === 0, 60_000)).toBe(true);
      expect(existsSync(userDataDir)).toBe(false);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      if (isAlive(pid)) process.kill(-pid, 'SIGKILL');
    }
  });

  it('process.exit() with a browser open kills it and removes its profile', async () => {
    const { child, pid, userDataDir } = await startChild('exit');
    try {
      expect(await exitOf(child)).toEqual({ code: 3, signal: null });
      expect(await waitFor(() => liveGroupMembers(pid).length === 0, 60_000)).toBe(true);
      expect(existsSync(userDataDir)).toBe(false);
    } finally {
      if (isAlive(pid)) process.kill(-pid, 'SIGKILL');
    }
  });

  /**
   * Runs the fixture in `mode` to its exit (code 3), checks `what` it said, then that its Chromium and the
   * Chromium's profile are gone.
   */
  async function exitsLeavingNothing(
    mode: string,
    what: (stderr: string, chromium: { pid: number; userDataDir: string }) => void,
  ): Promise<void> {
    const { child, output } = spawnFixture(mode);
    const code = await new Promise<number | null>((done) => child.once('close', done));
    expect(code, output.stderr).toBe(3);
    const chromium = launched(output.stdout);
    const { pid, userDataDir } = chromium;
    try {
      expect(pid).toBeGreaterThan(0);
      expect(userDataDir).toMatch(/imprint-chromium-/);
      what(output.stderr, chromium);
      expect(await waitFor(() => liveGroupMembers(pid).length === 0, 60_000)).toBe(true);
      // Once nothing of Chromium runs, nothing can make the profile again.
      expect(existsSync(userDataDir)).toBe(false);
    } finally {
      if (pid > 0 && isAlive(pid)) process.kill(-pid, 'SIGKILL');
      if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    }
  }

  it.runIf(process.platform === 'linux')(
    'process.exit() while Chromium is still launching kills it and removes its profile',
    () =>
      exitsLeavingNothing('exit-launching', (stderr) => {
        expect(stderr).toContain('launched before exit: false');
      }),
  );

  it.runIf(process.platform === 'linux')(
    'a Chromium started early (imprint build) is the one the launch gives, and is killed at process exit',
    () =>
      exitsLeavingNothing('early', (stderr, { pid }) => {
        // The launch connected to the early Chromium rather than starting another, and the page works.
        expect(stderr).toContain(`launched pid: ${pid} title: early`);
      }),
  );

  it.runIf(process.platform === 'linux')(
    'a Chromium started early and never launched dies with its node process, profile and all',
    () => exitsLeavingNothing('early-exit', () => {}),
  );

  it('Chromium quits by itself when its node process is SIGKILLed (it is driven over a pipe)', async () => {
    const { child, pid, userDataDir } = await startChild();
    try {
      const exited = exitOf(child);
      child.kill('SIGKILL');
      await exited;
      expect(await waitFor(() => liveGroupMembers(pid).length === 0, 60_000)).toBe(true);
    } finally {
      if (isAlive(pid)) process.kill(-pid, 'SIGKILL');
      rmSync(userDataDir, { recursive: true, force: true }); // nobody was left to remove it
    }
  });
});

describe('sharedBrowser', () => {
  it('launches one browser on first use for every caller, and close() ends it', async () => {
    const before = liveBrowserCount();
    const shared = sharedBrowser();
    // Nothing launched until asked: an HTML-only build never starts Chromium.
    expect(liveBrowserCount()).toBe(before);
    const [first, second] = await Promise.all([shared.get(), shared.get()]);
    expect(second).toBe(first);
    expect(await shared.get()).toBe(first);
    expect(liveBrowserCount()).toBe(before + 1);
    await shared.close();
    expect(first.connected).toBe(false);
    expect(liveBrowserCount()).toBe(before);
    // A build's browser is not launched again: a crash is what later callers see, reported once.
    expect(await shared.get()).toBe(first);
    expect(liveBrowserCount()).toBe(before);
  });

  it('with relaunch, gives a new browser once the last one died (the preview)', async () => {
    const shared = sharedBrowser({ handleSignals: false, relaunch: true });
    try {
      const first = await shared.get();
      await first.close();
      const [again, alsoAgain] = await Promise.all([shared.get(), shared.get()]);
      expect(again).not.toBe(first);
      expect(alsoAgain).toBe(again);
      expect(again.connected).toBe(true);
      expect(await again.version()).toMatch(/Chrom/);
    } finally {
      await shared.close();
    }
  });

  it('closing a browser that was never launched does nothing', async () => {
    const before = liveBrowserCount();
    await sharedBrowser().close();
    expect(liveBrowserCount()).toBe(before);
  });
});
