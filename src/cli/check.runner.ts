/**
 * `imprint check`: lints the manuscript, then builds every edition into a temporary folder and checks it
 * (epubcheck and Ace for the EPUB, fonts, outline and tags for the PDF). Exit code 1 when anything is an error.
 */
import { tmpdir } from 'node:os';
import type { Browser } from 'puppeteer-core';
import type { Book } from '../book/types.ts';
import {
  type CheckReport,
  createCheckReport,
  type EditionSummary,
  formatCheckReport,
  summarizeEdition,
} from '../check/check-report.ts';
import { CHECKED_EDITIONS, checkEditions, type EditionsCheck } from '../check/editions/check-editions.ts';
import { lintManuscript, sortDiagnostics, withoutIgnored } from '../check/lint.ts';
import type { ServiceName } from '../check/preflight/services.ts';
import { hasErrors } from '../diagnostics/diagnostic.ts';
import { fileSystemDiagnostic } from '../outputs/output-errors.ts';
import { sharedBrowser } from '../platform/browser/shared-browser.ts';

export interface CheckOptions {
  manuscriptDir: string;
  format: 'text' | 'json';
  /** Build and check the editions too (the default); false lints the manuscript only. */
  editions: boolean;
  /** Check the press files against a print service's rules instead of checking the reading editions. */
  preflight?: ServiceName;
}

export async function runCheck(options: CheckOptions): Promise<number> {
  const report = await checkManuscript({
    manuscript: options.manuscriptDir,
    editions: options.editions,
    preflight: options.preflight,
  });
  process.stdout.write(
    options.format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatCheckReport(report),
  );
  return report.ok ? 0 : 1;
}

export interface CheckManuscriptOptions {
  manuscript: string;
  /** Build and check the editions too (default true); false lints the manuscript only. */
  editions?: boolean;
  /** Check the press files against a print service's rules instead of checking the reading editions. */
  preflight?: ServiceName;
}

/** The work of `imprint check`, shared by the API and the CLI: prints nothing, returns the report. */
export async function checkManuscript(options: CheckManuscriptOptions): Promise<CheckReport> {
  const checkEditionsToo = options.editions ?? true;
  const lint = lintManuscript(options.manuscript);
  // The preflight reports a wrong ISBN itself, as an error.
  const diagnostics = lint.diagnostics.filter(
    (diagnostic) => !(options.preflight && diagnostic.code === 'isbn-check-digit'),
  );
  let ignored = lint.ignored;
  const editions: EditionSummary[] = [];
  const { book } = lint;
  if (checkEditionsToo && book && !hasErrors(book.diagnostics)) {
    const browser = sharedBrowser();
    try {
      const result = options.preflight
        ? await preflightAsEditions(book, options.preflight, browser.get)
        : await checkEditions(book, browser.get);
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
      await browser.close();
    }
  } else if (checkEditionsToo) {
    const note = 'the manuscript has errors the build stops on';
    for (const name of options.preflight ? ['print'] : CHECKED_EDITIONS)
      editions.push({ name, status: 'not built', files: [], tools: [], note });
  }
  return createCheckReport(options.manuscript, diagnostics, editions, ignored);
}

/** The preflight's result in the shape of the edition checks, so the report lists it like an edition. */
async function preflightAsEditions(
  book: Book,
  service: ServiceName,
  browser: () => Promise<Browser>,
): Promise<EditionsCheck> {
  const { runPreflight } = await import('../check/preflight/preflight.ts');
  const result = await runPreflight(book, service, browser);
  const findings = result.tools.flatMap((tool) => tool.diagnostics);
  const built = result.files.length > 0;
  return {
    diagnostics: result.diagnostics.filter((diagnostic) => !findings.includes(diagnostic)),
    editions: [
      {
        name: 'print',
        status: built ? 'checked' : 'failed',
        files: result.files,
        tools: result.tools,
        diagnostics: findings,
      },
    ],
  };
}
