// What Imprint knows about the system tools it needs: where a browser is, which packages provide the rest,
// and the one piece of advice it gives when something is missing. Shared by the postinstall set-up
// (scripts/setup.mjs) and the browser finder (src/platform/browser/find-browser.ts), so both look and say
// the same.
import { accessSync, constants, statSync } from 'node:fs';

/** System browsers, looked for after PUPPETEER_EXECUTABLE_PATH and Puppeteer's own download. */
export const SYSTEM_BROWSER_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

/** True for a regular file this process may execute. */
export function isExecutableFile(file) {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Debian/Ubuntu packages that provide everything the build and the tests run. */
export const SYSTEM_PACKAGES = [
  'chromium',
  'epubcheck',
  'poppler-utils',
  'qpdf',
  'ghostscript',
  'zbar-tools',
];

/** The single command that installs them. */
export const SETUP_COMMAND = `sudo apt-get install -y ${SYSTEM_PACKAGES.join(' ')}`;

/** What to tell someone whose machine lacks Chromium or one of the other tools. */
export const SETUP_ADVICE =
  `Install the tools Imprint needs with:\n  ${SETUP_COMMAND}\n` +
  'or point PUPPETEER_EXECUTABLE_PATH at an installed Chrome or Chromium.';
