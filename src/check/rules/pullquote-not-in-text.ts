/**
 * A pull-quote repeats words of the text. One whose words are not in the chapter quotes something the reader
 * never reads: a misquote, or text edited after the pull-quote was made.
 */
import type { Nodes } from 'mdast';
import type { ContainerDirective, TextDirective } from 'mdast-util-directive';
import { toString as mdastToString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import { normalizeText, quotedParts, runningText } from '../pullquote-text.ts';
import type { CheckRule, Finding } from '../rule.ts';

export const pullquoteNotInText: CheckRule = {
  code: 'pullquote-not-in-text',
  severity: 'warning',
  summary: 'A pull-quote (`:::pullquote` or `:pull[…]`) whose words do not occur in the chapter.',
  fix: 'Make the pull-quote repeat the text word for word (cut with …), or mark the words in place with :pull[…].',
  check({ chapters }) {
    const findings: Finding[] = [];
    for (const { file, mdast } of chapters) {
      const text = runningText(mdast);
      visit(mdast, (node) => {
        const quote = pullQuote(node as Nodes);
        if (!quote) return;
        const words = mdastToString(quote);
        const missing = quotedParts(words).find((part) => !text.includes(part));
        if (missing === undefined) return;
        const shown =
          normalizeText(words).length > 60 ? `${normalizeText(words).slice(0, 57)}…` : normalizeText(words);
        findings.push({
          file,
          line: quote.position?.start.line,
          column: quote.position?.start.column,
          message: `The pull-quote "${shown}" is not in the chapter's text${missing === normalizeText(words) ? '' : ` (from "${missing}")`}.`,
        });
      });
    }
    return findings;
  },
};

export function pullQuote(node: Nodes): ContainerDirective | TextDirective | undefined {
  if (node.type === 'containerDirective' && node.name === 'pullquote') return node;
  if (node.type === 'textDirective' && node.name === 'pull') return node;
  return undefined;
}
