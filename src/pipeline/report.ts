/**
 * How plugins report a problem: a diagnostic with the file, line and column of the node at fault.
 * Plugins never throw for bad input; the build decides what an error means.
 */
import type { Node } from 'unist';
import type { VFile } from 'vfile';
import type { Diagnostic, Severity } from '../diagnostics/diagnostic.ts';

export function report(
  file: VFile,
  node: Node | undefined,
  severity: Severity,
  code: string,
  message: string,
  hint?: string,
): void {
  const start = node?.position?.start;
  const diagnostic: Diagnostic = {
    code,
    severity,
    message,
    hint,
    file: file.data.imprint?.displayPath ?? file.path,
    line: start?.line,
    column: start?.column,
  };
  file.data.diagnostics ??= [];
  file.data.diagnostics.push(diagnostic);
}
