/**
 * Reads a built PDF for the print view with poppler-utils and qpdf (tools Imprint's set-up installs):
 * the size of every page, the page each chapter starts on, and single pages as PNG images.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Chapter } from '../book/types.ts';

const run = promisify(execFile);

/** Page width and height in PDF points. */
export type PageSize = [number, number];

export async function readPageSizes(pdf: string): Promise<PageSize[]> {
  const { stdout } = await run('pdfinfo', ['-f', '1', '-l', '100000', pdf], { maxBuffer: 64 * 1024 * 1024 });
  const sizes: PageSize[] = [];
  for (const match of stdout.matchAll(/^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+) pts/gm)) {
    sizes[Number(match[1]) - 1] = [Number(match[2]), Number(match[3])];
  }
  return sizes;
}

interface OutlineEntry {
  title?: string;
  destpageposfrom1?: number;
  kids?: OutlineEntry[];
}

/**
 * The page (1-based) each chapter starts on, from the PDF's bookmarks: the first bookmark after the previous
 * chapter's whose title is the chapter's first heading. Bookmark titles are the text as set, so they are
 * compared without case, spaces (a line break inside a title loses its space) and soft hyphens; Chromium
 * sometimes doubles a title ("AlphaAlpha"), so that counts as a match too.
 */
export async function readChapterPages(
  pdf: string,
  chapters: readonly Chapter[],
): Promise<Record<string, number>> {
  const { stdout } = await run('qpdf', ['--json', '--json-key=outlines', pdf], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const flat: { title: string; page: number }[] = [];
  const walk = (entries: OutlineEntry[] = []) => {
    for (const entry of entries) {
      if (entry.destpageposfrom1)
        flat.push({ title: normalize(entry.title ?? ''), page: entry.destpageposfrom1 });
      walk(entry.kids);
    }
  };
  walk((JSON.parse(stdout) as { outlines?: OutlineEntry[] }).outlines);
  const pages: Record<string, number> = {};
  let from = 0;
  for (const chapter of chapters) {
    const title = normalize(chapter.headings[0]?.text ?? chapter.meta.title);
    const at = flat.findIndex(
      (entry, index) => index >= from && (entry.title === title || entry.title === title + title),
    );
    if (at === -1) continue;
    pages[chapter.id] = flat[at].page;
    from = at + 1;
  }
  return pages;
}

function normalize(text: string): string {
  return text.replace(/[\s\u00ad]+/g, '').toLowerCase();
}

/** Renders page `page` (1-based) of `pdf` to `<outPrefix>.png` at `dpi`. */
export async function renderPagePng(
  pdf: string,
  page: number,
  outPrefix: string,
  dpi: number,
): Promise<string> {
  const n = String(page);
  await run('pdftoppm', ['-f', n, '-l', n, '-r', String(dpi), '-png', '-singlefile', pdf, outPrefix]);
  return `${outPrefix}.png`;
}

/** Whether the tools above are installed; the message says what to install when they are not. */
export async function pdfToolsMissing(): Promise<string | undefined> {
  const missing: string[] = [];
  for (const [tool, flag] of [
    ['pdfinfo', '-v'],
    ['pdftoppm', '-v'],
    ['qpdf', '--version'],
  ]) {
    try {
      await run(tool, [flag]);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') missing.push(tool);
    }
  }
  return missing.length ? `The print view needs ${missing.join(', ')}.` : undefined;
}
