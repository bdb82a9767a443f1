/**
 * The EPUB cover: the image book.yaml names, or the theme's cover.html (title, subtitle, authors, publisher)
 * rendered by the build's one Chromium to a 1600×2400 PNG, the 2:3 shape bookshops ask for.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Element, ElementContent } from 'hast';
import { toHtml } from 'hast-util-to-html';
import type { Browser } from 'puppeteer-core';
import { codeFingerprint } from '../../book/chapter-cache.ts';
import type { Book } from '../../book/types.ts';
import { ImprintError } from '../../diagnostics/diagnostic.ts';
import { IMPRINT_ROOT } from '../../imprint-package.ts';
import { renderComponent } from '../../pipeline/plugins/rehype-components.ts';
import { fontFaceCss } from '../../templates/theme-fonts.ts';
import { inlineHast, shell } from '../assemble.ts';
import { openLockedPage } from '../browser.ts';

export const COVER_SIZE = { width: 1600, height: 2400 } as const;

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

export type CoverSource = { file: string } | { png: Uint8Array };

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
function coverTemplate(book: Book): string {
  const own = path.join(book.theme.dir, 'cover.html');
  return readFileSync(
    existsSync(own) ? own : path.join(IMPRINT_ROOT, 'templates', 'default', 'cover.html'),
    'utf8',
  );
}

/** The cover as an HTML page that loads the theme's fonts from disk. */
export function coverDocument(book: Book): string {
  const { title, subtitle, authors, publisher } = book.meta;
  const byline = authors.join(', ');
  const slots = new Map<string, ElementContent[]>([['title', inlineHast(title)]]);
  if (subtitle) slots.set('subtitle', inlineHast(subtitle));
  const body = renderComponent(
    coverTemplate(book),
    // A publisher that is also the author (a magazine, an institution) is named once.
    {
      subtitle: Boolean(subtitle),
      authors: byline,
      publisher: publisher && publisher !== byline ? publisher : '',
    },
    slots,
  );
  const fonts: Element = {
    type: 'element',
    tagName: 'style',
    properties: {},
    children: [
      { type: 'text', value: fontFaceCss(book.theme.fonts, (font) => pathToFileURL(font.source).href) },
    ],
  };
  return toHtml(shell(book, 'epub-cover', [fonts], body));
}

/** What the rendered cover depends on: its document, the font files it loads, Imprint's code and the browser. */
export function coverCacheKey(book: Book): string {
  const hash = createHash('sha256').update(`cover\u0000${codeFingerprint()}\u0000${coverDocument(book)}`);
  for (const font of book.theme.fonts) {
    const { size, mtimeMs } = statSync(font.source);
    hash.update(`\u0000${font.source}\u0000${size}\u0000${mtimeMs}`);
  }
  return hash.digest('hex');
}

/** Shrinks the cover's type (the template's --fit) until nothing spills past the bottom edge. */
const FIT_TO_PAGE = `(() => {
  const root = document.documentElement;
  let fit = 1;
  while (root.scrollHeight > window.innerHeight && fit > 0.3) {
    fit *= 0.92;
    root.style.setProperty('--fit', String(fit));
  }
})()`;

/**
 * Renders the cover template to a PNG through the build's browser, in a page that may load nothing but the
 * cover document and the theme's fonts.
 */
export async function renderCoverImage(
  book: Book,
  browser: Browser,
  tempDir = os.tmpdir(),
): Promise<Uint8Array> {
  const dir = await mkdtemp(path.join(tempDir, 'imprint-cover-'));
  const { page, blockedRequests } = await openLockedPage(browser, {
    allowedRoots: [dir, ...new Set(book.theme.fonts.map((font) => path.dirname(font.source)))],
  });
  try {
    const file = path.join(dir, 'cover.html');
    await writeFile(file, coverDocument(book));
    await page.setViewport({ ...COVER_SIZE, deviceScaleFactor: 1 });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    await page.evaluate('document.fonts.ready');
    await page.evaluate(FIT_TO_PAGE);
    const blocked = blockedRequests();
    if (blocked.length) {
      throw new Error(
        `The cover template tried to load ${blocked.join(', ')}; a cover may use only the theme's fonts.`,
      );
    }
    return await page.screenshot({ type: 'png' });
  } finally {
    await page.close();
    await rm(dir, { recursive: true, force: true });
  }
}
