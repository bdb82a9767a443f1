import type { Page } from 'puppeteer-core';

export const PRINT_TIMEOUT_MS = 600_000;

/** Chromium's outline is not used: Imprint writes the bookmarks from the Book's headings. */
export const PDF_OPTIONS = {
  preferCSSPageSize: true,
  printBackground: true,
  outline: false,
  tagged: true,
  timeout: PRINT_TIMEOUT_MS,
} as const;

/**
 * The loaded page printed once; undefined when Chromium did not finish within PRINT_TIMEOUT_MS. The print
 * command is sent before this returns its promise, so the caller can work while Chromium prints: the fonts
 * were awaited before the layout was measured (inspect-print-document.ts), so Puppeteer's own wait for them,
 * a round trip before the command, is left out.
 */
export async function printToPdf(page: Page): Promise<Uint8Array | undefined> {
  try {
    return await page.pdf({ ...PDF_OPTIONS, waitForFonts: false });
  } catch (error) {
    if (!(error instanceof Error && error.name === 'TimeoutError')) throw error;
    return undefined;
  }
}
