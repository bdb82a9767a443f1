// Manuscripts built as an attacker or a careless user would: files that lead out of the folder, damaged
// and active images, YAML bombs, nesting thousands deep, inputs that used to hang. Each is one coded
// diagnostic with its place, a non-zero result, valid JSON from `check --format json`, no stack trace, and
// nothing from outside the manuscript in any output.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Element, ElementContent } from 'hast';
import { selectAll } from 'hast-util-select';
import { toHtml } from 'hast-util-to-html';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { HOSTILE_INPUTS, writeHostileManuscript } from '../bench/hostile-inputs.ts';
import { createBookLoader } from '../src/book/load-book.ts';
import { sanitizeSvg } from '../src/book/sanitize-svg.ts';
import { runCheck } from '../src/cli/check.runner.ts';
import type { Diagnostic } from '../src/diagnostics/diagnostic.ts';
import { applyHyphenationRules } from '../src/outputs/pdf/hyphenation-rules.ts';
import { limitText } from '../src/pipeline/input-limits.ts';
import { hyphenateTree } from '../src/pipeline/plugins/rehype-hyphenate.ts';
import { fontFaceNeedles, locateInTheme, urlNeedles } from '../src/templates/theme-location.ts';
import { solidPng } from './support/epub-sample-book.ts';
import { tempManuscript } from './support/temp-manuscript.ts';

/** Stands in for any file outside the manuscript: its text must never appear in anything Imprint writes. */
const SECRET = 'OUTSIDE-THE-MANUSCRIPT root:x:0:0';
const outside = mkdtempSync(path.join(os.tmpdir(), 'imprint-outside-'));
writeFileSync(path.join(outside, 'passwd'), `${SECRET}\n`);
writeFileSync(path.join(outside, 'secret.png'), solidPng(4, 4, [1, 2, 3]));
writeFileSync(path.join(outside, 'chapter.md'), `# Secret\n\n${SECRET}\n`);
const made: string[] = [outside];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function manuscript(files: Record<string, string | Uint8Array>): string {
  const dir = tempManuscript(files);
  made.push(dir);
  return dir;
}

/** `imprint check --format json --no-editions`, in this process: exit code and the parsed report. */
async function check(dir: string): Promise<{ code: number; diagnostics: Diagnostic[]; printed: string }> {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    const code = await runCheck({ manuscriptDir: dir, format: 'json', editions: false });
    const printed = chunks.join('');
    return { code, diagnostics: JSON.parse(printed).diagnostics, printed };
  } finally {
    spy.mockRestore();
  }
}

async function expectCoded(
  dir: string,
  code: string,
  where: { file: RegExp; line?: number; column?: number },
): Promise<Diagnostic> {
  const result = await check(dir);
  expect(result.code).toBe(1);
  const found = result.diagnostics.find((diagnostic) => diagnostic.code === code);
  expect(found, result.printed).toBeDefined();
  expect(found?.severity).toBe('error');
  expect(found?.file).toMatch(where.file);
  if (where.line !== undefined) expect(found?.line).toBe(where.line);
  if (where.column !== undefined) expect(found?.column).toBe(where.column);
  expect(result.printed).not.toContain(SECRET);
  expect(result.printed).not.toMatch(/\n\s+at .+:\d+:\d+/);
  return found as Diagnostic;
}

