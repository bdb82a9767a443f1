/** `imprint check`, manuscript half: each lint rule on a small manuscript, ignores, the report, the CLI. */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BUILD_CODES,
  CATALOGUE_CODES,
  type CodeEntry,
  EDITION_CODES,
  PREFLIGHT_CODES,
} from '../src/check/catalogue.ts';
import { createCheckReport, formatCheckReport } from '../src/check/check-report.ts';
import { lintManuscript } from '../src/check/lint.ts';
import { RULES } from '../src/check/rules/index.ts';
import type { Diagnostic } from '../src/diagnostics/diagnostic.ts';
import { tempManuscript } from './support/temp-manuscript.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function manuscript(files: Record<string, string>): string {
  const dir = tempManuscript({ 'book.yaml': 'title: Test Book\n', ...files });
  dirs.push(dir);
  return dir;
}

/** The lint findings of a one-chapter book as [code, line, column], the chapter being `01-a.md`. */
function lint(
  chapter: string,
  files: Record<string, string> = {},
): [string, number | undefined, number | undefined][] {
  return lintManuscript(manuscript({ '01-a.md': chapter, ...files })).diagnostics.map((d) => [
    d.code,
    d.line,
    d.column,
  ]);
}

function only(code: string, found: ReturnType<typeof lint>) {
  return found.filter(([c]) => c === code);
}

