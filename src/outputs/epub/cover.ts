/**
 * The EPUB cover: the image book.yaml names, or the theme's cover.html (title, subtitle, authors, publisher)
 * drawn to a 1600×2400 PNG, the 2:3 shape bookshops ask for. Satori lays the template out and draws its text
 * as outlines from the theme's font files (no browser, no system font); sharp rasterises that SVG.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { ElementContent } from 'hast';
import { codeFingerprint } from '../../book/chapter-cache.ts';
import { textDirection } from '../../book/text-direction.ts';
import type { Book } from '../../book/types.ts';
import { ImprintError } from '../../diagnostics/diagnostic.ts';
import { IMPRINT_ROOT } from '../../imprint-package.ts';
import { renderComponent } from '../../pipeline/plugins/rehype-components.ts';
import { startModuleWorker } from '../../platform/module-worker.ts';
import { inlineHast } from '../assemble.ts';
import { type CoverDrawing, drawCover } from './cover-draw.ts';
import { coverFonts, expandFamilies, stackProperties } from './cover-fonts.ts';
import { type CoverNode, CoverResourceError, coverTree } from './cover-tree.ts';

export { COVER_SIZE } from './cover-draw.ts';

/**
 * Image types every EPUB reading system shows as a cover, by file extension, each with the extension
 * epub-gen-memory gives the cover in the EPUB (`cover.<extension of the media type>`).
 */
const COVER_FORMATS: Record<string, string> = {
  '.jpg': 'jpeg',
  '.jpeg': 'jpeg',
  '.png': 'png',
  '.gif': 'gif',
};

/** The cover: an image file on disk, or the drawn cover's PNG (perhaps still being drawn). */
export type CoverSource = { file: string } | { png: Uint8Array | Promise<Uint8Array> };

/** The cover image's name inside the EPUB. */
export function coverImageName(cover: CoverSource): string {
  return 'file' in cover ? `cover.${COVER_FORMATS[path.extname(cover.file).toLowerCase()]}` : 'cover.png';
}

/** The cover named in book.yaml, checked: it must exist and be an image every reading system shows. */
export function checkedCoverFile(book: Book): string {
  const cover = book.meta.cover as string;
  const where = book.config.locate(['cover']);
  if (!existsSync(cover)) {
    throw new ImprintError([
      {
        code: 'missing-cover',
        severity: 'error',
        message: `The cover image ${path.relative(process.cwd(), cover)} does not exist.`,
        hint: 'Fix the path in book.yaml (relative to the manuscript folder), or remove "cover:" to get a generated cover.',
        ...where,
      },
    ]);
  }
  if (!COVER_FORMATS[path.extname(cover).toLowerCase()]) {
    throw new ImprintError([
      {
        code: 'cover-format',
        severity: 'error',
        message: `The cover ${path.basename(cover)} is not a JPEG, PNG or GIF image.`,
        hint: 'Save the cover as a JPEG or PNG, about 1600×2400 pixels.',
        ...where,
      },
    ]);
  }
  return cover;
}

/** The theme's cover.html, or the default theme's. */
function coverTemplate(book: Book): { file: string; source: string } {
  const own = path.join(book.theme.dir, 'cover.html');
  const file = existsSync(own) ? own : path.join(IMPRINT_ROOT, 'templates', 'default', 'cover.html');
  return { file, source: readFileSync(file, 'utf8') };
}

const coverDocuments = new WeakMap<Book, CoverNode>();

/**
 * The cover template filled in with the book's title, subtitle, authors and publisher, as Satori's tree; made
 * once per Book (the cache key and the drawing both need it).
 */
export function coverDocument(book: Book): CoverNode {
  let document = coverDocuments.get(book);
  if (!document) {
    document = makeCoverDocument(book);
    coverDocuments.set(book, document);
  }
  return document;
}

function makeCoverDocument(book: Book): CoverNode {
  const { title, subtitle, authors, publisher } = book.meta;
  const byline = authors.join(', ');
  const slots = new Map<string, ElementContent[]>([['title', inlineHast(title, book.meta.lang)]]);
  if (subtitle) slots.set('subtitle', inlineHast(subtitle, book.meta.lang));
  const template = coverTemplate(book);
  const content = renderComponent(
    template.source,
    // A publisher that is also the author (a magazine, an institution) is named once.
    {
      subtitle: Boolean(subtitle),
      authors: byline,
      publisher: publisher && publisher !== byline ? publisher : '',
    },
    slots,
  );
  const { fonts, stacks } = book.theme;
  try {
    return coverTree(content, {
      lang: book.meta.lang,
      dir: textDirection(book.meta.lang),
      css: stackProperties(stacks, fonts, book.meta.lang),
      rewriteCss: (css) => expandFamilies(css, fonts),
    });
  } catch (error) {
    if (!(error instanceof CoverResourceError)) throw error;
    throw new ImprintError([
      {
        code: 'cover-template',
        severity: 'error',
        message: error.message,
        hint: 'Draw the cover with text, boxes, borders and backgrounds in CSS; to use a picture, name it as "cover:" in book.yaml.',
        file: template.file,
      },
    ]);
  }
}

/** What the rendered cover depends on: its document, the font files it uses and Imprint's code. */
export function coverCacheKey(book: Book): string {
  const hash = createHash('sha256').update(
    `cover\u0000${codeFingerprint()}\u0000${JSON.stringify(coverDocument(book))}`,
  );
  for (const font of book.theme.fonts) {
    const { size, mtimeMs } = statSync(font.source);
    hash.update(`\u0000${font.source}\u0000${size}\u0000${mtimeMs}`);
  }
  return hash.digest('hex');
}

/**
 * Every character the cover may set: its text and stylesheet (`content`), in upper and lower case too
 * (`text-transform`).
 */
function textOf(tree: CoverNode): string {
  const raw = (node: CoverNode | string): string => {
    if (typeof node === 'string') return node;
    const { children } = node.props;
    return typeof children === 'string' ? children : (children ?? []).map(raw).join('');
  };
  const text = raw(tree);
  return `${text}${text.toUpperCase()}${text.toLowerCase()}`;
}

/** The cover's element tree and the font files it may use: all a drawing needs, plain data for a worker. */
function coverDrawing(book: Book): CoverDrawing {
  const tree = coverDocument(book);
  const fonts = coverFonts(book.theme.fonts, book.theme.stacks, book.meta.lang, textOf(tree));
  return { tree, fonts };
}

/** Draws the cover template to a PNG here. */
export async function renderCoverImage(book: Book): Promise<Uint8Array> {
  return drawCover(coverDrawing(book));
}

/**
 * Draws the cover template to a PNG in a worker thread, so the drawing (Satori's layout and outlines, sharp's
 * rasterising) runs beside the EPUB's documents and zip on a second core. The template is read and checked
 * here first: its errors are thrown from this call.
 */
export function renderCoverImageInWorker(book: Book): Promise<Uint8Array> {
  const drawing = coverDrawing(book);
  return new Promise((resolve, reject) => {
    const worker = startCoverWorker(drawing);
    worker.once('message', (message: { png: Uint8Array } | { error: string }) => {
      if ('png' in message) resolve(message.png);
      else
        reject(
          new ImprintError([
            {
              code: 'cover-template',
              severity: 'error',
              message: `The cover could not be drawn: ${message.error}`,
              file: coverTemplate(book).file,
            },
          ]),
        );
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`The cover's worker stopped (exit code ${code}).`));
    });
  });
}

function startCoverWorker(drawing: CoverDrawing): Worker {
  return startModuleWorker(import.meta.url, 'cover-worker', { workerData: drawing });
}
