/**
 * A programming book (test/fixtures/programming: long listings and lines, raw anchors, raw images with
 * sizes, aligned tables) built into all three editions with one browser: the EPUB passes epubcheck, the HTML
 * carries highlighted tokens and working anchors, and the PDF has only theme fonts and no code past the
 * text block.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fromHtml } from 'hast-util-from-html';
import { selectAll } from 'hast-util-select';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBookLoader } from '../src/book/load-book.ts';
import type { Book } from '../src/book/types.ts';
import { checkPdf } from '../src/check/editions/pdf.ts';
import type { Diagnostic } from '../src/diagnostics/diagnostic.ts';
import { renderHtmlDocument } from '../src/outputs/html.ts';
import { OUTPUTS } from '../src/outputs/index.ts';
import { cssPixels } from '../src/outputs/pdf/page-geometry.ts';
import { launchBrowser } from '../src/platform/browser/launch-browser.ts';
import { postscriptNameOf } from '../src/templates/font-coverage.ts';
import { checkEpub } from './support/check-epub.ts';
import { pdfText } from './support/pdf-tools.ts';
import { tempManuscript } from './support/temp-manuscript.ts';

const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'programming');
let browser: Browser;
let work: string;
let book: Book;
const diagnostics: Diagnostic[] = [];
const file = (extension: string) => path.join(work, `${book.slug}${extension}`);

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'imprint-programming-'));
  browser = await launchBrowser();
  book = createBookLoader()(FIXTURE);
  diagnostics.push(...book.diagnostics);
  const context = {
    outDir: work,
    browser: async () => browser,
    report: (diagnostic: Diagnostic) => diagnostics.push(diagnostic),
    buildDate: new Date(Date.UTC(2024, 0, 1)),
  };
  for (const output of OUTPUTS) await output.build(book, context);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('a programming book', () => {
  it('reports each code block with lines too long for the page, at its first long line', () => {
    const overflow = diagnostics.filter((d) => d.code === 'code-overflow');
    expect(overflow.map((d) => d.line)).toEqual([8, 17]);
    expect(diagnostics.filter((d) => d.severity === 'error' || d.code === 'missing-anchor')).toEqual([]);
  });

  it('passes epubcheck with no errors and no warnings', async () => {
    const result = await checkEpub(file('.epub'), 'book.epub');
    expect(result.diagnostics).toEqual([]);
    expect(result.status).toBe('passed');
  }, 240_000);

  it('has highlighted tokens, numbered listings and working anchors in the HTML edition', () => {
    // The HTML edition is a web book: a page per chapter; a link names its page when it leaves the page.
    const dir = path.join(work, book.slug);
    const pages = new Map(
      readdirSync(dir)
        .filter((name) => name.endsWith('.html'))
        .map((name) => [name, fromHtml(readFileSync(path.join(dir, name), 'utf8'))]),
    );
    const all = [...pages.values()];
    expect(all.flatMap((tree) => selectAll('pre code .token.keyword', tree)).length).toBeGreaterThan(5);
    expect(all.flatMap((tree) => selectAll('figure.listing figcaption .listing-number', tree))).toHaveLength(
      1,
    );
    expect(all.flatMap((tree) => selectAll('.line-number', tree))).toHaveLength(6);
    const targets: string[] = [];
    for (const [name, tree] of pages) {
      for (const link of selectAll('a[href*="#"]', tree)) {
        const [page, id] = String(link.properties.href).split('#');
        const target = pages.get(page || name);
        if (!target || !id) continue;
        targets.push(id);
        expect(selectAll(`[id="${id}"]`, target), `${name} → ${page}#${id}`).toHaveLength(1);
      }
    }
    expect(targets).toContain('basics--install');
    expect(targets).toContain('more--faq');
    const icon = all.flatMap((tree) => selectAll('img.icon', tree))[0];
    expect(icon?.properties).toMatchObject({ width: 16, height: 16 });
  });

  it('prints with the theme fonts only, no Type 3, and the code inside the text block', async () => {
    const names = new Set(book.theme.fonts.map((font) => postscriptNameOf(font.source)));
    const check = await checkPdf(file('.pdf'), 'book.pdf', names);
    expect(check.diagnostics).toEqual([]);
    const text = pdfText(file('.pdf'));
    expect(text).toContain('↩');
    // Every word's right edge, page by page, stays inside the page less the narrower side margin.
    const bbox = execFileSync('pdftotext', ['-bbox', file('.pdf'), '-'], { encoding: 'utf8' });
    const pageWidth = Number(/<page width="([\d.]+)"/.exec(bbox)?.[1]);
    const margin =
      Math.min(cssPixels(book.meta.print.margins.inner), cssPixels(book.meta.print.margins.outer)) * 0.75;
    const rightEdges = [...bbox.matchAll(/xMax="([\d.]+)"/g)].map((match) => Number(match[1]));
    expect(rightEdges.length).toBeGreaterThan(100);
    expect(Math.max(...rightEdges)).toBeLessThanOrEqual(pageWidth - margin + 0.5);
  }, 240_000);
});

describe('a link to an anchor no chapter has', () => {
  it('is reported and left as text, never as a dead link', () => {
    const dead = createBookLoader()(
      tempManuscript({ 'book.yaml': 'title: T\n', '01-a.md': '# A\n\nSee <a href="#nowhere">there</a>.\n' }),
    );
    expect(dead.diagnostics.map((d) => d.code)).toContain('missing-anchor');
    const tree = fromHtml(renderHtmlDocument(dead));
    const link = selectAll('a', tree).find((node) =>
      node.children.some((c) => c.type === 'text' && c.value === 'there'),
    );
    expect(link?.properties.href).toBeUndefined();
  });
});