describe('lint rules', () => {
  it('every rule has a unique code, a severity, a summary and a fix sentence', () => {
    const codes = RULES.map((rule) => rule.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const rule of RULES) {
      expect(rule.code).toMatch(/^[a-z]+(-[a-z0-9]+)*$/);
      expect(['error', 'warning', 'info']).toContain(rule.severity);
      expect(rule.summary.length).toBeGreaterThan(10);
      expect(rule.fix).toMatch(/^[A-Z].*\.$/);
    }
  });

  it('finds nothing but the fpo figure in the sample manuscript', () => {
    const { diagnostics } = lintManuscript(path.join(repoRoot, 'manuscript'));
    expect(diagnostics.map((d) => d.code)).toEqual(['figure-fpo']);
  });

  it('speaker-undeclared: a "Name:" opening in a chapter with speakers, or repeated elsewhere', () => {
    const withSpeakers =
      '---\ntitle: A\nspeakers:\n  RD: Russia Direct\n---\n\nRD: Question?\n\nCD: Answer.\n\nNote: fine.\n';
    expect(only('speaker-undeclared', lint(withSpeakers))).toEqual([['speaker-undeclared', 9, 1]]);
    const repeated =
      '# A\n\nQ: first?\n\nAn answer.\n\n**Q:** second?\n\nOnce: only once.\n\nTable: not a label\n';
    expect(only('speaker-undeclared', lint(repeated))).toEqual([['speaker-undeclared', 3, 1]]);
    expect(
      only(
        'speaker-undeclared',
        lint('# A\n\nWhat this means: nothing.\n\nWhat this means: still nothing.\n'),
      ),
    ).toEqual([]);
  });

  it('speaker-silent: a declared speaker who never opens a turn (the full name counts)', () => {
    const chapter =
      '---\ntitle: A\nspeakers:\n  RD: Russia Direct\n  AB: Andrey Bezrukov\n  XY: Nobody\n---\n\nRD: Hi?\n\nAndrey Bezrukov: Hello.\n';
    expect(only('speaker-silent', lint(chapter))).toEqual([['speaker-silent', 6, 3]]);
  });

  it('pullquote-not-in-text: a container quote not in the text; typography, case and cuts do not count', () => {
    const chapter = [
      '# A',
      '',
      'He said "it is not only a common concern" -- and then: it is an existential threat.',
      '',
      ':::pullquote',
      'It is not only a common concern … an existential threat',
      ':::',
      '',
      ':::pullquote{cite="Nobody"}',
      'Words that are nowhere',
      ':::',
      '',
      'And :pull[this stays in place].',
      '',
    ].join('\n');
    expect(only('pullquote-not-in-text', lint(chapter))).toEqual([['pullquote-not-in-text', 9, 1]]);
  });

  it('pullquote-empty and pullquote-misplaced', () => {
    const chapter =
      '# A\n\nText :pull[] here.\n\n## Heading :pull[lifted]\n\n| a |\n| - |\n| :pull[cell] |\n';
    const found = lint(chapter);
    expect(only('pullquote-empty', found)).toEqual([['pullquote-empty', 3, 6]]);
    expect(only('pullquote-misplaced', found)).toEqual([
      ['pullquote-misplaced', 5, 12],
      ['pullquote-misplaced', 9, 3],
    ]);
  });

  it('straight-quotes and double-hyphen: left in text after smart typography, not in code', () => {
    const chapter = [
      '# A',
      '',
      'Smart "quotes" and it\'s -- fine in Markdown, and `"code" -- too`.',
      '',
      '<p>Raw "quoted" text.</p>',
      '',
      '<p>A raw -- dash.</p>',
      '',
      '<pre>"verbatim" -- kept</pre>',
      '',
    ].join('\n');
    const found = lint(chapter);
    expect(only('straight-quotes', found)).toEqual([['straight-quotes', 5, 8]]);
    expect(only('double-hyphen', found)).toEqual([['double-hyphen', 7, 10]]);
  });

  it('image-alt on a raw <img> too, once per image', () => {
    const found = lint('# A\n\n<img src="images/a.png">\n\n![](images/b.png)\n', {
      'images/a.png': 'x',
      'images/b.png': 'x',
    });
    expect(only('image-alt', found)).toEqual([
      ['image-alt', 3, 1],
      ['image-alt', 5, 1],
    ]);
  });

  it('footnote-undefined and footnote-unused, with escaped brackets left alone', () => {
    const chapter =
      '# A\n\nA note[^1], a missing one[^gone] and \\[^escaped].\n\n[^1]: Here.\n\n[^spare]: Never used.\n';
    const found = lint(chapter);
    expect(only('footnote-undefined', found)).toEqual([['footnote-undefined', 3, 26]]);
    expect(only('footnote-unused', found)).toEqual([['footnote-unused', 7, 1]]);
  });

  it('heading-skip: counts from the chapter title', () => {
    const found = lint(
      '# A\n\n### Too deep\n\n## Fine\n\n### Fine\n\n##### Too deep again\n\n## Back up is fine\n',
    );
    expect(only('heading-skip', found)).toEqual([
      ['heading-skip', 3, 1],
      ['heading-skip', 9, 1],
    ]);
  });

  it("duplicate-title: at the later chapter's title", () => {
    const dir = manuscript({
      '01-a.md': '# Same\n\nText.\n',
      '02-b.md': '---\nkicker: K\ntitle: same\n---\n\nText.\n',
    });
    const found = lintManuscript(dir).diagnostics.filter((d) => d.code === 'duplicate-title');
    expect(found).toEqual([
      expect.objectContaining({ file: expect.stringMatching(/02-b\.md$/), line: 3, column: 1 }),
    ]);
  });

  it("link-unresolved: raw HTML links to chapters and links to other files; missing-chapter stays the pipeline's", () => {
    const chapter =
      '# A\n\n<a href="02-b.md">raw</a>, [file](notes.txt), [ok](02-b.md), [web](https://example.com), [gone](09-x.md).\n';
    const found = lint(chapter, { '02-b.md': '# B\n\nText.\n' });
    expect(only('link-unresolved', found)).toEqual([
      ['link-unresolved', 3, 10],
      ['link-unresolved', 3, 35],
    ]);
    expect(only('missing-chapter', found)).toEqual([['missing-chapter', 3, 90]]);
  });

  it('remote-url: raw media and srcset, and a theme stylesheet that loads from the web', () => {
    const dir = manuscript({
      'book.yaml': 'title: T\ntheme: web\n',
      '01-a.md':
        '# A\n\n<video src="https://example.com/v.mp4" poster="//example.com/p.jpg"></video>\n\n<p>text</p>\n',
      'templates/web/screen.css':
        'body { color: black; }\n@import "https://fonts.example.com/a.css";\nh1 { background: url( "http://example.com/x.png" ); }\n',
    });
    const found = lintManuscript(dir).diagnostics.filter((d) => d.code === 'remote-url');
    expect(found.map((d) => [path.basename(d.file ?? ''), d.line, d.column])).toEqual([
      ['01-a.md', 3, 1],
      ['screen.css', 2, 1],
      ['screen.css', 3, 18],
    ]);
  });

  it('check.ignore silences warnings by code but never errors; an unknown code is reported', () => {
    const dir = manuscript({
      'book.yaml':
        'title: T\ncheck:\n  ignore: [heading-skip, footnote-undefined, figure-fpo, headng-skip]\n',
      '01-a.md': '# A\n\n### Deep[^x]\n\n::figure[Soon]{fpo alt="A photo"}\n',
    });
    const result = lintManuscript(dir);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['footnote-undefined', 'unknown-check']);
    expect(result.diagnostics[1]).toMatchObject({
      line: 3,
      column: 58,
      hint: 'Did you mean "heading-skip"?',
    });
    expect(result.ignored).toBe(1);
  });

  it("returns the loader's diagnostics when the book cannot be read", () => {
    const dir = manuscript({ 'book.yaml': 'title: [unclosed\n', '01-a.md': '# A\n' });
    const result = lintManuscript(dir);
    expect(result.book).toBeUndefined();
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'yaml-syntax' })]);
  });
});

