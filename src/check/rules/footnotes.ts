/**
 * GFM footnotes fail silently: a reference to a note that is not defined stays in the text as "[^label]", and
 * a note that is never referenced is left out of the book.
 */
import type { FootnoteDefinition, FootnoteReference, Text } from 'mdast';
import { visit } from 'unist-util-visit';
import { locationAt } from '../chapter-source.ts';
import type { CheckRule, Finding } from '../rule.ts';

/** "[^label]" not preceded by a backslash, as remark-gfm leaves an undefined reference. */
const LITERAL_REFERENCE = /(?<!\\)\[\^([^\]\s]+)\]/g;

export const footnoteUndefined: CheckRule = {
  code: 'footnote-undefined',
  severity: 'error',
  summary: 'A footnote reference `[^label]` with no `[^label]: …` definition; it is printed as typed.',
  fix: 'Add the note as a line "[^label]: text" (anywhere in the chapter), or remove the reference.',
  check({ chapters }) {
    const findings: Finding[] = [];
    for (const { file, mdast, text } of chapters) {
      visit(mdast, 'text', (node: Text) => {
        const start = node.position?.start.offset;
        const end = node.position?.end.offset;
        const source = start !== undefined && end !== undefined ? text.slice(start, end) : node.value;
        for (const match of source.matchAll(LITERAL_REFERENCE)) {
          const where =
            start !== undefined
              ? locationAt(text, start + (match.index ?? 0))
              : { line: node.position?.start.line, column: node.position?.start.column };
          findings.push({ file, ...where, message: `The footnote "[^${match[1]}]" is not defined.` });
        }
      });
    }
    return findings;
  },
};

export const footnoteUnused: CheckRule = {
  code: 'footnote-unused',
  severity: 'warning',
  summary: 'A footnote definition `[^label]: …` that no `[^label]` refers to; it is left out of the book.',
  fix: 'Refer to it with [^label] where the note belongs, or delete it.',
  check({ chapters }) {
    const findings: Finding[] = [];
    for (const { file, mdast } of chapters) {
      const referenced = new Set<string>();
      visit(mdast, 'footnoteReference', (node: FootnoteReference) => {
        referenced.add(node.identifier);
      });
      visit(mdast, 'footnoteDefinition', (node: FootnoteDefinition) => {
        if (referenced.has(node.identifier)) return;
        findings.push({
          file,
          line: node.position?.start.line,
          column: node.position?.start.column,
          message: `The footnote "[^${node.label ?? node.identifier}]" is never referenced.`,
        });
      });
    }
    return findings;
  },
};
