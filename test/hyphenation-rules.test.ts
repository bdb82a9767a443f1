/**
 * The print edition's hyphenation rules Chromium has no CSS for: the last word of a paragraph and
 * compounds with a hard hyphen stay whole (fixture: test/fixtures/hyphenation-rules).
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
  it('keeps the last word of each paragraph and hard-hyphen compounds whole, not code or headings', () => {
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
});
