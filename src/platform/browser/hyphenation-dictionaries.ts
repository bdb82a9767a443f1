/**
 * Native hyphenation for Chromium without its network: the hyphenation dictionaries Chromium would download
 * as the "hyphen-data" component, written into the browser profile instead.
 *
 * Verified with Chromium 156 (strace of the files it opens): with `<profile>/hyphen-data/<version>/
 * manifest.json` present and component updates not disabled, `hyphens: auto` makes the browser open
 * `<profile>/hyphen-data/<version>/hyph-<name>.hyb` the first time a page uses a language, once per
 * language per browser. Files added after launch are found (the directory is registered at start-up,
 * each file opened on first use), so a build adds the dictionaries its book needs just before loading it.
 * The `.hyb` files are built from the TeX patterns of the `hyphen` package (hyb-file.ts): by `npm run
 * compile` into lib/hyphen-data (SHIPPED_DICTIONARIES), else on first use into a cache on disk, keyed by that
 * package's version.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import type { Browser } from 'puppeteer-core';
import { startModuleWorker } from '../module-worker.ts';
import { buildHybFile } from './hyb-file.ts';
import { hasTexPatterns, loadTexPatterns } from './tex-patterns.ts';

/** Any valid version works: Chromium takes the newest version folder that holds a manifest. */
export const HYPHEN_DATA_VERSION = '1.0.0';
/** Bump when hyb-file.ts writes different bytes, so caches from older builds are not reused. */
const WRITER_REVISION = 1;

/**
 * The dictionary Chromium 156 opens for a language tag, as observed: en and en-US → en-us, other English
 * regions → en-gb; every German tag (de, de-DE, de-AT, de-CH) → de-1996 except de-1901; mn → mn-cyrl;
 * no → nb; otherwise the primary language (pt-BR → pt, el-polyton → el, sr-Latn → sr).
 */
export function chromiumDictionaryName(lang: string): string {
  const tag = lang.toLowerCase().replace(/_/g, '-');
  const [primary = '', region] = tag.split('-');
  if (primary === 'en') return !region || US_ENGLISH.has(region) ? 'en-us' : 'en-gb';
  if (primary === 'de') return tag === 'de-1901' ? 'de-1901' : 'de-1996';
  if (primary === 'mn') return 'mn-cyrl';
  if (primary === 'no') return 'nb';
  return primary;
}

/** Regions Chromium (from Android's locale data) gives US English patterns. */
const US_ENGLISH = new Set(['us', 'as', 'gu', 'mh', 'mp', 'pr', 'um', 'vi']);

/** Chromium's dictionary name → the `hyphen` package's pattern file, where the two names differ. */
const PATTERNS_FOR: Readonly<Record<string, string>> = {
  el: 'el-monoton',
  sr: 'sr-cyrl',
  sh: 'sh-latn',
};

/** The `hyphen` patterns behind a Chromium dictionary name, or undefined when none ship. */
export function patternsForDictionary(name: string): string | undefined {
  const patterns = PATTERNS_FOR[name] ?? name;
  // zh's patterns are for pinyin, not Chinese script; Chinese is not hyphenated.
  if (name === 'zh') return undefined;
  return hasTexPatterns(patterns) ? patterns : undefined;
}

/** True when a native dictionary can be provided for `lang`. */
export function hasNativeDictionary(lang: string): boolean {
  return patternsForDictionary(chromiumDictionaryName(lang)) !== undefined;
}

const require = createRequire(import.meta.url);

function hyphenPackageVersion(): string {
  return (require('hyphen/package.json') as { version: string }).version;
}

/**
 * Where built dictionaries are kept: IMPRINT_CACHE_DIR, else $XDG_CACHE_HOME/imprint or ~/.cache/imprint,
 * then `hyphen-data/<hyphen version>-r<writer revision>`.
 */
export function dictionaryCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const root = env.IMPRINT_CACHE_DIR || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'imprint');
  return join(root, 'hyphen-data', `${hyphenPackageVersion()}-r${WRITER_REVISION}`);
}

let fallbackCache: string | undefined;

/** The cache folder, created; a private temporary one when the user cache cannot be written. */
function writableCacheDir(): string {
  const dir = dictionaryCacheDir();
  try {
    mkdirSync(dir, { recursive: true });
    return dir;
  } catch {
    fallbackCache ??= mkdtempSync(join(tmpdir(), 'imprint-hyphen-data-'));
    return fallbackCache;
  }
}

/** Dictionaries a worker built (buildDictionariesAside): its own temporary folder when the cache is read-only. */
const builtElsewhere = new Map<string, string>();

/**
 * The path of the built `hyph-<name>.hyb`, building and caching it on first use (tens to hundreds of
 * milliseconds per language); undefined when no patterns ship for `name`. Written through a temporary file
 * and renamed, so parallel builds never see half a dictionary.
 */
export function dictionaryFile(name: string): string | undefined {
  const patterns = patternsForDictionary(name);
  if (!patterns) return undefined;
  const shipped = shippedDictionary(patterns);
  if (shipped) return shipped;
  const builtAside = builtElsewhere.get(name);
  if (builtAside && existsSync(builtAside)) return builtAside;
  const dir = writableCacheDir();
  const file = join(dir, `hyph-${name}.hyb`);
  if (existsSync(file)) return file;
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temporary, buildHybFile(loadTexPatterns(patterns)));
  renameSync(temporary, file);
  return file;
}

/**
 * The dictionaries `npm run compile` builds beside the compiled code (scripts/compile.mjs): every language the
 * `hyphen` package has patterns for (80 of its 81 pattern files: node cannot load Church Slavonic's), 2.2 MB.
 * Without them a cold build of an English book built its dictionary in a thread of its own while the print
 * page opened, and the page waited for it (nine interleaved cold PDF builds each: 2.96 s without, 2.84 s with
 * them). Used only when they were built from the `hyphen` version installed now by this writer revision
 * (their stamp says so); otherwise, and in a checkout run from src/, the cache is used.
 */
