/**
 * The copyright page (the imprint page of a printed book) that the PDF and the EPUB both carry: title,
 * authors, rights, edition, publisher, date, identifier, credits and the colophon, in the book's language.
 */
import type { ElementContent } from 'hast';
import type { Book } from '../book/types.ts';
import { component, inlineHast } from './assemble.ts';

export function copyrightPage(book: Book): ElementContent[] {
  const { title, subtitle, authors, rights, publisher, date, identifier, lang, edition, credits } = book.meta;
  const families = [...new Set(book.theme.fonts.map((font) => font.family))];
  const titleSlot = inlineHast(subtitle ? `${title}: ${subtitle}` : title);
  const creditLines: ElementContent[] = credits.map((credit) => ({
    type: 'element',
    tagName: 'p',
    properties: { className: ['copyright-credit'] },
    children: [{ type: 'text', value: credit }],
  }));
  return component(
    book,
    'copyright-page',
    {
      authors: authors.join(', '),
      rights: rights ?? '',
      edition: edition ?? '',
      publisher: publisher ?? '',
      date: date ? formatDate(date, lang) : '',
      // An ISBN or DOI belongs on the copyright page; a machine-made UUID means nothing to a reader.
      identifier: identifier.startsWith('urn:uuid:') ? '' : identifier,
      credits: credits.length > 0,
      publishedBy: book.strings.publishedBy,
      label: book.strings.copyright,
      setIn: book.strings.setIn,
      madeWith: book.strings.madeWith,
      fonts: families.length ? listFormat(families, lang) : 'the system fonts',
    },
    new Map([
      ['title', titleSlot],
      ['credits', creditLines],
    ]),
  );
}

/** "A, B and C" in the book's language. */
function listFormat(items: string[], lang: string): string {
  try {
    return new Intl.ListFormat(lang, { type: 'conjunction' }).format(items);
  } catch {
    return items.join(', ');
  }
}

/** "2016-04-01" in the book's language ("April 1, 2016"); a year or anything else as written. */
export function formatDate(date: string, lang: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return date;
  try {
    return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(
      new Date(`${date}T00:00:00Z`),
    );
  } catch {
    return date;
  }
}
