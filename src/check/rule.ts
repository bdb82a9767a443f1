/**
 * A lint rule of `imprint check`: one stable code, one severity, one sentence on how to fix what it finds.
 * Rules read the loaded Book and each chapter's source; they never change either.
 */
import type { Root as MdastRoot } from 'mdast';
import type { Book, Chapter } from '../book/types.ts';
import type { Severity } from '../diagnostics/diagnostic.ts';

/** A chapter as rules see it: the Book's chapter, its text and the Markdown as written (no plugins applied). */
export interface ChapterSource {
  chapter: Chapter;
  /** Path as shown in diagnostics. */
  file: string;
  text: string;
  mdast: MdastRoot;
}

export interface CheckedBook {
  book: Book;
  chapters: ChapterSource[];
  /** book.yaml as shown in diagnostics, and where a value stands in it. */
  config: { file: string; locate(path: readonly PropertyKey[]): { line: number; column: number } };
}

/** What a rule found: where and what. The code, severity and fix come from the rule. */
export interface Finding {
  file: string;
  line?: number;
  column?: number;
  message: string;
  /** Replaces the rule's fix sentence when a more precise one is known ("Did you mean …?"). */
  hint?: string;
}

export interface CheckRule {
  code: string;
  severity: Severity;
  /** What the rule finds, for README.md (Diagnostics). */
  summary: string;
  /** How to fix it, one sentence. */
  fix: string;
  check(book: CheckedBook): Finding[];
}
