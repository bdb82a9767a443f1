/** book.yaml and front matter: every mistake a writer can make gets file:line:col and a sentence. */
import { describe, expect, it } from 'vitest';
import { chapterOrder, createBookLoader } from '../src/book/load-book.ts';
import { type Diagnostic, ImprintError } from '../src/diagnostics/diagnostic.ts';
import { tempManuscript } from './support/temp-manuscript.ts';

function diagnosticsOf(files: Record<string, string | Uint8Array>): Diagnostic[] {
  const dir = tempManuscript(files);
  try {
    return createBookLoader()(dir).diagnostics;
  } catch (error) {
    if (error instanceof ImprintError) return error.diagnostics;
    throw error;
  }
}

const chapter = '---\ntitle: One\n---\n\nText.\n';

describe('book.yaml', () => {
  it('needs only a title and fills in the rest', () => {
    const dir = tempManuscript({ 'book.yaml': 'title: Only a Title\n', '01-one.md': chapter });
    const book = createBookLoader()(dir);
    expect(book.meta.lang).toBe('en');
    expect(book.meta.identifier).toMatch(
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(book.meta.print.size).toBe('6in 9in');
    expect(book.slug).toBe('only-a-title');
    expect(book.diagnostics).toEqual([]);
  });

  it('derives the same identifier for the same book every time', () => {
    const files = { 'book.yaml': 'title: Stable\nauthor: A. Writer\n', '01-one.md': chapter };
    expect(createBookLoader()(tempManuscript(files)).meta.identifier).toBe(
      createBookLoader()(tempManuscript(files)).meta.identifier,
    );
  });

  it('reports malformed YAML with its line', () => {
    const [d] = diagnosticsOf({
      'book.yaml': 'title: A\nauthor: [unclosed\nlang: en\n',
      '01-one.md': chapter,
    });
    expect(d).toMatchObject({ code: 'yaml-syntax', severity: 'error' });
    expect(d.file).toMatch(/book\.yaml$/);
    expect(d.line).toBeGreaterThanOrEqual(2);
  });

  it('warns about unknown keys with a did-you-mean', () => {
    const [d] = diagnosticsOf({ 'book.yaml': 'title: A\npublsher: Someone\n', '01-one.md': chapter });
    expect(d).toMatchObject({ code: 'unknown-key', severity: 'warning', line: 2, column: 1 });
    expect(d.hint).toContain('"publisher"');
  });

  it('requires a title', () => {
    const [d] = diagnosticsOf({ 'book.yaml': 'author: Nobody\n', '01-one.md': chapter });
    expect(d).toMatchObject({ code: 'invalid-setting', severity: 'error' });
    expect(d.message).toContain('title');
  });

  it('reports a listed chapter that does not exist at its line in book.yaml', () => {
    const [d] = diagnosticsOf({
      'book.yaml': 'title: A\nchapters:\n  - 01-one.md\n  - 02-two.md\n',
      '01-one.md': chapter,
    });
    expect(d).toMatchObject({ code: 'missing-chapter', severity: 'error', line: 4, column: 5 });
  });

  it('reports an unknown theme with a suggestion', () => {
    const [d] = diagnosticsOf({ 'book.yaml': 'title: A\ntheme: defualt\n', '01-one.md': chapter });
    expect(d).toMatchObject({ code: 'unknown-theme', severity: 'error', line: 2 });
    expect(d.hint).toContain('"default"');
  });

  it('refuses a chapter that is not UTF-8, naming the line', () => {
    const latin1 = Buffer.concat([
      Buffer.from('---\ntitle: One\n---\n\nCaf'),
      Buffer.from([0xe9]),
      Buffer.from('\n'),
    ]);
    const [d] = diagnosticsOf({ 'book.yaml': 'title: A\n', '01-one.md': latin1 });
    expect(d).toMatchObject({ code: 'not-utf8', severity: 'error', line: 5 });
  });

  it('refuses a book without chapters', () => {
    const [d] = diagnosticsOf({ 'book.yaml': 'title: A\n' });
    expect(d).toMatchObject({ code: 'empty-book', severity: 'error' });
  });

  it('silences warnings listed under check.ignore', () => {
    const files = {
      'book.yaml': 'title: A\ncheck:\n  ignore: [empty-chapter]\n',
      '01-one.md': '---\ntitle: Empty\n---\n',
    };
    expect(diagnosticsOf(files).map((d) => d.code)).not.toContain('empty-chapter');
    expect(diagnosticsOf({ ...files, 'book.yaml': 'title: A\n' }).map((d) => d.code)).toContain(
      'empty-chapter',
    );
  });
});

describe('front matter', () => {
  it('reports malformed front matter at the line in the chapter file', () => {
    const [d] = diagnosticsOf({
      'book.yaml': 'title: A\n',
      '01-one.md': '---\ntitle: One\nspeakers: [oops\n---\n\nText.\n',
    });
    expect(d).toMatchObject({ code: 'yaml-syntax', severity: 'error' });
    expect(d.file).toMatch(/01-one\.md$/);
    expect(d.line).toBeGreaterThanOrEqual(3);
  });

  it('warns about an unknown front matter key at its line', () => {
    const [d] = diagnosticsOf({
      'book.yaml': 'title: A\n',
      '01-one.md': '---\ntitle: One\nkikcer: Interview\n---\n\nText.\n',
    });
    expect(d).toMatchObject({ code: 'unknown-key', line: 3, column: 1 });
    expect(d.hint).toContain('"kicker"');
  });

  it('takes the first level-1 heading as title when front matter has none', () => {
    const dir = tempManuscript({ 'book.yaml': 'title: A\n', '01-one.md': '# Heading Title\n\nText.\n' });
    const book = createBookLoader()(dir);
    expect(book.chapters[0].meta.title).toBe('Heading Title');
    expect(book.chapters[0].headings.filter((h) => h.depth === 1)).toHaveLength(1);
  });

  it('orders chapters by file name, numerically', () => {
    const dir = tempManuscript({
      'book.yaml': 'title: A\n',
      '10-ten.md': '# Ten\n',
      '2-two.md': '# Two\n',
      '1-one.md': '# One\n',
    });
    expect(createBookLoader()(dir).chapters.map((c) => c.id)).toEqual(['one', 'two', 'ten']);
  });

  it('orders any two names as a numeric collator does, also where it skips making one', () => {
    const collator = new Intl.Collator('en', { numeric: true });
    const parts = [
      ...['0', '00', '007', '1', '2', '9', '10', '010', '99', '100', '12345678901234567890'],
      // Digits of other scripts, alone and after ASCII ones (the collator reads the run as one number).
      ...['١٢', '1١', '1２', '１１', '11'],
      // Past the 254 digits the collator reads as one number.
      ...['1'.repeat(300), `${'1'.repeat(299)}2`, '2'.repeat(255)],
    ];
    const rests = ['', '-a.md', '-B.md', '_a.md', '.md', ' a.md', 'a.md', '-é.md', '-10.md', '-2.md'];
    // A fixed sample: every number with every rest, and names without a number in front.
    const names = [
      ...parts.flatMap((part) => rests.map((rest) => `${part}${rest}`)),
      'intro.md',
      'Intro.md',
      'épilogue.md',
      '-1.md',
      '',
    ];
    const sign = (value: number) => Math.sign(value);
    for (const a of names) {
      for (const b of names) {
        expect(sign(chapterOrder(a, b)), `${a} / ${b}`).toBe(sign(collator.compare(a, b)));
      }
    }
  });
});

describe('chapter cache', () => {
  it('re-processes only the chapter whose text changed', async () => {
    const { writeFileSync } = await import('node:fs');
    const dir = tempManuscript({ 'book.yaml': 'title: A\n', '01-one.md': '# One\n', '02-two.md': '# Two\n' });
    const load = createBookLoader();
    const first = load(dir);
    writeFileSync(`${dir}/02-two.md`, '# Two, edited\n');
    const second = load(dir);
    expect(second.chapters[0].tree).toBe(first.chapters[0].tree);
    expect(second.chapters[1].tree).not.toBe(first.chapters[1].tree);
    expect(second.chapters[1].meta.title).toBe('Two, edited');
  });
});
