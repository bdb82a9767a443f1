/** The HTML edition must parse back without a single HTML parse error. */
import { readFile } from 'node:fs/promises';
import { fromHtml } from 'hast-util-from-html';
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import { plural } from './epubcheck.ts';
import type { ToolResult } from './tools.ts';

/** The parse errors of an HTML document (parse5's codes, e.g. "missing-end-tag-name"), with their places. */
export function htmlParseErrors(html: string): { reason: string; line?: number; column?: number }[] {
  const errors: { reason: string; line?: number; column?: number }[] = [];
  fromHtml(html, {
    onerror(error) {
      errors.push({
        reason: `${error.ruleId ?? ''}: ${error.reason}`,
        line: error.line ?? undefined,
        column: error.column ?? undefined,
      });
    },
  });
  return errors;
}

export async function checkHtml(htmlFile: string, shownAs: string): Promise<ToolResult> {
  const errors = htmlParseErrors(await readFile(htmlFile, 'utf8'));
  const diagnostics: Diagnostic[] = errors.map((error) => ({
    code: 'html-invalid',
    severity: 'error',
    message: `The HTML edition does not parse cleanly: ${error.reason}`,
    hint: 'Report it: the HTML edition is generated and should always be well-formed.',
    file: shownAs,
    line: error.line,
    column: error.column,
  }));
  return {
    tool: 'html',
    status: errors.length ? 'failed' : 'passed',
    summary: errors.length ? plural(errors.length, 'parse error') : 'well-formed',
    diagnostics,
  };
}