describe('README.md diagnostics tables', () => {
  const docs = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const row = (entry: CodeEntry) =>
    `| \`${entry.code}\` | ${entry.severity} | ${entry.summary} | ${entry.fix} |`;
  const tables = {
    manuscript: RULES.map(row),
    build: BUILD_CODES.filter((entry) => !RULES.some((rule) => rule.code === entry.code)).map(row),
    editions: EDITION_CODES.map(row),
    preflight: PREFLIGHT_CODES.map(row),
  };

  it.each(Object.entries(tables))('lists every %s code with its severity, summary and fix', (name, rows) => {
    const header = '| Code | Severity | What it finds | How to fix it |\n| --- | --- | --- | --- |';
    const table = `<!-- ${name} codes -->\n${header}\n${rows.join('\n')}\n<!-- end -->`;
    if (process.env.UPDATE_FIXTURES) {
      const current = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
      writeFileSync(
        path.join(repoRoot, 'README.md'),
        current.replace(new RegExp(`<!-- ${name} codes -->[\\s\\S]*?<!-- end -->`), table),
      );
      return;
    }
    expect(docs).toContain(table);
  });

  it('covers every code the source reports', () => {
    const reported = new Set<string>();
    const sources = readdirSync(path.join(repoRoot, 'src'), { recursive: true, encoding: 'utf8' });
    for (const file of sources.filter((name) => name.endsWith('.ts'))) {
      const text = readFileSync(path.join(repoRoot, 'src', file), 'utf8');
      for (const match of text.matchAll(/code: '([a-z-]+)'/g)) reported.add(match[1]);
      for (const match of text.matchAll(/add\(\s*'(preflight-[a-z-]+)'/g)) reported.add(match[1]);
      for (const match of text.matchAll(
        /report\(\s*[\w.]+,\s*[^,]+,\s*'(?:error|warning|info)',\s*'([a-z-]+)'/g,
      )) {
        reported.add(match[1]);
      }
    }
    expect(reported.size).toBeGreaterThan(30);
    const documented = new Set([...CATALOGUE_CODES, ...RULES.map((rule) => rule.code)]);
    expect([...reported].filter((code) => !documented.has(code))).toEqual([]);
  });
});

describe('the report', () => {
  const diagnostic = (severity: Diagnostic['severity']): Diagnostic => ({
    code: 'heading-skip',
    severity,
    message: 'A level-3 heading follows a level-1 heading; level 2 is skipped.',
    hint: 'Use the next level down.',
    file: 'manuscript/01-a.md',
    line: 3,
    column: 1,
  });

  it('prints diagnostics (errors last), the editions and a verdict', () => {
    const report = createCheckReport(
      'manuscript',
      [diagnostic('error'), diagnostic('warning')],
      [
        {
          name: 'html',
          status: 'checked',
          files: ['book/index.html'],
          tools: [{ tool: 'html', status: 'passed', summary: 'well-formed' }],
        },
        {
          name: 'pdf',
          status: 'unavailable',
          files: [],
          tools: [],
          note: 'not available in this version of Imprint',
        },
      ],
      2,
    );
    expect(report).toMatchObject({ ok: false, counts: { error: 1, warning: 1, info: 0 } });
    expect(formatCheckReport(report)).toBe(
      [
        'manuscript/01-a.md:3:1  warning: A level-3 heading follows a level-1 heading; level 2 is skipped. Use the next level down.  [heading-skip]',
        'manuscript/01-a.md:3:1  error: A level-3 heading follows a level-1 heading; level 2 is skipped. Use the next level down.  [heading-skip]',
        '',
        'Editions',
        '  html  checked      html: well-formed',
        '  pdf   unavailable  not available in this version of Imprint',
        '',
        'imprint check failed: 1 error, 1 warning, 0 notes (2 silenced by book.yaml)',
        '',
      ].join('\n'),
    );
  });
});

describe('imprint check (command line, manuscript only)', () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(repoRoot, 'bin/imprint.js'), 'check', ...args, '--no-editions'], {
      encoding: 'utf8',
      cwd: repoRoot,
    });

  it('exits 0 on the sample manuscript and prints a summary', () => {
    const result = run('manuscript');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('[figure-fpo]');
    expect(result.stdout).toMatch(/imprint check passed: 0 errors, 1 warning, 0 notes\n$/);
  });

  it('exits 1 on an error and prints JSON with --format json', () => {
    const dir = manuscript({ '01-a.md': '# A\n\nA note[^gone].\n' });
    const result = run(dir, '--format', 'json');
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({
      ok: false,
      counts: { error: 1, warning: 0, info: 0 },
      diagnostics: [{ code: 'footnote-undefined', severity: 'error', line: 3, column: 7 }],
      editions: [],
    });
    expect(report.diagnostics[0].hint).toMatch(/\.$/);
  });

  it('rejects an unknown --format', () => {
    const result = run('manuscript', '--format', 'xml');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/Allowed choices are text, json/);
  });
});
