/**
 * Book identifiers as readers see them: an ISBN (`urn:isbn:9785000000001`, `978-5-…`, a bare ISBN-10)
 * printed "ISBN 978-5-00-000000-1", hyphenated by its registration group and publisher ranges (isbn3,
 * which carries the International ISBN Agency's range table). Anything else is shown as written.
 */
import { createRequire } from 'node:module';

interface ParsedIsbn {
  isValid: boolean;
  isbn13h?: string;
}

const require = createRequire(import.meta.url);

/** The hyphenated ISBN-13, or undefined when the identifier is not a valid ISBN. */
export function hyphenatedIsbn(identifier: string): string | undefined {
  const digits = identifier.replace(/^urn:isbn:/i, '').replace(/^isbn[:\s]*/i, '');
  if (!/^[\d\s-]{10,17}[\dXx]?$/.test(digits)) return undefined;
  const isbn = require('isbn3') as { parse(value: string): ParsedIsbn | null };
  const parsed = isbn.parse(digits);
  return parsed?.isValid ? parsed.isbn13h : undefined;
}

/** What the copyright page prints for the book's identifier; nothing for a machine-made UUID. */
export function displayIdentifier(identifier: string): string {
  if (identifier.startsWith('urn:uuid:')) return '';
  const isbn = hyphenatedIsbn(identifier);
  return isbn ? `ISBN ${isbn}` : identifier;
}
