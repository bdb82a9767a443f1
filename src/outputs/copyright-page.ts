/**
 * The copyright page (the imprint page of a printed book) that the PDF and the EPUB both carry: title,
 * authors, rights, edition, publisher, date, identifier, credits and the colophon, in the book's language.
 */
import type { ElementContent } from 'hast';
import { displayIdentifier } from '../book/isbn.ts';
import { formatBookDate, formatList } from '../book/locale-text.ts';
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
      fonts: families.length ? formatList(families, lang) : 'the system fonts',
    },
    new Map([
      ['title', titleSlot],
      ['credits', creditLines],
    ]),
  );
}
