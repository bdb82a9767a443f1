/**
 * `imprint build`: reads the manuscript once, then publishes every requested edition from that one Book as
 * one change to the output folder (src/outputs/publish-editions.ts). The browser (for PDF pages and the EPUB
 * cover) is launched at most once and always closed.
 * `buildEditions` is the work, shared by the programmatic API (src/index.ts) and the CLI: it prints nothing,
 * never exits, and installs no signal handlers. `runBuild` is the CLI's layer: it prints and returns an exit code.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { openChapterCache } from '../book/chapter-cache.ts';
import { processChaptersInPool } from '../book/chapter-pool.ts';
import { keepParsedComponents } from '../book/component-cache.ts';
import { createBookLoader } from '../book/load-book.ts';
import { keepLocaleTexts } from '../book/locale-text.ts';
import { type Diagnostic, hasErrors, ImprintError } from '../diagnostics/diagnostic.ts';
import type { LockHolder } from '../outputs/out-lock.ts';
import { buildDateFromEnvironment, type Output } from '../outputs/output.ts';
import { shownPath } from '../outputs/output-errors.ts';
import { OUTPUT_MODULES } from '../outputs/output-modules.ts';
import {
  buildDictionariesAside,
  chromiumDictionaryName,
} from '../platform/browser/hyphenation-dictionaries.ts';
import { loadLauncher, type SharedBrowser, sharedBrowser } from '../platform/browser/shared-browser.ts';
import { now } from '../platform/clock.ts';
import { handleExitSignals } from './exit-on-signal.ts';
import { CLI_DEFAULT_FORMATS, CLI_FORMAT_NAMES } from './format-names.ts';
import { printDiagnostics } from './print-diagnostics.ts';

export interface BuildEditionsOptions {
  /** The manuscript folder (book.yaml and the chapters). */
  manuscript: string;
  /** The output folder. */
  out: string;
  /** Editions to build; default: html, pdf and epub (`print` only when named). */
  formats?: readonly string[];
  /** Stops the build between steps; the result then has `aborted: true` and nothing more is written. */
  signal?: AbortSignal;
  onProgress?: (event: BuildProgress) => void;
  /** The chapter cache's folder; `false` turns it off. Default: see openChapterCache. */
  cache?: string | false;
  /** The date the editions carry; default: SOURCE_DATE_EPOCH, or now. */
  buildDate?: Date;
  /** How long to wait for another build into the same folder, in ms (default 5 minutes). */
  lockWaitMs?: number;
  /**
   * The browser for the PDF pages and the EPUB cover, when the caller started it before the build's own modules
   * had loaded (the CLI does); the build closes it like its own. Default: launched here, when first needed.
   */
  browser?: SharedBrowser;
}

export type BuildProgress =
  | { type: 'book-loaded'; chapters: number; ms: number }
  | { type: 'edition-started'; format: string }
  /** An edition is complete in the staging folder; nothing is published before every edition is. */
  | { type: 'edition-written'; format: string; ms: number }
  /** Another build holds the output folder's lock; this one waits (lockWaitMs). */
  | { type: 'waiting'; lockFile: string; holder?: LockHolder }
  /** The lock of a build whose process is gone was taken over. */
  | { type: 'lock-taken-over'; lockFile: string; holder?: LockHolder }
  /** The whole set moved into place. */
  | { type: 'published'; files: string[] };

export interface WrittenFile {
  format: string;
  /** Absolute path. */
  path: string;
  bytes: number;
}

export interface BuildResult {
  /** True when every edition was written and nothing is an error. */
  ok: boolean;
  aborted: boolean;
  written: WrittenFile[];
  diagnostics: Diagnostic[];
  chapters: number;
  ms: number;
}

