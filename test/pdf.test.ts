/**
 * The print edition end to end: the seed manuscript and a generated six-chapter book are built to PDF once,
 * with one browser, and the files are read back with poppler and qpdf.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { selectAll } from 'hast-util-select';
import { toString as hastToString } from 'hast-util-to-string';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBookLoader } from '../src/book/load-book.ts';
import type { Book } from '../src/book/types.ts';
import { runBuild } from '../src/cli/build.runner.ts';
import type { Diagnostic } from '../src/diagnostics/diagnostic.ts';
import { tocTree } from '../src/outputs/assemble.ts';
import type { EditionFacts } from '../src/outputs/edition-document.ts';
import type { OutputContext } from '../src/outputs/output.ts';
import { pdfOutput } from '../src/outputs/pdf.ts';
import { launchBrowser } from '../src/platform/browser/launch-browser.ts';
import { generateBook } from './support/generate-book.ts';
import {
  type OutlineItem,
  pdfCatalog,
  pdfFonts,
  pdfInfo,
  pdfIsWellFormed,
  pdfOutline,
  pdfPageLabels,
  pdfPageTexts,
  pdfText,
  squeeze,
  words,
} from './support/pdf-tools.ts';

const root = path.resolve(import.meta.dirname, '..');
const BUILD_DATE = new Date(Date.UTC(2024, 4, 1, 12, 0, 0));

let browser: Browser;
let work: string;

interface Built {
  book: Book;
  file: string;
  diagnostics: Diagnostic[];
  written: string[];
  /** What the PDF edition told the build once it wrote the file. */
  facts?: EditionFacts;
}

async function buildPdf(manuscript: string, outDir: string): Promise<Built> {
  const book = createBookLoader()(manuscript);
  const diagnostics: Diagnostic[] = [...book.diagnostics];
  let facts: EditionFacts | undefined;
  const context: OutputContext = {
    outDir,
    browser: async () => browser,
    report: (diagnostic) => diagnostics.push(diagnostic),
    buildDate: BUILD_DATE,
    facts: (told) => {
      facts = told;
    },
  };
  const written = await pdfOutput.build(book, context);
  return { book, file: path.join(outDir, `${book.slug}.pdf`), diagnostics, written, facts };
}

let seed: Built;
let generated: Built;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'imprint-pdf-test-'));
  browser = await launchBrowser();
  generateBook(path.join(work, 'generated'), {
    chapters: 6,
    sectionsPerChapter: 2,
    turnsPerSection: 3,
    withFootnotes: true,
    withTables: true,
    withFigures: true,
  });
  seed = await buildPdf(path.join(root, 'manuscript'), path.join(work, 'seed-dist'));
  generated = await buildPdf(path.join(work, 'generated'), path.join(work, 'generated-dist'));
}, 240_000);

