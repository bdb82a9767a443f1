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

/** The loaded page printed once; undefined when Chromium did not finish within PRINT_TIMEOUT_MS. */
export async function printToPdf(page: Page): Promise<Uint8Array | undefined> {
  try {
    return await page.pdf(PDF_OPTIONS);
  } catch (error) {
    if (!(error instanceof Error && error.name === 'TimeoutError')) throw error;
    return undefined;
  }
}
