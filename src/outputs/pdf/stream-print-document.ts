/**
 * Hands the print document to Chromium in parts as they are made (print-document.ts's sink): the shell with the
 * front matter first, parsed into the blank document the print page opened on (blank-document.ts; a shell that
 * would not be the same document there loads as a file), then the chapters go into it as they come, so Chromium
 * can parse and lay out the first chapters while node makes the last, and the book's faces load with the shell,
 * so the chapters are laid out once, with their fonts. Loaded whole instead, the document waited for its last
 * chapter, and Chromium's load laid the book out with fallback fonts, then again once the web fonts came. A shell
 * navigated to took 310–360 ms beside node making the chapters, and the chapters waited for it.
 * The page ends with the same DOM as a load of the whole file: every part is parsed where the chapters go, as
 * `innerHTML` parses (so no script in it runs), and the mark that held the place is taken out at the end.
 */
import { writeFile } from 'node:fs/promises';
import type { Page } from 'puppeteer-core';
import type { FontFile } from '../../book/types.ts';
import { blankDocumentUrl } from '../../platform/browser/blank-document.ts';
import { LOAD_TIMEOUT_MS, loadPrintDocument } from './open-print-page.ts';
import type { PrintDocumentSink } from './print-document.ts';

/** Where the chapters go in the shell as Chromium loads it: a template, which is never displayed. */
const PLACE = '<template data-imprint-chapters></template>';

