/** A code in `check: { ignore: […] }` that no check has silences nothing: a typo, usually. */
import { didYouMean } from '../../diagnostics/did-you-mean.ts';
import type { CheckRule, Finding } from '../rule.ts';

/** Edition checks pass on their tools' own ids: "epubcheck:RSC-005", "ace:heading-order". */
const TOOL_CODES = /^(?:epubcheck|ace):\S+$/;

export function unknownCheck(knownCodes: () => readonly string[]): CheckRule {
  return {
    code: 'unknown-check',
    severity: 'warning',
    summary: 'A code listed in `check: { ignore: [...] }` in book.yaml that no check has.',
    fix: 'Use a code from README.md (Diagnostics), or remove the entry.',
    check({ book, config }) {
      const known = knownCodes();
      const findings: Finding[] = [];
      book.meta.ignoredChecks.forEach((code, index) => {
        if (known.includes(code) || TOOL_CODES.test(code)) return;
        const suggestion = didYouMean(code, known);
        findings.push({
          file: config.file,
          ...config.locate(['check', 'ignore', index]),
          message: `book.yaml ignores "${code}", which is not a check code.`,
          hint: suggestion ? `Did you mean "${suggestion}"?` : undefined,
        });
      });
      return findings;
    },
  };
}
