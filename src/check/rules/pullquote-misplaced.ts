/**
 * `:pull[…]` is lifted out of paragraphs only; in a heading or a table cell it stays, and is printed as the
 * literal text ":pull[…]".
 */
import type { Heading, TableCell } from 'mdast';
import type { TextDirective } from 'mdast-util-directive';
import { visit } from 'unist-util-visit';
import type { CheckRule, Finding } from '../rule.ts';

export const pullquoteMisplaced: CheckRule = {
  code: 'pullquote-misplaced',
  severity: 'error',
  summary: '`:pull[…]` in a heading or a table cell, where it is printed as typed.',
  fix: 'Move the :pull[…] into a paragraph, or make it a `:::pullquote` block.',
  check({ chapters }) {
    const findings: Finding[] = [];
    for (const { file, mdast } of chapters) {
      visit(mdast, (block) => {
        if (block.type !== 'heading' && block.type !== 'tableCell') return;
        visit(block as Heading | TableCell, 'textDirective', (node: TextDirective) => {
          if (node.name !== 'pull') return;
          findings.push({
            file,
            line: node.position?.start.line,
            column: node.position?.start.column,
            message: `:pull[…] in a ${block.type === 'heading' ? 'heading' : 'table cell'} is not lifted into a pull-quote.`,
          });
        });
      });
    }
    return findings;
  },
};
