/** What `imprint check` found, as one object: printed for people, or as JSON for CI. */
import { type Diagnostic, formatDiagnostic, type Severity } from '../diagnostics/diagnostic.ts';
import type { EditionResult } from './editions/check-editions.ts';
import { plural } from './editions/epubcheck.ts';

export interface CheckReport {
  /** The manuscript folder as given. */
  manuscript: string;
  /** False when any diagnostic is an error: the exit code is then 1. */
  ok: boolean;
  counts: Record<Severity, number>;
  /** Warnings and notes silenced by `check.ignore` in book.yaml. */
  ignored: number;
  diagnostics: Diagnostic[];
  editions: EditionSummary[];
}

export interface EditionSummary {
  name: string;
  status: EditionResult['status'] | 'not built';
  files: string[];
  tools: { tool: string; status: string; summary: string }[];
  /** Why an edition was not built or checked. */
  note?: string;
}

export function createCheckReport(
  manuscript: string,
  diagnostics: Diagnostic[],
  editions: EditionSummary[],
  ignored: number,
): CheckReport {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const diagnostic of diagnostics) counts[diagnostic.severity]++;
  return { manuscript, ok: counts.error === 0, counts, ignored, diagnostics, editions };
}

export function summarizeEdition(result: EditionResult): EditionSummary {
  return {
    name: result.name,
    status: result.status,
    files: result.files,
    tools: result.tools.map(({ tool, status, summary }) => ({ tool, status, summary })),
    note:
      result.status === 'unavailable'
        ? 'not available in this version of Imprint'
        : result.status === 'failed'
          ? 'could not be built'
          : undefined,
  };
}

const ORDER: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** The report for a terminal: one line per diagnostic (errors last, so they stay in view), then a summary. */
export function formatCheckReport(report: CheckReport): string {
  const lines = [...report.diagnostics]
    .sort((a, b) => ORDER[a.severity] - ORDER[b.severity])
    .map(formatDiagnostic);
  if (report.editions.length) {
    lines.push('', 'Editions');
    const width = Math.max(...report.editions.map((edition) => edition.name.length));
    for (const edition of report.editions) {
      const detail = edition.note ?? edition.tools.map((tool) => `${tool.tool}: ${tool.summary}`).join(' · ');
      const status = edition.tools.some((tool) => tool.status === 'failed') ? 'failed' : edition.status;
      lines.push(`  ${edition.name.padEnd(width)}  ${status.padEnd(11)}  ${detail}`);
    }
  }
  const { error, warning, info } = report.counts;
  const silenced = report.ignored ? ` (${report.ignored} silenced by book.yaml)` : '';
  const verdict = report.ok ? 'passed' : 'failed';
  lines.push(
    '',
    `imprint check ${verdict}: ${plural(error, 'error')}, ${plural(warning, 'warning')}, ${plural(info, 'note')}${silenced}`,
  );
  return `${lines.join('\n')}\n`;
}
