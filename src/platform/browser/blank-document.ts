/**
 * An empty `file:` document a print page loads as soon as it is opened, so that the print document's shell can
 * later be put into it (stream-print-document.ts) instead of navigated to. A page opens on `about:blank`, which
 * may load no `file:` fonts or images; navigating it to a file once the Book is read cost the print's critical
 * path a new document and, often, a new renderer (310–360 ms per page beside the making of the chapters, on the
 * 40-chapter book). Loaded while Chromium starts and the manuscript is read, that cost falls where a core is
 * idle. The one file serves every page of the browser; it lives in the browser's throw-away profile, so it goes
 * with it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'puppeteer-core';

/**
 * No quirks: the shells Imprint makes begin with `<!doctype html>` (a shell that does not is navigated to). The
 * byte order mark makes it UTF-8, as the shells' `<meta charset>` makes them, without a node in the document.
 */
export const BLANK_DOCUMENT_HTML = '\uFEFF<!DOCTYPE html><html><head></head><body></body></html>';

const FILE_NAME = 'imprint-blank.html';

const blankDocuments = new WeakMap<Browser, string>();

/** Writes the blank document into `browser`'s profile folder `userDataDir` (launch-browser.ts). */
export function writeBlankDocument(browser: Browser, userDataDir: string): void {
  const file = join(userDataDir, FILE_NAME);
  try {
    writeFileSync(file, BLANK_DOCUMENT_HTML);
  } catch {
    return; // pages then stay on about:blank, and the shell is navigated to
  }
  blankDocuments.set(browser, pathToFileURL(file).href);
}

/** The `file:` URL of `browser`'s blank document; undefined when it has none (a browser Imprint did not launch). */
export function blankDocumentUrl(browser: Browser): string | undefined {
  return blankDocuments.get(browser);
}