export const SHIPPED_DICTIONARIES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'hyphen-data');

function dictionaryStamp(): string {
  return `${hyphenPackageVersion()}-r${WRITER_REVISION}`;
}

const stamps = new Map<string, string>();

/** The shipped dictionary of the pattern file `patterns` in `dir`, when its stamp matches; else undefined. */
export function shippedDictionary(patterns: string, dir: string = SHIPPED_DICTIONARIES): string | undefined {
  let stamp = stamps.get(dir);
  if (stamp === undefined) {
    try {
      stamp = readFileSync(join(dir, 'stamp'), 'utf8').trim();
    } catch {
      stamp = '';
    }
    stamps.set(dir, stamp);
  }
  if (stamp !== dictionaryStamp()) return undefined;
  const file = join(dir, `hyph-${patterns}.hyb`);
  return existsSync(file) ? file : undefined;
}

/**
 * Writes a dictionary for every pattern file of the `hyphen` package into `dir` (scripts/compile.mjs gives
 * SHIPPED_DICTIONARIES), and the stamp that says what they were built from. Returns how many were written
 * (a pattern file that cannot be read is passed over).
 */
export function writeShippedDictionaries(dir: string = SHIPPED_DICTIONARIES): number {
  mkdirSync(dir, { recursive: true });
  const patternsDir = dirname(require.resolve('hyphen/patterns/en-us.js'));
  let written = 0;
  for (const file of readdirSync(patternsDir)) {
    if (!file.endsWith('.js')) continue;
    const patterns = file.slice(0, -'.js'.length);
    let bytes: Uint8Array;
    try {
      bytes = buildHybFile(loadTexPatterns(patterns));
    } catch {
      // A pattern file node cannot load (the package's Church Slavonic, `cu`): left to dictionaryFile, which
      // fails on it as before.
      continue;
    }
    writeFileSync(join(dir, `hyph-${patterns}.hyb`), bytes);
    written++;
  }
  writeFileSync(join(dir, 'stamp'), `${dictionaryStamp()}\n`);
  stamps.delete(dir);
  return written;
}

/** Dictionaries being built by buildDictionariesAside: asked for again meanwhile, they are waited for. */
const building = new Map<string, Promise<void>>();

/**
 * Builds the dictionaries `names` that the cache lacks in a worker thread, so that the calling thread goes on
 * meanwhile: on a cold cache this is 50 ms of CPU for English and a quarter of a second for German, which a
 * build needs only once the print document loads. `thread` is a worker of Imprint's chapter pool done with
 * its chapters (chapter-worker.ts), used instead of starting one and terminated after; without it a thread is
 * started. Settles when they are built, never with an error: a dictionary the worker could not make is made by
 * dictionaryFile when asked for, which then reports the failure.
 */
export function buildDictionariesAside(names: Iterable<string>, thread?: Worker): Promise<void> {
  const wanted = [...new Set(names)].filter((name) => patternsForDictionary(name));
  const waiting = wanted.flatMap((name) => building.get(name) ?? []);
  const missing = wanted.filter(
    (name) =>
      !building.has(name) &&
      !shippedDictionary(patternsForDictionary(name) as string) &&
      !existsSync(join(dictionaryCacheDir(), `hyph-${name}.hyb`)),
  );
  if (missing.length === 0) {
    if (thread) void thread.terminate();
    return Promise.all(waiting).then(() => undefined);
  }
  const built = new Promise<void>((resolve) => {
    let left = missing.length;
    const done = () => {
      for (const name of missing) building.delete(name);
      if (thread) void thread.terminate();
      resolve();
    };
    try {
      const worker =
        thread ??
        startModuleWorker(import.meta.url, 'hyphenation-worker', { workerData: { names: missing } });
      worker.on('message', (message: { name?: string; file?: string }) => {
        if (typeof message?.name !== 'string' || !missing.includes(message.name)) return;
        if (message.file) builtElsewhere.set(message.name, message.file);
        if (--left === 0) done();
      });
      worker.once('error', done);
      worker.once('exit', done);
      thread?.postMessage({ dictionaries: missing });
    } catch {
      done();
    }
  });
  for (const name of missing) building.set(name, built);
  return Promise.all([built, ...waiting]).then(() => undefined);
}

/** Creates `<userDataDir>/hyphen-data/<version>/` with its manifest; returns that folder. */
export function prepareHyphenationProfile(userDataDir: string): string {
  const dir = join(userDataDir, 'hyphen-data', HYPHEN_DATA_VERSION);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({ manifest_version: 2, name: 'hyphen-data', version: HYPHEN_DATA_VERSION }),
  );
  return dir;
}

/**
 * Copies the dictionaries Chromium will ask for `langs` into a prepared profile folder. Returns the
 * languages left without one (their text can only be hyphenated with soft hyphens).
 */
export function installDictionaries(profileDir: string, langs: Iterable<string>): string[] {
  const missing: string[] = [];
  for (const lang of new Set(langs)) {
    const name = chromiumDictionaryName(lang);
    const target = join(profileDir, `hyph-${name}.hyb`);
    if (existsSync(target)) continue;
    const file = dictionaryFile(name);
    if (file) copyFileSync(file, target);
    else missing.push(lang);
  }
  return missing;
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

/** Records that `browser` was launched with the hyphenation profile folder `folder` (launch-browser.ts). */
export function useHyphenationProfile(browser: Browser, folder: string): void {
  hyphenationFolders.set(browser, folder);
}
