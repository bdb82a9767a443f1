/**
 * What the preflight reads from a press file with outside tools and pdf-lib: page boxes, annotations and
 * outline, the PDF/X key and output intent (pdf-lib), ink per page (Ghostscript's inkcov device), where
 * each word is (pdftotext -bbox) and the placed images (pdfimages -list).
 */
import { readFile } from 'node:fs/promises';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFString } from 'pdf-lib';
import type { Box } from '../../outputs/press/geometry.ts';
import { runTool } from '../editions/tools.ts';

export interface PageFacts {
  media: Box;
  crop: Box;
  trim?: Box;
  bleed?: Box;
  annotations: number;
}

export interface PdfFacts {
  pages: PageFacts[];
  outline: boolean;
  pdfxVersion?: string;
  outputIntent: boolean;
}

const box = (rect: { x: number; y: number; width: number; height: number }): Box => [
  rect.x,
  rect.y,
  rect.x + rect.width,
  rect.y + rect.height,
];

export async function readPdfFacts(file: string): Promise<PdfFacts> {
  const document = await PDFDocument.load(await readFile(file), { updateMetadata: false });
  const pages = document.getPages().map((page): PageFacts => {
    const own = (name: string) => page.node.get(PDFName.of(name)) !== undefined;
    const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
    return {
      media: box(page.getMediaBox()),
      crop: box(page.getCropBox()),
      trim: own('TrimBox') ? box(page.getTrimBox()) : undefined,
      bleed: own('BleedBox') ? box(page.getBleedBox()) : undefined,
      annotations: annots?.size() ?? 0,
    };
  });
  const info = document.context.lookupMaybe(document.context.trailerInfo.Info, PDFDict);
  const version = info?.get(PDFName.of('GTS_PDFXVersion'));
  const intents = document.catalog.lookupMaybe(PDFName.of('OutputIntents'), PDFArray);
  return {
    pages,
    outline: document.catalog.get(PDFName.of('Outlines')) !== undefined,
    pdfxVersion:
      version instanceof PDFString || version instanceof PDFHexString ? version.decodeText() : undefined,
    outputIntent: (intents?.size() ?? 0) > 0,
  };
}

export interface PageInk {
  c: number;
  m: number;
  y: number;
  k: number;
}

/** Ink coverage of each page (0–1 of the page area per colorant), from Ghostscript's inkcov device. */
export async function inkCoverage(file: string): Promise<PageInk[]> {
  const result = await runTool('gs', [
    '-q',
    '-dBATCH',
    '-dNOPAUSE',
    '-dSAFER',
    '-sDEVICE=inkcov',
    '-o',
    '-',
    file,
  ]);
  return result.stdout
    .split('\n')
    .map((line) => /^\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+CMYK/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ c: Number(match[1]), m: Number(match[2]), y: Number(match[3]), k: Number(match[4]) }));
}

export interface PlacedWord {
  /** 0-based page index. */
  page: number;
  text: string;
  /** In PDF user space (origin bottom left), like the boxes. */
  box: Box;
}

/** Every word with its box, from pdftotext -bbox (whose coordinates start at the crop box's top left). */
export async function placedWords(file: string, crops: Box[]): Promise<PlacedWord[]> {
  const result = await runTool('pdftotext', ['-bbox', file, '-']);
  const words: PlacedWord[] = [];
  let page = -1;
  for (const line of result.stdout.split('\n')) {
    if (/<page\b/.test(line)) page++;
    const match = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)<\/word>/.exec(
      line,
    );
    if (!match || page < 0) continue;
    const crop = crops[page] ?? [0, 0, 0, 0];
    const [x0, y0, x1, y1] = match.slice(1, 5).map(Number);
    words.push({ page, text: match[5], box: [crop[0] + x0, crop[3] - y1, crop[0] + x1, crop[3] - y0] });
  }
  return words;
}

export interface PlacedImage {
  page: number;
  width: number;
  height: number;
  /** The lower of the horizontal and vertical resolution at the placed size. */
  ppi: number;
}

/** The images drawn on each page with their pixel size and effective resolution (pdfimages -list). */
export async function placedImages(file: string): Promise<PlacedImage[]> {
  const result = await runTool('pdfimages', ['-list', file]);
  return result.stdout
    .split('\n')
    .slice(2)
    .map((line) => line.trim().split(/\s+/))
    .filter((cells) => cells.length >= 14 && cells[2] === 'image')
    .map((cells) => ({
      page: Number(cells[0]) - 1,
      width: Number(cells[3]),
      height: Number(cells[4]),
      ppi: Math.min(Number(cells[12]), Number(cells[13])),
    }));
}
