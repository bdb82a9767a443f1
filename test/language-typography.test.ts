/**
 * Quotes, apostrophes and dashes follow the book's language (CLDR's quotation marks), and the words
 * Imprint adds come in that language, with book.yaml and theme.yaml overrides.
 */
import type { Root } from 'mdast';
import { toString as mdastToString } from 'mdast-util-to-string';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { displayIdentifier, hyphenatedIsbn } from '../src/book/isbn.ts';
import { createBookLoader } from '../src/book/load-book.ts';
import { uiStrings } from '../src/book/ui-strings.ts';
import { renderHtmlDocument } from '../src/outputs/html.ts';
import remarkSmartTypography from '../src/pipeline/plugins/remark-smart-typography.ts';
import { tempManuscript } from './support/temp-manuscript.ts';

function smart(markdown: string, lang: string): string {
  const processor = unified().use(remarkParse).use(remarkSmartTypography, { lang });
  return mdastToString(processor.runSync(processor.parse(markdown)) as Root);
}

const SAMPLE = `"Er sagt 'nein'," sagte sie -- don't.`;
const NNBSP = '\u202f';

describe('quotes by language', () => {
  it.each([
    ['en', `“Er sagt ‘nein’,” sagte sie – don’t.`],
    ['de', `„Er sagt ‚nein‘,“ sagte sie – don’t.`],
    ['fr', `«${NNBSP}Er sagt «${NNBSP}nein${NNBSP}»,${NNBSP}» sagte sie – don’t.`],
    ['ru', `«Er sagt „nein“,» sagte sie — don’t.`],
    ['pl', `„Er sagt «nein»,” sagte sie – don’t.`],
    ['sv', `”Er sagt ’nein’,” sagte sie – don’t.`],
    ['es', `“Er sagt ‘nein’,” sagte sie – don’t.`],
    ['it', `«Er sagt “nein”,» sagte sie – don’t.`],
    ['ja', `「Er sagt 『nein』,」 sagte sie – don’t.`],
  ])('sets %s quotes', (lang, expected) => {
    expect(smart(SAMPLE, lang)).toBe(expected);
  });

  it('keeps apostrophes as apostrophes, not as the closing single quote of the language', () => {
    expect(smart(`Peter's Buch und die '90er.`, 'de')).toBe('Peter’s Buch und die ’90er.');
    expect(smart(`Er sagt 'nein' zu Peter's Plan.`, 'de')).toBe('Er sagt ‚nein‘ zu Peter’s Plan.');
    expect(smart(`L'homme dit "c'est ça" !`, 'fr')).toBe(`L’homme dit «${NNBSP}c’est ça${NNBSP}»${NNBSP}!`);
  });

  it('leaves private-use characters alone (its placeholders are noncharacters no manuscript holds)', () => {
    expect(smart('A \u{E000}\u{E001}\u{E002}\u{E003} "b"', 'de')).toBe(
      'A \u{E000}\u{E001}\u{E002}\u{E003} „b“',
    );
  });

  it('leaves quotes the author typed as they are', () => {
    expect(smart('Sie sagte „Ja“ und «Nein».', 'de')).toBe('Sie sagte „Ja“ und «Nein».');
  });

  it('spaces French punctuation with no-break spaces', () => {
    expect(smart('Pourquoi ? Voici : rien ; enfin !', 'fr')).toBe(
      `Pourquoi${NNBSP}? Voici\u00a0: rien${NNBSP}; enfin${NNBSP}!`,
    );
    expect(smart('Voir https://example.org', 'fr')).toBe('Voir https://example.org');
  });

  it('makes -- a dash of the language (тире in Russian) and keeps English en dashes', () => {
    expect(smart('Москва -- столица.', 'ru')).toBe('Москва — столица.');
    expect(smart('pages 3--5', 'en')).toBe('pages 3–5');
  });

  it('falls back to the language of a regional tag, then to English', () => {
    expect(smart('"Ja"', 'de-AT')).toBe('„Ja“');
    expect(smart('"Yes"', 'xx')).toBe('“Yes”');
  });
});

describe('interface words', () => {
  it.each([
    ['en', 'Contents', 'By Ann and Bob'],
    ['de', 'Inhalt', 'Von Ann und Bob'],
    ['fr', 'Table des matières', 'Par Ann et Bob'],
    ['ru', 'Содержание', 'Автор: Ann и Bob'],
    ['es', 'Índice', 'Por Ann y Bob'],
    ['it', 'Indice', 'Di Ann e Bob'],
    ['pl', 'Spis treści', 'Autor: Ann i Bob'],
    ['sv', 'Innehåll', 'Av Ann och Bob'],
    ['ja', '目次', 'Ann、Bob 著'],
  ])('are %s in a book in that language', (lang, contents, byline) => {
    const book = createBookLoader()(
      tempManuscript({
        'book.yaml': `title: T\nlang: ${lang}\n`,
        '01-a.md': '---\ntitle: A\nauthor: [Ann, Bob]\n---\nText.\n',
        '02-b.md': '# B\n\nMore.\n',
      }),
    );
    const html = renderHtmlDocument(book);
    expect(html).toContain(`>${contents}<`);
    expect(html).toContain(byline);
    expect(book.strings.contents).toBe(contents);
  });

  it('can be overridden by the theme and by book.yaml, per language or for all', () => {
    const strings = uiStrings(
      'de-AT',
      { contents: 'Übersicht', de: { notes: 'Fußnoten' } },
      { 'de-at': { contents: 'Inhaltsverzeichnis' } },
    );
    expect(strings).toMatchObject({ contents: 'Inhaltsverzeichnis', notes: 'Fußnoten', cover: 'Umschlag' });
    const book = createBookLoader()(
      tempManuscript({
        'book.yaml': 'title: T\nlang: en\nstrings:\n  contents: Table of Contents\n',
        '01-a.md': '# A\n',
      }),
    );
    expect(book.strings.contents).toBe('Table of Contents');
    expect(book.diagnostics.filter((d) => d.code === 'unknown-key')).toEqual([]);
  });
});

describe('ISBN', () => {
  it('is shown hyphenated by its registration group and publisher', () => {
    expect(hyphenatedIsbn('urn:isbn:9780306406157')).toBe('978-0-306-40615-7');
    expect(displayIdentifier('urn:isbn:9785000000007')).toBe('ISBN 978-5-00000-000-7');
    expect(displayIdentifier('0306406152')).toBe('ISBN 978-0-306-40615-7');
  });

  it('leaves other identifiers as written and hides machine-made UUIDs', () => {
    expect(displayIdentifier('urn:isbn:9785000000001')).toBe('urn:isbn:9785000000001');
    expect(displayIdentifier('doi:10.1000/182')).toBe('doi:10.1000/182');
    expect(displayIdentifier('urn:uuid:12345678-1234-5234-8234-123456789abc')).toBe('');
  });
});
