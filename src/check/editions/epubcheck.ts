/**
 * epubcheck, the EPUB conformance checker of the W3C and DAISY, over an EPUB. Debian ships it as a jar,
 * so it runs through java; each message keeps epubcheck's own id in its code ("epubcheck:RSC-005").
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Diagnostic, Severity } from '../../diagnostics/diagnostic.ts';
import { runTool, ToolMissingError, type ToolResult, toolMissing } from './tools.ts';

export const EPUBCHECK_JAR = process.env.IMPRINT_EPUBCHECK_JAR ?? '/usr/bin/epubcheck';

/**
 * A short-lived JVM: the quick compiler only, and the serial collector. The optimising compiler's threads
 * and the parallel collector's cost more than they save in one check; measured here (2026-11-30, loaded
 * 2-core machine), five checks in one JVM took 6.0 s of CPU with these flags and 12.9 s without.
 */
export const JAVA_QUICK_START = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

interface EpubcheckMessage {
  ID: string;
  severity: 'FATAL' | 'ERROR' | 'WARNING' | 'USAGE' | 'INFO' | 'SUPPRESSED';
  message: string;
  suggestion?: string;
  locations?: { path?: string; line?: number; column?: number }[];
}

const SEVERITY: Partial<Record<EpubcheckMessage['severity'], Severity>> = {
  FATAL: 'error',
  ERROR: 'error',
  WARNING: 'warning',
};

/** Runs epubcheck on `epubFile`; `shownAs` is how the file is named in the diagnostics. */
export async function runEpubcheck(epubFile: string, shownAs: string): Promise<ToolResult> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'imprint-epubcheck-'));
  try {
    const report = path.join(workDir, 'report.json');
    const run = await runTool('java', [
      ...JAVA_QUICK_START,
      '-jar',
      EPUBCHECK_JAR,
      epubFile,
      '--json',
      report,
      '--quiet',
    ]);
    const json = await readFile(report, 'utf8').catch(() => undefined);
    if (json === undefined) {
      const detail = (run.stderr || run.stdout).trim().split('\n')[0] ?? '';
      if (/Unable to access jarfile/i.test(detail)) {
        return {
          tool: 'epubcheck',
          status: 'not run',
          summary: 'not installed',
          diagnostics: [toolMissing('epubcheck', 'the EPUB')],
        };
      }
      throw new Error(`epubcheck did not run (exit ${run.code}): ${detail}`);
    }
    return epubcheckResult(json, shownAs);
  } catch (error) {
    if (error instanceof ToolMissingError) {
      return {
        tool: 'epubcheck',
        status: 'not run',
        summary: 'java is not installed',
        diagnostics: [toolMissing('java', 'the EPUB')],
      };
    }
    throw error;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** What epubcheck's JSON report says, as diagnostics: its FATAL and ERROR messages fail the EPUB. */
export function epubcheckResult(reportJson: string, shownAs: string): ToolResult {
  const messages = (JSON.parse(reportJson) as { messages: EpubcheckMessage[] }).messages;
  const diagnostics = messages.flatMap((message) => toDiagnostics(message, shownAs));
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  return {
    tool: 'epubcheck',
    status: errors > 0 ? 'failed' : 'passed',
    summary: `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`,
    diagnostics,
  };
}

function toDiagnostics(message: EpubcheckMessage, shownAs: string): Diagnostic[] {
  const severity = SEVERITY[message.severity];
  if (!severity) return [];
  const locations = message.locations?.length ? message.locations : [{}];
  return locations.map((location) => ({
    code: `epubcheck:${message.ID}`,
    severity,
    message: message.message.trim(),
    hint: message.suggestion?.trim() || 'See the epubcheck id for what it checks.',
    file: location.path ? `${shownAs}/${location.path}` : shownAs,
    line: location.line !== undefined && location.line > 0 ? location.line : undefined,
    column: location.column !== undefined && location.column > 0 ? location.column : undefined,
  }));
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}
