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

/** Past this, a tab Chromium created is taken for lost (it appears to Puppeteer within milliseconds). */
const TARGET_TIMEOUT_MS = 10_000;

/**
 * A background tab opened at `url` and loaded: its renderer starts for that document. Opened on about:blank and
 * then sent to a `file:` URL, a tab started a second renderer for the file (the first is left idle), on the
 * two cores Chromium's start and the reading of the manuscript share. Whatever fails on the way, the tab is
 * opened as Puppeteer opens one and sent to `url`.
 */
async function backgroundTabAt(browser: Browser, url: string): Promise<Page> {
  const created = await createdTab(browser, url).catch(() => undefined);
  if (created) return created;
  const page = await browser.newPage({ background: true });
  await page.goto(url, { waitUntil: 'load', timeout: FIRST_LOAD_TIMEOUT_MS }).catch(() => {});
  return page;
}

async function createdTab(browser: Browser, url: string): Promise<Page | undefined> {
  // Created through a session of a tab already open: Puppeteer's browser-wide connection is its own, and the
  // browser's target, which would give one, is not always known to it.
  const tab = browser.targets().find((target) => target.type() === 'page');
  if (!tab) return undefined;
  const session = await tab.createCDPSession();
  let targetId: string;
  try {
    ({ targetId } = await session.send('Target.createTarget', { url, background: true }));
  } finally {
    await session.detach().catch(() => {});
  }
  try {
    // `_targetId` is Puppeteer's own, internal name for the id Chromium gave the target; should a version of
    // Puppeteer rename it, nothing matches, and the tab is closed below and opened the other way.
    const target = await browser.waitForTarget(
      (candidate) => (candidate as unknown as { _targetId?: string })._targetId === targetId,
      { timeout: TARGET_TIMEOUT_MS },
    );
    const page = await target.page();
    if (!page) throw new Error(`The tab Chromium opened at ${url} has no page.`);
    await loaded(page);
    return page;
  } catch (error) {
    await closeTarget(browser, targetId);
    throw error;
  }
}

/** Waits for `page`'s first document to load (it may have loaded before Puppeteer attached to it). */
async function loaded(page: Page): Promise<void> {
  let settle = () => {};
  const settled = new Promise<void>((resolve) => (settle = resolve));
  page.once('load', settle);
  page.once('close', settle);
  page.browser().once('disconnected', settle);
  const timer = setTimeout(settle, FIRST_LOAD_TIMEOUT_MS);
  timer.unref();
  try {
    // Not compared with the URL asked for: Chromium's form of a file URL may differ from node's.
    const state = await page
      .evaluate(() => (location.protocol === 'file:' ? document.readyState : 'opening'))
      .catch(() => 'opening');
    if (state !== 'complete') await settled;
  } finally {
    clearTimeout(timer);
    page.off('load', settle);
    page.off('close', settle);
    page.browser().off('disconnected', settle);
  }
}

async function closeTarget(browser: Browser, targetId: string): Promise<void> {
  const tab = browser.targets().find((target) => target.type() === 'page');
  const session = await tab?.createCDPSession().catch(() => undefined);
  await session?.send('Target.closeTarget', { targetId }).catch(() => {});
  await session?.detach().catch(() => {});
}
