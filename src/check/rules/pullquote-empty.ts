/** A pull-quote with no words prints an empty box. */
import type { Nodes } from 'mdast';
import { toString as mdastToString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import type { CheckRule, Finding } from '../rule.ts';
import { pullQuote } from './pullquote-not-in-text.ts';

export const pullquoteEmpty: CheckRule = {
  code: 'pullquote-empty',
  severity: 'warning',
  summary: 'A pull-quote without text.',
  fix: 'Put the words to repeat inside it, as :pull[words] or between `:::pullquote` and `:::`.',
  check({ chapters }) {
    const findings: Finding[] = [];
    for (const { file, mdast } of chapters) {
      visit(mdast, (node) => {
        const quote = pullQuote(node as Nodes);
        if (!quote || mdastToString(quote).trim() !== '') return;
        findings.push({
          file,
          line: quote.position?.start.line,
          column: quote.position?.start.column,
          message: 'This pull-quote has no text.',
        });
      });
    }
    return findings;
  },
};
