/** An ISBN in book.yaml whose check digit is wrong: a typo, or a placeholder such as 9780000000000. */
import { parseIsbn } from '../../book/isbn.ts';
import type { CheckRule } from '../rule.ts';

export const isbnCheckDigit: CheckRule = {
  code: 'isbn-check-digit',
  severity: 'warning',
  summary:
    'The ISBN in book.yaml (identifier) has a wrong check digit; the print cover gets no barcode (an error in `--preflight`).',
  fix: 'Copy the ISBN exactly as your ISBN agency issued it.',
  check({ book, config }) {
    const isbn = parseIsbn(book.meta.identifier);
    if (!isbn || isbn.valid) return [];
    return [
      {
        file: config.file,
        ...config.locate(['identifier']),
        message: `The ISBN ${isbn.text} has a wrong check digit: it should end in ${isbn.expectedCheckDigit}.`,
      },
    ];
  },
};
