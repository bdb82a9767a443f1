// The one piece of advice Imprint gives when a system tool is missing. Shared by the postinstall
// set-up (scripts/setup.mjs) and the browser launcher (src/outputs/browser.ts) so both say the same.

/** Debian/Ubuntu packages that provide everything the build and the tests run. */
export const SYSTEM_PACKAGES = ['chromium', 'epubcheck', 'poppler-utils', 'qpdf'];

/** The single command that installs them. */
export const SETUP_COMMAND = `sudo apt-get install -y ${SYSTEM_PACKAGES.join(' ')}`;

/** What to tell someone whose machine lacks Chromium or one of the other tools. */
export const SETUP_ADVICE =
  `Install the tools Imprint needs with:\n  ${SETUP_COMMAND}\n` +
  'or point PUPPETEER_EXECUTABLE_PATH at an installed Chrome or Chromium.';
