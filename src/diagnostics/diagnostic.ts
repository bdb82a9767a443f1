/**
 * One problem found in a manuscript, phrased for the writer who has to fix it.
 * Every diagnostic has a stable code so users can look it up in the README and silence it in book.yaml.
 */
export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  /** Path relative to the working directory, as the user would type it. */
  file?: string;
  line?: number;
  column?: number;
  /** How to fix it, in one sentence. */
  hint?: string;
}

/** A failure caused by the user's input: the CLI prints its diagnostics instead of a stack trace. */
export class ImprintError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'ImprintError';
    this.diagnostics = diagnostics;
  }
}

export function formatLocation(d: Pick<Diagnostic, 'file' | 'line' | 'column'>): string {
  if (!d.file) return 'imprint';
  if (d.line === undefined) return d.file;
  return `${d.file}:${d.line}:${d.column ?? 1}`;
}

export function formatDiagnostic(d: Diagnostic): string {
  const hint = d.hint ? ` ${d.hint}` : '';
  return `${formatLocation(d)}  ${d.severity}: ${d.message}${hint}  [${d.code}]`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
