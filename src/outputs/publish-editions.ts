/**
 * Builds a set of editions into an output folder as one change: each edition is made in a hidden staging
 * folder inside it (`.imprint-staging-<pid>-<random>`, temporary files included), and only when every one
 * succeeded are they moved into place by renames. A failed build, for any edition and at any step, leaves the
 * folder as the last good build left it. One build at a time holds the folder (out-lock.ts); what a killed
 * build left behind is cleared by the next one; nothing Imprint did not make is ever replaced
 * (output-record.ts).
 *
 * This is the whole of `imprint build` after the manuscript is read: the CLI and the programmatic API both
 * call `publishEditions`. It never exits the process and installs no signal handler; it only adds a
 * process 'exit' listener while it runs, so a build ended by process.exit() (Ctrl-C in the browser's
 * handler) still removes its staging folder and its lock.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { lstat, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import type { Book } from '../book/types.ts';
import { type Diagnostic, hasErrors, ImprintError } from '../diagnostics/diagnostic.ts';
import { sharedBrowser } from '../platform/browser/shared-browser.ts';
import { now } from '../platform/clock.ts';
import { PageListChannel } from './layout/page-list.ts';
import { acquireOutLock, LOCK_FILE, type LockHolder, type OutLock, OutLockedError } from './out-lock.ts';
import type { Output, OutputContext } from './output.ts';
import { editionFailure, fileSystemDiagnostic, shownPath } from './output-errors.ts';
import {
  MANIFEST_FILE,
  manifestText,
  outPlacementRefusal,
  readManifest,
  replaceRefusal,
  writeEditionMarker,
} from './output-record.ts';

export const STAGING_PREFIX = '.imprint-staging-';
/** Inside the staging folder: the editions' temporary files, the replaced editions, the publish journal. */
const WORK_DIR = '.work';
const OLD_DIR = '.old';
const JOURNAL_FILE = '.publish.json';

export type PublishProgress =
  | { type: 'waiting'; lockFile: string; holder?: LockHolder }
  | { type: 'lock-taken-over'; lockFile: string; holder?: LockHolder }
  | { type: 'edition-made'; edition: string; ms: number }
  | { type: 'published'; files: string[] };

export interface PublishOptions {
  book: Book;
  /** The output folder; created when missing. */
  outDir: string;
  /** The editions to build, e.g. OUTPUTS filtered by format. */
  outputs: readonly Output[];
  /** The build's browser, launched on first use; without it publishEditions launches and closes its own. */
  browser?: () => Promise<Browser>;
  /**
   * With `browser`: called once every edition that uses it has ended, while the others still work, so its
   * owner can close it then (Chromium's exit and its profile's removal overlap the rest of the build).
   */
  browserDone?: () => void;
  buildDate: Date;
  carryOver?: Map<string, unknown>;
  /** The on-disk cache, for what an edition makes slowly (the EPUB's rendered cover). */
  cache?: OutputContext['cache'];
  /** Called, at most once, when an edition waits for another process (see OutputContext.waiting). */
  whileWaiting?: () => void;
  /** How long to wait for another build into the same folder, in ms (default 5 minutes). */
  lockWaitMs?: number;
  /** Stops the build between steps: once aborted, nothing is published (the result is not ok). */
  signal?: AbortSignal;
  onProgress?(event: PublishProgress): void;
}

export interface PublishResult {
  /** True when every edition was built and moved into place. */
  ok: boolean;
  /** The files published (absolute paths in the output folder); none when ok is false. */
  files: string[];
  /** The same files by the edition that made them. */
  editions: Array<{ edition: string; files: string[] }>;
  /** Everything the editions reported, and why the build stopped when it did. */
  diagnostics: Diagnostic[];
}

interface Journal {
  /** Names in the staging folder to move to the same names in the output folder, in order. */
  entries: string[];
  manifest: string;
}

const exists = (file: string) =>
  lstat(file).then(
    () => true,
    () => false,
  );

