/**
 * rehype-hyphenate, the print edition's soft hyphens: run it over a fixture, compare with the expected HTML
 * (soft hyphens written as &shy; so a person can read the file).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fromHtml } from 'hast-util-from-html';
import { toHtml } from 'hast-util-to-html';
import { describe, expect, it } from 'vitest';
import { hyphenateTree, hyphenatorFor } from '../src/pipeline/plugins/rehype-hyphenate.ts';

const fixtures = path.join(import.meta.dirname, 'fixtures/hyphenate');
const read = (name: string) => readFileSync(path.join(fixtures, name), 'utf8');

function hyphenated(html: string, lang: string): string {
  const tree = fromHtml(html, { fragment: true });
  hyphenateTree(tree, { lang });
  return toHtml(tree).replaceAll('\u00AD', '&shy;');
}

describe('rehype-hyphenate', () => {
  it('hyphenates running text and leaves headings, labels, code, URLs and other languages alone', () => {
    expect(hyphenated(read('input.html'), 'en')).toBe(read('expected.html'));
  });

  it('finds patterns for a region or the bare language, and none for an unknown one', () => {
    expect(hyphenatorFor('en-GB')).toBeTypeOf('function');
    expect(hyphenatorFor('de-CH')).toBeTypeOf('function');
    expect(hyphenatorFor('xx')).toBeUndefined();
    const tree = fromHtml('<p>international</p>', { fragment: true });
    expect(hyphenateTree(tree, { lang: 'xx' })).toBe(false);
    expect(toHtml(tree)).toBe('<p>international</p>');
  });

  it('uses the patterns of the language it is given', () => {
    expect(hyphenated('<p>Zusammenarbeit</p>', 'de')).toBe('<p>Zu&shy;sam&shy;men&shy;ar&shy;beit</p>');
  });
});
