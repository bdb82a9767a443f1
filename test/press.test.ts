/**
 * The press files end to end: a generated book long enough for spine text, with a 150 dpi image and a figure
 * that bleeds, is built with `--format print` once (one browser for the file), and both files are proven
 * with outside tools: pdfinfo, Ghostscript's inkcov, pdffonts, qpdf, pdftotext -bbox and zbarimg.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createBookLoader } from '../src/book/load-book.ts';
import type { Book } from '../src/book/types.ts';
import { lintManuscript } from '../src/check/lint.ts';
import { checkPressFiles } from '../src/check/preflight/preflight.ts';
import { SERVICES } from '../src/check/preflight/services.ts';
import { runCheck } from '../src/cli/check.runner.ts';
import type { Diagnostic } from '../src/diagnostics/diagnostic.ts';
import type { OutputContext } from '../src/outputs/output.ts';
import { renderPrintCover } from '../src/outputs/press/cover.ts';
import { coverLayout, PAPER_CALIPER_IN } from '../src/outputs/press/geometry.ts';
import { printOutput } from '../src/outputs/print.ts';
import { launchBrowser } from '../src/platform/browser/launch-browser.ts';
import { solidPng } from './support/epub-sample-book.ts';
import { generateBook } from './support/generate-book.ts';
import { pdfFonts } from './support/pdf-tools.ts';

const ISBN = '9781566199094';
const run = (command: string, args: string[]) =>
  execFileSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

/** Page boxes from `pdfinfo -box`, page by page. */
function boxes(file: string, first: number, last: number): Record<string, number[]>[] {
  const pages: Record<string, number[]>[] = [];
  for (const line of run('pdfinfo', ['-box', '-f', String(first), '-l', String(last), file]).split('\n')) {
    const match = /^Page\s+(\d+)\s+(\w+Box):\s+([\d.\s-]+)$/.exec(line);
    if (!match) continue;
    const index = Number(match[1]) - first;
    pages[index] ??= {};
    pages[index][match[2]] = match[3].trim().split(/\s+/).map(Number);
  }
  return pages;
}

function inkPerPage(file: string): number[][] {
  return run('gs', ['-q', '-dBATCH', '-dNOPAUSE', '-dSAFER', '-sDEVICE=inkcov', '-o', '-', file])
    .split('\n')
    .filter((line) => line.includes('CMYK'))
    .map((line) => line.trim().split(/\s+/).slice(0, 4).map(Number));
}

