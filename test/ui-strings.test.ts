/** The words Imprint adds to a book follow the book's language. */
import { fromHtml } from 'hast-util-from-html';
import { select } from 'hast-util-select';
import { toString as hastToString } from 'hast-util-to-string';
import { describe, expect, it } from 'vitest';
import { createBookLoader } from '../src/book/load-book.ts';
import { renderHtmlDocument } from '../src/outputs/html.ts';
import { tempManuscript } from './support/temp-manuscript.ts';

function htmlFor(lang: string) {
  const dir = tempManuscript({
    'book.yaml': `title: "*Ein* Buch"\nlang: ${lang}\n`,
    '01-eins.md': '# Eins\n\nText.[^1]\n\n[^1]: Notiz.\n',
    '02-zwei.md': '# Zwei\n\nMehr.\n',
  });
  return fromHtml(renderHtmlDocument(createBookLoader()(dir)));
}

describe('interface words', () => {
  it('are German in a German book', () => {
    const tree = htmlFor('de-DE');
    expect(hastToString(select('.toc-heading', tree) ?? tree)).toBe('Inhalt');
    expect(hastToString(select('.footnotes h2', tree) ?? tree)).toBe('Anmerkungen');
    expect(select('[data-footnote-backref]', tree)?.properties.ariaLabel).toBe('Zurück zum Verweis 1');
  });

  it('fall back to English for a language without a table', () => {
    const tree = htmlFor('sw');
    expect(hastToString(select('.toc-heading', tree) ?? tree)).toBe('Contents');
    expect(hastToString(select('.footnotes h2', tree) ?? tree)).toBe('Notes');
  });

  it('give the document a plain-text title without Markdown', () => {
    expect(hastToString(select('title', htmlFor('de')) ?? { type: 'root', children: [] })).toBe('Ein Buch');
  });
});
