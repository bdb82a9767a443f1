/**
 * Bad input: one clear line per problem, a failed build, nothing lost. Each case runs the build in-process
 * through the API (the same buildEditions the CLI runs); one case and the argument check go through the CLI
 * itself, for its exit code, its message and the absence of a stack trace.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../src/diagnostics/diagnostic.ts';
import { build as buildInProcess } from '../src/index.ts';
import { tempManuscript } from './support/temp-manuscript.ts';

function build(dir: string, out: string, ...extra: string[]) {
  const result = spawnSync(
    'node',
    ['bin/imprint.js', 'build', dir, '--out', out, '--format', 'html', ...extra],
    {
      encoding: 'utf8',
    },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const good = { 'book.yaml': 'title: Test Book\n', '01-one.md': '---\ntitle: One\n---\n\nGood text.\n' };
const LINE = /^(\S+):(\d+):(\d+) {2}(error|warning): .+ {2}\[[a-z0-9-]+\]$/;

async function buildApi(dir: string, out: string) {
  const result = await buildInProcess({ manuscript: dir, out, formats: ['html'], cache: false });
  return { ok: result.ok, lines: result.diagnostics.map(formatDiagnostic).join('\n') };
}

function expectDiagnosticLine(text: string, code: string, file: RegExp, line?: number) {
  const lines = text.trim().split('\n');
  const match = lines.map((l) => LINE.exec(l)).find((m) => m && l(m).includes(`[${code}]`));
  expect(match, text).toBeTruthy();
  expect(match?.[1]).toMatch(file);
  if (line !== undefined) expect(Number(match?.[2])).toBe(line);
}

function expectCleanFailure(stderr: string, code: string, file: RegExp, line?: number) {
  const lines = stderr.trim().split('\n');
  const match = lines.map((l) => LINE.exec(l)).find((m) => m && l(m).includes(`[${code}]`));
  expect(match, stderr).toBeTruthy();
  expect(match?.[1]).toMatch(file);
  if (line !== undefined) expect(Number(match?.[2])).toBe(line);
  expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
  expect(stderr).toContain('Nothing in the output folder was changed');
}
const l = (m: RegExpExecArray) => m[0];

describe('imprint build with bad input', () => {
  const cases: [string, Record<string, string>, string, RegExp, number?][] = [
    ['malformed book.yaml', { 'book.yaml': 'title: A\nauthor: [unclosed\n' }, 'yaml-syntax', /book\.yaml$/],
    [
      'malformed front matter',
      { '01-one.md': '---\ntitle: "unclosed\n---\n\nText.\n' },
      'yaml-syntax',
      /01-one\.md$/,
    ],
    [
      'a missing chapter',
      { 'book.yaml': 'title: A\nchapters: [01-one.md, 02-gone.md]\n' },
      'missing-chapter',
      /book\.yaml$/,
      2,
    ],
    [
      'an unknown directive',
      { '01-one.md': '# One\n\nText.\n\n::pullqoute[x]\n' },
      'unknown-directive',
      /01-one\.md$/,
      5,
    ],
    [
      'a missing image',
      { '01-one.md': '# One\n\n![A photo](photos/none.jpg)\n' },
      'missing-image',
      /01-one\.md$/,
      3,
    ],
    ['an unknown theme', { 'book.yaml': 'title: A\ntheme: nonesuch\n' }, 'unknown-theme', /book\.yaml$/, 2],
    [
      'a remote image',
      { '01-one.md': '# One\n\n![A photo](https://example.com/a.jpg)\n' },
      'remote-url',
      /01-one\.md$/,
      3,
    ],
    [
      'an image outside the manuscript',
      { '01-one.md': '# One\n\n![A photo](../elsewhere.png)\n' },
      'image-outside',
      /01-one\.md$/,
      3,
    ],
    [
      'a chapter outside the manuscript',
      { 'book.yaml': 'title: A\nchapters: [01-one.md, ../x.md]\n' },
      'chapter-outside',
      /book\.yaml$/,
      2,
    ],
    [
      'remote media in raw HTML',
      { '01-one.md': '# One\n\n<video src="https://example.com/v.mp4"></video>\n' },
      'remote-url',
      /01-one\.md$/,
      3,
    ],
    [
      'a raw <img> without src',
      { '01-one.md': '# One\n\n<img alt="nothing">\n' },
      'missing-image',
      /01-one\.md$/,
      3,
    ],
  ];
  for (const [name, files, code, file, line] of cases) {
    it(`stops on ${name} and keeps the previous edition`, async () => {
      const out = mkdtempSync(path.join(os.tmpdir(), 'imprint-out-'));
      const dir = tempManuscript(good);
      expect((await buildApi(dir, out)).ok).toBe(true);
      const index = path.join(out, 'test-book', 'index.html');
      const before = readFileSync(index, 'utf8');
      for (const [relative, content] of Object.entries(files))
        writeFileSync(path.join(dir, relative), content);
      const result = await buildApi(dir, out);
      expect(result.ok).toBe(false);
      expectDiagnosticLine(result.lines, code, file, line);
      expect(readFileSync(index, 'utf8')).toBe(before);
    });
  }

  it('through the CLI: exits 1 with the diagnostic line, no stack trace, and the previous edition kept', () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'imprint-out-'));
    const dir = tempManuscript(good);
    expect(build(dir, out).code).toBe(0);
    const index = path.join(out, 'test-book', 'index.html');
    const before = readFileSync(index, 'utf8');
    writeFileSync(path.join(dir, 'book.yaml'), 'title: A\ntheme: nonesuch\n');
    const result = build(dir, out);
    expect(result.code).toBe(1);
    expectCleanFailure(result.stderr, 'unknown-theme', /book\.yaml$/, 2);
    expect(readFileSync(index, 'utf8')).toBe(before);
  });

  it('through the CLI: a finished build prints every line before it exits 0', () => {
    // The command ends the process itself once an HTML or EPUB build returns (src/cli/main.ts): nothing it
    // printed may be lost to that, into a pipe as here.
    const out = mkdtempSync(path.join(os.tmpdir(), 'imprint-out-'));
    const dir = tempManuscript({
      ...good,
      '02-two.md': '---\ntitle: Two\n---\n\nMore text.\n',
      '03-three.md': '---\ntitle: Three\n---\n\nThe end.\n',
    });
    const result = build(dir, out, '--format', 'html,epub');
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines.filter((line) => line.startsWith('wrote ')).map((line) => line.split(' ')[1])).toEqual([
      path.relative(process.cwd(), path.join(out, 'test-book', 'index.html')),
      path.relative(process.cwd(), path.join(out, 'test-book.epub')),
    ]);
    expect(lines.at(-1)).toMatch(/^built 3 chapter\(s\) in \d+\.\d s$/);
    expect(readFileSync(path.join(out, 'test-book.epub')).subarray(0, 2).toString('latin1')).toBe('PK');
  });

  it('sanitises raw HTML with a warning and goes on', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'imprint-out-'));
    const dir = tempManuscript({
      ...good,
      '01-one.md': '# One\n\n<script>alert(1)</script>\n\n<p onclick="x()">Kept text.</p>\n',
    });
    const result = await buildApi(dir, out);
    expect(result.ok).toBe(true);
    expect(result.lines).toMatch(/01-one\.md:3:1 {2}warning: Raw <script> is removed.+\[unsafe-html\]/);
    expect(result.lines).toMatch(/01-one\.md:5:1 {2}warning: .+onclick.+\[unsafe-html\]/);
    const html = readFileSync(path.join(out, 'test-book', 'index.html'), 'utf8');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('onclick');
    expect(html).toContain('Kept text.');
  });

  it('rejects an unknown format before doing anything', () => {
    const result = build(
      tempManuscript(good),
      mkdtempSync(path.join(os.tmpdir(), 'imprint-out-')),
      '--format',
      'docx',
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('unknown format docx');
  });
});
