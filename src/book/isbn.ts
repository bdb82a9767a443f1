/**
 * ISBNs in book.yaml's `identifier`: recognising one ("978-…", "urn:isbn:…", an ISBN-10) and checking its
 * check digit, for the cover's EAN-13 barcode and the checks. Hand-written: the arithmetic is ten lines and
 * ISO 2108's; a library would add a dependency for less than it costs to read.
 */

export interface Isbn {
  /** The identifier as written. */
  text: string;
  /** The ISBN-13 digits (an ISBN-10 is converted with the 978 prefix), for the barcode. */
  isbn13: string;
  /** False when the written check digit is not the computed one. */
  valid: boolean;
  /** The check digit the other digits call for. */
  expectedCheckDigit: string;
}

/** The identifier as an ISBN, or undefined when it is not one (a UUID, a DOI, a URL …). */
export function parseIsbn(identifier: string): Isbn | undefined {
  const bare = identifier
    .trim()
    .replace(/^(urn:)?isbn:?\s*/i, '')
    .replace(/[\s-]/g, '');
  if (/^97[89]\d{10}$/.test(bare)) {
    const expected = isbn13CheckDigit(bare.slice(0, 12));
    return { text: identifier, isbn13: bare, valid: bare[12] === expected, expectedCheckDigit: expected };
  }
  if (/^\d{9}[\dXx]$/.test(bare) && /isbn/i.test(identifier)) {
    const expected = isbn10CheckDigit(bare.slice(0, 9));
    const body = `978${bare.slice(0, 9)}`;
    return {
      text: identifier,
      isbn13: body + isbn13CheckDigit(body),
      valid: bare[9].toUpperCase() === expected,
      expectedCheckDigit: expected,
    };
  }
  return undefined;
}

/** EAN-13: weights 1,3,1,3 … over the first twelve digits. */
function isbn13CheckDigit(first12: string): string {
  const sum = [...first12].reduce((total, digit, index) => total + Number(digit) * (index % 2 ? 3 : 1), 0);
  return String((10 - (sum % 10)) % 10);
}

/** ISBN-10: weights 10 … 2, modulo 11, X for ten. */
function isbn10CheckDigit(first9: string): string {
  const sum = [...first9].reduce((total, digit, index) => total + Number(digit) * (10 - index), 0);
  const check = (11 - (sum % 11)) % 11;
  return check === 10 ? 'X' : String(check);
}
