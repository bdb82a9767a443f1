/**
 * The preview's one browser, for every PDF pass of the print view: launched on first use and again if it
 * crashed, closed with the preview. The preview closes it itself on Ctrl-C (see preview.runner.ts), so
 * launchBrowser's own signal handlers stay off.
 */
import type { Browser } from 'puppeteer-core';

export interface PreviewBrowser {
  /** The running browser, launching one when there is none or the last one died. */
  get(): Promise<Browser>;
  close(): Promise<void>;
}

export function createPreviewBrowser(): PreviewBrowser {
  const launch = () =>
    import('../outputs/browser.ts').then(({ launchBrowser }) => launchBrowser({ handleSignals: false }));
  let browser: Promise<Browser> | undefined;
  return {
    async get() {
      const seen = browser;
      const current = seen ? await seen.catch(() => undefined) : undefined;
      if (current?.connected) return current;
      // Two callers that both saw the dead browser launch one new one between them.
      if (browser === seen) browser = launch();
      return browser as Promise<Browser>;
    },
    async close() {
      if (browser) await (await browser.catch(() => undefined))?.close().catch(() => {});
    },
  };
}
