/**
 * The edition half of `imprint check`: builds every edition into a temporary folder through the same
 * outputs as `imprint build` (one shared browser), then checks each file with the tools made for it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import type { Book } from '../../book/types.ts';
import { type Diagnostic, ImprintError } from '../../diagnostics/diagnostic.ts';
import { OUTPUTS } from '../../outputs/index.ts';
import { buildDateFromEnvironment, type Output, type OutputContext } from '../../outputs/output.ts';
import { editionFailure } from '../../outputs/output-errors.ts';
import { postscriptNameOf } from '../../templates/font-coverage.ts';
import { runAce } from './ace.ts';
import { runEpubcheck } from './epubcheck.ts';
import { checkHtml } from './html.ts';
import { checkPdf } from './pdf.ts';
import { type ToolResult, toolMissing } from './tools.ts';

/** The editions `imprint check` knows how to check, in the order it reports them. */
export const CHECKED_EDITIONS = ['html', 'pdf', 'epub'] as const;

export interface EditionResult {
  name: string;
  status: 'checked' | 'unavailable' | 'failed';
  /** Names of the files built, relative to the temporary output folder. */
  files: string[];
  tools: ToolResult[];
  diagnostics: Diagnostic[];
}

export interface EditionsCheck {
  editions: EditionResult[];
  /** What the outputs reported while building (a blocked request, a font that did not load). */
  diagnostics: Diagnostic[];
}

/** How an EPUB is given to epubcheck: its own JVM per file (runEpubcheck), or a caller's running one. */
export type EpubcheckRunner = (file: string, shownAs: string) => Promise<ToolResult>;

/** Builds and checks each edition; `browser` launches the one shared Chromium on first use. */
export async function checkEditions(
  book: Book,
  browser: () => Promise<Browser>,
  outputs: readonly Output[] = OUTPUTS,
  epubcheck: EpubcheckRunner = runEpubcheck,
): Promise<EditionsCheck> {
  const outDir = await mkdtemp(path.join(tmpdir(), 'imprint-check-'));
  try {
    const diagnostics: Diagnostic[] = [];
    const context: OutputContext = {
      outDir,
      browser,
      report: (diagnostic) => diagnostics.push(diagnostic),
      buildDate: buildDateFromEnvironment(),
    };
    const names = [...new Set([...CHECKED_EDITIONS, ...outputs.map((output) => output.name)])];
    const editions = await Promise.all(
      names.map(async (name): Promise<EditionResult> => {
        const output = outputs.find((candidate) => candidate.name === name);
        if (!output) return unavailable(name);
        let files: string[];
        try {
          files = await output.build(book, context);
        } catch (error) {
          return failed(name, error, outDir);
        }
        const shown = files.map((file) => path.relative(outDir, file));
        const tools = (
          await Promise.all(
            files.map((file, index) =>
              checkFile(file, shown[index], { browser, epubcheck, themeFonts: themeFontNames(book) }),
            ),
          )
        ).flat();
        return {
          name,
          status: 'checked',
          files: shown,
          tools,
          diagnostics: tools.flatMap((tool) => tool.diagnostics),
        };
      }),
    );
    return { editions, diagnostics };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/** The PostScript names of the font files the book carries: the only fonts its PDF may hold. */
function themeFontNames(book: Book): Set<string> {
  return new Set(book.theme.fonts.map((font) => postscriptNameOf(font.source)));
}

async function checkFile(
  file: string,
  shownAs: string,
  {
    browser,
    epubcheck,
    themeFonts,
  }: { browser: () => Promise<Browser>; epubcheck: EpubcheckRunner; themeFonts: ReadonlySet<string> },
): Promise<ToolResult[]> {
  const extension = path.extname(file).toLowerCase();
  if (extension === '.html') return [await safely('html', () => checkHtml(file, shownAs))];
  if (extension === '.pdf') return [await safely('pdf', () => checkPdf(file, shownAs, themeFonts))];
  if (extension === '.epub') {
    // epubcheck is a Java process and Ace works in Chromium: they run side by side.
    return Promise.all([
      safely('epubcheck', () => epubcheck(file, shownAs)),
      safely('Ace by DAISY', async () => runAce(file, shownAs, await browser())),
    ]);
  }
  return [];
}

/** A checker that cannot run (no browser, a tool that crashed) is an error of the check, not a crash of it. */
async function safely(tool: string, check: () => Promise<ToolResult>): Promise<ToolResult> {
  try {
    return await check();
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    const missing = error instanceof Error && error.name === 'BrowserNotFoundError';
    return {
      tool,
      status: 'not run',
      summary: missing ? 'no browser' : 'could not run',
      diagnostics: [
        missing
          ? toolMissing('Chromium', 'accessibility')
          : {
              code: 'edition-failed',
              severity: 'error',
              message: `${tool} could not check the edition: ${message}`,
              hint: 'Run `imprint check` again; report it if it happens every time.',
            },
      ],
    };
  }
}

function unavailable(name: string): EditionResult {
  return {
    name,
    status: 'unavailable',
    files: [],
    tools: [],
    diagnostics: [
      {
        code: 'edition-unavailable',
        severity: 'info',
        message: `The ${name} edition is not available in this version of Imprint, so it was not checked.`,
      },
    ],
  };
}

/** A full temporary disk or a browser that will not start gets the same coded message as in a build. */
function failed(name: string, error: unknown, outDir: string): EditionResult {
  const base = { name, status: 'failed' as const, files: [], tools: [] };
  if (error instanceof ImprintError) return { ...base, diagnostics: error.diagnostics };
  return { ...base, diagnostics: [editionFailure(name, error, outDir)] };
}
