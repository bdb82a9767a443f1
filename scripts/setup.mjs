#!/usr/bin/env node
// Imprint set-up, run as the package's `postinstall` for this repository's own install only (never when
// Imprint is installed as someone's dependency: `imprint doctor` tells them what is missing): makes sure
// the machine has the system tools the build and the tests use (a Chromium, epubcheck, poppler-utils,
// qpdf, Ghostscript, zbar-tools).
// Optional tools (pandoc, the reference `npm run bench` compares with) are reported, and installed only with
// IMPRINT_SETUP_BENCH=1. As root on Debian/Ubuntu it
// installs what is missing with apt-get; anywhere else it prints the one command to run. It never
// fails `npm install`: every path ends with exit code 0. Opt out with IMPRINT_SKIP_SETUP=1.
// Plain JavaScript on node built-ins only: it runs before (and without) the dev dependencies.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join, relative as relativePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isExecutableFile, SETUP_ADVICE, SYSTEM_BROWSER_PATHS } from './system-tools.mjs';

/** System browsers Imprint looks for, in order: the same list src/platform/browser/find-browser.ts searches. */
export const BROWSER_PATHS = SYSTEM_BROWSER_PATHS;

/** Commands the build and tests run, each with the Debian package that provides it. */
export const REQUIRED_COMMANDS = [
  { tool: 'epubcheck', package: 'epubcheck' },
  // epubcheck is a jar run as `java -jar /usr/bin/epubcheck`; the epubcheck package pulls in a JRE,
  // so this only matters when someone removed Java afterwards.
  { tool: 'java', package: 'default-jre-headless' },
  { tool: 'pdftotext', package: 'poppler-utils' },
  { tool: 'pdfinfo', package: 'poppler-utils' },
  { tool: 'pdffonts', package: 'poppler-utils' },
  { tool: 'pdftoppm', package: 'poppler-utils' },
  { tool: 'qpdf', package: 'qpdf' },
  // The press files (`--format print`) are made PDF/X by Ghostscript; the tests read the cover's barcode back.
  { tool: 'gs', package: 'ghostscript' },
  { tool: 'zbarimg', package: 'zbar-tools' },
];

/** Tools only some commands need, with what for: reported when missing, never required. */
export const OPTIONAL_COMMANDS = [
  { tool: 'pandoc', package: 'pandoc', purpose: 'the reference in npm run bench' },
];

/** Optional tools this machine lacks. */
export function findMissingOptionalTools({ env = process.env } = {}) {
  return OPTIONAL_COMMANDS.filter(({ tool }) => !findOnPath(tool, env));
}

/**
 * True when this install is Imprint's own (npm install/ci in its repository), false when Imprint is being
 * installed as a dependency of another project: then the package lives in a node_modules folder, and npm's
 * INIT_CWD (where `npm install` was run) is outside it.
 */
export function isOwnInstall({ packageDir = PACKAGE_DIR, env = process.env } = {}) {
  if (packageDir.split(/[\\/]/).includes('node_modules')) return false;
  if (!env.INIT_CWD) return true;
  const relative = relativePath(realOrSelf(packageDir), realOrSelf(env.INIT_CWD));
  return !relative.startsWith('..') && !isAbsolute(relative);
}