function build(dir: string, out: string, format = 'html') {
  const result = spawnSync('node', ['bin/imprint.js', 'build', dir, '--out', out, '--format', format], {
    encoding: 'utf8',
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Every file under `dir`, read as text. */
function everything(dir: string): string {
  if (!existsSync(dir)) return '';
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => path.join(dir, name))
    .map((file) => {
      try {
        return readFileSync(file, 'latin1');
      } catch {
        return '';
      }
    })
    .join('\n');
}

describe('nothing from outside the manuscript', () => {
  it('refuses a chapter that is a symlink out of the folder (chapter-outside)', async () => {
    const dir = manuscript({
      'book.yaml': 'title: T\nchapters:\n  - 01-a.md\n  - 02-b.md\n',
      '01-a.md': '# A\n',
    });
    symlinkSync(path.join(outside, 'passwd'), path.join(dir, '02-b.md'));
    await expectCoded(dir, 'chapter-outside', { file: /book\.yaml$/, line: 4, column: 5 });
  });

  it('refuses a found chapter that is a symlink out, and a chapter through a symlinked folder', async () => {
    const dir = manuscript({ 'book.yaml': 'title: T\n', '01-a.md': '# A\n' });
    symlinkSync(path.join(outside, 'chapter.md'), path.join(dir, '02-secret.md'));
    await expectCoded(dir, 'chapter-outside', { file: /02-secret\.md$/ });

    const listed = manuscript({
      'book.yaml': 'title: T\nchapters: [01-a.md, linked/chapter.md]\n',
      '01-a.md': '# A\n',
    });
    symlinkSync(outside, path.join(listed, 'linked'));
    await expectCoded(listed, 'chapter-outside', { file: /book\.yaml$/, line: 2 });
  });

  it('refuses images that lead out: a symlinked file, a symlinked folder (image-outside)', async () => {
    const dir = manuscript({
      'book.yaml': 'title: T\n',
      '01-a.md': '# A\n\n![A file](images/leak.png)\n\nText ![through a folder](art/secret.png).\n',
    });
    mkdirSync(path.join(dir, 'images'));
    symlinkSync(path.join(outside, 'passwd'), path.join(dir, 'images/leak.png'));
    symlinkSync(outside, path.join(dir, 'art'));
    const result = await check(dir);
    expect(result.code).toBe(1);
    const outsideImages = result.diagnostics.filter((d) => d.code === 'image-outside');
    expect(outsideImages.map((d) => d.line)).toEqual([3, 5]);
    expect(outsideImages[0].file).toMatch(/01-a\.md$/);
  });

  it('keeps a symlinked valid PNG inside the folder', async () => {
    const dir = manuscript({
      'book.yaml': 'title: T\n',
      '01-a.md': '# A\n\n![A square](images/link.png)\n',
      'images/real.png': solidPng(4, 4, [200, 10, 10]),
    });
    symlinkSync(path.join(dir, 'images/real.png'), path.join(dir, 'images/link.png'));
    const result = await check(dir);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.code).toBe(0);
  });

  it.each([
    ['an absolute cover', 'cover: /etc/passwd'],
    ['a cover above the folder', 'cover: ../secret.png'],
  ])('refuses %s (cover-outside)', async (_, line) => {
    const dir = manuscript({ 'book.yaml': `title: T\n${line}\n`, '01-a.md': '# A\n' });
    await expectCoded(dir, 'cover-outside', { file: /book\.yaml$/, line: 2, column: 8 });
  });

  it('refuses a cover that is a symlink out, and a cover that is not an image', async () => {
    const linked = manuscript({ 'book.yaml': 'title: T\ncover: cover.png\n', '01-a.md': '# A\n' });
    symlinkSync(path.join(outside, 'secret.png'), path.join(linked, 'cover.png'));
    await expectCoded(linked, 'cover-outside', { file: /book\.yaml$/, line: 2 });
    const text = manuscript({
      'book.yaml': 'title: T\ncover: cover.jpg\n',
      '01-a.md': '# A\n',
      'cover.jpg': 'text',
    });
    await expectCoded(text, 'image-broken', { file: /book\.yaml$/, line: 2 });
  });

  it('refuses a book.yaml that is a symlink out of the folder', async () => {
    const dir = manuscript({ '01-a.md': '# A\n' });
    symlinkSync(path.join(outside, 'passwd'), path.join(dir, 'book.yaml'));
    await expectCoded(dir, 'book-yaml-outside', { file: /book\.yaml$/ });
  });

  it('refuses a theme file that is a symlink out of its theme (theme-file-outside)', async () => {
    const dir = manuscript({
      'book.yaml': 'title: T\ntheme: ./mine\n',
      '01-a.md': '# A\n',
      'mine/base.css': 'p{}',
    });
    symlinkSync(path.join(outside, 'passwd'), path.join(dir, 'mine/print.css'));
    await expectCoded(dir, 'theme-file-outside', { file: /mine\/print\.css$/ });
  });

  it('builds nothing and prints nothing of the outside file', { timeout: 240_000 }, () => {
    const dir = manuscript({
      'book.yaml': 'title: T\ncover: cover.png\n',
      '01-a.md': '# A\n\n![Leak](images/leak.png)\n',
    });
    mkdirSync(path.join(dir, 'images'));
    symlinkSync(path.join(outside, 'passwd'), path.join(dir, 'images/leak.png'));
    symlinkSync(path.join(outside, 'passwd'), path.join(dir, 'cover.png'));
    symlinkSync(path.join(outside, 'chapter.md'), path.join(dir, '02-b.md'));
    const out = mkdtempSync(path.join(os.tmpdir(), 'imprint-out-'));
    made.push(out);
    const result = build(dir, out, 'html,epub,pdf');
    expect(result.code).toBe(1);
    expect(result.output).toContain('[chapter-outside]');
    expect(result.output).not.toContain(SECRET);
    expect(result.output).not.toMatch(/\n\s+at .+:\d+:\d+/);
    expect(everything(out)).not.toContain(SECRET);
  });
});

describe('SVG is active content', () => {
  const ACTIVE_SVG = `<?xml version="1.0" standalone="no"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="20" height="20">
<script>alert('svg')</script>
<rect onload="alert(1)" width="10" height="10" fill="url(#g)"/>
<foreignObject width="5" height="5"><p xmlns="http://www.w3.org/1999/xhtml">html</p></foreignObject>
<a xlink:href="javascript:alert(2)"><circle r="3"/></a>
<image href="file:///etc/passwd" width="1" height="1"/>
</svg>
`;

  it('removes scripts, handlers, foreignObject, script links and outside references, and the DOCTYPE', () => {
    const result = sanitizeSvg(ACTIVE_SVG);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.svg).not.toMatch(/<script|onload|foreignObject|javascript:|DOCTYPE|passwd/);
    expect(result.svg).toContain('<rect width="10" height="10" fill="url(#g)"/>');
    expect(result.findings.map((finding) => finding.line)).toEqual(expect.arrayContaining([4, 5, 6, 7, 8]));
  });

  it('never expands DOCTYPE entities (no entity bomb, no external entity)', () => {
    const bomb = sanitizeSvg(
      '<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>',
    );
    expect(bomb).toMatchObject({ ok: false, line: 2 });
    const external = sanitizeSvg(
      '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>',
    );
    expect(external.ok).toBe(false);
    expect(JSON.stringify(external)).not.toContain('root:');
  });

  it('sends the sanitised SVG to the HTML edition and warns with the SVG file and line', {
    timeout: 240_000,
  }, () => {
    const dir = manuscript({
      'book.yaml': 'title: Drawings\n',
      '01-a.md': '# A\n\n![A drawing](images/drawing.svg)\n',
      'images/drawing.svg': ACTIVE_SVG,
    });
    const out = mkdtempSync(path.join(os.tmpdir(), 'imprint-out-'));
    made.push(out);
    const result = build(dir, out);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/images\/drawing\.svg:4:1 {2}warning: <script> is removed.*\[svg-unsafe\]/);
    expect(result.output).toMatch(
      /images\/drawing\.svg:5:1 {2}warning: The event handler onload.*\[svg-unsafe\]/,
    );
    const copied = readFileSync(path.join(out, 'drawings/images/drawing.svg'), 'utf8');
    expect(copied).not.toMatch(/<script|onload|foreignObject|javascript:|DOCTYPE/);
    expect(copied).toContain('<circle r="3"/>');
    // The manuscript's own file is left as it was.
    expect(readFileSync(path.join(dir, 'images/drawing.svg'), 'utf8')).toBe(ACTIVE_SVG);
  });

  it('reports an SVG that loads from the network, and one that is not well-formed', async () => {
    const dir = manuscript({
      'book.yaml': 'title: T\n',
      '01-a.md': '# A\n\n![Remote](remote.svg)\n\n![Broken](broken.svg)\n',
      'remote.svg':
        '<svg xmlns="http://www.w3.org/2000/svg">\n<image href="https://example.org/x.png"/></svg>',
      'broken.svg': '<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>',
    });
    await expectCoded(dir, 'remote-url', { file: /remote\.svg$/, line: 2 });
    await expectCoded(dir, 'image-broken', { file: /01-a\.md$/, line: 5, column: 1 });
  });

  it('warns about inline <svg> in the Markdown, which the sanitiser drops', async () => {
    const dir = manuscript({
      'book.yaml': 'title: T\n',
      '01-a.md': '# A\n\n<svg onload="alert(1)"><script>alert(2)</script></svg>\n',
    });
    const result = await check(dir);
    const svg = result.diagnostics.find((d) => d.code === 'unsafe-html' && /<svg>/.test(d.message));
    expect(svg, result.printed).toMatchObject({ line: 3, column: 1 });
  });
});