export async function buildEditions(options: BuildEditionsOptions): Promise<BuildResult> {
  const started = now();
  const elapsed = () => now() - started;
  // The editions' modules (Puppeteer among them) load while the chapters are read in the worker threads: only
  // the editions asked for, unless a name is unknown (then all, to list them in the error).
  const wanted = options.formats ?? CLI_DEFAULT_FORMATS;
  const known = wanted.every((format) => Object.hasOwn(OUTPUT_MODULES, format));
  const loadingOutputs: Promise<readonly Output[]> = known
    ? Promise.all(
        CLI_FORMAT_NAMES.filter((name) => wanted.includes(name)).map((name) => OUTPUT_MODULES[name]()),
      )
    : import('../outputs/index.ts').then(({ ALL_OUTPUTS }) => ALL_OUTPUTS);
  // Handled where it is awaited; a build that stops early never awaits it.
  loadingOutputs.catch(() => undefined);
  const checkedFormats = async () => {
    const outputs = await loadingOutputs;
    if (known) return [...outputs];
    // The press files (`print`) need Ghostscript: built when asked for, never by default.
    const unknown = wanted.filter((format) => !outputs.some((output) => output.name === format));
    if (unknown.length > 0) {
      throw new RangeError(
        `Unknown format ${unknown.join(', ')}; choose from ${outputs.map((o) => o.name).join(', ')}.`,
      );
    }
    return outputs.filter((output) => wanted.includes(output.name));
  };
  // A format no edition has is an error before any work (CLI_FORMAT_NAMES is kept equal to the editions by a test).
  if (options.formats?.some((format) => !CLI_FORMAT_NAMES.includes(format))) await checkedFormats();
  const diagnostics: Diagnostic[] = [];
  const result = (ok: boolean, written: WrittenFile[] = [], chapters = 0): BuildResult => ({
    ok,
    aborted: options.signal?.aborted ?? false,
    written,
    diagnostics,
    chapters,
    ms: elapsed(),
  });
  const browser = options.browser ?? sharedBrowser();
  const printing = (options.formats ?? CLI_DEFAULT_FORMATS).some(
    (format) => format === 'pdf' || format === 'print',
  );
  let writeCache = () => {};
  // Awaited before the build returns, so that a command ending its process then does not cut a dictionary short.
  let dictionariesAside: Promise<void> | undefined;
  try {
    if (options.signal?.aborted) return result(false);
    if (printing) {
      // Chromium starts and the PDF's code loads while the chapters are read, so neither waits for the other; a
      // build stopped by the manuscript closes the browser unused. Puppeteer is loaded before the read begins
      // (see loadLauncher), so Chromium is spawned now, not after the read; a failed load is reported where the
      // browser is used.
      await loadLauncher().catch(() => undefined);
      browser.get().catch(() => undefined);
      import('../outputs/pdf/render-pdf.ts').catch(() => undefined);
    }
    const cache = options.cache === false ? undefined : openChapterCache(options.manuscript, options.cache);
    // With a pool of threads (four cores or more), a PDF build hands its worker, once it has read its chapters,
    // the hyphenation dictionary of the book's language, should it be neither shipped (lib/hyphen-data) nor
    // cached: built while this thread finishes the book (see native-hyphenation.ts).
    // New cache entries are written while Chromium prints, or once the editions are done (below), or as the
    // process exits on a signal (process.exit skips `finally`): an interrupted build keeps what it read.
    const loader = createBookLoader({ cache, deferCacheWrites: true });
    writeCache = loader.writeCachedChapters;
    process.on('exit', writeCache);
    const book = await loader.loadBookWith(options.manuscript, (jobs) =>
      processChaptersInPool(
        jobs,
        undefined,
        printing && jobs[0]
          ? {
              afterReading: (worker) => {
                dictionariesAside = buildDictionariesAside([chromiumDictionaryName(jobs[0].lang)], worker);
              },
            }
          : {},
      ),
    );
    diagnostics.push(...book.diagnostics);
    options.onProgress?.({ type: 'book-loaded', chapters: book.chapters.length, ms: elapsed() });
    if (hasErrors(diagnostics) || options.signal?.aborted) return result(false, [], book.chapters.length);
    const selected = await checkedFormats();
    for (const output of selected) options.onProgress?.({ type: 'edition-started', format: output.name });
    const { publishEditions } = await import('../outputs/publish-editions.ts');
    const published = await publishEditions({
      book,
      outDir: path.resolve(options.out),
      outputs: selected,
      browser: browser.get,
      browserDone: () => void browser.close(),
      buildDate: options.buildDate ?? buildDateFromEnvironment(),
      cache,
      whileWaiting: () => writeCache(),
      lockWaitMs: options.lockWaitMs,
      signal: options.signal,
      onProgress: (event) =>
        options.onProgress?.(
          event.type === 'edition-made'
            ? { type: 'edition-written', format: event.edition, ms: event.ms }
            : event,
        ),
    });
    diagnostics.push(...published.diagnostics);
    // The templates the editions parsed (title page, contents) and the dates and lists they wrote, for the next
    // build.
    if (cache) {
      keepParsedComponents(cache, book.theme.components);
      keepLocaleTexts(cache);
    }
    if (!published.ok) return result(false, [], book.chapters.length);
    const written = await Promise.all(
      published.editions.flatMap(({ edition, files }) =>
        files.map(async (file) => ({ format: edition, path: file, bytes: (await stat(file)).size })),
      ),
    );
    return result(!hasErrors(diagnostics), written, book.chapters.length);
  } catch (error) {
    if (error instanceof ImprintError) {
      diagnostics.push(...error.diagnostics);
      return result(false);
    }
    throw error;
  } finally {
    // What the editions did not give a moment for (no PDF, or it failed before printing).
    writeCache();
    process.off('exit', writeCache);
    await browser.close();
    await dictionariesAside;
  }
}

export interface BuildOptions {
  manuscriptDir: string;
  outDir: string;
  formats: string[];
  cache?: string | false;
  /** How long to wait for another build into the same folder, in ms. */
  lockWaitMs?: number;
  /** A browser already launching (see BuildEditionsOptions.browser). */
  browser?: SharedBrowser;
}

const STOPPED = 'Build stopped: fix the errors above. Nothing in the output folder was changed.\n';

export async function runBuild(options: BuildOptions): Promise<number> {
  const unhandle = handleExitSignals();
  try {
    const result = await buildEditions({
      manuscript: options.manuscriptDir,
      out: options.outDir,
      formats: options.formats,
      cache: options.cache,
      lockWaitMs: options.lockWaitMs,
      browser: options.browser,
      onProgress: printProgress,
    });
    printDiagnostics(result.diagnostics);
    if (!result.ok) {
      process.stderr.write(STOPPED);
      return 1;
    }
    for (const file of result.written) {
      process.stdout.write(`wrote ${path.relative(process.cwd(), file.path)} (${formatSize(file.bytes)})\n`);
    }
    process.stdout.write(`built ${result.chapters} chapter(s) in ${(result.ms / 1000).toFixed(1)} s\n`);
    return 0;
  } finally {
    unhandle();
  }
}

/** One line as each step ends; tests of killed builds wait for these lines. */
function printProgress(event: BuildProgress): void {
  if (event.type === 'waiting') {
    const who = event.holder
      ? `process ${event.holder.pid}, started ${event.holder.started}`
      : 'another build';
    process.stderr.write(
      `Waiting for the build already writing to this folder (${who}); ${shownPath(event.lockFile)} is its lock.\n`,
    );
  } else if (event.type === 'edition-written') {
    process.stdout.write(`made the ${event.format} edition in ${(event.ms / 1000).toFixed(1)} s\n`);
  }
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
