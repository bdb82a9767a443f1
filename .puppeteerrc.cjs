// Puppeteer cannot download its own Chrome on machines with only the npm registry reachable;
// Imprint finds a system Chromium instead (see findBrowserExecutable in src/outputs/browser.ts).
module.exports = {
  skipDownload: true,
  chrome: { skipDownload: true },
  'chrome-headless-shell': { skipDownload: true },
  firefox: { skipDownload: true },
};
