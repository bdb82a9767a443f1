/**
 * `imprint check`, edition half: each checker on files made to fail it, then the whole command on the
 * sample manuscript (epubcheck and Ace over the EPUB, the PDF checks, the HTML parse).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EPub } from 'epub-gen-memory';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBookLoader } from '../src/book/load-book.ts';
import { runAce } from '../src/check/editions/ace.ts';
import { checkEditions } from '../src/check/editions/check-editions.ts';
import { checkHtml, htmlParseErrors } from '../src/check/editions/html.ts';
import { checkPdf, parsePdffonts } from '../src/check/editions/pdf.ts';
import { ImprintError } from '../src/diagnostics/diagnostic.ts';
import type { Output } from '../src/outputs/output.ts';
import { launchBrowser } from '../src/platform/browser/launch-browser.ts';
import { checkEpub } from './support/check-epub.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');
const scratch = mkdtempSync(path.join(tmpdir(), 'imprint-check-editions-'));
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** An EPUB as epub-gen-memory makes it by default: valid, but without accessibility metadata. */
async function plainEpub(file: string): Promise<string> {
  const epub = await new EPub(
    { title: 'Plain', author: 'Someone', description: 'A plain book.', lang: 'en' },
    [{ title: 'One', content: '<p>Text.</p><h4>Skipped levels</h4>' }],
  ).genEpub();
  writeFileSync(file, epub);
  return file;
}

describe('edition checkers', () => {
  it("reads pdffonts' table by its column widths", () => {
    const output = [
      'name                                 type              encoding         emb sub uni object ID',
      '------------------------------------ ----------------- ---------------- --- --- --- ---------',
      'AAAAAA+EBGaramond-Regular            CID TrueType      Identity-H       yes yes yes      8  0',
      'CAAAAA+SourceSans3ExtraLight-SemiBold CID TrueType      Identity-H       yes yes yes      6  0',
      'Helvetica                            Type 1            Custom           no  no  no      12  0',
      '',
    ].join('\n');
    expect(parsePdffonts(output)).toEqual([
      { name: 'AAAAAA+EBGaramond-Regular', type: 'CID TrueType', embedded: true },
      { name: 'CAAAAA+SourceSans3ExtraLight-SemiBold', type: 'CID TrueType', embedded: true },
      { name: 'Helvetica', type: 'Type 1', embedded: false },
    ]);
  });

  it('reports HTML parse errors with their places', async () => {
    expect(
      htmlParseErrors(
        '<!doctype html><html lang="en"><head><title>x</title></head><body><p>ok</p></body></html>',
      ),
    ).toEqual([]);
    const file = path.join(scratch, 'bad.html');
    writeFileSync(file, '<!doctype html><title>x</title><p>a\u0001b</p></div>');
    const result = await checkHtml(file, 'book/index.html');
    expect(result.status).toBe('failed');
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code: 'html-invalid', file: 'book/index.html', line: 1, column: 36 }),
    ]);
  });

  it('a file that is no PDF is unreadable', async () => {
    const file = path.join(scratch, 'not.pdf');
    writeFileSync(file, '%PDF-1.7\ntruncated');
    const result = await checkPdf(file, 'book.pdf');
    expect(result.status).toBe('failed');
    expect(result.diagnostics.map((d) => d.code)).toEqual(['pdf-unreadable']);
  });

  // Through the test run's one epubcheck JVM; `check` below runs epubcheck the way the command does.
  it("epubcheck: a broken EPUB fails with epubcheck's own ids, a valid one passes", {
    timeout: 300_000,
  }, async () => {
    const broken = path.join(scratch, 'broken.epub');
    writeFileSync(broken, 'PK\u0003\u0004 not really a zip');
    const [bad, good] = await Promise.all([
      checkEpub(broken, 'broken.epub'),
      checkEpub(await plainEpub(path.join(scratch, 'plain.epub')), 'plain.epub'),
    ]);
    expect(bad.status).toBe('failed');
    expect(bad.diagnostics.length).toBeGreaterThan(0);
    for (const d of bad.diagnostics) expect(d.code).toMatch(/^epubcheck:[A-Z]{3}-\d{3}[a-z]?$/);
    expect(good).toMatchObject({ status: 'passed', summary: '0 errors, 0 warnings', diagnostics: [] });
  });

  it('Ace runs in our Chromium and finds the missing accessibility metadata', async () => {
    const result = await runAce(await plainEpub(path.join(scratch, 'ace.epub')), 'ace.epub', browser);
    expect(result.status).toBe('failed');
    const codes = result.diagnostics.map((d) => d.code);
    expect(codes).toContain('ace:metadata-accessmode');
    expect(codes).toContain('ace:heading-order');
    const accessMode = result.diagnostics.find((d) => d.code === 'ace:metadata-accessmode');
    expect(accessMode).toMatchObject({ severity: 'error', file: 'ace.epub/OEBPS/content.opf' });
    expect(accessMode?.hint).toMatch(/kb\.daisy\.org/);
  });
});

