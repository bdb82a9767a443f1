/**
 * Reads a built PDF for the print view with poppler-utils (tools Imprint's set-up installs): the size of
 * every page, and single pages as PNG images. Where each chapter begins, the PDF edition says itself.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

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
  ]) {
    try {
      await run(tool, [flag]);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') missing.push(tool);
    }
  }
  return missing.length ? `The print view needs ${missing.join(', ')}.` : undefined;
}
