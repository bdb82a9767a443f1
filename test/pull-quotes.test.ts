/** Pull-quotes in the EPUB and HTML editions: a few blocks after the words they repeat, never past a heading. */

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Element, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { selectAll } from 'hast-util-select';
import { toString as hastToString } from 'hast-util-to-string';
import { describe, expect, it } from 'vitest';
import { loadBook } from '../src/index.ts';
import { htmlDocuments } from '../src/outputs/html.ts';
import { PULL_QUOTE_DISTANCE, placePullQuotes } from '../src/outputs/layout/pull-quotes.ts';

const quote = (words: string) =>
  `<aside class="pullquote" role="doc-pullquote"><div class="pullquote-text"><p>${words}</p></div><p class="pullquote-cite">— Guest</p></aside>`;

/** Paragraphs and headings in order (their first six letters), each pull-quote as QUOTE. */
function blocksAround(tree: Root): string[] {
  return selectAll('p, h2, aside.pullquote', tree)
    .filter((node: Element) => !selectAll('aside.pullquote p', tree).includes(node))
    .map((node: Element) => (node.tagName === 'aside' ? 'QUOTE' : hastToString(node).slice(0, 6)));
}

describe('placePullQuotes', () => {
  it(`moves a lifted quote ${PULL_QUOTE_DISTANCE} blocks past its source`, () => {
    const tree = fromHtml(
      `<section><p>Alpha with the lifted words here.</p>${quote('the lifted words')}<p>Beta</p><p>Gamma</p><p>Delta</p><p>Epsilon</p></section>`,
      { fragment: true },
    );
    const placed = placePullQuotes(tree);
    expect(placed).toHaveLength(1);
    expect(blocksAround(tree)).toEqual(['Alpha ', 'Beta', 'Gamma', 'Delta', 'QUOTE', 'Epsilo']);
  });

  it('stops before a heading, and across turns', () => {
    const tree = fromHtml(
      `<section><div class="turn"><p>Source words said.</p>${quote('words said')}</div><div class="turn"><p>Next</p></div><h2>Section</h2><p>After</p></section>`,
      { fragment: true },
    );
    placePullQuotes(tree);
    expect(blocksAround(tree)).toEqual(['Source', 'Next', 'QUOTE', 'Sectio', 'After']);
  });

  it('never goes inside an aside', () => {
    const tree = fromHtml(
      `<section><p>Source words said.</p>${quote('words said')}<aside class="related"><p>Related</p></aside><p>Next</p></section>`,
      { fragment: true },
    );
    placePullQuotes(tree);
    expect(selectAll('aside.related aside', tree)).toEqual([]);
    // Past "Next" it would close the chapter; there is nothing before its source: where the author put it.
    expect(blocksAround(tree)).toEqual(['Source', 'QUOTE', 'Relate', 'Next']);
  });

  it('never closes a chapter: near the end it goes as many blocks back, before the question of an answer', () => {
    const turn = (who: string, words: string) => `<div class="turn turn-${who}"><p>${words}</p></div>`;
    const tree = fromHtml(
      `<section><h2>Talk</h2>${turn('interviewer', 'Q-one?')}${turn('guest', 'A-one.')}${turn('interviewer', 'Q-two?')}${turn('guest', 'A-two.')}${turn('interviewer', 'Q-three?')}<div class="turn turn-guest"><p>Source words said.</p>${quote('words said')}</div>${turn('interviewer', 'Q-four?')}${turn('guest', 'A-four.')}</section>`,
      { fragment: true },
    );
    expect(placePullQuotes(tree)).toHaveLength(1);
    expect(blocksAround(tree)).toEqual([
      'Talk',
      'Q-one?',
      'A-one.',
      'QUOTE',
      'Q-two?',
      'A-two.',
      'Q-thre',
      'Source',
      'Q-four',
      'A-four',
    ]);
  });

  it('goes on as far as leaves text after it when there is no room before its source', () => {
    const tree = fromHtml(
      `<section><p>Source words said.</p>${quote('words said')}<p>Beta</p><p>Gamma</p><p>Delta</p></section>`,
      { fragment: true },
    );
    placePullQuotes(tree);
    expect(blocksAround(tree)).toEqual(['Source', 'Beta', 'Gamma', 'QUOTE', 'Delta']);
  });

  it('leaves a block pull-quote that repeats nothing where the author put it', () => {
    const tree = fromHtml(`<section><p>One</p>${quote('nowhere else')}<p>Two</p><p>Three</p></section>`, {
      fragment: true,
    });
    expect(placePullQuotes(tree)).toEqual([]);
    expect(blocksAround(tree)).toEqual(['One', 'QUOTE', 'Two', 'Three']);
  });
});

describe('the web book', () => {
  it('places a lifted quote away from its source on the chapter page, as the one-page HTML does', async () => {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'imprint-pq-')), 'manuscript');
    mkdirSync(dir);
    writeFileSync(
      path.join(dir, 'book.yaml'),
      'title: Quotes\nauthor: A. Writer\nchapters: [one.md, two.md]\n',
    );
    const turns = ['Beta says more.', 'Gamma says more.', 'Delta says more.', 'Epsilon says more.'];
    writeFileSync(
      path.join(dir, 'one.md'),
      `---\ntitle: One\n---\n\nAlpha with :pull[the lifted words here]{cite="Guest"} in it.\n\n${turns.join('\n\n')}\n`,
    );
    writeFileSync(path.join(dir, 'two.md'), '---\ntitle: Two\n---\n\nThe second chapter.\n');
    const book = await loadBook(dir, { cache: false });
    const page = htmlDocuments(book).pages.find((document) => document.chapter?.id === book.chapters[0].id);
    if (!page) throw new Error('the web book has no chapter page');
    const tree = fromHtml(page.render());
    const blocks = blocksAround(tree);
    expect(blocks).toContain('QUOTE');
    expect(blocks.indexOf('QUOTE')).toBeGreaterThan(blocks.indexOf('Alpha ') + 1);
  });
});