describe('checkEditions', () => {
  it('checks what each output builds, and says which editions are missing or failed', async () => {
    const dir = path.join(repoRoot, 'manuscript');
    const book = createBookLoader()(dir);
    const fakeEpub: Output = {
      name: 'epub',
      build: async (_book, context) => [await plainEpub(path.join(context.outDir, 'plain.epub'))],
    };
    const failing: Output = {
      name: 'html',
      build: async () => {
        throw new ImprintError([{ code: 'missing-cover', severity: 'error', message: 'No cover.' }]);
      },
    };
    // epubcheck through the run's one JVM: running it the command's way is the command line test's part below.
    const result = await checkEditions(book, async () => browser, [failing, fakeEpub], checkEpub);
    expect(result.editions.map((edition) => [edition.name, edition.status])).toEqual([
      ['html', 'failed'],
      ['pdf', 'unavailable'],
      ['epub', 'checked'],
    ]);
    expect(result.editions[0].diagnostics.map((d) => d.code)).toEqual(['missing-cover']);
    expect(result.editions[1].diagnostics.map((d) => d.code)).toEqual(['edition-unavailable']);
    expect(result.editions[2].tools.map((tool) => [tool.tool, tool.status])).toEqual([
      ['epubcheck', 'passed'],
      ['Ace by DAISY', 'failed'],
    ]);
  });
});

describe('imprint check (command line, with the editions)', () => {
  it('builds and checks every edition of the sample manuscript', { timeout: 180_000 }, () => {
    const result = spawnSync(
      process.execPath,
      [path.join(repoRoot, 'bin/imprint.js'), 'check', 'manuscript', '--format', 'json'],
      {
        cwd: repoRoot,
        encoding: 'utf8',
      },
    );
    const report = JSON.parse(result.stdout);
    const errors = report.diagnostics.filter((d: { severity: string }) => d.severity === 'error');
    expect(errors).toEqual([]);
    expect(result.status).toBe(0);
    const editions = Object.fromEntries(report.editions.map((e: { name: string }) => [e.name, e]));
    expect(Object.keys(editions)).toEqual(['html', 'pdf', 'epub']);
    expect(editions.html.tools).toEqual([{ tool: 'html', status: 'passed', summary: 'well-formed' }]);
    for (const name of ['pdf', 'epub']) expect(['checked', 'unavailable']).toContain(editions[name].status);
    if (editions.epub.status === 'checked') {
      expect(editions.epub.tools.map((tool: { tool: string }) => tool.tool)).toEqual([
        'epubcheck',
        'Ace by DAISY',
      ]);
    }
    if (editions.pdf.status === 'checked') {
      expect(editions.pdf.tools[0].summary).toMatch(/fonts? embedded, \d+ bookmarks?, tagged/);
    }
  });
});
