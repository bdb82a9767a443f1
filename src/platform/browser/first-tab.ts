/**
 * The tab Chromium opens as it starts, for the first page a browser's caller asks for. Headless Chromium opens
 * one blank tab at launch, with its renderer started while the browser starts; a new tab instead starts a
 * renderer when it is asked for, on the print's path (a new tab took 140 ms of a cold PDF build's
 * 200 between the Book and the print document, with node's thread busy making the document). Later pages are
 * new tabs.
 */
import type { Browser, Page } from 'puppeteer-core';

const taken = new WeakSet<Browser>();

export async function newTab(browser: Browser, background = false): Promise<Page> {
  // The first tab is shown; a page opened in the background never is.
  if (background) return browser.newPage({ background: true });
  if (!taken.has(browser)) {
    taken.add(browser);
    const pages = await browser.pages();
    const first = pages.length === 1 ? pages[0] : undefined;
    if (first && first.url() === 'about:blank') return first;
  }
  return browser.newPage();
}
