/**
 * `imprint check --preflight kdp|ingramspark`: builds the press files into a temporary folder through the
 * same output as `imprint build --format print`, then holds them against the service's published rules.
 * Every finding is a coded diagnostic; README.md ("Sending the book to a printer") names each rule's source.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import { parseIsbn } from '../../book/isbn.ts';
import type { Book } from '../../book/types.ts';
import { type Diagnostic, ImprintError } from '../../diagnostics/diagnostic.ts';
import { buildDateFromEnvironment, type OutputContext } from '../../outputs/output.ts';
import { coverLayout, POINTS_PER_INCH, points, trimSize } from '../../outputs/press/geometry.ts';
import { printOutput } from '../../outputs/print.ts';
import { parsePdffonts } from '../editions/pdf.ts';
import { runTool, type ToolResult } from '../editions/tools.ts';
import { imageResolutions } from './image-resolution.ts';
import { inkCoverage, type PdfFacts, placedImages, placedWords, readPdfFacts } from './pdf-facts.ts';
import { matchingTrim, type PrintService, SERVICES, type ServiceName } from './services.ts';

export interface PreflightResult {
  diagnostics: Diagnostic[];
  files: string[];
  tools: ToolResult[];
  pageCount: number;
}

/** Ink below this share of the page counts as none (inkcov rounds to five decimals). */
const NO_INK = 0.00001;

