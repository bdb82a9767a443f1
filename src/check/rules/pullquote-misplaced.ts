/**
 * `:pull[…]` is lifted out of paragraphs only; in a heading or a table cell the pipeline keeps its words and
 * reports the same code at the same place, so this rule stands for the catalogue and for lint-only runs.
 */
import type { Heading, TableCell } from 'mdast';
import type { TextDirective } from 'mdast-util-directive';
import { visit } from 'unist-util-visit';
import type { CheckRule, Finding } from '../rule.ts';

export const pullquoteMisplaced: CheckRule = {
  code: 'pullquote-misplaced',
  severity: 'warning',
  summary: '`:pull[…]` in a heading or a table cell, where its words are kept but nothing is lifted.',
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
