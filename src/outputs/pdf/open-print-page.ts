import { pathToFileURL } from 'node:url';
import type { Browser, HTTPRequest, Page } from 'puppeteer-core';
import { openLockedPage } from '../../platform/browser/locked-page.ts';

export const LOAD_TIMEOUT_MS = 120_000;

export interface PrintPage {
  page: Page;
  /** URLs refused by the page's request policy (not local files of this book). */
  blockedRequests(): string[];
  /** URLs that were allowed but failed to load. */
  failed: Set<string>;
}

/**
 * A locked page that may load only `allowedRoots`, with a viewport as wide as the text block (`block`, CSS px),
 * so the checks in the page measure blocks as they will be printed. The caller closes the page.
 */
export async function openPrintPage(
  browser: Browser,
  allowedRoots: readonly string[],
  block: { width: number; height: number },
): Promise<PrintPage> {
  // Hidden: no frame of the book is ever drawn on a screen, only its print.
  const { page, blockedRequests } = await openLockedPage(browser, { allowedRoots, hidden: true });
  try {
    const failed = new Set<string>();
    page.on('requestfailed', (request: HTTPRequest) => {
      if (request.failure()?.errorText !== 'net::ERR_BLOCKED_BY_CLIENT') failed.add(request.url());
    });
    await page.setViewport({ width: Math.floor(block.width), height: Math.floor(block.height) });
    return { page, blockedRequests, failed };
  } catch (error) {
    await page.close().catch(() => {});
    throw error;
  }
}

/** Loads the print document `file` into `page`; false when it did not load within LOAD_TIMEOUT_MS. */
export async function loadPrintDocument(page: Page, file: string): Promise<boolean> {
  try {
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: LOAD_TIMEOUT_MS });
    return true;
  } catch (error) {
    if (!(error instanceof Error && error.name === 'TimeoutError')) throw error;
    return false;
  }
}