/** A style attribute that brings a file, or a style element (hast-util-to-html quotes attributes with `"`). */
const STYLE_IMAGE = /\sstyle="[^"]*url\(|<style[\s>]/i;

/** Up to this many declared faces are all loaded with the shell (a Latin book with symbols and emoji has 26). */
const FACES_LOADED_AT_ONCE = 64;

export type StreamOutcome =
  /** Every part is in the page and its images have loaded (or failed): the page holds the document. */
  | 'loaded'
  /** The shell, or the images of the parts, did not load within LOAD_TIMEOUT_MS. */
  | 'timeout'
  /** The page did not take the parts (see `opening`) or the document was not made of them: load it whole. */
  | 'not-streamed';

export interface PrintStream {
  sink: PrintDocumentSink;
  /**
   * Settles once the page holds the document, or cannot; rejects when `opening` does, or when writing the
   * shell or a call into the page fails (the page or the browser gone).
   */
  done: Promise<StreamOutcome>;
}

/** A face the document declares for the book (theme-fonts.ts), as a CSS font and a character it holds. */
export interface DeclaredFace {
  font: string;
  text: string;
}

/** The book's faces (the files font-selection.ts chose for its characters) as the stream loads them. */
export function declaredFaces(fonts: readonly FontFile[]): DeclaredFace[] {
  return fonts.map(declaredFace);
}

/** A font file as a CSS font and a character its unicode-range holds, so that loading it loads that face alone. */
function declaredFace(font: FontFile): DeclaredFace {
  const family = font.family.replace(/["\\]/g, '\\$&');
  return { font: `${font.style} ${font.weight} 16px "${family}"`, text: sampleCharacter(font.unicodeRange) };
}

/** The first printable character of a unicode-range ("U+0000-00FF, U+0131" gives "!"); "a" without one. */
function sampleCharacter(unicodeRange: string | undefined): string {
  for (const part of (unicodeRange ?? '').split(',')) {
    const match = /^\s*U\+([0-9a-f?]+)(?:-([0-9a-f]+))?\s*$/i.exec(part);
    if (!match) continue;
    const start = Number.parseInt(match[1].replace(/\?/g, '0'), 16);
    const end = match[2] ? Number.parseInt(match[2], 16) : Number.parseInt(match[1].replace(/\?/g, 'f'), 16);
    if (end >= 0x21) return String.fromCodePoint(Math.max(start, 0x21));
  }
  return 'a';
}

/**
 * `opening` gives the page, and whether it takes the parts (a page opened with other hyphenation than the
 * document is made for does not). `file` is where the shell is written for the page to load when it is not put
 * into the page's blank document; `faces` are the book's own faces, loaded with the shell.
 */
export function streamPrintDocument(
  opening: Promise<{ page: Page; take: boolean }>,
  file: string,
  faces: readonly DeclaredFace[] = [],
  /**
   * Run in the page once the shell has loaded, before any part goes in (the second half's, print-halves.ts). Sent
   * as its source, called as `(source)()`: a function declaration or expression, not a method or a bound one.
   */
  onShell?: () => void,
): PrintStream {
  const parts: string[] = [];
  let shell: { before: string; after: string } | undefined;
  let ended = false;
  let abandoned = false;
  let wake: (() => void) | undefined;
  const next = () => {
    wake?.();
    wake = undefined;
  };
  const arrival = () => new Promise<void>((resolve) => (wake = resolve));
  const done = (async (): Promise<StreamOutcome> => {
    const { page, take } = await opening;
    if (!take) return 'not-streamed';
    while (!shell && !abandoned) await arrival();
    if (!shell || abandoned) return 'not-streamed';
    const html = `${shell.before}${PLACE}${shell.after}`;
    // The book's own faces (the files Imprint chose for its characters) start loading with the shell, so the
    // chapters are laid out once, with the fonts they print in: left to the layout, a face loaded only once text
    // asked for it, and the text was laid out again when it came (65 ms of a cold PDF build, medians of nine
    // alternate builds). A face the text does not use is never embedded in the PDF. Faces a theme's CSS declares
    // itself are left to the layout, as are the many slices of a CJK book (the layout loads only the weights and
    // styles its text uses).
    const loaded = faces.length <= FACES_LOADED_AT_ONCE ? faces : [];
    // What the page does once it holds the shell, in the call that puts it there: each call waits for node's
    // thread, busy making the chapters.
    const afterShell = `${onShell ? `(${onShell})();` : ''} (${loadFaces})(${JSON.stringify(loaded)});`;
    // Into the page's blank document when it is at it and nothing in the shell loads or runs differently there.
    const blank = blankDocumentUrl(page.browser());
    const adopted =
      blank !== undefined && page.url() === blank && adoptable(html)
        ? await withTimeout(
            page.evaluate(
              `(() => { if (!(${adoptShell})(${JSON.stringify(html)})) return false; ${afterShell} return true; })()`,
            ) as Promise<boolean>,
            LOAD_TIMEOUT_MS,
          )
        : false;
    if (adopted === undefined) return 'timeout';
    if (!adopted) {
      await writeFile(file, html);
      if (!(await loadPrintDocument(page, file))) return 'timeout';
      await page.evaluate(`(() => { ${afterShell} })()`);
    }
    // In the blank document a relative URL would name a file of Chromium's profile, not one beside the print
    // document as in a document navigated to; such parts (no part Imprint makes) are loaded whole.
    const relative = (part: string) => adopted === true && RELATIVE_RESOURCE.test(part);
    for (;;) {
      if (abandoned) return 'not-streamed';
      if (parts.length > 0) {
        const html = parts.splice(0).join('');
        // An image a style brings (`url(…)` in a style attribute or element) is not an `<img>` closeParts can
        // wait for, while the load event of a whole document waits for it: such a document is loaded whole. Text
        // that only mentions `url(` (a book about CSS) is no image.
        if (STYLE_IMAGE.test(html) || relative(html)) return 'not-streamed';
        // Parts that came while the last went in go in together: one parse and one layout for all of them.
        const inserted = await withTimeout(page.evaluate(insertParts, html), LOAD_TIMEOUT_MS);
        if (!inserted) return 'timeout';
        continue;
      }
      if (ended) break;
      await arrival();
    }
    return (await withTimeout(page.evaluate(closeParts), LOAD_TIMEOUT_MS)) ? 'loaded' : 'timeout';
  })();
  // Awaited by the caller; until then a failed opening must not be an unhandled rejection.
  done.catch(() => {});
  return {
    sink: {
      start(before, after) {
        shell = { before, after };
        next();
      },
      chapter(html) {
        parts.push(html);
        next();
      },
      end(html) {
        parts.push(html);
        ended = true;
        next();
      },
      abandon() {
        abandoned = true;
        next();
      },
    },
    done,
  };
}

/** A shell that is a standards-mode document, as the blank document is (blank-document.ts). */
const ADOPTABLE = /^\s*<!doctype html>/i;

/**
 * What a shell put into the blank document would not do as one navigated to: a script would not run, `noscript`
 * would be parsed as markup and a declarative shadow root not attached (DOMParser parses without scripting), the
 * load event would not wait for a stylesheet, frame or image that only CSS, SVG or a form names, a base or refresh
 * would be read late.
 */
const NOT_ADOPTABLE =
  /<(?:script|noscript|link|iframe|frame|object|embed|base|image|use)\b|<meta\b[^>]*\bhttp-equiv|@import|shadowrootmode|\sposter\s*=|\stype\s*=\s*["']?image\b/i;

/**
 * A resource named relative to the document (not `#…`, `data:`, `file:` or any other scheme). A link (`href`) is
 * not one: nothing loads it, and relative to the blank document or to the print document's file, both in folders
 * the build removes, it leads nowhere either way; a book with one still streams.
 */
const RELATIVE_RESOURCE =
  /\s(?:src|srcset|poster|data)\s*=\s*(?!["']?(?:[a-z][a-z0-9+.-]*:|#))["']?[^\s"'>]/i;

/** The same in CSS. */
const RELATIVE_URL = /url\(\s*(?!["']?(?:[a-z][a-z0-9+.-]*:|#))/i;

/** Whether `html`, a shell, is the same document put into the blank document as navigated to (adoptShell). */
function adoptable(html: string): boolean {
  // `url(…)` in a @font-face rule is a font, loaded when text asks for it either way; anywhere else, an image.
  const withoutFaces = html.replace(/@font-face\s*\{[^}]*\}/gi, '');
  return (
    ADOPTABLE.test(html) &&
    !NOT_ADOPTABLE.test(html) &&
    !/url\(/i.test(withoutFaces) &&
    !RELATIVE_RESOURCE.test(html) &&
    !RELATIVE_URL.test(html)
  );
}

/**
 * In the page: makes the blank document the shell `html`, parsed by DOMParser (the document parser without
 * scripting: what `adoptable` lets through parses the same either way), its root's attributes and children moved
 * in. False, leaving the page as it was, when the two would not be the same document: another mode or encoding,
 * a doctype with identifiers, anything outside the root, or an attribute the root would not take.
 */
function adoptShell(html: string): boolean {
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  const type = parsed.doctype;
  const attributes = [...parsed.documentElement.attributes];
  const scratch = document.createElement('html');
  try {
    for (const attribute of attributes) scratch.setAttribute(attribute.name, attribute.value);
  } catch {
    return false;
  }
  if (
    parsed.compatMode !== document.compatMode ||
    document.characterSet !== 'UTF-8' ||
    !type ||
    type.publicId !== '' ||
    type.systemId !== '' ||
    parsed.childNodes.length !== 2 ||
    document.documentElement.attributes.length > 0
  )
    return false;
  const root = document.documentElement;
  for (const attribute of attributes) root.setAttribute(attribute.name, attribute.value);
  root.replaceChildren(...[...parsed.documentElement.childNodes].map((node) => document.adoptNode(node)));
  return true;
}

/** In the page: the declared faces' loads, begun (not awaited: the passes wait for the fonts). */
function loadFaces(declared: readonly DeclaredFace[]): void {
  for (const face of declared) document.fonts.load(face.font, face.text).catch(() => {});
}

/** In the page: parses `html` in the place of the chapters, after what is there already. */
function insertParts(html: string): true {
  const place = document.querySelector('template[data-imprint-chapters]');
  if (!place) throw new Error('The print document lost the place of its chapters.');
  place.insertAdjacentHTML('beforebegin', html);
  return true;
}

/**
 * In the page: takes the mark out and waits, as the load event would have, for the images the parts brought.
 * `<img>` is all a chapter can load: raw frames, objects, media and inline SVG are taken out of manuscripts
 * (rehype-unsafe-html.ts), and parts with a `url(…)` are not streamed.
 */
async function closeParts(): Promise<true> {
  document.querySelector('template[data-imprint-chapters]')?.remove();
  // A lazy image outside the viewport is not waited for by the load event either: it might never load here.
  const loading = [...document.images].filter((image) => !image.complete && image.loading !== 'lazy');
  await Promise.all(
    loading.map(
      (image) =>
        new Promise((settle) => {
          image.addEventListener('load', settle, { once: true });
          image.addEventListener('error', settle, { once: true });
        }),
    ),
  );
  return true;
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
    timer.unref();
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
