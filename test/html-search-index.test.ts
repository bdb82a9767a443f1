/** The web book's search documents and index: one document per section, repeated text left out, accents folded. */
import MiniSearch from 'minisearch';
import { describe, expect, it } from 'vitest';
import { createBookLoader } from '../src/book/load-book.ts';
import {
  chapterSearchText,
  foldTerm,
  searchDocuments,
  searchIndexBytesFrom,
  searchIndexScript,
  searchIndexScriptFrom,
} from '../src/outputs/html/search-index.ts';
import { tempManuscript } from './support/temp-manuscript.ts';

const book = createBookLoader()(
  tempManuscript({
    'book.yaml': 'title: Zwei Kapitel\nlang: de\n',
    '01-eins.md':
      '# Eins\n\nDer Anfang in Zürich.\n\n## Die Reise\n\nWir fuhren nach Genf. :pull[Ein Satz zum Wiederholen.][^1]\n\n[^1]: Eine Anmerkung über Käse.\n',
    '02-zwei.md': '# Zwei\n\nDas Ende am Meer.\n',
  }),
);
const documents = searchDocuments(
  book,
  (id) => `${id}.html`,
  (id) => (id === 'eins' ? 'Eins' : 'Zwei'),
);

describe('search documents', () => {
  it('are the sections of each chapter, with the page and anchor a hit leads to', () => {
    expect(documents.map(({ href, title, chapter }) => ({ href, title, chapter }))).toEqual([
      { href: 'eins.html', title: 'Eins', chapter: 'Eins' },
      { href: 'eins.html#eins--die-reise', title: 'Die Reise', chapter: 'Eins' },
      // The notes are a section of their own (their heading is hidden on screen but names them).
      { href: 'eins.html#eins--footnote-label', title: 'Anmerkungen', chapter: 'Eins' },
      { href: 'zwei.html', title: 'Zwei', chapter: 'Zwei' },
    ]);
    expect(documents[0].text).toContain('Der Anfang in Zürich.');
    expect(documents[0].text).not.toContain('Genf');
    expect(documents[3].text).toContain('Das Ende am Meer.');
  });

  it('leave out pull-quotes, which repeat the text, and footnote back-links', () => {
    // The words stay in the text once; the pull-quote that repeats them is not searched.
    expect(documents[1].text.match(/Ein Satz zum Wiederholen/g)).toHaveLength(1);
    expect(documents[2].text).toBe('Anmerkungen Eine Anmerkung über Käse.');
  });
});

describe('search index script', () => {
  it('assigns a global that MiniSearch indexes, and finds words without their accents', async () => {
    const script = searchIndexScript(documents);
    const match = /^window\.imprintSearch = (.*);\n$/s.exec(script);
    expect(match).toBeTruthy();
    const data = JSON.parse(match?.[1] ?? '{}');
    // As web-book.client.js does on the first search.
    const index = new MiniSearch({ ...data.options, processTerm: foldTerm });
    await index.addAllAsync(data.documents);
    expect(index.search('zurich').map((hit) => hit.href)).toEqual(['eins.html']);
    expect(index.search('kase').map((hit) => hit.href)).toEqual(['eins.html#eins--footnote-label']);
    expect(index.search('genf').map((hit) => hit.href)).toEqual(['eins.html#eins--die-reise']);
    expect(index.search('Meer')[0]).toMatchObject({ href: 'zwei.html', title: 'Zwei', chapter: 'Zwei' });
  });

  it('cannot close its own script element', () => {
    const script = searchIndexScript([
      { id: 0, href: 'a.html', title: '</script><b>', chapter: '', text: '' },
    ]);
    expect(script).not.toContain('</script>');
  });

  it('is the same put together from the parts kept as bytes as from the parts as text', () => {
    const parts = [
      chapterSearchText(documents.filter((document) => document.chapter === 'Eins')),
      chapterSearchText([
        { href: 'x.html', title: 'Ünïcode “quoted” </script>', chapter: '日本', text: 'Ж €' },
      ]),
      chapterSearchText(documents.filter((document) => document.chapter === 'Zwei')),
    ];
    expect(parts[0].split('\n').length).toBeGreaterThan(1);
    const text = searchIndexScriptFrom(parts);
    expect(searchIndexBytesFrom(parts.map((part) => Buffer.from(part))).equals(Buffer.from(text))).toBe(true);
    expect(searchIndexBytesFrom([]).toString()).toBe(searchIndexScriptFrom([]));
  });
});