export async function publishEditions(options: PublishOptions): Promise<PublishResult> {
  const { book } = options;
  const outDir = path.resolve(options.outDir);
  const diagnostics: Diagnostic[] = [];
  const stopped = (...found: Diagnostic[]): PublishResult => ({
    ok: false,
    files: [],
    editions: [],
    diagnostics: unique([...diagnostics, ...found]),
  });

  const placement = await outPlacementRefusal(outDir, book.dir);
  if (placement) return stopped(placement);
  if (options.signal?.aborted) return stopped();
  let lock: OutLock;
  try {
    await createFolder(outDir);
    lock = await acquireOutLock(outDir, {
      waitMs: options.lockWaitMs,
      onWait: (holder) =>
        options.onProgress?.({ type: 'waiting', lockFile: path.join(outDir, LOCK_FILE), holder }),
      onTakeOver: (holder) => {
        const lockFile = path.join(outDir, LOCK_FILE);
        diagnostics.push({
          code: 'out-lock-stale',
          severity: 'info',
          file: shownPath(lockFile),
          message: `Took over the lock of a build that is no longer running${holder ? ` (process ${holder.pid}, started ${holder.started})` : ''}.`,
        });
        options.onProgress?.({ type: 'lock-taken-over', lockFile, holder });
      },
    });
  } catch (error) {
    if (error instanceof OutLockedError) return stopped(lockedDiagnostic(error));
    return stopped(fileSystemDiagnostic(error, outDir) ?? editionFailure('output', error, outDir));
  }

  const staging = path.join(outDir, `${STAGING_PREFIX}${process.pid}-${randomBytes(4).toString('hex')}`);
  let committed = false;
  // After the commit point the staging folder is the journal the next build finishes from: keep it. File
  // calls still in flight on libuv's threads can make the removal fail (ENOTEMPTY): it is retried, and what
  // is left is a stale staging folder the next build removes; the lock goes first so that build can start.
  const onExit = () => {
    lock.releaseSync();
    try {
      if (!committed) rmSync(staging, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
    } catch {
      // Left for the next build.
    }
  };
  process.once('exit', onExit);
  // Launched only when an edition asks for it and no browser was passed in.
  const ownBrowser = sharedBrowser();
  let browserClosing: Promise<void> | undefined;
  const closeBrowser = () => {
    browserClosing ??= options.browser ? Promise.resolve(options.browserDone?.()) : ownBrowser.close();
    return browserClosing;
  };
  try {
    await clearLeftovers(outDir);
    const manifest = await readManifest(outDir);
    const refusals = async (names: string[]) =>
      (await Promise.all(names.map((name) => replaceRefusal(outDir, name, manifest, book.dir)))).filter(
        (found): found is Diagnostic => found !== undefined,
      );
    // Before any work: the names each edition will take, where it says so.
    const early = await refusals(options.outputs.flatMap((output) => output.entries?.(book) ?? []));
    if (early.length) return stopped(...early);

    const workDir = path.join(staging, WORK_DIR);
    await mkdir(workDir, { recursive: true });
    const context: OutputContext = {
      outDir: staging,
      tempDir: workDir,
      publishedDir: outDir,
      browser: options.browser ?? ownBrowser.get,
      report: (diagnostic) => diagnostics.push(diagnostic),
      buildDate: options.buildDate,
      carryOver: options.carryOver,
      cache: options.cache,
      waiting: once(options.whileWaiting),
      // The EPUB and HTML editions take their page-list from the PDF of the same run.
      pageList: options.outputs.some((output) => output.pageListSource) ? new PageListChannel() : undefined,
    };
    // Chromium quits (and its profile goes) while the editions finish, not after them: once every edition that
    // uses it has released it or ended.
    const holding = new Set(options.outputs.filter((output) => output.usesBrowser));
    const release = (output: Output) => {
      if (holding.delete(output) && holding.size === 0) void closeBrowser();
    };
    // Side by side (the HTML and EPUB are made while Chromium prints), and each to its end even when another
    // failed: nothing may still be writing into the staging folder when it is removed.
    const settled = await Promise.allSettled(
      options.outputs.map(async (output) => {
        const started = now();
        try {
          const files = await output.build(book, { ...context, browserReleased: () => release(output) });
          options.onProgress?.({
            type: 'edition-made',
            edition: output.name,
            ms: now() - started,
          });
          return files;
        } finally {
          // However the page-list source ended, the editions waiting for its list go on (without one).
          if (output.pageListSource) context.pageList?.publish(undefined);
          release(output);
        }
      }),
    );
    settled.forEach((result, index) => {
      if (result.status === 'fulfilled') return;
      if (result.reason instanceof ImprintError) diagnostics.push(...result.reason.diagnostics);
      else diagnostics.push(editionFailure(options.outputs[index].name, result.reason, outDir));
    });
    if (hasErrors(diagnostics) || options.signal?.aborted) return stopped();

    const staged = settled.flatMap((result) => (result.status === 'fulfilled' ? result.value : []));
    const names = [...new Set(staged.map((file) => path.relative(staging, file).split(path.sep)[0]))];
    // An edition's files lie in the staging folder, under names that are not Imprint's own bookkeeping.
    const stray = names.find((name) => !name || name.startsWith('.') || path.isAbsolute(name));
    if (stray !== undefined) throw new Error(`An edition returned a file outside its folder: ${stray}`);
    const late = await refusals(names);
    if (late.length) return stopped(...late);
    if (options.signal?.aborted) return stopped();
    for (const name of names) {
      if ((await lstat(path.join(staging, name))).isDirectory())
        await writeEditionMarker(path.join(staging, name));
    }
    const kept = [];
    for (const entry of manifest) if (await exists(path.join(outDir, entry))) kept.push(entry);
    const journal: Journal = { entries: names, manifest: manifestText([...kept, ...names]) };
    await writeFile(path.join(staging, `${JOURNAL_FILE}.tmp`), JSON.stringify(journal));
    await rename(path.join(staging, `${JOURNAL_FILE}.tmp`), path.join(staging, JOURNAL_FILE));
    committed = true;
    try {
      await applyJournal(outDir, staging, journal);
    } catch (error) {
      committed = false;
      throw error;
    }
    const published = (file: string) => path.join(outDir, path.relative(staging, file));
    const files = staged.map(published);
    const editions = settled.map((result, index) => ({
      edition: options.outputs[index].name,
      files: result.status === 'fulfilled' ? result.value.map(published) : [],
    }));
    options.onProgress?.({ type: 'published', files });
    return { ok: true, files, editions, diagnostics };
  } catch (error) {
    const found = fileSystemDiagnostic(error, outDir);
    if (!found) throw error;
    return stopped(found);
  } finally {
    process.off('exit', onExit);

    await rm(staging, { recursive: true, force: true });
    await closeBrowser();
    await lock.release();
  }
}

function once(call: (() => void) | undefined): (() => void) | undefined {
  let called = false;
  return (
    call &&
    (() => {
      if (called) return;
      called = true;
      call();
    })
  );
}

/** Two editions that hit the same full disk say so once. */
function unique(diagnostics: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return diagnostics.filter((diagnostic) => {
    const key = JSON.stringify(diagnostic);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function lockedDiagnostic(error: OutLockedError): Diagnostic {
  const holder = error.holder;
  return {
    code: 'out-locked',
    severity: 'error',
    file: shownPath(error.file),
    message: `Another build is writing to this output folder${holder ? ` (process ${holder.pid} on ${holder.host}, started ${holder.started})` : ''}, and it did not finish in time.`,
    hint: `Wait for it to finish and build again; if no build is running, delete ${shownPath(error.file)}.`,
  };
}

/**
 * Moves the staged editions into place: each old edition aside into the staging folder, the new one in, then
 * the manifest. Safe to run again on a half-applied journal (a build killed while moving). On a failure the
 * moves made so far are undone.
 */
async function applyJournal(outDir: string, staging: string, journal: Journal): Promise<void> {
  const old = path.join(staging, OLD_DIR);
  await mkdir(old, { recursive: true });
  const moved: string[] = [];
  try {
    for (const name of journal.entries) {
      const from = path.join(staging, name);
      const to = path.join(outDir, name);
      if (!(await exists(from))) continue;
      moved.push(name);
      if (await exists(to)) await rename(to, path.join(old, name));
      await rename(from, to);
    }
    const manifest = path.join(staging, `${MANIFEST_FILE}.tmp`);
    await writeFile(manifest, journal.manifest);
    await rename(manifest, path.join(outDir, MANIFEST_FILE));
  } catch (error) {
    for (const name of moved.reverse()) {
      const from = path.join(staging, name);
      const to = path.join(outDir, name);
      const aside = path.join(old, name);
      if (!(await exists(from)) && (await exists(to))) await rename(to, from).catch(() => {});
      if (await exists(aside)) await rename(aside, to).catch(() => {});
    }
    throw error;
  }
}

/** Temporary files of Imprint versions before the staging folder: `.<name>.<pid>-<8 hex>.tmp[.old]`. */
const LEGACY_TEMP = /^\..+\.\d+-[0-9a-f]{8}\.tmp(?:\.old)?$/;
const STALE_LOCK_ASIDE = new RegExp(`^${LOCK_FILE.replace('.', '\\.')}\\.\\d+-[0-9a-f]{8}\\.stale$`);

/**
 * Clears what killed builds left in the output folder (called with the lock held, so no other build is
 * running there): staging folders — finishing the publish first when one was killed while moving its
 * editions into place — and the temporary files of earlier Imprint versions.
 */
async function clearLeftovers(outDir: string): Promise<void> {
  for (const name of await readdir(outDir)) {
    const file = path.join(outDir, name);
    if (name.startsWith(STAGING_PREFIX)) {
      const journal = await readFile(path.join(file, JOURNAL_FILE), 'utf8').catch(() => undefined);
      if (journal !== undefined) {
        // All of its editions were built: finish the move rather than leave a mixed set.
        await applyJournal(outDir, file, JSON.parse(journal) as Journal).catch(() => {});
      }
      await rm(file, { recursive: true, force: true });
    } else if (LEGACY_TEMP.test(name) || STALE_LOCK_ASIDE.test(name)) {
      await rm(file, { recursive: true, force: true });
    }
  }
}

/**
 * `mkdir -p`, one level at a time: a recursive mkdir reports ENOENT for a folder it may not create on a
 * read-only file system, where each single mkdir says EROFS (or EACCES, ENOTDIR) as it is.
 */
async function createFolder(dir: string): Promise<void> {
  const missing: string[] = [];
  let current = dir;
  while (!(await exists(current))) {
    missing.unshift(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const folder of missing) {
    await mkdir(folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
  if (!(await stat(dir)).isDirectory())
    throw Object.assign(new Error(`ENOTDIR: not a directory, '${dir}'`), { code: 'ENOTDIR', path: dir });
}