function realOrSelf(file) {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

const PACKAGE_DIR = join(import.meta.dirname, '..');

const SKIP_VALUES = new Set(['1', 'true', 'yes']);

/** True when IMPRINT_SKIP_SETUP asks to skip the set-up. */
export function setupSkipped(env = process.env) {
  return SKIP_VALUES.has(String(env.IMPRINT_SKIP_SETUP ?? '').toLowerCase());
}

/** The first `command` on env.PATH, like `command -v`; undefined when there is none. */
export function findOnPath(command, env = process.env) {
  for (const dir of String(env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The browser Imprint would use: PUPPETEER_EXECUTABLE_PATH when it names an executable, else the
 * first existing system browser. (Puppeteer's own download is not looked for: Imprint depends on
 * puppeteer-core, which downloads none.)
 */
export function findBrowser({ env = process.env, browserPaths = BROWSER_PATHS } = {}) {
  const fromEnv = env.PUPPETEER_EXECUTABLE_PATH;
  if (fromEnv && isExecutableFile(fromEnv)) return fromEnv;
  return browserPaths.find(isExecutableFile);
}

/**
 * Which required tools this machine lacks, as `{ tool, package }` in a stable order (chromium first).
 * `env.PATH` is searched for the commands and `browserPaths` for the browser, so tests can point both
 * at fake directories.
 */
export function findMissingTools({ env = process.env, browserPaths = BROWSER_PATHS } = {}) {
  const missing = [];
  if (!findBrowser({ env, browserPaths })) missing.push({ tool: 'chromium', package: 'chromium' });
  for (const { tool, package: pkg } of REQUIRED_COMMANDS) {
    if (!findOnPath(tool, env)) missing.push({ tool, package: pkg });
  }
  return missing;
}

/** The distinct packages that provide `missing` tools, in first-seen order. */
export function packagesFor(missing) {
  return [...new Set(missing.map((m) => m.package))];
}

/**
 * Whether `executable` starts headless and renders a page: what a fresh install must pass. Runs
 * `--dump-dom` on a data: URL, so it needs no network and no files.
 */
export function checkBrowserLaunches(executable, { timeoutMs = 60_000 } = {}) {
  const marker = 'imprint-browser-ok';
  const profile = mkdtempSync(join(tmpdir(), 'imprint-setup-check-'));
  const result = spawnSync(
    executable,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--disable-background-networking',
      `--user-data-dir=${profile}`,
      '--dump-dom',
      `data:text/html,<title>${marker}</title>`,
    ],
    { encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL' },
  );
  rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
  if (result.error) return { ok: false, detail: result.error.message };
  if (String(result.stdout).includes(marker)) return { ok: true, detail: '' };
  const stderr = String(result.stderr ?? '')
    .split('\n')
    .filter((line) => line.trim() && !line.includes('unexpected operator'))
    .slice(-5)
    .join('\n');
  return { ok: false, detail: `exit ${result.status ?? result.signal}${stderr ? `\n${stderr}` : ''}` };
}

function isDebianLike() {
  return existsSync('/etc/debian_version');
}

function runInherit(command, args, env) {
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  return result.error ? 1 : (result.status ?? 1);
}

/**
 * The whole set-up, with its side effects injectable for tests. Returns what happened:
 * 'skipped' | 'ok' | 'advised' | 'installed' | 'install-failed'. Never throws for a missing tool.
 */
export function runSetup({
  env = process.env,
  browserPaths = BROWSER_PATHS,
  platform = process.platform,
  isRoot = process.getuid?.() === 0,
  isDebian = isDebianLike(),
  run = runInherit,
  checkBrowser = checkBrowserLaunches,
  log = (line) => console.log(line),
} = {}) {
  if (setupSkipped(env)) return 'skipped';

  const optional = findMissingOptionalTools({ env });
  const wantOptional = SKIP_VALUES.has(String(env.IMPRINT_SETUP_BENCH ?? '').toLowerCase());
  const missing = [...findMissingTools({ env, browserPaths }), ...(wantOptional ? optional : [])];
  if (missing.length === 0) {
    log(`Imprint set-up: found ${findBrowser({ env, browserPaths })}, epubcheck, poppler-utils and qpdf`);
    for (const tool of optional) {
      log(
        `Imprint set-up: optional ${tool.tool} (${tool.purpose}) is not installed; IMPRINT_SETUP_BENCH=1 npm install adds it.`,
      );
    }
    return 'ok';
  }

  const fromEnv = env.PUPPETEER_EXECUTABLE_PATH;
  if (fromEnv && !isExecutableFile(fromEnv)) {
    log(`Imprint set-up: PUPPETEER_EXECUTABLE_PATH is set to ${fromEnv}, which is not an executable file.`);
  }

  const packages = packagesFor(missing);
  const aptGet = platform === 'linux' ? findOnPath('apt-get', env) : undefined;
  const tools = missing.map((m) => m.tool).join(', ');

  if (!aptGet || !isDebian || !isRoot) {
    log(`Imprint set-up: missing ${tools}. ${SETUP_ADVICE}`);
    return 'advised';
  }

  log(`Imprint set-up: installing ${packages.join(' ')} with apt-get (set IMPRINT_SKIP_SETUP=1 to skip)`);
  const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
  // A failed update (one unreachable source, say) can still leave usable package lists: try anyway.
  run(aptGet, ['update'], aptEnv);
  const status = run(aptGet, ['install', '-y', '--no-install-recommends', ...packages], aptEnv);

  const stillMissing = findMissingTools({ env, browserPaths });
  if (status !== 0 || stillMissing.length > 0) {
    const left = stillMissing.map((m) => m.tool).join(', ') || 'nothing';
    log(`Imprint set-up: apt-get did not finish (exit ${status}; still missing: ${left}). ${SETUP_ADVICE}`);
    return 'install-failed';
  }

  if (packages.includes('chromium')) {
    const browser = findBrowser({ env, browserPaths });
    const check = browser ? checkBrowser(browser) : { ok: false, detail: 'no browser found' };
    if (!check.ok) {
      log(`Imprint set-up: ${browser} was installed but does not start headless: ${check.detail}`);
      return 'install-failed';
    }
  }
  log(`Imprint set-up: installed ${packages.join(' ')}`);
  return 'installed';
}

function isMainModule() {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMainModule()) {
  try {
    if (isOwnInstall()) runSetup();
  } catch (error) {
    // npm install must never fail because of this script.
    console.log(
      `Imprint set-up: skipped after an unexpected error (${error?.message ?? error}). ${SETUP_ADVICE}`,
    );
  }
  process.exitCode = 0;
}
