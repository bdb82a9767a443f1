// Pages that may load local files under given roots and nothing from the network: every other request is
// refused and recorded, so a build can fail on it with the URL.

import { realpathSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, HTTPRequest, Page } from 'puppeteer-core';
import { blankDocumentUrl } from './blank-document.ts';
import { newTab } from './first-tab.ts';

function canonical(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync(absolute);
  } catch {
    return absolute;
  }
}

function isInside(file: string, root: string): boolean {
  return file === root || file.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * The request policy of openLockedPage: `data:`, `blob:` and `about:` URLs pass, `file:` URLs pass when
 * the file (symlinks resolved) is inside one of `allowedRoots`, everything else is refused.
 */
export function createUrlPolicy(allowedRoots: readonly string[]): (url: string) => boolean {
  const roots = allowedRoots.map(canonical);
  return (url: string): boolean => {
    const scheme = url.slice(0, url.indexOf(':') + 1).toLowerCase();
    if (scheme === 'data:' || scheme === 'blob:' || scheme === 'about:') return true;
    if (scheme !== 'file:') return false;
    let file: string;
    try {
      file = canonical(fileURLToPath(url));
    } catch {
      return false; // file://host/…, an encoded '/', or not a URL at all.
    }
    return roots.some((root) => isInside(file, root));
  };
}

export interface LockedPageOptions {
  /** Directories whose files the page may load (the build directory, fonts, images …). */
  allowedRoots: readonly string[];
  /**
   * Opened in the background and never shown, so Chromium draws no frame of it: the print pages' load and
   * passes took 0.05–0.15 s less (medians of five alternate cold builds of the 40-chapter book). Nothing that
   * waits for a frame settles in it: `image.decode()`, `requestAnimationFrame`, observers.
   */
  hidden?: boolean;
}

export interface LockedPage {
  page: Page;
  /**
   * URLs the page tried to load and was refused, without repeats, in the order first seen; WebSocket
   * attempts too. Fail the build when it is not empty.
   */
  blockedRequests(): string[];
}

/**
 * A new page that may load only `file:` URLs under `allowedRoots` and `data:`/`blob:`/`about:` URLs;
 * every other request is aborted (`net::ERR_BLOCKED_BY_CLIENT`) and recorded. Load documents with
 * `page.goto(pathToFileURL(file).href)`: `page.setContent()` pages cannot load `file:` fonts. A hidden page opens
 * on the browser's blank document (blank-document.ts), the one file outside the roots it may load.
 */
export async function openLockedPage(browser: Browser, opts: LockedPageOptions): Promise<LockedPage> {
  const spare = opts.hidden ? spares.get(browser)?.shift() : undefined;
  if (spare) {
    const ready = await spare.catch(() => undefined);
    if (ready && !ready.page.isClosed()) return ready.lock(opts.allowedRoots);
  }
  return (await unlockedPage(browser, opts.hidden === true)).lock(opts.allowedRoots);
}

const spares = new WeakMap<Browser, Promise<UnlockedPage>[]>();

/**
 * Readies `count` hidden pages for the next `openLockedPage(browser, { hidden: true })` calls, so that their
 * protocol round trips run now and not on the caller's path. A build readies two as Chromium starts, for the
 * two halves a long book prints in (print-halves.ts): a page opened once the Book was read took 60–150 ms,
 * its replies waiting on node's thread as it made the print document, and the second half's page opened then
 * loaded its shell 100–200 ms after the first's.
 */
export function prepareLockedPage(browser: Browser, count = 1): void {
  const ready = spares.get(browser) ?? [];
  spares.set(browser, ready);
  while (ready.length < count) {
    const page = unlockedPage(browser, true);
    // Taken, or closed with the browser. One that failed is passed over: openLockedPage then opens its own.
    page.catch(() => {});
    ready.push(page);
  }
}

interface UnlockedPage {
  page: Page;
  /** Sets the roots the page may load from; until then it loads nothing but `data:`/`blob:`/`about:`. */
  lock(allowedRoots: readonly string[]): LockedPage;
}

async function unlockedPage(browser: Browser, hidden: boolean): Promise<UnlockedPage> {
  // A hidden page is a print page: it opens on its blank document (blank-document.ts), while nothing waits for it.
  const blank = hidden ? blankDocumentUrl(browser) : undefined;
  const policy = (roots: readonly string[]) => {
    const allows = createUrlPolicy(roots);
    // The blank document is requested before the policy is in force, unless the tab was sent to it afterwards.
    return blank ? (url: string) => url === blank || allows(url) : allows;
  };
  let allowed = policy([]);
  const blocked = new Set<string>();
  const page = await newTab(browser, hidden, blank);
  try {
    page.on('request', (request: HTTPRequest) => {
      if (request.isInterceptResolutionHandled()) return;
      const url = request.url();
      if (allowed(url)) {
        request.continue().catch(() => {});
      } else {
        blocked.add(url);
        request.abort('blockedbyclient').catch(() => {});
      }
    });
    await page.setRequestInterception(true);
    // WebSockets bypass request interception; OFFLINE_ARGS stop them, this makes them visible.
    const cdp = await page.createCDPSession();
    cdp.on('Network.webSocketCreated', (event) => {
      blocked.add(event.url);
    });
    await cdp.send('Network.enable');
    // A tab opened later would hide a shown one, and a hidden page never decodes an image (`image.decode()`
    // waits for a frame that is not drawn): verified. Emulated focus keeps a shown page shown.
    if (!hidden) await cdp.send('Emulation.setFocusEmulationEnabled', { enabled: true });
  } catch (error) {
    await page.close().catch(() => {});
    throw error;
  }
  return {
    page,
    lock(allowedRoots) {
      allowed = policy(allowedRoots);
      return { page, blockedRequests: () => [...blocked] };
    },
  };
}
