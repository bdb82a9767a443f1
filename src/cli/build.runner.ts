/**
 * `imprint build`: reads the manuscript once, then publishes every requested edition from that one Book as
 * one change to the output folder (src/outputs/publish-editions.ts). The browser (for PDF pages and the EPUB
 * cover) is launched at most once and always closed.
 */
import { stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'puppeteer';
import { createBookLoader } from '../book/load-book.ts';
import { type Diagnostic, hasErrors, ImprintError } from '../diagnostics/diagnostic.ts';
import { ALL_OUTPUTS } from '../outputs/index.ts';
import { buildDateFromEnvironment } from '../outputs/output.ts';
import { shownPath } from '../outputs/output-errors.ts';
import { type PublishProgress, publishEditions } from '../outputs/publish-editions.ts';
import { printDiagnostics } from './print-diagnostics.ts';

export interface BuildOptions {
  manuscriptDir: string;
  outDir: string;
  formats: string[];
  /** How long to wait for another build into the same folder, in ms. */
  lockWaitMs?: number;
}

const STOPPED = 'Build stopped: fix the errors above. Nothing in the output folder was changed.\n';

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Ctrl-C before the browser is up (or in an HTML-only build) would end node without its 'exit' event, and
 * so leave the staging folder and the lock behind: exit with 128 + the signal instead. Once a browser runs,
 * its own handler (src/outputs/browser.ts) closes it first and exits with the same code.
 */
function exitOnSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) === 1) process.exit(128 + (os.constants.signals[signal] ?? 0));
}

export async function runBuild(options: BuildOptions): Promise<number> {
  const started = performance.now();
  const diagnostics: Diagnostic[] = [];
  let browser: Promise<Browser> | undefined;
  for (const signal of SIGNALS) process.on(signal, exitOnSignal);
  try {
    const book = createBookLoader()(options.manuscriptDir);
    diagnostics.push(...book.diagnostics);
    if (hasErrors(diagnostics)) {
      printDiagnostics(diagnostics);
      process.stderr.write(STOPPED);
      return 1;
    }
    const result = await publishEditions({
      book,
      outDir: options.outDir,
      outputs: ALL_OUTPUTS.filter((output) => options.formats.includes(output.name)),
      browser: () => {
        browser ??= import('../outputs/browser.ts').then(({ launchBrowser }) => launchBrowser());
        return browser;
      },
      buildDate: buildDateFromEnvironment(),
      lockWaitMs: options.lockWaitMs,
      onProgress: printProgress,
    });
    diagnostics.push(...result.diagnostics);
    printDiagnostics(diagnostics);
    if (!result.ok) {
      process.stderr.write(STOPPED);
      return 1;
    }
    for (const file of result.files) {
      const size = (await stat(file)).size;
      process.stdout.write(`wrote ${path.relative(process.cwd(), file)} (${formatSize(size)})\n`);
    }
    process.stdout.write(
      `built ${book.chapters.length} chapter(s) in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ImprintError) {
      printDiagnostics([...diagnostics, ...error.diagnostics]);
      process.stderr.write(STOPPED);
      return 1;
    }
    throw error;
  } finally {
    for (const signal of SIGNALS) process.off(signal, exitOnSignal);
    if (browser) await (await browser.catch(() => undefined))?.close();
  }
}

/** One line as each step ends; tests of killed builds wait for these lines. */
function printProgress(event: PublishProgress): void {
  if (event.type === 'waiting') {
    const who = event.holder
      ? `process ${event.holder.pid}, started ${event.holder.started}`
      : 'another build';
    process.stderr.write(
      `Waiting for the build already writing to this folder (${who}); ${shownPath(event.lockFile)} is its lock.\n`,
    );
  } else if (event.type === 'edition-made') {
    process.stdout.write(`made the ${event.edition} edition in ${(event.ms / 1000).toFixed(1)} s\n`);
  }
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
