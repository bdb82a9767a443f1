/**
 * The print edition's hyphenation rules Chromium has no CSS for: compounds with a hard hyphen stay whole, and the
 * last word of a paragraph is marked for the page to keep whole where a line break splits it
 * (guard-last-words.ts; fixture: test/fixtures/hyphenation-rules).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Element } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { toHtml } from 'hast-util-to-html';
import { describe, expect, it } from 'vitest';
import { applyHyphenationRules } from '../src/outputs/pdf/hyphenation-rules.ts';

const fixtures = path.join(import.meta.dirname, 'fixtures/hyphenation-rules');

describe('hyphenation rules', () => {
  it('keeps hard-hyphen compounds whole and marks the last word of each paragraph, not code or headings', () => {
    const tree = fromHtml(readFileSync(path.join(fixtures, 'input.html'), 'utf8'), { fragment: true });
    const root: Element = {
      type: 'element',
      tagName: 'div',
      properties: {},
      children: tree.children as Element[],
    };
    applyHyphenationRules(root);
    expect(`${toHtml(tree)}\n`).toBe(readFileSync(path.join(fixtures, 'expected.html'), 'utf8'));
  });

  it('marks a last word with its soft hyphens, and wraps one too long to mark without them', () => {
    const marked = fromHtml('<p>An inter\u00ADrup\u00ADtion<sup>1</sup>.</p>', { fragment: true });
    const paragraph = marked.children[0] as Element;
    applyHyphenationRules(paragraph);
    expect(paragraph.properties).toEqual({
      dataLastWord: 'inter\u00ADrup\u00ADtion',
      dataLastWordAfter: '2',
    });
    // Counted as the page will hold it: the HTML parser makes CR LF one LF (a manuscript's line ends stay in the tree).
    const crlf: Element = {
      type: 'element',
      tagName: 'p',
      properties: {},
      children: [{ type: 'text', value: 'See the page\r\n12, 14.' }],
    };
    applyHyphenationRules(crlf);
    expect(crlf.properties).toEqual({ dataLastWord: 'page', dataLastWordAfter: '8' });
    const long = `${'ab\u00AD'.repeat(150)}ab`;
    const wrapped = fromHtml(`<p>A ${long}.</p>`, { fragment: true });
    applyHyphenationRules(wrapped.children[0] as Element);
    expect(toHtml(wrapped)).toBe(`<p>A <span style="hyphens: manual">${'ab'.repeat(151)}</span>.</p>`);
  });
});
