/**
 * Control characters and Unicode noncharacters are invisible in an editor but break HTML and XML, so the
 * build replaces each with "�"; this says where they were, for the writer to delete them.
 */
import { UNSAFE_CHARACTERS } from '../../book/load-book.ts';
import { locationAt } from '../chapter-source.ts';
import type { CheckRule, Finding } from '../rule.ts';

export const controlCharacter: CheckRule = {
  code: 'control-character',
  severity: 'warning',
  summary:
    'An invisible control character or Unicode noncharacter in a chapter or book.yaml; it prints as "�".',
  fix: 'Delete it: retype the passage around it (such characters come with text pasted from other programs).',
  check({ book, chapters }) {
    const files = [
      { file: book.config.file, text: book.config.source },
      ...chapters.map(({ file, chapter }) => ({ file, text: chapter.source })),
    ];
    const findings: Finding[] = [];
    for (const { file, text } of files) {
      const reportedLines = new Set<number>();
      for (const match of text.matchAll(UNSAFE_CHARACTERS)) {
        const where = locationAt(text, match.index ?? 0);
        if (reportedLines.has(where.line)) continue;
        reportedLines.add(where.line);
        const codePoint = (match[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
        findings.push({
          file,
          ...where,
          message: `The invisible character U+${codePoint} is in the text; it is printed as "�".`,
        });
      }
    }
    return findings;
  },
};
