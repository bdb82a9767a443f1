import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkBrowserLaunches,
  findBrowser,
  findMissingTools,
  packagesFor,
  REQUIRED_COMMANDS,
  runSetup,
} from '../scripts/setup.mjs';
import { SETUP_ADVICE, SETUP_COMMAND } from '../scripts/system-tools.mjs';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const scratch = mkdtempSync(join(tmpdir(), 'imprint-setup-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let dirCount = 0;
/** A fresh directory holding an executable stub for each name. */
function fakeBin(names: readonly string[], script = '#!/bin/sh\nexit 0\n'): string {
  const dir = join(scratch, `bin${dirCount++}`);
  mkdirSync(dir);
  for (const name of names) addStub(dir, name, script);
  return dir;
}

function addStub(dir: string, name: string, script = '#!/bin/sh\nexit 0\n'): string {
  const file = join(dir, name);
  writeFileSync(file, script);
  chmodSync(file, 0o755);
  return file;
}

const allCommands = REQUIRED_COMMANDS.map((c) => c.tool);

describe('findMissingTools', () => {
  it('finds nothing missing on this machine', () => {
    expect(findMissingTools()).toEqual([]);
  });

  it('reports every tool, chromium first, when PATH and the browser paths are empty', () => {
    const missing = findMissingTools({ env: { PATH: fakeBin([]) }, browserPaths: [] });
    expect(missing.map((m) => m.tool)).toEqual([
      'chromium',
      'epubcheck',
      'java',
      'pdftotext',
      'pdfinfo',
      'pdffonts',
      'pdftoppm',
      'qpdf',
      'gs',
      'zbarimg',
    ]);
    expect(packagesFor(missing)).toEqual([
      'chromium',
      'epubcheck',
      'default-jre-headless',
      'poppler-utils',
      'qpdf',
      'ghostscript',
      'zbar-tools',
    ]);
  });

  it('finds tools on any PATH entry and a browser at any candidate path', () => {
    const half = Math.floor(allCommands.length / 2);
    const a = fakeBin(allCommands.slice(0, half));
    const b = fakeBin(allCommands.slice(half));
    const browser = addStub(fakeBin([]), 'chromium');
    const env = { PATH: ['', '/nonexistent', a, b].join(':') };
    expect(findMissingTools({ env, browserPaths: ['/nonexistent/chrome', browser] })).toEqual([]);
  });

  it('accepts PUPPETEER_EXECUTABLE_PATH as the browser', () => {
    const browser = addStub(fakeBin([]), 'my-chrome');
    const env = { PATH: fakeBin(allCommands), PUPPETEER_EXECUTABLE_PATH: browser };
    expect(findMissingTools({ env, browserPaths: [] })).toEqual([]);
  });

  it('does not count files that are not executable', () => {
    const dir = fakeBin(allCommands);
    chmodSync(join(dir, 'qpdf'), 0o644);
    const browser = addStub(dir, 'chromium');
    chmodSync(browser, 0o644);
    const missing = findMissingTools({ env: { PATH: dir }, browserPaths: [browser] });
    expect(packagesFor(missing)).toEqual(['chromium', 'qpdf']);
  });
});

describe('runSetup', () => {
  interface Call {
    command: string;
    args: string[];
    frontend: string | undefined;
  }

  function harness(options: { path: string; browserPaths?: string[]; isRoot?: boolean; isDebian?: boolean }) {
    const calls: Call[] = [];
    const lines: string[] = [];
    let install: (args: string[]) => number = () => 0;
    const browserChecks: string[] = [];
    let browserOk = true;
    const run = (command: string, args: string[], env: Record<string, string | undefined>) => {
      calls.push({ command, args, frontend: env.DEBIAN_FRONTEND });
      return args[0] === 'install' ? install(args) : 0;
    };
    const setup = () =>
      runSetup({
        env: { PATH: options.path },
        browserPaths: options.browserPaths ?? [],
        platform: 'linux',
        isRoot: options.isRoot ?? true,
        isDebian: options.isDebian ?? true,
        run,
        checkBrowser: (file: string) => {
          browserChecks.push(file);
          return { ok: browserOk, detail: browserOk ? '' : 'crashed' };
        },
        log: (line: string) => lines.push(line),
      });
    return {
      calls,
      lines,
      browserChecks,
      setup,
      onInstall(fn: (args: string[]) => number) {
        install = fn;
      },
      failBrowserCheck() {
        browserOk = false;
      },
    };
  }

  it('does nothing with IMPRINT_SKIP_SETUP=1', () => {
    const lines: string[] = [];
    const calls: unknown[] = [];
    const result = runSetup({
      env: { PATH: fakeBin([]), IMPRINT_SKIP_SETUP: '1' },
      browserPaths: [],
      isRoot: true,
      isDebian: true,
      run: (...args: unknown[]) => {
        calls.push(args);
        return 0;
      },
      log: (line: string) => lines.push(line),
    });
    expect(result).toBe('skipped');
    expect(calls).toEqual([]);
    expect(lines).toEqual([]);
  });

  it('says so and installs nothing when everything is there', () => {
    const dir = fakeBin([...allCommands, 'apt-get', 'pandoc']);
    const h = harness({ path: dir, browserPaths: [addStub(dir, 'chromium')] });
    expect(h.setup()).toBe('ok');
    expect(h.calls).toEqual([]);
    expect(h.lines).toHaveLength(1);
    expect(h.lines[0]).toMatch(/^Imprint set-up: found /);
  });

  it('mentions a missing optional tool (pandoc, for the bench) without installing it', () => {
    const dir = fakeBin([...allCommands, 'apt-get']);
    const h = harness({ path: dir, browserPaths: [addStub(dir, 'chromium')] });
    expect(h.setup()).toBe('ok');
    expect(h.calls).toEqual([]);
    expect(h.lines[1]).toMatch(/optional pandoc .+IMPRINT_SETUP_BENCH=1/);
  });

  it('as root on Debian: announces, runs apt-get update and install of the missing packages, then checks the browser', () => {
    const dir = fakeBin(['java', 'apt-get']);
    const browser = join(dir, 'chromium');
    const h = harness({ path: dir, browserPaths: [browser] });
    h.onInstall(() => {
      // What apt-get would do: put the tools in place.
      for (const tool of [...allCommands, 'chromium']) addStub(dir, tool);
      return 0;
    });
    expect(h.setup()).toBe('installed');
    expect(h.lines[0]).toBe(
      'Imprint set-up: installing chromium epubcheck poppler-utils qpdf ghostscript zbar-tools with apt-get (set IMPRINT_SKIP_SETUP=1 to skip)',
    );
    const aptGet = join(dir, 'apt-get');
    expect(h.calls).toEqual([
      { command: aptGet, args: ['update'], frontend: 'noninteractive' },
      {
        command: aptGet,
        args: [
          'install',
          '-y',
          '--no-install-recommends',
          'chromium',
          'epubcheck',
          'poppler-utils',
          'qpdf',
          'ghostscript',
          'zbar-tools',
        ],
        frontend: 'noninteractive',
      },
    ]);
    expect(h.browserChecks).toEqual([browser]);
  });

  it('installs only what is missing and skips the browser check when Chromium was there', () => {
    const dir = fakeBin(allCommands.filter((tool) => tool !== 'qpdf').concat('apt-get'));
    const h = harness({ path: dir, browserPaths: [addStub(dir, 'chromium')] });
    h.onInstall(() => {
      addStub(dir, 'qpdf');
      return 0;
    });
    expect(h.setup()).toBe('installed');
    expect(h.lines[0]).toBe(
      'Imprint set-up: installing qpdf with apt-get (set IMPRINT_SKIP_SETUP=1 to skip)',
    );
    expect(h.calls.map((c) => c.args.join(' '))).toEqual([
      'update',
      'install -y --no-install-recommends qpdf',
    ]);
    expect(h.browserChecks).toEqual([]);
  });

  it('prints the one command instead when not root', () => {
    const h = harness({ path: fakeBin(['apt-get']), isRoot: false });
    expect(h.setup()).toBe('advised');
    expect(h.calls).toEqual([]);
    expect(h.lines.join('\n')).toContain(SETUP_COMMAND);
    expect(SETUP_COMMAND).toBe(
      'sudo apt-get install -y chromium epubcheck poppler-utils qpdf ghostscript zbar-tools',
    );
  });

  it('prints the one command instead without apt-get or off Debian', () => {
    for (const h of [
      harness({ path: fakeBin([]) }),
      harness({ path: fakeBin(['apt-get']), isDebian: false }),
    ]) {
      expect(h.setup()).toBe('advised');
      expect(h.calls).toEqual([]);
      expect(h.lines.join('\n')).toContain(SETUP_ADVICE);
    }
  });

  it('reports a failed install with the advice and does not throw', () => {
    const h = harness({ path: fakeBin(['apt-get']) });
    h.onInstall(() => 100);
    expect(h.setup()).toBe('install-failed');
    expect(h.lines.at(-1)).toContain('exit 100');
    expect(h.lines.at(-1)).toContain(SETUP_COMMAND);
  });

  it('reports an installed Chromium that does not start headless', () => {
    const dir = fakeBin([...allCommands, 'apt-get']);
    const h = harness({ path: dir, browserPaths: [join(dir, 'chromium')] });
    h.onInstall(() => {
      addStub(dir, 'chromium');
      return 0;
    });
    h.failBrowserCheck();
    expect(h.setup()).toBe('install-failed');
    expect(h.lines.at(-1)).toMatch(/does not start headless: crashed/);
  });
});

describe('checkBrowserLaunches', () => {
  it('passes for the real Chromium and fails for a program that is not a browser', () => {
    const browser = findBrowser();
    expect(browser).toBeTruthy();
    expect(checkBrowserLaunches(browser as string)).toEqual({ ok: true, detail: '' });
    expect(checkBrowserLaunches('/bin/false').ok).toBe(false);
    expect(checkBrowserLaunches('/nonexistent/chromium').ok).toBe(false);
  });
});

describe('scripts/setup.mjs as npm runs it', () => {
  const script = join(repoRoot, 'scripts/setup.mjs');
  const run = (env: Record<string, string>) =>
    spawnSync(process.execPath, [script], { env, encoding: 'utf8', cwd: repoRoot });

  it('exits 0 quietly with IMPRINT_SKIP_SETUP=1', () => {
    const result = run({ PATH: fakeBin([]), IMPRINT_SKIP_SETUP: '1' });
    expect(result.status).toBe(0);
    expect(result.stdout + result.stderr).toBe('');
  });

  it('exits 0 and finds everything on this machine', () => {
    const result = run({ PATH: process.env.PATH ?? '' });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Imprint set-up: found /);
  });

  it('exits 0 even when apt-get fails, and says what to run', () => {
    const log = join(scratch, 'apt.log');
    const dir = fakeBin(['java']);
    addStub(
      dir,
      'apt-get',
      `#!/bin/sh\necho "$DEBIAN_FRONTEND $*" >> "${log}"\n[ "$1" = update ] && exit 0\nexit 100\n`,
    );
    // The real /usr/bin/chromium is still found; the other tools are not on this PATH.
    const result = run({ PATH: dir });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(SETUP_COMMAND);
    if (process.getuid?.() === 0) {
      expect(result.stdout).toContain(
        'Imprint set-up: installing epubcheck poppler-utils qpdf ghostscript zbar-tools with apt-get (set IMPRINT_SKIP_SETUP=1 to skip)',
      );
      expect(readFileSync(log, 'utf8')).toBe(
        'noninteractive update\nnoninteractive install -y --no-install-recommends epubcheck poppler-utils qpdf ghostscript zbar-tools\n',
      );
    }
  });
});
