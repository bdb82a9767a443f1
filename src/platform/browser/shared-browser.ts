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
  /** Closes the browser if one was launched; never throws. */
  close(): Promise<void>;
}

export function sharedBrowser(options: SharedBrowserOptions = {}): SharedBrowser {
  const { relaunch = false, ...launchOptions } = options;
  let browser: Promise<Browser> | undefined;
  // Closing the same browser twice (early, then in a `finally`) waits for the one close.
  let closing: { of: Promise<Browser>; done: Promise<void> } | undefined;
  const launch = () =>
    import('./launch-browser.ts').then(({ launchBrowser }) => launchBrowser(launchOptions));
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
        closing = { of, done: of.then((launched) => launched.close()).catch(() => {}) };
      }
      await closing.done;
    },
  };
}
