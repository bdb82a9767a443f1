/** How the terminal shows diagnostics: one line each, errors last so they stay in view. */
import { type Diagnostic, formatDiagnostic } from '../diagnostics/diagnostic.ts';

const ORDER = { info: 0, warning: 1, error: 2 } as const;

export function printDiagnostics(
  diagnostics: readonly Diagnostic[],
  stream: NodeJS.WritableStream = process.stderr,
) {
  const sorted = [...diagnostics].sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
  for (const diagnostic of sorted) stream.write(`${formatDiagnostic(diagnostic)}\n`);
}
