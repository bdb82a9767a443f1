/**
 * `imprint check`: lints the manuscript, then builds every edition into a temporary folder and checks it
 * (epubcheck and Ace for the EPUB, fonts, outline and tags for the PDF). Exit code 1 when anything is an error.
 */
import type { Browser } from 'puppeteer-core';
import {
  createCheckReport,
  type EditionSummary,
  formatCheckReport,
  summarizeEdition,
} from '../check/check-report.ts';
import { CHECKED_EDITIONS, checkEditions } from '../check/editions/check-editions.ts';
import { lintManuscript, sortDiagnostics, withoutIgnored } from '../check/lint.ts';
import { hasErrors } from '../diagnostics/diagnostic.ts';

export interface CheckOptions {
  manuscriptDir: string;
  format: 'text' | 'json';
  /** Build and check the editions too (the default); false lints the manuscript only. */
  editions: boolean;
}

export async function runCheck(options: CheckOptions): Promise<number> {
  const lint = lintManuscript(options.manuscriptDir);
  const diagnostics = [...lint.diagnostics];
  let ignored = lint.ignored;
  const editions: EditionSummary[] = [];
  const { book } = lint;
  if (options.editions && book && !hasErrors(book.diagnostics)) {
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
    } finally {
      if (browser) await (await browser.catch(() => undefined))?.close();
    }
  } else if (options.editions) {
    const note = 'the manuscript has errors the build stops on';
    for (const name of CHECKED_EDITIONS)
      editions.push({ name, status: 'not built', files: [], tools: [], note });
  }
  const report = createCheckReport(options.manuscriptDir, diagnostics, editions, ignored);
  process.stdout.write(
    options.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatCheckReport(report),
  );
  return report.ok ? 0 : 1;
}
