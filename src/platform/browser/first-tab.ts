/**
 * The tab Chromium opens as it starts, for the first page a browser's caller asks for. Headless Chromium opens
 * one blank tab at launch, with its renderer started while the browser starts; a new tab instead starts a
 * renderer when it is asked for, on the print's path (a new tab took 140 ms of a cold PDF build's
 * 200 between the Book and the print document, with node's thread busy making the document). Later pages are
 * new tabs.
 */
import type { Browser, Page } from 'puppeteer-core';

const taken = new WeakSet<Browser>();

export async function newTab(browser: Browser, background = false, url?: string): Promise<Page> {
  // The first tab is shown; a page opened in the background never is.
  if (background) return url ? backgroundTabAt(browser, url) : browser.newPage({ background: true });
  if (!taken.has(browser)) {
    taken.add(browser);
    const pages = await browser.pages();
    const first = pages.length === 1 ? pages[0] : undefined;
    if (first && first.url() === 'about:blank') return first;
  }
  return browser.newPage();
}

/** Past this, a background tab's first document is not waited for any more: its caller checks the page's URL. */
const FIRST_LOAD_TIMEOUT_MS = 30_000;

/**
 * A background tab opened at `url` and loaded: its renderer starts for that document. Opened on about:blank and
 * then sent to a `file:` URL, a tab started a second renderer for the file (the first is left idle), on the
 * two cores Chromium's start and the reading of the manuscript share.
 */
async function backgroundTabAt(browser: Browser, url: string): Promise<Page> {
  // The target is created through a session of a tab already open: Puppeteer's browser-wide connection is its
  // own, and the browser's target, which would give one, is not always known to it. Without a tab that can (none
  // open, or it closed meanwhile), the tab is opened as Puppeteer opens one, and sent on.
  let targetId: string | undefined;
  const [tab] = await browser.pages();
  if (tab) {
    const session = await tab.createCDPSession().catch(() => undefined);
    targetId = await session
      ?.send('Target.createTarget', { url, background: true })
      .then((created) => created.targetId)
      .catch(() => undefined);
    await session?.detach().catch(() => {});
  }
  if (!targetId) {
    const page = await browser.newPage({ background: true });
    await page.goto(url, { waitUntil: 'load', timeout: FIRST_LOAD_TIMEOUT_MS }).catch(() => {});
    return page;
  }
  // Puppeteer names a target's id only internally; it is the id Chromium gave it.
  const target = await browser.waitForTarget(
    (candidate) => (candidate as unknown as { _targetId?: string })._targetId === targetId,
  );
  const page = await target.page();
  if (!page) throw new Error(`The tab Chromium opened at ${url} has no page.`);
  // Its load may have come before Puppeteer attached to it: then the document says so.
  const loaded = new Promise((resolve) => page.once('load', resolve));
  const state = await page.evaluate(() => `${location.href} ${document.readyState}`).catch(() => '');
  if (state !== `${url} complete`) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      loaded,
      new Promise((resolve) => (timer = setTimeout(resolve, FIRST_LOAD_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
  }
  return page;
}
