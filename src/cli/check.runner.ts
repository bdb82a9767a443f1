/**
 * `imprint check`: lints the manuscript, then builds every edition into a temporary folder and checks it
 * (epubcheck and Ace for the EPUB, fonts, outline and tags for the PDF). Exit code 1 when anything is an error.
 */
import { tmpdir } from 'node:os';
import type { Browser } from 'puppeteer-core';
import {
  type CheckReport,
  createCheckReport,
  type EditionSummary,
  formatCheckReport,
  summarizeEdition,
} from '../check/check-report.ts';
import { CHECKED_EDITIONS, checkEditions } from '../check/editions/check-editions.ts';
import { lintManuscript, sortDiagnostics, withoutIgnored } from '../check/lint.ts';
import { hasErrors } from '../diagnostics/diagnostic.ts';
import { fileSystemDiagnostic } from '../outputs/output-errors.ts';

export interface CheckOptions {
  manuscriptDir: string;
  format: 'text' | 'json';
  /** Build and check the editions too (the default); false lints the manuscript only. */
  editions: boolean;
}

export async function runCheck(options: CheckOptions): Promise<number> {
  const report = await checkManuscript({ manuscript: options.manuscriptDir, editions: options.editions });
  process.stdout.write(
    options.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatCheckReport(report),
  );
  return report.ok ? 0 : 1;
}

export interface CheckManuscriptOptions {
  manuscript: string;
  /** Build and check the editions too (default true); false lints the manuscript only. */
  editions?: boolean;
}

/** The work of `imprint check`, shared by the API and the CLI: prints nothing, returns the report. */
export async function checkManuscript(options: CheckManuscriptOptions): Promise<CheckReport> {
  const checkEditionsToo = options.editions ?? true;
  const lint = lintManuscript(options.manuscript);
  const diagnostics = [...lint.diagnostics];
  let ignored = lint.ignored;
  const editions: EditionSummary[] = [];
  const { book } = lint;
  if (checkEditionsToo && book && !hasErrors(book.diagnostics)) {
    let browser: Promise<Browser> | undefined;
    try {
      const result = await checkEditions(book, () => {
        browser ??= import('../outputs/browser.ts').then(({ launchBrowser }) => launchBrowser());
        return browser;
      });
      const found = withoutIgnored(
        [...result.diagnostics, ...result.editions.flatMap((edition) => edition.diagnostics)],
        book.meta.ignoredChecks,
      );
      diagnostics.push(...sortDiagnostics(found.kept));
      ignored += found.ignored;
      editions.push(...result.editions.map(summarizeEdition));
    } catch (error) {
      // The temporary folder could not be made (a full or read-only disk): a coded message, valid JSON.
      const found = fileSystemDiagnostic(error, tmpdir());
      if (!found) throw error;
      diagnostics.push(found);
    } finally {
      if (browser) await (await browser.catch(() => undefined))?.close();
    }
  } else if (checkEditionsToo) {
    const note = 'the manuscript has errors the build stops on';
    for (const name of CHECKED_EDITIONS)
      editions.push({ name, status: 'not built', files: [], tools: [], note });
  }
  return createCheckReport(options.manuscript, diagnostics, editions, ignored);
}
