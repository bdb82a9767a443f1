/** The single-page HTML edition (`html: { pages: single }`) of a generated multi-chapter book: structure, contents, links and assets. */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { select, selectAll } from 'hast-util-select';
import { toString as hastToString } from 'hast-util-to-string';
import { beforeAll, describe, expect, it } from 'vitest';
import { build } from '../src/index.ts';
import { type GeneratedBook, generateBook } from './support/generate-book.ts';

let book: GeneratedBook;
let dir: string;
let tree: Root;

beforeAll(async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'imprint-multi-'));
  book = generateBook(path.join(root, 'manuscript'), {
    chapters: 6,
    withFootnotes: true,
    withTables: true,
    withFigures: true,
    book: { html: { pages: 'single' } },
  });
  const out = path.join(root, 'dist');
  // In-process through the API: this file is about the web book, not the command line.
  const result = await build({ manuscript: book.dir, out, formats: ['html'] });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(result.ok).toBe(true);
  const [slug] = readdirSync(out).filter((name) => !name.startsWith('.'));
  dir = path.join(out, slug);
  tree = fromHtml(readFileSync(path.join(dir, 'index.html'), 'utf8'));
});

describe('generated multi-chapter book, HTML edition', () => {
  it('has one section per chapter, in order, with their titles', () => {
    const chapters = selectAll('section.chapter', tree);
    expect(chapters).toHaveLength(6);
    expect(chapters.map((chapter) => hastToString(select('h1', chapter) ?? chapter).trim())).toEqual(
      book.chapterTitles.map((title) => title.replace(/'/g, '’')),
    );
  });

  it('has a nested table of contents whose links reach every chapter and section', () => {
    const toc = select('nav[role="doc-toc"]', tree);
    expect(toc).toBeTruthy();
    const top = selectAll(':scope > ol > li', toc ?? tree);
    expect(top).toHaveLength(6);
    expect(selectAll('li li', toc ?? tree).length).toBeGreaterThanOrEqual(6);
    const headingIds = selectAll('section.chapter :is(h1, h2)', tree).map((h) => String(h.properties.id));
    const tocTargets = selectAll('a', toc ?? tree).map((a) => String(a.properties.href).slice(1));
    expect(tocTargets).toEqual(headingIds.filter((id) => !id.endsWith('footnote-label')));
  });

  it('has unique ids and every internal link resolves, footnotes included', () => {
    const ids = selectAll('[id]', tree).map((node) => String(node.properties.id));
    expect(new Set(ids).size).toBe(ids.length);
    const hrefs = selectAll('a[href^="#"]', tree).map((a) => String(a.properties.href).slice(1));
    expect(hrefs.filter((href) => href.includes('--fn-')).length).toBeGreaterThan(0);
    for (const href of hrefs) expect(ids, href).toContain(href);
  });

  it('sets the tables and copies every image it shows', () => {
    expect(selectAll('table thead th', tree).length).toBeGreaterThan(0);
    const images = selectAll('img', tree).map((img) => String(img.properties.src));
    expect(images.length).toBeGreaterThan(0);
    for (const src of images) expect(existsSync(path.join(dir, src)), src).toBe(true);
  });

  it('keeps questions and answers apart in every chapter', () => {
    for (const chapter of selectAll('section.chapter', tree)) {
      expect(selectAll('[data-role="interviewer"]', chapter).length).toBeGreaterThan(0);
      expect(selectAll('[data-role="guest"]', chapter).length).toBeGreaterThan(0);
    }
  });
});