afterAll(async () => {
  await browser?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

interface WordBox {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Every word of every page with its box (pdftotext -bbox, points from the top left). */
function wordBoxes(file: string): WordBox[][] {
  const xhtml = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return xhtml
    .split('<page ')
    .slice(1)
    .map((page) =>
      [
        ...page.matchAll(
          /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g,
        ),
      ].map((match) => ({
        text: match[5] ?? '',
        xMin: Number(match[1]),
        yMin: Number(match[2]),
        xMax: Number(match[3]),
        yMax: Number(match[4]),
      })),
    );
}

/** The 1-based pages where each chapter opens: where the outline sends its level-1 heading. */
function chapterPages(built: Built, outline: OutlineItem[]): number[] {
  const titles = new Set(built.book.chapters.map((chapter) => squeeze(chapter.headings[0].text)));
  return outline.filter((item) => titles.has(squeeze(item.title))).map((item) => item.page);
}

describe.each([
  ['the seed manuscript', () => seed],
  ['a generated six-chapter book', () => generated],
])('the PDF of %s', (_name, built) => {
  it('is written, without errors, at the trim size', () => {
    const { file, written, diagnostics } = built();
    expect(written).toEqual([file]);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const info = pdfInfo(file);
    expect(Number(info.Pages)).toBeGreaterThan(0);
    expect(info['Page size']).toMatch(/^432 x 648 pts/);
    expect(info.Tagged).toBe('yes');
  });

  it('embeds every font, all from the theme, none a system fallback', () => {
    const fonts = pdfFonts(built().file);
    expect(fonts.length).toBeGreaterThan(0);
    for (const font of fonts) {
      expect(font.embedded, font.name).toBe(true);
      expect(font.subset, font.name).toBe(true);
      expect(font.name).not.toMatch(/DejaVu|Liberation/i);
    }
    expect(fonts.map((font) => font.name).join(' ')).toMatch(/SourceSerif4-Regular/);
  });

  it("has one bookmark per chapter and section, in the author's words", () => {
    const { book, file } = built();
    const outline = pdfOutline(file);
    const expected = book.chapters.flatMap((chapter) =>
      chapter.headings
        .filter((heading, index) => index === 0 || heading.depth === 2)
        .map((heading) => ({ title: heading.text, depth: heading.depth })),
    );
    expect(outline.map((item) => ({ title: item.title, depth: item.depth }))).toEqual(expected);
  });

  it('tells where each chapter begins, as its bookmarks do', () => {
    const { book, file, facts } = built();
    const openings = chapterPages(built(), pdfOutline(file));
    expect(openings).toHaveLength(book.chapters.length);
    expect(facts?.chapterPages).toEqual(
      Object.fromEntries(book.chapters.map((chapter, index) => [chapter.id, openings[index]])),
    );
  });

  it('is well-formed', () => {
    expect(pdfIsWellFormed(built().file)).toBe(true);
  });

  it('carries the document metadata', () => {
    const { book, file } = built();
    const info = pdfInfo(file);
    expect(info.Title).toBe(book.meta.title);
    expect(info.Author).toBe(book.meta.authors.join(', '));
    expect(info.Subject).toBe(book.meta.description);
    expect(info.Keywords).toBe(book.meta.keywords.join(', '));
    expect(info.Creator).toBe('Imprint');
    expect(info.Producer).toMatch(/^Imprint \d+\.\d+\.\d+/);
    expect(info.CreationDate).toBe('2024-05-01T12:00:00Z');
    expect(info.ModDate).toBe('2024-05-01T12:00:00Z');
    expect(info['Metadata Stream']).toBe('yes');
    const catalog = pdfCatalog(file);
    expect(catalog).toContain(`/Lang (${book.meta.lang})`);
    expect(catalog).toMatch(/\/DisplayDocTitle true/);
    expect(catalog).toMatch(/\/MarkInfo << \/Marked true/);
  });

  it('opens every chapter on a recto, with neither running head nor folio there, and heads the other pages', () => {
    const { book, file } = built();
    const pages = Number(pdfInfo(file).Pages);
    const texts = pdfPageTexts(file, pages);
    const labels = pdfPageLabels(file);
    const openings = chapterPages(built(), pdfOutline(file));
    expect(openings).toHaveLength(book.chapters.length);
    expect(labels[openings[0] - 1]).toBe('1');
    const bookTitle = squeeze(book.meta.title);
    for (const [index, page] of openings.entries()) {
      expect(page % 2, `chapter ${index + 1} opens on page ${page}`).toBe(1);
      const lines = texts[page - 1].split('\n').filter((line) => line.trim());
      expect(squeeze(lines[0])).not.toContain(bookTitle);
      expect(lines.map((line) => line.trim())).not.toContain(labels[page - 1]);
      // The text starts on the opening page, below the title block.
      expect(lines.length, `opening page ${page}`).toBeGreaterThan(4);
    }
    const chapterOf = (page: number) => openings.filter((opening) => opening <= page).length - 1;
    let bodyPages = 0;
    for (let page = openings[0] + 1; page <= pages; page++) {
      const lines = texts[page - 1].split('\n').filter((line) => line.trim());
      if (openings.includes(page)) continue;
      if (lines.length === 0) {
        // A blank verso before a recto opening.
        expect(page % 2).toBe(0);
        expect(openings).toContain(page + 1);
        continue;
      }
      bodyPages++;
      const head = lines[0].trim();
      const folio = labels[page - 1];
      if (page % 2 === 0) {
        expect(head, `verso ${page}`).toMatch(new RegExp(`^${folio}\\b`));
        expect(squeeze(head)).toContain(bookTitle);
      } else {
        expect(head, `recto ${page}`).toMatch(new RegExp(`\\b${folio}$`));
        const title = squeeze(book.chapters[chapterOf(page)].headings[0].text);
        expect(squeeze(head)).toContain(title.slice(0, 30));
      }
    }
    expect(bodyPages).toBeGreaterThan(0);
  });

  it('sets each folio at the outer edge of the text block and centres the running head over it', () => {
    const { file } = built();
    // Pages with a head line (in the top margin, 0.7 in) and text below it, by side.
    const headed = wordBoxes(file).flatMap((words, index) => {
      const head = words.filter((word) => word.yMax < 45);
      const body = words.filter((word) => word.yMin > 50);
      return head.length > 1 && body.length > 0
        ? [{ page: index + 1, recto: index % 2 === 0, head, body }]
        : [];
    });
    for (const recto of [true, false]) {
      const side = headed.filter((page) => page.recto === recto);
      if (!side.length) continue;
      // The text block's edges: where the justified lines of that side's pages begin and end.
      const left = Math.min(...side.flatMap((page) => page.body.map((word) => word.xMin)));
      const right = Math.max(...side.flatMap((page) => page.body.map((word) => word.xMax)));
      for (const { page, head } of side) {
        const folio = recto ? head[head.length - 1] : head[0];
        expect(folio.text, `page ${page}`).toMatch(/^(\d+|[ivxlc]+)$/);
        if (recto) expect(Math.abs(folio.xMax - right), `recto ${page}`).toBeLessThan(1.5);
        else expect(Math.abs(folio.xMin - left), `verso ${page}`).toBeLessThan(1.5);
        const title = head.filter((word) => word !== folio);
        const from = Math.min(...title.map((word) => word.xMin));
        const to = Math.max(...title.map((word) => word.xMax));
        expect(Math.abs((from + to) / 2 - (left + right) / 2), `head of page ${page}`).toBeLessThan(1.5);
      }
    }
    expect(headed.length).toBeGreaterThan(0);
  });

  it("keeps the text's words in order", () => {
    const { book, file } = built();
    // Without folios and running heads (a word hyphenated across pages is one word again), then letters and
    // digits only: soft hyphens, line ends and spacing drop out.
    const titles = [book.meta.title, ...book.chapters.map((chapter) => chapter.headings[0].text)].map(
      squeeze,
    );
    const isHead = (line: string) => {
      const text = line.trim();
      if (/^\d+$/.test(text)) return true;
      const letters = squeeze(text).replace(/^\d+|\d+$/g, '');
      return (
        text === text.toUpperCase() && letters !== '' && titles.some((title) => title.startsWith(letters))
      );
    };
    const pages = pdfText(file).split('\f');
    const text = squeeze(
      pages
        .map((page) =>
          page
            .split('\n')
            .filter((line) => !isHead(line))
            .join('\n'),
        )
        .join(''),
    );
    let at = 0;
    for (const chapter of book.chapters) {
      // The paragraphs: letter-spaced labels (kicker, FPO mark) come out of the PDF with a space per letter.
      // Pull-quotes repeat words and are placed a few paragraphs on: not in reading order.
      const skipped = selectAll('.title-block p, .related p, .fpo, .pullquote p', chapter.tree);
      const paragraphs = selectAll('p', chapter.tree).filter((p) => !skipped.includes(p));
      expect(paragraphs.length).toBeGreaterThan(5);
      for (const word of words(paragraphs.map((p) => hastToString(p)).join('\n'))) {
        const found = text.indexOf(word, at);
        expect(found, `"${word}" after character ${at} of the PDF's text`).toBeGreaterThanOrEqual(0);
        at = found + word.length;
      }
    }
  });
});

describe('the contents of a multi-chapter book', () => {
  it('lists chapters and sections with the folios their headings are on in the final PDF', () => {
    const { book, file } = generated;
    const outline = pdfOutline(file);
    const labels = pdfPageLabels(file);
    const firstChapter = chapterPages(generated, outline)[0];
    const texts = pdfPageTexts(file, firstChapter);
    const contentsPage = texts.findIndex((text) => /C\s*O\s*N\s*T\s*E\s*N\s*T\s*S/.test(text)) + 1;
    expect(contentsPage).toBe(3);
    expect(labels[contentsPage - 1]).toBe('iii');
    const listed = texts
      .slice(contentsPage - 1, firstChapter - 1)
      .flatMap((text) => text.split('\n'))
      .map((line) => /\S.*?\s(\d+)\s*$/.exec(line)?.[1])
      .filter((number): number is string => number !== undefined);
    const entries = tocTree(book).flatMap((entry) => [
      entry.heading,
      ...entry.children.map((child) => child.heading),
    ]);
    const pageOf = new Map(outline.map((item) => [item.title, item.page]));
    const actual = entries.map((heading) => labels[(pageOf.get(heading.text) ?? 0) - 1]);
    expect(actual.every((label) => /^\d+$/.test(label ?? ''))).toBe(true);
    expect(listed).toEqual(actual);
  });

  it('leaves the seed, a single chapter, without one', () => {
    expect(pdfText(seed.file)).not.toMatch(/C\s*O\s*N\s*T\s*E\s*N\s*T\s*S/);
  });
});

describe('PDF builds', () => {
  it('are byte-identical for the same input and build date', async () => {
    const again = await buildPdf(path.join(work, 'generated'), path.join(work, 'generated-again'));
    expect(readFileSync(again.file).equals(readFileSync(generated.file))).toBe(true);
  });

  it('leave the previous PDF in place when the build fails', async () => {
    const manuscript = path.join(work, 'failing');
    cpSync(path.join(root, 'manuscript'), manuscript, { recursive: true });
    const outDir = path.join(work, 'failing-dist');
    const first = await buildPdf(manuscript, outDir);
    const before = readFileSync(first.file);
    const chapter = path.join(manuscript, '01-interview.md');
    writeFileSync(chapter, `${readFileSync(chapter, 'utf8')}\n![A missing photo](images/missing.jpg)\n`);
    const stderr = process.stderr.write;
    process.stderr.write = () => true;
    let code: number;
    try {
      code = await runBuild({ manuscriptDir: manuscript, outDir, formats: ['pdf'] });
    } finally {
      process.stderr.write = stderr;
    }
    expect(code).toBe(1);
    expect(readFileSync(first.file).equals(before)).toBe(true);
  });

  it('stop with an error naming the font file when a font does not load, and write nothing', async () => {
    const book = createBookLoader()(path.join(root, 'manuscript'));
    // The face the text needs: the seed's words are all in the latin subset.
    const font = book.theme.fonts.find((candidate) =>
      /source-serif-4-latin-400-normal/.test(candidate.source),
    );
    if (!font) throw new Error('The default theme has no Source Serif 4 regular.');
    font.source = path.join(path.dirname(font.source), 'missing-font-file.woff2');
    const diagnostics: Diagnostic[] = [];
    const outDir = path.join(work, 'font-dist');
    const written = await pdfOutput.build(book, {
      outDir,
      browser: async () => browser,
      report: (diagnostic) => diagnostics.push(diagnostic),
      buildDate: BUILD_DATE,
    });
    expect(written).toEqual([]);
    expect(diagnostics).toContainEqual(
      expect.objectContaining({
        code: 'font-load',
        severity: 'error',
        message: expect.stringContaining('missing-font-file.woff2'),
      }),
    );
  });

  it('warn with file and line about a 300-character title and a table wider than the page', async () => {
    const manuscript = path.join(work, 'bad-input');
    generateBook(manuscript, { chapters: 1, sectionsPerChapter: 1, turnsPerSection: 1 });
    const longTitle = `A ${'very '.repeat(58)}long title`;
    const chapter = path.join(manuscript, '1-interview.md');
    const text = readFileSync(chapter, 'utf8').replace(/^title: .*$/m, `title: "${longTitle}"`);
    const wideRow = (cell: string) =>
      `| ${Array.from({ length: 14 }, (_, i) => `${cell}${i}`).join(' | ')} |`;
    writeFileSync(
      chapter,
      `${text}\n${wideRow('Heading')}\n|${' --- |'.repeat(14)}\n${wideRow('Supercalifragilistic')}\n`,
    );
    const tableLine = text.split('\n').length + 1;
    const built = await buildPdf(manuscript, path.join(work, 'bad-input-dist'));
    expect(built.written).toEqual([built.file]);
    const display = path.relative(process.cwd(), chapter);
    expect(built.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'long-chapter-title', severity: 'warning', file: display, line: 2 }),
    );
    expect(built.diagnostics).toContainEqual(
      expect.objectContaining({ code: 'wide-table', severity: 'warning', file: display, line: tableLine }),
    );
  });

  it('stop with an error at the line of an image Chromium cannot show', async () => {
    const manuscript = path.join(work, 'broken-image');
    generateBook(manuscript, { chapters: 1, sectionsPerChapter: 1, turnsPerSection: 1 });
    writeFileSync(path.join(manuscript, 'broken.png'), 'This is text, not a PNG.');
    const chapter = path.join(manuscript, '1-interview.md');
    const text = readFileSync(chapter, 'utf8');
    writeFileSync(chapter, `${text}\n![A damaged photo](broken.png)\n`);
    const built = await buildPdf(manuscript, path.join(work, 'broken-image-dist'));
    expect(built.written).toEqual([]);
    expect(built.diagnostics).toContainEqual(
      expect.objectContaining({
        code: 'image-broken',
        severity: 'error',
        file: path.relative(process.cwd(), chapter),
        line: text.split('\n').length + 1,
      }),
    );
  });
});
