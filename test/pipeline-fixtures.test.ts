/**
 * Golden fixtures: test/fixtures/pipeline/<feature>/input.md is run through the chapter pipeline and compared
 * with expected.html (and expected-diagnostics.txt). Both are meant to be read by a person.
 * After a deliberate change, regenerate with UPDATE_FIXTURES=1 and review the diff.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../src/diagnostics/diagnostic.ts';
import { processMarkdown } from './support/process-markdown.ts';

const root = path.resolve('test/fixtures/pipeline');
const update = process.env.UPDATE_FIXTURES === '1';

describe('pipeline fixtures', () => {
  for (const name of readdirSync(root).filter((entry) => existsSync(path.join(root, entry, 'input.md')))) {
    it(name, () => {
      const dir = path.join(root, name);
      const contextFile = path.join(dir, 'chapters.json');
      const chapterIds = existsSync(contextFile) ? JSON.parse(readFileSync(contextFile, 'utf8')) : undefined;
      const { html, diagnostics } = processMarkdown(readFileSync(path.join(dir, 'input.md'), 'utf8'), {
        dir,
        chapterIds,
      });
      const report = diagnostics.map(formatDiagnostic).join('\n');
      const expectedHtml = path.join(dir, 'expected.html');
      const expectedDiagnostics = path.join(dir, 'expected-diagnostics.txt');
      if (update) {
        writeFileSync(expectedHtml, `${html}\n`);
        writeFileSync(expectedDiagnostics, report ? `${report}\n` : '');
      }
      expect(html).toBe(readFileSync(expectedHtml, 'utf8').replace(/\n$/, ''));
      expect(report).toBe(readFileSync(expectedDiagnostics, 'utf8').replace(/\n$/, ''));
    });
  }
});