export async function runPreflight(
  book: Book,
  serviceName: ServiceName,
  browser: () => Promise<Browser>,
): Promise<PreflightResult> {
  const service = SERVICES[serviceName];
  const outDir = await mkdtemp(path.join(tmpdir(), 'imprint-preflight-'));
  try {
    const diagnostics: Diagnostic[] = [];
    const context: OutputContext = {
      outDir,
      browser,
      report: (diagnostic) => diagnostics.push(diagnostic),
      buildDate: buildDateFromEnvironment(),
    };
    let files: string[];
    try {
      files = await printOutput.build(book, context);
    } catch (error) {
      if (error instanceof ImprintError)
        return { diagnostics: error.diagnostics, files: [], tools: [], pageCount: 0 };
      throw error;
    }
    const [interior, cover] = files;
    if (!interior || !cover) return { diagnostics, files: [], tools: [], pageCount: 0 };
    const findings = await checkPressFiles(book, service, interior, cover);
    const errors = findings.filter((finding) => finding.severity === 'error').length;
    const warnings = findings.filter((finding) => finding.severity === 'warning').length;
    return {
      diagnostics: [...diagnostics, ...findings],
      files: files.map((file) => path.relative(outDir, file)),
      tools: [
        {
          tool: `preflight (${service.name})`,
          status: errors ? 'failed' : 'passed',
          summary: `${errors} error(s), ${warnings} warning(s)`,
          diagnostics: findings,
        },
      ],
      pageCount: (await readPdfFacts(interior)).pages.length,
    };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/** The service's rules applied to a press interior and its cover. */
export async function checkPressFiles(
  book: Book,
  service: PrintService,
  interiorFile: string,
  coverFile: string,
): Promise<Diagnostic[]> {
  const print = book.meta.print;
  const config = bookYaml(book);
  const interior = { file: path.basename(interiorFile) };
  const coverAt = { file: path.basename(coverFile) };
  const found: Diagnostic[] = [];
  const add = (code: string, severity: Diagnostic['severity'], message: string, hint: string, at: object) =>
    found.push({ code, severity, message, hint, ...at });

  const facts = await readPdfFacts(interiorFile);
  const pageCount = facts.pages.length;
  const inches = (value: number) => `${Number((value / POINTS_PER_INCH).toFixed(3))} in`;

  // Trim size.
  const trim = trimSize(print);
  const [widthIn, heightIn] = [trim.width / POINTS_PER_INCH, trim.height / POINTS_PER_INCH];
  if (!matchingTrim(service, widthIn, heightIn)) {
    add(
      'preflight-trim-size',
      'error',
      `${service.name} does not print the trim size ${widthIn.toFixed(2)} × ${heightIn.toFixed(2)} in.`,
      `Set print.size to one of ${service.trimSizes.map(([w, h]) => `${w}in ${h}in`).join(', ')}.`,
      config.at('size'),
    );
  }

  // Page count.
  if (service.pageRange) {
    const max = service.pageRange.max(print.paper);
    if (pageCount < service.pageRange.min || pageCount > max) {
      add(
        'preflight-page-count',
        'error',
        `The interior has ${pageCount} pages; ${service.name} binds ${service.pageRange.min} to ${max} on this paper.`,
        pageCount < service.pageRange.min
          ? 'Add pages (a longer book, or blank pages at the end) or choose another service.'
          : 'Use a larger trim size or split the book.',
        interior,
      );
    }
  }

  // Margins, measured: how close text comes to each edge of the trim.
  const words = await placedWords(
    interiorFile,
    facts.pages.map((page) => page.crop),
  );
  const needInside = service.minInside(pageCount) * POINTS_PER_INCH;
  const needOutside = service.minOutside * POINTS_PER_INCH;
  let insideShown = false;
  let outsideShown = false;
  for (const word of words) {
    const page = facts.pages[word.page];
    if (!page?.trim) continue;
    const [tx0, ty0, tx1, ty1] = page.trim;
    const [x0, y0, x1, y1] = word.box;
    const recto = word.page % 2 === 0;
    const inside = recto ? x0 - tx0 : tx1 - x1;
    const outside = Math.min(recto ? tx1 - x1 : x0 - tx0, ty1 - y1, y0 - ty0);
    if (!insideShown && inside < needInside - 0.5) {
      insideShown = true;
      add(
        'preflight-margins',
        'error',
        `Text on page ${word.page + 1} ("${word.text}") is ${inches(inside)} from the spine edge; ${service.name} needs ${inches(needInside)} for ${pageCount} pages.`,
        `Set print.margins.inner to ${inches(needInside).replace(' ', '')} or more.`,
        config.at('margins'),
      );
    }
    if (!outsideShown && outside < needOutside - 0.5) {
      outsideShown = true;
      add(
        'preflight-margins',
        'error',
        `Text on page ${word.page + 1} ("${word.text}") is ${inches(outside)} from the trim; ${service.name} needs ${inches(needOutside)} on the top, bottom and outer edges.`,
        'Widen print.margins top, bottom and outer, or move the running heads and folios inwards in print.css.',
        config.at('margins'),
      );
    }
  }

  // Image resolution at the placed size.
  const images = await imageResolutions(book, await placedImages(interiorFile));
  for (const image of images.filter((candidate) => candidate.ppi < service.minImagePpi)) {
    add(
      'preflight-image-resolution',
      'warning',
      `The image ${image.asset.href} prints at ${Math.round(image.ppi)} dpi; ${service.name} asks for ${service.minImagePpi} dpi or more.`,
      `Use an image with ${Math.ceil(service.minImagePpi / image.ppi)}× the pixels, or print it smaller.`,
      { file: image.file, line: image.line, column: image.column },
    );
  }

  // Fonts embedded, in both files.
  for (const [file, at] of [
    [interiorFile, interior],
    [coverFile, coverAt],
  ] as const) {
    const fonts = parsePdffonts((await runTool('pdffonts', [file])).stdout);
    for (const font of fonts.filter((candidate) => !candidate.embedded)) {
      add(
        'preflight-fonts',
        'error',
        `The font ${font.name} is not embedded.`,
        "Use fonts from @fontsource packages named in the theme's theme.yaml.",
        at,
      );
    }
  }

  // Colour: PDF/X with an output intent; a black-and-white interior carries no C, M or Y.
  checkPdfx(facts, interior, service, add);
  checkPdfx(await readPdfFacts(coverFile), coverAt, service, add);
  const ink = await inkCoverage(interiorFile);
  if (!print.color) {
    const coloured = ink.flatMap((page, index) => (page.c + page.m + page.y > NO_INK ? [index + 1] : []));
    if (coloured.length) {
      add(
        'preflight-color',
        'error',
        `Pages ${coloured.slice(0, 10).join(', ')}${coloured.length > 10 ? ' …' : ''} of a black-and-white interior use cyan, magenta or yellow ink.`,
        'Report it: with print.color: false every colour should be converted to grey; or set print.color: true for a colour interior.',
        interior,
      );
    }
  }

  // Boxes: a TrimBox of the trim size, and a BleedBox that adds the bleed on the outer, top and bottom edges.
  const bleed = points(print.bleed);
  const badBoxes = facts.pages.flatMap((page, index) => {
    if (!page.trim || !page.bleed) return [index + 1];
    const [tx0, ty0, tx1, ty1] = page.trim;
    const [bx0, by0, bx1, by1] = page.bleed;
    const recto = index % 2 === 0;
    const close = (a: number, b: number) => Math.abs(a - b) < 0.5;
    const ok =
      close(tx1 - tx0, trim.width) &&
      close(ty1 - ty0, trim.height) &&
      close(ty0 - by0, bleed) &&
      close(by1 - ty1, bleed) &&
      close(recto ? bx1 - tx1 : tx0 - bx0, bleed) &&
      close(recto ? tx0 - bx0 : bx1 - tx1, 0);
    return ok ? [] : [index + 1];
  });
  if (badBoxes.length) {
    add(
      'preflight-boxes',
      'error',
      `Pages ${badBoxes.slice(0, 10).join(', ')} lack a TrimBox of the trim size or a BleedBox ${inches(bleed)} beyond it on the outer edges.`,
      'Report it: the press interior sets both boxes on every page.',
      interior,
    );
  }

  // No annotations, links or bookmarks in the interior.
  const annotated = facts.pages.flatMap((page, index) => (page.annotations ? [index + 1] : []));
  if (annotated.length || facts.outline) {
    add(
      'preflight-annotations',
      'error',
      `The interior carries ${annotated.length ? `annotations on pages ${annotated.slice(0, 10).join(', ')}` : 'bookmarks'}.`,
      'Send the press interior (<slug>.print.pdf), not the reading PDF.',
      interior,
    );
  }

  // Blank-page runs.
  if (service.maxBlankRun !== undefined) {
    let run = 0;
    for (let index = 0; index <= ink.length; index++) {
      const page = ink[index];
      if (page && page.c + page.m + page.y + page.k <= NO_INK) {
        run++;
        continue;
      }
      if (run > service.maxBlankRun) {
        add(
          'preflight-blank-pages',
          'error',
          `Pages ${index - run + 1}–${index} are ${run} blank pages in a row; ${service.name} allows ${service.maxBlankRun}.`,
          'Remove empty chapters or sections, or give the blank pages content.',
          interior,
        );
      }
      run = 0;
    }
  }

  // The cover: size from the formula, spine text only on a spine wide enough for it.
  const coverFacts = await readPdfFacts(coverFile);
  const layout = coverLayout(print, pageCount);
  const sheet = coverFacts.pages[0]?.bleed ?? coverFacts.pages[0]?.media;
  if (
    !sheet ||
    Math.abs(sheet[2] - sheet[0] - layout.width) > 0.5 ||
    Math.abs(sheet[3] - sheet[1] - layout.height) > 0.5
  ) {
    add(
      'preflight-cover-size',
      'error',
      `The cover is not ${inches(layout.width)} × ${inches(layout.height)} (back + spine + front with bleed for ${pageCount} pages).`,
      'Do not set a page size in cover-print.html: Imprint sizes the sheet.',
      coverAt,
    );
  }
  const spineWords = (
    await placedWords(
      coverFile,
      coverFacts.pages.map((page) => page.crop),
    )
  ).filter((word) => {
    const middle = (word.box[0] + word.box[2]) / 2;
    return middle > layout.spineX && middle < layout.spineX + layout.spine;
  });
  if (spineWords.length && pageCount < service.spineTextMinPages) {
    add(
      'preflight-spine-text',
      'error',
      `The spine carries text ("${spineWords[0].text}") but the book has ${pageCount} pages; ${service.name} allows spine text from ${service.spineTextMinPages} pages.`,
      'Leave the spine empty in cover-print.html below that page count (the default template does).',
      coverAt,
    );
  }

  // File sizes.
  for (const [file, limit, at] of [
    [interiorFile, service.maxInteriorBytes, interior],
    [coverFile, service.maxCoverBytes, coverAt],
  ] as const) {
    const size = (await stat(file)).size;
    if (limit !== undefined && size > limit) {
      add(
        'preflight-file-size',
        'error',
        `${path.basename(file)} is ${(size / 1024 / 1024).toFixed(0)} MB; ${service.name} accepts up to ${limit / 1024 / 1024} MB.`,
        'Use smaller images (300 dpi at the printed size is enough).',
        at,
      );
    }
  }

  // The ISBN on the barcode.
  const isbn = parseIsbn(book.meta.identifier);
  if (isbn && !isbn.valid) {
    add(
      'preflight-isbn',
      'error',
      `The ISBN ${isbn.text} has a wrong check digit (it should end in ${isbn.expectedCheckDigit}); the cover has no barcode.`,
      'Copy the ISBN exactly as your ISBN agency issued it.',
      config.at('identifier'),
    );
  } else if (!isbn && service.name === 'IngramSpark') {
    add(
      'preflight-isbn',
      'warning',
      'book.yaml names no ISBN, so the cover has no barcode; IngramSpark needs an ISBN for every edition.',
      'Set identifier: urn:isbn:978… in book.yaml.',
      config.at('identifier'),
    );
  }
  return found;
}

type Add = (
  code: string,
  severity: Diagnostic['severity'],
  message: string,
  hint: string,
  at: object,
) => void;

function checkPdfx(facts: PdfFacts, at: object, service: PrintService, add: Add): void {
  if (!facts.pdfxVersion || !facts.outputIntent) {
    add(
      'preflight-pdfx',
      'error',
      'The file is not PDF/X: it has no GTS_PDFXVersion or no output intent.',
      'Send the files `imprint build --format print` writes.',
      at,
    );
  } else if (service.pdfx.startsWith('PDF/X') && facts.pdfxVersion !== service.pdfx) {
    add(
      'preflight-pdfx',
      'info',
      `The file is ${facts.pdfxVersion}; ${service.name}'s default is ${service.pdfx}.`,
      'Ghostscript here writes PDF/X-3:2002 only; confirm with the service that it is accepted, or convert with a tool that writes PDF/X-1a.',
      at,
    );
  }
}

/** book.yaml as diagnostics show it, and the line of a key in it (the first line that sets it). */
function bookYaml(book: Book): { at(key: string): { file: string; line?: number; column?: number } } {
  const file = path.join(book.dir, 'book.yaml');
  let lines: string[] = [];
  try {
    lines = readFileSync(file, 'utf8').split('\n');
  } catch {
    // A book built without book.yaml on disk (tests): no line.
  }
  const shown = path.relative(process.cwd(), file);
  return {
    at(key) {
      const index = lines.findIndex((line) => new RegExp(`^\\s*${key}\\s*:`).test(line));
      return index < 0
        ? { file: shown }
        : { file: shown, line: index + 1, column: lines[index].search(/\S/) + 1 };
    },
  };
}
