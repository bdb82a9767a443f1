/**
 * The manuscript half of `imprint check`: the book loaded as the build loads it (with the diagnostics the
 * pipeline reports), then every lint rule over it.
 */
import path from 'node:path';
import { openChapterCache } from '../book/chapter-cache.ts';
import { createBookLoader, withoutUnsafeCharacters } from '../book/load-book.ts';
import type { Book } from '../book/types.ts';
import { type Diagnostic, ImprintError } from '../diagnostics/diagnostic.ts';
import { parseManuscript } from './chapter-source.ts';
import type { CheckedBook, CheckRule } from './rule.ts';
import { RULES } from './rules/index.ts';

export interface LintResult {
  /** Undefined when the manuscript cannot be read at all (no book.yaml, broken YAML …). */
  book?: Book;
  diagnostics: Diagnostic[];
  /** How many findings book.yaml's `check.ignore` silenced. */
  ignored: number;
}

const display = (file: string) => path.relative(process.cwd(), file) || file;

export function lintManuscript(manuscriptDir: string, rules: readonly CheckRule[] = RULES): LintResult {
  let book: Book;
  try {
    book = createBookLoader({ cache: openChapterCache(manuscriptDir) })(manuscriptDir);
  } catch (error) {
    if (error instanceof ImprintError) return { diagnostics: sortDiagnostics(error.diagnostics), ignored: 0 };
    throw error;
  }
  return lintBook(book, rules);
}

/** The lint rules over a book already loaded, with the loader's own diagnostics. */
export function lintBook(book: Book, rules: readonly CheckRule[] = RULES): LintResult & { book: Book } {
  const checked: CheckedBook = {
    book,
    chapters: book.chapters.map((chapter) => {
      const text = withoutUnsafeCharacters(chapter.source);
      return { chapter, file: display(chapter.path), text, mdast: parseManuscript(text) };
    }),
    config: { file: book.config.file, locate: (at) => book.config.locate(at) },
  };
  const seen = new Set(book.diagnostics.map(key));
  const found: Diagnostic[] = [];
  for (const rule of rules) {
    for (const finding of rule.check(checked)) {
      const diagnostic: Diagnostic = {
        code: rule.code,
        severity: rule.severity,
        message: finding.message,
        hint: finding.hint ?? rule.fix,
        file: finding.file,
        line: finding.line,
        column: finding.column,
      };
      if (seen.has(key(diagnostic))) continue;
      seen.add(key(diagnostic));
      found.push(diagnostic);
    }
  }
  const { kept, ignored } = withoutIgnored(found, book.meta.ignoredChecks);
  return { book, diagnostics: sortDiagnostics([...book.diagnostics, ...kept]), ignored };
}

const key = (d: Diagnostic) => `${d.code}\u0000${d.file}\u0000${d.line}\u0000${d.column}`;

/** `check.ignore` in book.yaml silences warnings and notes by code; errors always count, as in the build. */
export function withoutIgnored(
  diagnostics: readonly Diagnostic[],
  ignoredCodes: readonly string[],
): { kept: Diagnostic[]; ignored: number } {
  const ignore = new Set(ignoredCodes);
  const kept = diagnostics.filter((d) => d.severity === 'error' || !ignore.has(d.code));
  return { kept, ignored: diagnostics.length - kept.length };
}

/** In reading order: by file, then line and column; diagnostics without a file first. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0),
  );
}
