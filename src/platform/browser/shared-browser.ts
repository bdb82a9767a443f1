/**
 * The one browser a build, a check or the preview shares between its editions and checks: launched on first
 * use (an HTML-only build never starts Chromium, nor loads Puppeteer), the same launch handed to every caller,
 * closed once by its owner.
 */
import type { Browser } from 'puppeteer-core';
import type { LaunchOptions } from './launch-browser.ts';

export interface SharedBrowserOptions extends LaunchOptions {
  /**
   * Launch a new browser when the last one died or disconnected (the preview, which lives for hours); by
   * default a failed or crashed launch is what every later caller gets, so a build reports it once.
   */
  relaunch?: boolean;
}

export interface SharedBrowser {
  /** The browser, launching it on the first call. */
  get(): Promise<Browser>;
  /** Closes the browser if one was launched, and waits for what its launch left running; never throws. */
  close(): Promise<void>;
}

let launcher: Promise<typeof import('./launch-browser.ts')> | undefined;

/**
 * Loads the launch code (Puppeteer: some 230 modules) once. A build that will need the browser starts this
 * first and awaits it before the chapters are read: loaded between chapters instead, its imports took one
 * turn of the event loop per chapter, so Chromium was spawned only after the whole read.
 */
export function loadLauncher(): Promise<typeof import('./launch-browser.ts')> {
  // A failed load is not kept: the preview's next relaunch tries again.
  launcher ??= import('./launch-browser.ts').catch((error: unknown) => {
    launcher = undefined;
    throw error;
  });
  return launcher;
}

export function sharedBrowser(options: SharedBrowserOptions = {}): SharedBrowser {
  const { relaunch = false, ...launchOptions } = options;
  let browser: Promise<Browser> | undefined;
  // Closing the same browser twice (early, then in a `finally`) waits for the one close.
  let closing: { of: Promise<Browser>; done: Promise<void> } | undefined;
  // The first locked pages are readied as soon as the browser is up (locked-page.ts).
  const launch = () =>
    Promise.all([loadLauncher(), import('./locked-page.ts')]).then(
      async ([{ launchBrowser }, { prepareLockedPage }]) => {
        const launched = await launchBrowser(launchOptions);
        // Two: a long book prints in two pages at once (print-halves.ts).
        prepareLockedPage(launched, 2);
        return launched;
      },
    );
  return {
    async get() {
      if (!relaunch) {
        browser ??= launch();
        return browser;
      }
      const seen = browser;
      const current = seen ? await seen.catch(() => undefined) : undefined;
      if (current?.connected) return current;
      // Two callers that both saw the dead browser launch one new one between them.
      if (browser === seen) browser = launch();
      return browser as Promise<Browser>;
    },
    async close() {
      const of = browser;
      if (!of) return;
      if (closing?.of !== of) {
        // Closed too is what the launch started in the background (the search for stale profiles): a command
        // may end the process once its browser is closed.
        const settled = () => launcher?.then((loaded) => loaded.staleProfilesRemoved()).catch(() => {});
        closing = {
          of,
          done: of
            .then((launched) => launched.close())
            .catch(() => {})
            .then(settled),
        };
      }
      await closing.done;
    },
  };
}
