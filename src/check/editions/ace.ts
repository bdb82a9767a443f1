/**
 * Ace by DAISY, the EPUB accessibility checker, over an EPUB. `@daisy/ace` itself drives Electron, which
 * cannot be installed offline; `@daisy/ace-core` takes any "axe runner", so this gives it one that runs in
 * the check's own headless Chromium (the build's browser, locked to the unpacked EPUB's files).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import type { Diagnostic, Severity } from '../../diagnostics/diagnostic.ts';
import { openLockedPage } from '../../platform/browser/locked-page.ts';
import { plural } from './epubcheck.ts';
import type { ToolResult } from './tools.ts';

const require = createRequire(import.meta.url);

/** The runner interface of @daisy/ace-core (see @daisy/ace-axe-runner-puppeteer). */
interface AxeRunner {
  concurrency: number;
  setTimeout(ms: number): void;
  launch(): Promise<void>;
  close(): Promise<void>;
  run(url: string, scripts: string[], scriptContents: string[], basedir: string): Promise<unknown>;
}

interface AceAssertion {
  'earl:test': {
    'earl:impact': 'critical' | 'serious' | 'moderate' | 'minor';
    'dct:title': string;
    'dct:description': string;
    help?: { url?: string; 'dct:description'?: string };
  };
  'earl:result': { 'dct:description'?: string; 'earl:pointer'?: { css?: string[] } };
}

interface AceReport {
  assertions: { 'earl:testSubject': { url: string }; assertions: AceAssertion[] }[];
}

type Ace = (
  epub: string,
  options: Record<string, unknown>,
  runner: AxeRunner,
) => Promise<[unknown, AceReport]>;

let loaded: Ace | undefined;

function loadAce(): Ace {
  if (loaded) return loaded;
  // Ace logs through winston's default logger; without a transport winston complains on stderr.
  const winston = createRequire(require.resolve('@daisy/ace-core'))('winston');
  winston.configure({ transports: [new winston.transports.Console({ silent: true })] });
  loaded = require('@daisy/ace-core') as Ace;
  return loaded;
}

const SEVERITY: Record<AceAssertion['earl:test']['earl:impact'], Severity> = {
  critical: 'error',
  serious: 'error',
  moderate: 'warning',
  minor: 'warning',
};

/** Checks `epubFile` with Ace in `browser`; `shownAs` is how the file is named in the diagnostics. */
export async function runAce(epubFile: string, shownAs: string, browser: Browser): Promise<ToolResult> {
  const ace = loadAce();
  const workDir = await mkdtemp(path.join(tmpdir(), 'imprint-ace-'));
  try {
    const [, report] = await ace(
      epubFile,
      {
        cwd: process.cwd(),
        outdir: path.join(workDir, 'report'),
        tmpdir: path.join(workDir, 'tmp'),
        lang: 'en',
      },
      axeRunnerIn(browser),
    );
    const diagnostics = report.assertions.flatMap((document) =>
      document.assertions.map((assertion) =>
        toDiagnostic(assertion, `${shownAs}/${document['earl:testSubject'].url.replace(/^\//, '')}`),
      ),
    );
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = diagnostics.length - errors;
    return {
      tool: 'Ace by DAISY',
      status: errors > 0 ? 'failed' : 'passed',
      summary: `${plural(errors, 'serious violation')}, ${plural(warnings, 'moderate one')}`,
      diagnostics,
    };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** Ace's puppeteer runner, but on a page of our browser that may read the unpacked EPUB and nothing else. */
function axeRunnerIn(browser: Browser): AxeRunner {
  return {
    concurrency: 2,
    setTimeout() {},
    async launch() {},
    async close() {},
    async run(url, scripts, scriptContents, basedir) {
      const { page } = await openLockedPage(browser, { allowedRoots: [basedir] });
      try {
        await page.goto(url);
        for (const content of scriptContents) await page.addScriptTag({ content });
        for (const file of scripts) await page.addScriptTag({ path: file });
        return await page.evaluate(
          () =>
            new Promise((resolve, reject) => {
              const daisy = (
                window as unknown as { daisy: { ace: { run(done: (e: unknown, r: unknown) => void): void } } }
              ).daisy;
              daisy.ace.run((error, result) => (error ? reject(error) : resolve(result)));
            }),
        );
      } finally {
        await page.close();
      }
    },
  };
}

function toDiagnostic(assertion: AceAssertion, file: string): Diagnostic {
  const test = assertion['earl:test'];
  const where = assertion['earl:result']['earl:pointer']?.css?.[0];
  const help = [test.help?.['dct:description'], test.help?.url].filter(Boolean).join(' ');
  return {
    code: `ace:${test['dct:title']}`,
    severity: SEVERITY[test['earl:impact']] ?? 'warning',
    message: `${test['dct:description'].replace(/\.?$/, '')}${where ? ` (at ${where})` : ''}.`,
    hint: help || undefined,
    file,
  };
}
