import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Book } from '../../book/types.ts';
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import { fontFaceNeedles, locateInTheme, urlNeedles } from '../../templates/theme-location.ts';
import type { Inspection } from './inspect-print-document.ts';

/** What the inspection of the loaded print document found, and the requests refused or failed, as diagnostics. */
export function inspectionDiagnostics(
  book: Book,
  inspection: Inspection,
  blocked: string[],
  failed: Set<string>,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const themeYaml = book.theme.files.find((file) => file.endsWith('theme.yaml'));
  const display = (file: string) => path.relative(process.cwd(), file) || file;
  const assetUrls = new Set(
    [...book.theme.fonts, ...book.chapters.flatMap((chapter) => chapter.images)].map(
      (asset) => pathToFileURL(asset.source).href,
    ),
  );
  for (const face of inspection.failedFonts) {
    const font = book.theme.fonts.find(
      (candidate) =>
        candidate.family === face.family.replace(/^["']|["']$/g, '') &&
        String(candidate.weight) === face.weight &&
        candidate.style === face.style &&
        unicodeRanges(candidate.unicodeRange ?? 'U+0-10FFFF') === unicodeRanges(face.unicodeRange),
    );
    diagnostics.push({
      code: 'font-load',
      severity: 'error',
      message: `The font ${face.family} ${face.weight} ${face.style} did not load${font ? ` from ${display(font.source)}` : ''}; the PDF would fall back to a system font.`,
      hint: font
        ? 'Reinstall the @fontsource package it comes from (npm install), or fix the font in theme.yaml.'
        : "Fix the @font-face rule in the theme's CSS: its src must be a font file in the theme folder.",
      // A face theme.yaml did not declare comes from an @font-face rule in the theme's own CSS.
      ...(font
        ? { file: themeYaml ? display(themeYaml) : undefined }
        : (locateInTheme(book.theme, fontFaceNeedles(face.family)) ?? {
            file: themeYaml ? display(themeYaml) : undefined,
          })),
    });
  }
  for (const image of inspection.brokenImages) {
    diagnostics.push({
      code: 'image-broken',
      severity: 'error',
      message: `Chromium cannot show the image ${image.src ? decodeURIComponent(image.src.replace(/^file:\/\//, '')) : ''}: the file is damaged or not in the format its name says.`,
      hint: 'Open it in an image viewer and save it again as JPEG, PNG or SVG.',
      file: image.file,
      line: image.line,
      column: image.line === undefined ? undefined : 1,
    });
  }
  const reported = new Set<string>();
  // Other wide blocks are fitted before printing and reported by measure-wide-blocks.ts.
  for (const block of inspection.wide) {
    const key = `${block.file}:${block.line}`;
    if (block.tag !== 'table' || reported.has(key)) continue;
    reported.add(key);
    const points = (pixels: number) => Math.round((pixels * 72) / 96);
    diagnostics.push({
      code: 'wide-table',
      severity: 'warning',
      message: `This table needs ${points(block.width)} pt, more than the ${points(inspection.column)} pt text block of the PDF: its cells break words anywhere to fit.`,
      hint: 'Give it fewer columns or shorter cells, or split it into two tables.',
      file: block.file,
      line: block.line,
      column: block.line === undefined ? undefined : 1,
    });
  }
  for (const url of blocked) {
    diagnostics.push({
      code: 'print-request',
      severity: 'error',
      message: `The print document asked for ${url}, which is not a local file of this book; Imprint never downloads anything while building.`,
      hint: 'Remove the reference from the theme (print.css, components) or the manuscript, or save the file locally.',
      ...locateInTheme(book.theme, urlNeedles(url)),
    });
  }
  for (const url of failed) {
    if (assetUrls.has(url)) continue; // reported above, with the font or the manuscript line
    diagnostics.push({
      code: 'print-request',
      severity: 'error',
      message: `The print document could not load ${url}.`,
      hint: 'Check that the file exists; theme files are looked up next to print.css.',
      ...locateInTheme(book.theme, urlNeedles(url)),
    });
  }
  return diagnostics;
}

/** "U+0000-00FF, U+0131" and Chromium's "U+0-FF, U+131" alike, as "0-255,305-305". */
function unicodeRanges(ranges: string): string {
  return ranges
    .split(',')
    .map((range) => {
      const [from, to = from] = range.trim().replace(/^u\+/i, '').split('-');
      return `${Number.parseInt(from.replace(/\?/g, '0'), 16)}-${Number.parseInt(to.replace(/\?/g, 'f'), 16)}`;
    })
    .join(',');
}

/** Chromium did not load or print the print document in time. */
export function timeoutDiagnostic(book: Book, step: 'load' | 'print', ms: number): Diagnostic {
  return {
    code: 'print-timeout',
    severity: 'error',
    message: `Chromium did not ${step === 'load' ? 'load the print document' : 'finish printing'} within ${ms / 1000} s; the PDF was not written.`,
    hint: 'Look for a very large image or table in the manuscript, or a stylesheet rule in print.css that never settles.',
    file: path.relative(process.cwd(), path.join(book.dir, 'book.yaml')),
  };
}
