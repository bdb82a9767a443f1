/**
 * Headings are the outline of the book (the TOC, PDF bookmarks, screen-reader navigation): a level skipped,
 * "##" followed by "####", leaves a hole in it. The chapter title is level 1.
 */
import type { Heading } from 'mdast';
import { visit } from 'unist-util-visit';
import type { CheckRule, Finding } from '../rule.ts';

export const headingSkip: CheckRule = {
  code: 'heading-skip',
  severity: 'warning',
  summary: 'A heading more than one level below the one before it (the chapter title is level 1).',
  fix: 'Use the next level down (## after the title, ### after ##), or restyle the heading in the theme.',
  check({ chapters }) {
    const findings: Finding[] = [];
    for (const { file, mdast } of chapters) {
      let previous = 1;
      visit(mdast, 'heading', (node: Heading) => {
        if (node.depth > previous + 1) {
          findings.push({
            file,
            line: node.position?.start.line,
            column: node.position?.start.column,
            message: `A level-${node.depth} heading follows a level-${previous} heading; level ${previous + 1} is skipped.`,
          });
        }
        previous = node.depth;
      });
    }
    return findings;
  },
};
