/**
 * `imprint build`: reads the manuscript once, then writes every requested edition from that one Book.
 * The browser (for PDF pages and the EPUB cover) is launched at most once and always closed.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'puppeteer';
import { createBookLoader } from '../book/load-book.ts';
import { type Diagnostic, hasErrors, ImprintError } from '../diagnostics/diagnostic.ts';
import { OUTPUTS } from '../outputs/index.ts';
import { PageListChannel } from '../outputs/layout/page-list.ts';
import { buildDateFromEnvironment, type OutputContext } from '../outputs/output.ts';
import { printDiagnostics } from './print-diagnostics.ts';

export interface BuildOptions {
  manuscriptDir: string;
  outDir: string;
  formats: string[];
}

export async function runBuild(options: BuildOptions): Promise<number> {
  const started = performance.now();
  const diagnostics: Diagnostic[] = [];
  let browser: Promise<Browser> | undefined;
  try {
    const book = createBookLoader()(options.manuscriptDir);
    diagnostics.push(...book.diagnostics);
    if (hasErrors(diagnostics)) {
      printDiagnostics(diagnostics);
      process.stderr.write(
        'Build stopped: fix the errors above. Nothing in the output folder was changed.\n',
      );
      return 1;
    }
    const context: OutputContext = {
      outDir: path.resolve(options.outDir),
      browser: () => {
        browser ??= import('../outputs/browser.ts').then(({ launchBrowser }) => launchBrowser());
        return browser;
      },
      report: (diagnostic) => diagnostics.push(diagnostic),
      buildDate: buildDateFromEnvironment(),
      // The EPUB and HTML editions take their page-list from the PDF of the same run.
      pageList: options.formats.includes('pdf') ? new PageListChannel() : undefined,
    };
    const selected = OUTPUTS.filter((output) => options.formats.includes(output.name));
    // Editions are built side by side: the HTML and EPUB work happens while Chromium prints.
    const written = (await Promise.all(selected.map((output) => output.build(book, context)))).flat();
    printDiagnostics(diagnostics);
    if (hasErrors(diagnostics)) return 1;
    for (const file of written) {
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
      process.stderr.write(
        'Build stopped: fix the errors above. Nothing in the output folder was changed.\n',
      );
      return 1;
    }
    throw error;
  } finally {
    if (browser) await (await browser.catch(() => undefined))?.close();
  }
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
