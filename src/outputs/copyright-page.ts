/**
 * The copyright page (the imprint page of a printed book) that the PDF and the EPUB both carry: title,
 * authors, rights, edition, publisher, date, identifier, credits and the colophon, in the book's language.
 */
import type { ElementContent } from 'hast';
import { formatBookDate } from '../book/book-date.ts';
import { displayIdentifier } from '../book/isbn.ts';
import type { Book } from '../book/types.ts';
import { joinNames } from '../book/ui-strings.ts';
import { component, inlineHast } from './assemble.ts';

export function copyrightPage(book: Book): ElementContent[] {
  const { title, subtitle, authors, rights, publisher, date, identifier, lang, edition, credits } = book.meta;
  const families = [...new Set(book.theme.fonts.map((font) => font.family))];
  const titleSlot = inlineHast(subtitle ? `${title}: ${subtitle}` : title, lang);
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
      authors: joinNames(authors, lang),
      rights: rights ?? '',
      edition: edition ?? '',
      publisher: publisher ?? '',
      date: date ? formatBookDate(date, lang) : '',
      // An ISBN (hyphenated: "ISBN 978-0-306-40615-7") or a DOI belongs on the copyright page; a machine-made
      // UUID means nothing to a reader.
      identifier: displayIdentifier(identifier),
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