describe('damaged images are reported when the book is read', () => {
  const png = Buffer.from(solidPng(40, 30, [10, 200, 10]));
  // A baseline JPEG of 8×8 grey pixels, made with sharp once and kept here as bytes.
  const jpeg = Buffer.from(
    '/9j/2wBDABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2P/2wBDARESEhgVGC8aGi9jQjhCY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2P/wAARCAAIAAgDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAP/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFAEBAAAAAAAAAAAAAAAAAAAAAP/EABQRAQAAAAAAAAAAAAAAAAAAAAD/2gAMAwEAAhEDEQA/AKAA/9k=',
    'base64',
  );

  it.each([
    ['a truncated PNG', 'a.png', png.subarray(0, png.length - 20)],
    ['a truncated JPEG', 'a.jpg', jpeg.subarray(0, jpeg.length - 30)],
    ['a text file named .png', 'a.png', Buffer.from('This is text, not a PNG.')],
    ['a JPEG named .png', 'a.png', jpeg],
  ])('%s → image-broken at the reference', async (_, name, bytes) => {
    const dir = manuscript({
      'book.yaml': 'title: T\n',
      '01-a.md': `# A\n\nSome text.\n\n![Damaged](images/${name})\n`,
      [`images/${name}`]: bytes,
    });
    await expectCoded(dir, 'image-broken', { file: /01-a\.md$/, line: 5, column: 1 });
  });

  it('accepts whole images', async () => {
    const dir = manuscript({
      'book.yaml': 'title: T\n',
      '01-a.md': '# A\n\n![A PNG](a.png)\n\n![A JPEG](b.jpg)\n',
      'a.png': png,
      'b.jpg': jpeg,
    });
    const result = await check(dir);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});

describe('every user error is a coded message', () => {
  const BOMB = [
    'a: &a ["x","x","x","x","x","x","x","x","x"]',
    'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
    'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
    'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
    'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
    'f: [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
  ].join('\n');

  it('refuses a YAML alias bomb in book.yaml (yaml-aliases)', async () => {
    const dir = manuscript({ 'book.yaml': `title: T\n${BOMB}\n`, '01-a.md': '# A\n' });
    await expectCoded(dir, 'yaml-aliases', { file: /book\.yaml$/, line: 3 });
  });

  it('refuses a YAML alias bomb in front matter', async () => {
    const dir = manuscript({ 'book.yaml': 'title: T\n', '01-a.md': `---\n${BOMB}\n---\n\n# A\n` });
    await expectCoded(dir, 'yaml-aliases', { file: /01-a\.md$/, line: 3 });
  });

  it('puts an unclosed quote in a 3-line book.yaml on the line where it opens', async () => {
    const dir = manuscript({ 'book.yaml': 'title: T\nsubtitle: "abc\nlang: en\n', '01-a.md': '# A\n' });
    await expectCoded(dir, 'yaml-syntax', { file: /book\.yaml$/, line: 2, column: 11 });
  });

  it('refuses a chapter that is a folder (listed, and found by its name)', async () => {
    const listed = manuscript({
      'book.yaml': 'title: T\nchapters: [01-a.md, 02-b.md]\n',
      '01-a.md': '# A\n',
    });
    mkdirSync(path.join(listed, '02-b.md'));
    await expectCoded(listed, 'chapter-not-a-file', { file: /book\.yaml$/, line: 2 });
    const found = manuscript({ 'book.yaml': 'title: T\n', '01-a.md': '# A\n' });
    mkdirSync(path.join(found, '02-b.md'));
    await expectCoded(found, 'chapter-not-a-file', { file: /02-b\.md$/ });
  });

  it.each([
    ['lists', 'deep-lists'],
    ['block quotes', 'deep-quotes'],
    ['raw HTML', 'deep-html'],
    ['brackets', 'brackets'],
  ])('caps %s nested hundreds deep (nesting-too-deep)', { timeout: 240_000 }, async (_, name) => {
    const input = HOSTILE_INPUTS.find((candidate) => candidate.name === name);
    const dir = writeHostileManuscript(input as (typeof HOSTILE_INPUTS)[number]);
    made.push(dir);
    await expectCoded(dir, 'nesting-too-deep', { file: /01-chapter\.md$/ });
  });

  it('neutralises what lies past a limit without moving any position', () => {
    const text = `${'['.repeat(150)}x${']'.repeat(150)}\n\n${'<div>'.repeat(120)}y\n`;
    const limited = limitText(text);
    expect(limited.text.length).toBe(text.length);
    expect(limited.findings.map((finding) => [finding.line, finding.column])).toEqual([
      [1, 101],
      [3, 501],
    ]);
    expect(limited.text.slice(0, 100)).toBe('['.repeat(100));
    expect(limited.text[100]).toBe('\uFF3B');
  });
});

describe('messages name the right place', () => {
  it("finds a theme's @font-face and a refused URL in the theme's CSS file", () => {
    const dir = manuscript({
      'book.yaml': 'title: T\ntheme: ./mine\n',
      '01-a.md': '# A\n',
      'mine/print.css':
        'p { margin: 0 }\n@font-face {\n  font-family: "Broken Face";\n  src: url(fonts/missing.woff2);\n}\nbody { background: url("https://example.org/bg.png") }\n',
    });
    const book = createBookLoader()(dir);
    expect(locateInTheme(book.theme, fontFaceNeedles('"Broken Face"'))).toEqual({
      file: expect.stringMatching(/mine\/print\.css$/),
      line: 3,
      column: 3,
    });
    expect(locateInTheme(book.theme, urlNeedles('https://example.org/bg.png'))).toMatchObject({
      file: expect.stringMatching(/mine\/print\.css$/),
      line: 6,
    });
    expect(locateInTheme(book.theme, urlNeedles(`file://${dir}/mine/fonts/missing.woff2`))).toMatchObject({
      line: 4,
    });
  });
});

describe('no hangs', () => {
  // Timings are the bench's (npm run bench -- hostile), at full size; here a quarter of each input (500 kB)
  // must finish and hyphenate, which a quadratic step would not on a loaded machine.
  it.each(['long-line', 'long-word'])('reads and hyphenates the %s input', { timeout: 240_000 }, (name) => {
    const input = HOSTILE_INPUTS.find((candidate) => candidate.name === name);
    const dir = writeHostileManuscript(input as (typeof HOSTILE_INPUTS)[number], os.tmpdir(), 0.25);
    made.push(dir);
    const book = createBookLoader()(dir);
    expect(book.chapters).toHaveLength(1);
    expect(book.chapters[0].tree.children.length).toBeGreaterThan(0);
    expect(hyphenateTree(structuredClone(book.chapters[0].tree), { lang: 'en' })).toBe(true);
  });

  it('applies the print hyphenation rules to the long-word input', { timeout: 240_000 }, () => {
    // The compound search used to scan from every letter of a word to its end: hours for this word.
    const input = HOSTILE_INPUTS.find((candidate) => candidate.name === 'long-word');
    const dir = writeHostileManuscript(input as (typeof HOSTILE_INPUTS)[number], os.tmpdir(), 0.25);
    made.push(dir);
    const tree = structuredClone(createBookLoader()(dir).chapters[0].tree);
    const section: Element = {
      type: 'element',
      tagName: 'section',
      properties: {},
      children: tree.children as ElementContent[],
    };
    applyHyphenationRules(section);
    const paragraph = selectAll('p', section).at(-1);
    // The word has no hyphen, so it is kept whole only as the paragraph's last word.
    expect(paragraph && toHtml(paragraph)).toBe(
      `<p><span style="hyphens: manual">${'abcdefghij'.repeat(50_000)}</span></p>`,
    );
  });
});
