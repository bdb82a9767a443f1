/** Properties of the pipeline that golden files show less clearly than an assertion does. */
import { selectAll } from 'hast-util-select';
import { describe, expect, it } from 'vitest';
import { processMarkdown } from './support/process-markdown.ts';
import { tempManuscript } from './support/temp-manuscript.ts';

describe('chapter pipeline', () => {
  it('gives footnotes chapter-unique ids and links that all resolve', () => {
    const { tree } = processMarkdown('# T\n\nOne.[^a] Two.[^b] Three.[^a]\n\n[^a]: First.\n[^b]: Second.\n');
    const ids = new Set(selectAll('[id]', tree).map((node) => String(node.properties.id)));
    const hrefs = selectAll('a[href^="#"]', tree).map((node) => String(node.properties.href).slice(1));
    expect(hrefs.length).toBeGreaterThanOrEqual(6);
    for (const href of hrefs) expect(ids.has(href), href).toBe(true);
    for (const id of ids) expect(id).toMatch(/^test(--|$)/);
  });

  it('marks every pull-quote aria-hidden, in both forms', () => {
    const { tree } = processMarkdown(
      '# T\n\nSome :pull[lifted words] here.\n\n:::pullquote\nA block.\n:::\n',
    );
    const quotes = selectAll('[role="doc-pullquote"]', tree);
    expect(quotes).toHaveLength(2);
    for (const quote of quotes) expect(quote.properties.ariaHidden).toBe('true');
  });

  it('keeps a misspelt inline directive as text and says so', () => {
    const { html, diagnostics } = processMarkdown('# T\n\nSome :pul[words] here, and ratio 3:2 is fine.\n');
    expect(html).toContain(':pul[words]');
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'unknown-directive', line: 3, column: 6 })]);
  });

  it('lists sections for the table of contents, but not sidebar titles or the footnotes label', () => {
    const { file } = processMarkdown(
      '# T\n\n## Section\n\n:::aside{title="Box"}\nx\n:::\n\nA note.[^n]\n\n[^n]: Note.\n',
    );
    expect(file.data.headings?.map((h) => [h.depth, h.text])).toEqual([
      [1, 'T'],
      [2, 'Section'],
    ]);
  });

  it('ends a Q&A turn at a thematic break', () => {
    const { tree } = processMarkdown(
      '---\nspeakers:\n  Q: Asker\n  A: Answerer\n---\n\nQ: Question?\n\n***\n\nAfter the break.\n',
    );
    expect(selectAll('.turn p', tree).map((p) => p.children.length)).toHaveLength(1);
    expect(selectAll('[role="doc-qna"] hr', tree)).toHaveLength(0);
  });

  it('keeps two images with one file name in different folders apart', () => {
    const dir = tempManuscript({ 'x.png': 'a', 'images/x.png': 'b' });
    const { file, tree } = processMarkdown('# T\n\n![First](x.png)\n\n![Second](images/x.png)\n', { dir });
    expect(file.data.images?.map((image) => image.href)).toEqual(['x.png', 'images/x.png']);
    expect(selectAll('img', tree).map((img) => img.properties.src)).toEqual(['x.png', 'images/x.png']);
  });
});

describe('numeric table cells', () => {
  it('marks a cell that is one number, in any digits, and leaves prose with figures alone', () => {
    const cells = (row: string) => {
      const html = processMarkdown(`| a | b | c | d |\n| - | - | - | - |\n${row}\n`).html;
      return [...html.matchAll(/<td( class="numeric")?>/g)].map((match) => Boolean(match[1]));
    };
    expect(cells('| 1,250.5 | −3 | 12 % | $40 |')).toEqual([true, true, true, true]);
    expect(cells('| ١٢٣٫٥ | 1 234 | 3 apples | 2024–2025 |')).toEqual([true, true, false, false]);
    expect(cells('| v1.2 | n/a | — |   |')).toEqual([false, false, false, false]);
  });
});
