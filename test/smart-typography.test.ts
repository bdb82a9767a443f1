/**
 * Smart typography on the mdast text (src/pipeline/plugins/remark-smart-typography.ts): golden fixtures,
 * test/fixtures/smart-typography/<lang>/input.md → expected.txt (the text of each block, code as written,
 * one line each), for every language the book's quotes are tested in. After a deliberate change,
 * regenerate with UPDATE_FIXTURES=1 and review the diff.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Html, Nodes, PhrasingContent, Root } from 'mdast';
import { toString as mdastToString } from 'mdast-util-to-string';
import remarkDirective from 'remark-directive';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import remarkChapterSyntax from '../src/pipeline/plugins/remark-chapter-syntax.ts';
import remarkSmartTypography from '../src/pipeline/plugins/remark-smart-typography.ts';
import { BREAK, CODE, punctuationRules, smartenRun } from '../src/pipeline/smart-punctuation.ts';

const root = path.resolve('test/fixtures/smart-typography');
const update = process.env.UPDATE_FIXTURES === '1';

function smarten(markdown: string, lang: string): Root {
  const processor = unified()
    .use(remarkChapterSyntax)
    .use(remarkDirective)
    .use(remarkSmartTypography, { lang });
  return processor.runSync(processor.parse(markdown)) as Root;
}

/** Each block's text on a line of its own; code and raw HTML as they are, marked. */
function blocks(tree: Root): string {
  const lines: string[] = [];
  const walk = (node: Nodes) => {
    if (['paragraph', 'heading', 'tableCell', 'leafDirective'].includes(node.type)) {
      const html =
        'children' in node
          ? (node.children as Nodes[]).filter((child): child is Html => child.type === 'html')
          : [];
      lines.push(mdastToString(node) + html.map((child) => ` [html: ${child.value}]`).join(''));
    } else if (node.type === 'code') lines.push(`[code: ${node.value}]`);
    else if ('children' in node) for (const child of node.children) walk(child);
  };
  walk(tree);
  return lines.join('\n');
}

describe('smart typography fixtures', () => {
  for (const lang of readdirSync(root)) {
    it(lang, () => {
      const dir = path.join(root, lang);
      const actual = blocks(smarten(readFileSync(path.join(dir, 'input.md'), 'utf8'), lang));
      if (update) writeFileSync(path.join(dir, 'expected.txt'), `${actual}\n`);
      expect(actual).toBe(readFileSync(path.join(dir, 'expected.txt'), 'utf8').replace(/\n$/, ''));
    });
  }
});

describe('smart punctuation over a run', () => {
  const en = punctuationRules('en');

  it('pairs quotes across the inline nodes a run is cut into, and leaves inline code alone', () => {
    expect(smartenRun(['He said "', 'it', '" and ', CODE, '\'s "', CODE, '"'], en)).toEqual([
      'He said “',
      'it',
      '” and ',
      '',
      '’s “',
      '',
      '”',
    ]);
  });

  it('reads a line break as a space', () => {
    expect(smartenRun(['Yes', BREAK, '"No"'], en)).toEqual(['Yes', '', '“No”']);
  });

  it('stays linear and correct on one huge paragraph of quotes, emphasis and dashes', () => {
    // Built as a tree: micromark's own cost on such a paragraph is not this plugin's.
    const pieces = 100_000;
    const children: PhrasingContent[] = [];
    for (let i = 0; i < pieces; i++) {
      children.push({ type: 'text', value: `${i ? ' ' : ''}"a ` });
      children.push({ type: 'emphasis', children: [{ type: 'text', value: "'b'" }] });
      children.push({ type: 'text', value: `"--c${i % 10}...` });
    }
    const tree: Root = { type: 'root', children: [{ type: 'paragraph', children }] };
    remarkSmartTypography({ lang: 'de' })(tree);
    const text = mdastToString(tree);
    expect(text.length).toBe(pieces * 12 - 1);
    expect(text.startsWith('„a ‚b‘“–c0… „a ‚b‘“–c1…')).toBe(true);
    expect(text).not.toMatch(/["'-]|\.\.\./);
  });
});