interface Word {
  text: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

function wordsOf(file: string): Word[] {
  return [
    ...run('pdftotext', ['-bbox', file, '-']).matchAll(
      /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g,
    ),
  ].map((match) => ({
    text: match[5],
    x0: Number(match[1]),
    y0: Number(match[2]),
    x1: Number(match[3]),
    y1: Number(match[4]),
  }));
}

let browser: Browser;
let work: string;
let book: Book;
let interior: string;
let cover: string;
let pageCount: number;
let buildDiagnostics: Diagnostic[];

function context(outDir: string, diagnostics: Diagnostic[]): OutputContext {
  return {
    outDir,
    browser: async () => browser,
    report: (diagnostic) => diagnostics.push(diagnostic),
    buildDate: new Date(Date.UTC(2024, 4, 1)),
  };
}

beforeAll(async () => {
  browser = await launchBrowser();
  work = mkdtempSync(path.join(tmpdir(), 'imprint-press-test-'));
  const dir = path.join(work, 'manuscript');
  generateBook(dir, {
    chapters: 8,
    paragraphsPerAnswer: 3,
    book: {
      identifier: `urn:isbn:${ISBN}`,
      print: { back: 'A book about harbours, railways and the people who keep them.' },
    },
  });
  mkdirSync(path.join(dir, 'images'), { recursive: true });
  // 690 px across the 4.6 in text block of a 6 × 9 in page with 0.8/0.6 in margins: 150 dpi.
  writeFileSync(path.join(dir, 'images', 'low.png'), solidPng(690, 200, [200, 40, 30]));
  writeFileSync(path.join(dir, 'images', 'sea.png'), solidPng(1900, 2800, [20, 60, 160]));
  writeFileSync(
    path.join(dir, '99-plates.md'),
    [
      '# Plates',
      '',
      'The harbour at dawn, in colour.',
      '',
      '::figure[The harbour.]{src="images/low.png" alt="A red band"}',
      '',
      '::figure[The open sea.]{src="images/sea.png" alt="Blue water" bleed}',
      '',
      'After the sea.',
      '',
    ].join('\n'),
  );
  book = createBookLoader()(dir);
  buildDiagnostics = [];
  const outDir = path.join(work, 'dist');
  const files = await printOutput.build(book, context(outDir, buildDiagnostics));
  [interior, cover] = files;
  pageCount = Number(/^Pages:\s+(\d+)/m.exec(run('pdfinfo', [interior]))?.[1]);
}, 480_000);

afterAll(async () => {
  await browser?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the press interior', () => {
  it('is written next to the cover with no errors', () => {
    expect(buildDiagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(path.basename(interior)).toBe(`${book.slug}.print.pdf`);
    expect(path.basename(cover)).toBe(`${book.slug}.cover.pdf`);
    expect(pageCount).toBeGreaterThanOrEqual(79);
  });

  it('has a TrimBox of the trim and a BleedBox 0.125 in beyond it on the outer, top and bottom edges', () => {
    const [recto, verso] = boxes(interior, 1, 2);
    // 6 × 9 in = 432 × 648 pt; bleed 9 pt.
    expect(recto.TrimBox).toEqual([0, 9, 432, 657]);
    expect(recto.BleedBox).toEqual([0, 0, 441, 666]);
    expect(verso.TrimBox).toEqual([9, 9, 441, 657]);
    expect(verso.BleedBox).toEqual([0, 0, 441, 666]);
    expect(recto.MediaBox).toEqual([0, 0, 441, 666]);
  });

  it('is PDF/X-3:2002 with an output intent that embeds a grey profile', () => {
    const qdf = run('qpdf', ['--qdf', '--object-streams=disable', interior, '-']);
    expect(qdf).toMatch(/\/GTS_PDFXVersion \(PDF\/X-3:2002\)/);
    expect(qdf).toMatch(/\/OutputIntents \[/);
    expect(qdf).toMatch(/\/S \/GTS_PDFX/);
    expect(qdf).toMatch(/\/DestOutputProfile \d+ 0 R/);
    expect(readFileSync(interior).subarray(0, 8).toString()).toBe('%PDF-1.3');
  });

  it('prints in black only: no cyan, magenta or yellow on any page, the red image and the accent included', () => {
    const ink = inkPerPage(interior);
    expect(ink).toHaveLength(pageCount);
    expect(ink.filter(([c, m, y]) => c + m + y > 0)).toEqual([]);
    expect(ink.some(([, , , k]) => k > 0.05)).toBe(true);
  });

  it('embeds every font, and has no annotations, links or bookmarks', () => {
    const fonts = pdfFonts(interior);
    expect(fonts.length).toBeGreaterThan(2);
    expect(fonts.filter((font) => !font.embedded)).toEqual([]);
    const qdf = run('qpdf', ['--qdf', '--object-streams=disable', interior, '-']);
    expect(qdf).not.toMatch(/\/Annots|\/Outlines|\/Link/);
  });

  it('runs a figure marked bleed out to the bleed: its page carries ink on the sheet edge', () => {
    const text = run('pdftotext', ['-layout', interior, '-']).split('\f');
    const page = text.findIndex((pageText) => pageText.includes('The open sea.'));
    expect(page).toBeGreaterThan(0);
    const png = path.join(work, 'bleed-page');
    run('pdftoppm', ['-r', '20', '-gray', '-f', String(page + 1), '-l', String(page + 1), interior, png]);
    const file = readFileSync(`${png}-${String(page + 1).padStart(String(pageCount).length, '0')}.pgm`);
    // PGM: header of three lines, then one byte a pixel; the corners of the sheet are dark, not paper white.
    const header = file.toString('latin1').split('\n', 3).join('\n').length + 1;
    const pixels = file.subarray(header);
    expect(pixels[0]).toBeLessThan(128);
    expect(pixels[pixels.length - 1]).toBeLessThan(128);
  });
});

describe('the cover', () => {
  it('is back + spine + front with bleed, for the page count and paper', () => {
    const info = run('pdfinfo', ['-box', cover]);
    const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info);
    const width = 2 * 0.125 + 2 * 6 + pageCount * PAPER_CALIPER_IN.white;
    expect(Number(size?.[1])).toBeCloseTo(width * 72, 1);
    expect(Number(size?.[2])).toBeCloseTo((9 + 2 * 0.125) * 72, 1);
    expect(info).toMatch(/TrimBox:\s+9\.00\s+9\.00/);
    expect(run('qpdf', ['--qdf', '--object-streams=disable', cover, '-'])).toMatch(
      /\/GTS_PDFXVersion \(PDF\/X-3:2002\)/,
    );
  });

  it('has the title and the author on the front panel, and the spine text centred on the spine', () => {
    const layout = coverLayout(book.meta.print, pageCount);
    const words = wordsOf(cover);
    const front = words.filter((word) => word.x0 >= layout.frontX && word.x1 <= layout.width - layout.bleed);
    const frontText = front.map((word) => word.text).join(' ');
    expect(frontText).toContain(book.meta.title.split(' ')[0]);
    expect(frontText).toContain(book.meta.authors[0].split(' ')[0].toUpperCase());
    const spine = words.filter(
      (word) => (word.x0 + word.x1) / 2 > layout.spineX && (word.x0 + word.x1) / 2 < layout.frontX,
    );
    expect(spine.length).toBeGreaterThan(0);
    const left = Math.min(...spine.map((word) => word.x0));
    const right = Math.max(...spine.map((word) => word.x1));
    // On the spine's centre line. pdftotext's boxes hold the font's ascent and descent, which are not the same
    // size, so the box centre sits off the glyphs' centre by a share of the box that grows with the type
    // (the type grows with the spine): a point, or a fifth of the box when that is more.
    const off = Math.abs((left + right) / 2 - (layout.spineX + layout.spine / 2));
    expect(off).toBeLessThan(Math.max(1, 0.2 * (right - left)));
    expect(right - left).toBeLessThan(layout.spine);
  });

  it('carries an EAN-13 barcode that zbarimg decodes to the ISBN', () => {
    const png = path.join(work, 'cover-300');
    run('pdftoppm', ['-r', '300', '-png', '-singlefile', cover, png]);
    const decoded = run('zbarimg', ['-q', '--raw', `${png}.png`])
      .trim()
      .split('\n');
    expect(decoded).toContain(ISBN);
  });

  it.each([
    [24, 'white'],
    [150, 'white'],
    [400, 'white'],
    [24, 'cream'],
    [150, 'cream'],
    [400, 'cream'],
  ] as const)(
    'is as wide as the formula for %i pages on %s paper, with spine text only from 79 pages',
    async (pages, paper) => {
      const dir = mkdtempSync(path.join(work, 'cover-'));
      const paperBook: Book = { ...book, meta: { ...book.meta, print: { ...book.meta.print, paper } } };
      const pdf = await renderPrintCover(paperBook, browser, pages, dir);
      const file = path.join(dir, 'cover.pdf');
      writeFileSync(file, pdf);
      const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(run('pdfinfo', [file]));
      const inches = 0.25 + 12 + pages * (paper === 'white' ? 0.002252 : 0.0025);
      expect(Number(size?.[1])).toBeCloseTo(inches * 72, 1);
      const layout = coverLayout(paperBook.meta.print, pages);
      const onSpine = wordsOf(file).filter(
        (word) => (word.x0 + word.x1) / 2 > layout.spineX && (word.x0 + word.x1) / 2 < layout.frontX,
      );
      expect(onSpine.length > 0).toBe(pages >= 79);
    },
    120_000,
  );
});

describe('the preflight', () => {
  it('flags the 150 dpi image with its file, line and effective dpi', async () => {
    const found = await checkPressFiles(book, SERVICES.kdp, interior, cover);
    const image = found.find((d) => d.code === 'preflight-image-resolution');
    expect(image).toMatchObject({
      file: path.relative(process.cwd(), path.join(book.dir, '99-plates.md')),
      line: 5,
      column: expect.any(Number),
    });
    expect(image?.message).toMatch(/images\/low\.png prints at 150 dpi/);
    // The bleeding image (1900 px over 6.125 in) passes; the book passes the other KDP rules.
    expect(found.filter((d) => d.code === 'preflight-image-resolution')).toHaveLength(1);
    expect(found.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('holds IngramSpark to 0.5 in from the trim on every side', async () => {
    const found = await checkPressFiles(book, SERVICES.ingramspark, interior, cover);
    expect(
      found
        .filter((d) => d.code === 'preflight-margins')
        .map((d) => d.message)
        .join('\n'),
    ).toMatch(/from the trim; IngramSpark needs 0\.5 in/);
  });

  it('makes a wrong ISBN check digit an error, where `imprint check` warns', async () => {
    const wrong: Book = { ...book, meta: { ...book.meta, identifier: 'urn:isbn:9780000000000' } };
    const found = await checkPressFiles(wrong, SERVICES.kdp, interior, cover);
    expect(found).toContainEqual(
      expect.objectContaining({
        code: 'preflight-isbn',
        severity: 'error',
        message: expect.stringMatching(/end in 2/),
      }),
    );
    writeFileSync(
      path.join(book.dir, 'book.yaml'),
      readFileSync(path.join(book.dir, 'book.yaml'), 'utf8').replace(ISBN, '9780000000000'),
    );
    const lint = lintManuscript(book.dir);
    expect(lint.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'isbn-check-digit', severity: 'warning', line: expect.any(Number) }),
    );
  });
});

describe('imprint check --preflight', () => {
  it("builds the press files of the seed and reports KDP's page minimum as an error", async () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    let code: number;
    try {
      code = await runCheck({
        manuscriptDir: path.resolve(import.meta.dirname, '..', 'manuscript'),
        format: 'json',
        editions: true,
        preflight: 'kdp',
      });
    } finally {
      spy.mockRestore();
    }
    const report = JSON.parse(written.join(''));
    expect(code).toBe(1);
    expect(report.editions).toEqual([
      expect.objectContaining({
        name: 'print',
        status: 'checked',
        files: expect.arrayContaining([expect.stringMatching(/\.cover\.pdf$/)]),
      }),
    ]);
    expect(report.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'preflight-page-count', severity: 'error' }),
    );
  }, 180_000);
});
