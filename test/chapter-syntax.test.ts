// The two shortcuts that keep a huge chapter cheap to read must not change what any chapter reads as:
// GFM tables and literal autolinks looked for only where the text can hold them (remark-chapter-syntax), and
// the HTML parser run only over a tree with raw HTML in it (rehype-raw-html).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfmAutolinkLiteral } from 'micromark-extension-gfm-autolink-literal';
import { gfmFootnote } from 'micromark-extension-gfm-footnote';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';
import { unified } from 'unified';
import { describe, expect, it } from 'vitest';
import { HOSTILE_INPUTS } from '../bench/hostile-inputs.ts';
import remarkChapterSyntax from '../src/pipeline/plugins/remark-chapter-syntax.ts';
import { generateBook } from './support/generate-book.ts';
import { processMarkdown } from './support/process-markdown.ts';

const fixtures = path.resolve('test/fixtures/pipeline');
const chapters: [string, string][] = [
  ...readdirSync(fixtures)
    .filter((name) => existsSync(path.join(fixtures, name, 'input.md')))
    .map((name): [string, string] => [name, readFileSync(path.join(fixtures, name, 'input.md'), 'utf8')]),
  ['one-column tables without a pipe', '# T\n\na\n:-\n\nb\n-:\n\n> c\n> :-:\n'],
  ['tables with pipes', 'a | b\n- | -\n1 | 2\n\n| x |\n| --- |\n| y |\n'],
  ['no table: a colon apart from the dashes', 'a\n: -\n\nTime: 10:30 -- "late".\n'],
  ['autolinks', 'Write to me@example.com, see www.example.com or HTTPS://example.org/a.\n'],
  ['autolinks from entities', 'a&#64;example.com and www&#46;example.com\n'],
  ['everything else GFM', '- [ ] task\n- [x] done\n\n~~gone~~ and a note.[^1]\n\n[^1]: Note.\n'],
  [
    'prose around a table whose body rows have no pipe',
    'Prose.\nMore prose.\n\n| a | b |\n| - | - |\nc\nd | e\n\nAfter.\n',
  ],
  ['a table that interrupts a paragraph', 'A line.\nhead | row\n--- | ---\nbody\n'],
  ['a table in a block quote and a list', '> a | b\n> - | -\n> c\n\n- x | y\n  - | -\n  z | w\n'],
  ['a table after front matter', '---\ntitle: T\n---\n\na | b\n-|-\nc | d\n'],
  ['a pipe only in code', 'Text.\n\n```sh\nls | wc -l\n```\n\nAnd `a | b` inline.\nNext line.\n'],
  ['a delimiter row on a lazy line', '> a | b\n- | -\n'],
  ['CR and CRLF line endings', 'a | b\r\n- | -\r\nc\r\rx | y\r:-|-:\rz\n\nP\r\n|q|\r\n'],
  ['a delimiter row that does not match its head', 'a | b | c\n- | -\n\nplain\n-|-\n'],
  ['the long line, smaller', HOSTILE_INPUTS.find((input) => input.name === 'long-line')?.chapter(0.01) ?? ''],
];

/** Every GFM construct looked for everywhere: what remark-gfm reads. */
function fullGfm(text: string): Root {
  return fromMarkdown(text, {
    extensions: [gfmAutolinkLiteral(), gfmFootnote(), gfmStrikethrough(), gfmTable(), gfmTaskListItem()],
    mdastExtensions: [gfmFromMarkdown()],
  });
}

describe('remark-chapter-syntax', () => {
  const parser = unified().use(remarkChapterSyntax);

  it.each(chapters)('reads %s as the full GFM syntax does', (_, text) => {
    expect(parser.parse(text)).toEqual(fullGfm(text));
  });

  it('reads every chapter of a generated book with tables, footnotes and figures as the full GFM syntax does', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'imprint-chapter-syntax-'));
    try {
      const book = generateBook(path.join(dir, 'manuscript'), {
        chapters: 3,
        sectionsPerChapter: 2,
        turnsPerSection: 4,
        withFootnotes: true,
        withTables: true,
        withFigures: true,
      });
      for (const file of book.chapterFiles) {
        const text = readFileSync(path.join(book.dir, file), 'utf8');
        const tree = parser.parse(text) as Root;
        expect(tree).toEqual(fullGfm(text));
        expect(tree.children.some((node) => node.type === 'table')).toBe(true);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('still finds a one-column table and a literal autolink', () => {
    const tree = parser.parse('a\n:-\n\nme@example.com\n') as Root;
    expect(tree.children.map((node) => node.type)).toEqual(['table', 'paragraph']);
    expect(JSON.stringify(tree.children[1])).toContain('"url":"mailto:me@example.com"');
  });
});

describe('rehype-raw-html', () => {
  it.each(chapters)('makes %s the same with or without raw HTML elsewhere in it', (_, text) => {
    // A comment is raw HTML that the sanitiser removes, so it makes the whole tree go through the parser; the
    // line breaks around it stay, hence line breaks between tags are compared as one.
    const lines = (html: string) => html.replace(/>\n+</g, '>\n<');
    const plain = processMarkdown(text).html;
    const parsed = processMarkdown(`${text}\n\n<!-- raw -->\n`).html;
    expect(lines(parsed)).toBe(lines(plain));
  });
});
