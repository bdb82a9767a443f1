/**
 * Smart typography turns "quotes" into “quotes” and -- into a dash in the Markdown text; what is left straight
 * (text in raw HTML, or a quote smartypants could not place) looks like a typewriter in a typeset book.
 */
import { locateSnippet } from '../chapter-source.ts';
import { proseTextNodes, wordAround } from '../prose-text.ts';
import type { CheckedBook, CheckRule, Finding } from '../rule.ts';

function typographyRule(options: {
  code: string;
  summary: string;
  fix: string;
  pattern: RegExp;
  describe: (found: string) => string;
}): CheckRule {
  return {
    code: options.code,
    severity: 'warning',
    summary: options.summary,
    fix: options.fix,
    check({ chapters }: CheckedBook) {
      const findings: Finding[] = [];
      for (const { chapter, file, text } of chapters) {
        for (const node of proseTextNodes(chapter.tree)) {
          const match = options.pattern.exec(node.value);
          if (!match) continue;
          const snippet = wordAround(node.value, match.index);
          findings.push({
            file,
            ...locateSnippet(text, node, snippet),
            message:
              snippet === match[0]
                ? `${options.describe(match[0])}.`
                : `${options.describe(match[0])} in \`${snippet.length > 40 ? `${snippet.slice(0, 39)}…` : snippet}\`.`,
          });
        }
      }
      return findings;
    },
  };
}

export const straightQuotes = typographyRule({
  code: 'straight-quotes',
  summary: 'A straight quote (" or \') in the text after smart typography.',
  fix: 'Type the curly quote (“ ” ‘ ’) or write the passage in Markdown instead of raw HTML.',
  pattern: /["']/,
  describe: (found) => `A straight ${found === '"' ? 'double' : 'single'} quote is left`,
});

export const doubleHyphen = typographyRule({
  code: 'double-hyphen',
  summary: 'Two hyphens (--) in the text after smart typography.',
  fix: 'Type the dash you mean (– or —) or write the passage in Markdown instead of raw HTML.',
  pattern: /--+/,
  describe: (found) => `"${found}" is left where a dash belongs`,
});
