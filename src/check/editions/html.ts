/** Every page of the HTML edition must parse back without a single HTML parse error. */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
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

/** Checks `htmlFile` (the edition's index.html) and, in a web book, every page beside it. */
export async function checkHtml(htmlFile: string, shownAs: string): Promise<ToolResult> {
  const dir = path.dirname(htmlFile);
  const pages = (await readdir(dir)).filter((name) => name.endsWith('.html')).sort();
  const errors = [];
  for (const page of pages) {
    const where = page === path.basename(htmlFile) ? shownAs : path.join(path.dirname(shownAs), page);
    for (const error of htmlParseErrors(await readFile(path.join(dir, page), 'utf8'))) {
      errors.push({ ...error, file: where });
    }
  }
  const diagnostics: Diagnostic[] = errors.map((error) => ({
    code: 'html-invalid',
    severity: 'error',
    message: `The HTML edition does not parse cleanly: ${error.reason}`,
    hint: 'Report it: the HTML edition is generated and should always be well-formed.',
    file: error.file,
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
