/**
 * Reads PDFs the way a printer's preflight would, with poppler (pdfinfo, pdffonts, pdftotext) and qpdf, so
 * tests check the file Imprint wrote rather than Imprint's own idea of it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

function run(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** `pdfinfo` as a map: "Title" → "…", "Pages" → "7", "Page size" → "432 x 648 pts" … */
export function pdfInfo(file: string): Record<string, string> {
  const info: Record<string, string> = {};
  for (const line of run('pdfinfo', ['-isodates', file]).split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) info[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return info;
}

export interface PdfFont {
  name: string;
  type: string;
  embedded: boolean;
  subset: boolean;
}

export function pdfFonts(file: string): PdfFont[] {
  const lines = run('pdffonts', [file]).split('\n').slice(2).filter(Boolean);
  return lines.map((line) => {
    // Columns: name, type (may hold spaces), encoding, emb, sub, uni, object, id.
    const fields = line.trim().split(/\s+/);
    const [emb, sub] = fields.slice(-5, -3);
    return {
      name: fields[0],
      type: fields.slice(1, -6).join(' '),
      embedded: emb === 'yes',
      subset: sub === 'yes',
    };
  });
}

/**
 * The whole text layer in content-stream order (-raw): the layout modes reorder words on a line whose parts
 * sit on different baselines, such as a small-caps speaker label and the text after it.
 */
export function pdfText(file: string): string {
  return run('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-']);
}

/**
 * The text layer as pdf.js reads it (Firefox's viewer): the runs in content-stream order, one per line. Unlike
 * poppler, pdf.js keeps the order in which Chromium wrote the glyphs of a run rather than re-sorting them by
 * position, so it is the reader that shows what a right-to-left run holds.
 */
export async function pdfjsText(file: string): Promise<string> {
  const pdf = await getDocument({ data: new Uint8Array(readFileSync(file)), verbosity: 0 }).promise;
  const items: string[] = [];
  for (let number = 1; number <= pdf.numPages; number++) {
    const content = await (await pdf.getPage(number)).getTextContent();
    for (const item of content.items) if ('str' in item) items.push(item.str);
  }
  await pdf.destroy();
  return items.join('\n');
}

/**
 * The text of the text block only (`pdftotext -raw` cropped to the band between the top and bottom margins,
 * in points): running heads and folios sit in the margins.
 */
export function pdfBodyText(file: string, band: { top: number; height: number }): string {
  const crop = [
    '-x',
    '0',
    '-y',
    String(Math.round(band.top)),
    '-W',
    '100000',
    '-H',
    String(Math.round(band.height)),
  ];
  // One run of text: without the page breaks' form feeds a word broken across pages reads as one.
  return run('pdftotext', ['-raw', '-enc', 'UTF-8', ...crop, file, '-']).replaceAll('\f', '');
}

export interface PdfWord {
  /** 1-based page. */
  page: number;
  text: string;
  /** Left, top, right and bottom edges in points from the page's top left corner. */
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Every word of the text layer with its box (`pdftotext -bbox`). */
export function pdfWords(file: string): PdfWord[] {
  const html = run('pdftotext', ['-bbox', '-enc', 'UTF-8', file, '-']);
  const words: PdfWord[] = [];
  for (const [number, page] of html.split('<page ').slice(1).entries()) {
    const pattern = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g;
    for (const [, xMin, yMin, xMax, yMax, text] of page.matchAll(pattern)) {
      words.push({ page: number + 1, text, xMin: +xMin, yMin: +yMin, xMax: +xMax, yMax: +yMax });
    }
  }
  return words;
}

/** The text of each page (index 0 = page 1), laid out as on the page. */
export function pdfPageTexts(file: string, pages: number): string[] {
  const text = run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-']);
  const texts = text.split('\f');
  return texts.slice(0, pages);
}

export interface OutlineItem {
  title: string;
  page: number;
  depth: number;
}

/** The outline (bookmarks) depth-first, with the 1-based page each points to. */
export function pdfOutline(file: string): OutlineItem[] {
  interface QpdfOutline {
    title: string;
    destpageposfrom1: number;
    kids: QpdfOutline[];
  }
  const json = JSON.parse(run('qpdf', ['--json', '--json-key=outlines', file])) as {
    outlines: QpdfOutline[];
  };
  const items: OutlineItem[] = [];
  const walk = (entries: QpdfOutline[], depth: number) => {
    for (const entry of entries) {
      items.push({ title: entry.title, page: entry.destpageposfrom1, depth });
      walk(entry.kids, depth + 1);
    }
  };
  walk(json.outlines, 1);
  return items;
}

/** Letters and digits only, lower case: for comparing text that layout spaced, wrapped or upper-cased. */
export function squeeze(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * The words of a PDF's text layer: soft hyphens (which Chromium keeps in the text, with a visible hyphen where
 * it broke a line) are removed and the broken word joined.
 */
export function words(text: string): string[] {
  return text
    .replace(/\u00AD-?\s*/g, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** An object as qpdf shows it ("trailer", or "12" for 12 0 R), in PDF syntax. */
export function pdfObject(file: string, object: string): string {
  return run('qpdf', [`--show-object=${object}`, file]).trim();
}

/** The document catalog (the trailer's /Root), in PDF syntax. */
export function pdfCatalog(file: string): string {
  const root = /\/Root (\d+) 0 R/.exec(pdfObject(file, 'trailer'))?.[1];
  if (!root) throw new Error(`${file} has no /Root`);
  return pdfObject(file, root);
}

/** qpdf's structural check: true when it finds no syntax or stream errors. */
export function pdfIsWellFormed(file: string): boolean {
  try {
    run('qpdf', ['--check', file]);
    return true;
  } catch {
    return false;
  }
}

/** The label of each page (index 0 = page 1) as a viewer shows it, from the PDF's /PageLabels. */
export function pdfPageLabels(file: string): string[] {
  const json = JSON.parse(run('qpdf', ['--json', '--json-key=pages', file])) as {
    pages: { label: { '/S'?: string; '/St'?: number } | null }[];
  };
  const roman = (value: number) =>
    [
      [1000, 'm'],
      [900, 'cm'],
      [500, 'd'],
      [400, 'cd'],
      [100, 'c'],
      [90, 'xc'],
      [50, 'l'],
      [40, 'xl'],
      [10, 'x'],
      [9, 'ix'],
      [5, 'v'],
      [4, 'iv'],
      [1, 'i'],
    ].reduce((text, [size, letters]) => {
      let result = text;
      while (value >= (size as number)) {
        result += letters;
        value -= size as number;
      }
      return result;
    }, '');
  let previous = '';
  let count = 0;
  return json.pages.map((page, index) => {
    const key = JSON.stringify(page.label);
    // A new range starts where the label dictionary changes.
    if (key !== previous || index === 0) count = page.label?.['/St'] ?? 1;
    else count++;
    previous = key;
    return page.label?.['/S'] === '/r' ? roman(count) : String(count);
  });
}
