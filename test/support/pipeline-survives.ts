/**
 * The property every generated manuscript must have, shared by `npm test` (a few hundred cases) and
 * `npm run fuzz` (thousands): reading it either succeeds or fails with an ImprintError carrying diagnostics;
 * a book that loads renders to well-formed HTML whose ids are unique, whose `#…` links resolve (or were
 * reported), whose pull-quotes are hidden from assistive technology, and which keeps the writer's words.
 * `imprint check`'s lint must not crash on it either.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Text } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { selectAll } from 'hast-util-select';
import { visit } from 'unist-util-visit';
import { createBookLoader } from '../../src/book/load-book.ts';
import type { Book } from '../../src/book/types.ts';
import { CATALOGUE_CODES } from '../../src/check/catalogue.ts';
import { htmlParseErrors } from '../../src/check/editions/html.ts';
import { lintBook } from '../../src/check/lint.ts';
import { RULES } from '../../src/check/rules/index.ts';
import {
  type Diagnostic,
  formatDiagnostic,
  hasErrors,
  ImprintError,
} from '../../src/diagnostics/diagnostic.ts';
import { renderHtmlDocument } from '../../src/outputs/html.ts';
import type { GeneratedManuscript } from './manuscript-grammar.ts';
import { words } from './words.ts';

const KNOWN_CODES = new Set([...CATALOGUE_CODES, ...RULES.map((rule) => rule.code)]);
/** One loader for every case, as the preview keeps one: its processor is made once. */
const loadBook = createBookLoader();

export function writeManuscript(manuscript: GeneratedManuscript): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'imprint-fuzz-'));
  for (const [name, content] of Object.entries(manuscript.files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/** Loads, renders and lints the manuscript; throws an AssertionError naming the broken promise. */
export function assertPipelineSurvives(manuscript: GeneratedManuscript): void {
  const dir = writeManuscript(manuscript);
  try {
    const book = loadOrRefuse(dir, manuscript);
    if (!book) return;
    assertBookIsSound(book, manuscript);
    lintBook(book);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function loadOrRefuse(dir: string, manuscript: GeneratedManuscript): Book | undefined {
  try {
    const book = loadBook(dir);
    assertDiagnosticsWellFormed(book.diagnostics);
    if (manuscript.valid) {
      assert.ok(
        !hasErrors(book.diagnostics),
        `a valid manuscript has errors:\n${describe(book.diagnostics)}`,
      );
    }
    return book;
  } catch (error) {
    if (!(error instanceof ImprintError)) throw error;
    assert.ok(error.diagnostics.length > 0, 'an ImprintError without diagnostics');
    assertDiagnosticsWellFormed(error.diagnostics);
    assert.ok(!manuscript.valid, `a valid manuscript was refused:\n${describe(error.diagnostics)}`);
    return undefined;
  }
}

function assertDiagnosticsWellFormed(diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) {
    assert.ok(KNOWN_CODES.has(d.code), `undocumented code ${d.code}: ${formatDiagnostic(d)}`);
    assert.ok(['error', 'warning', 'info'].includes(d.severity), formatDiagnostic(d));
    assert.ok(typeof d.message === 'string' && d.message.trim() !== '', formatDiagnostic(d));
  }
}

function assertBookIsSound(book: Book, manuscript: GeneratedManuscript): void {
  const html = renderHtmlDocument(book);
  assert.deepEqual(htmlParseErrors(html), [], 'the HTML edition does not parse cleanly');
  const tree = fromHtml(html);

  const ids = selectAll('[id]', tree).map((node) => String(node.properties.id));
  const duplicates = ids.filter((id, index) => ids.indexOf(id) !== index);
  assert.deepEqual(duplicates, [], 'ids are not unique');

  const known = new Set(ids);
  for (const link of selectAll('a[href^="#"]', tree)) {
    const target = decodeURIComponent(String(link.properties.href).slice(1));
    if (known.has(target)) continue;
    const reported = book.diagnostics.some(
      (d) => d.code === 'missing-anchor' && d.message.includes(`"#${target}"`),
    );
    assert.ok(reported, `href="#${target}" resolves to nothing and was not reported`);
  }

  const quotes = selectAll('[role="doc-pullquote"], .pullquote', tree);
  for (const quote of quotes)
    assert.equal(quote.properties.ariaHidden, 'true', 'a pull-quote is not aria-hidden');
  if (!manuscript.valid) return;
  assert.equal(quotes.length, manuscript.pulls, 'pull-quotes were lost or added');

  // Text node by text node: block elements have no space between them ("ab</p><p>cd").
  const text = new Set<string>();
  visit(tree, 'text', (node: Text) => {
    for (const word of words(node.value)) text.add(word);
  });
  const lost = [...new Set(manuscript.words.flatMap(words))].filter((word) => !text.has(word));
  assert.deepEqual(lost, [], 'words of the manuscript are missing from the HTML edition');
}

function describe(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map(formatDiagnostic).join('\n');
}
