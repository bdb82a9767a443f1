// Which Chrome or Chromium Imprint launches: the config's, the environment's, Puppeteer's download, or a
// system browser, in that order. No browser found is an error that says how to install one.

import puppeteer from 'puppeteer-core';
import { isExecutableFile, SETUP_ADVICE, SYSTEM_BROWSER_PATHS } from '../../../scripts/system-tools.mjs';

export { SYSTEM_BROWSER_PATHS };

/** Thrown when no usable Chrome or Chromium is found; its message says how to install one. */
export class BrowserNotFoundError extends Error {
  /** Every path that was tried, in order. */
  readonly searched: readonly string[];

  constructor(problem: string, searched: readonly string[]) {
    super(`${problem}\n${SETUP_ADVICE}`);
    this.name = 'BrowserNotFoundError';
    this.searched = searched;
  }
}

/** Where findBrowserExecutable looks; every field has the real default and exists for tests. */
export interface BrowserSearch {
  env?: NodeJS.ProcessEnv;
  /** Puppeteer's downloaded Chrome; `null` to skip it. Default: `puppeteer.executablePath()`. */
  puppeteerPath?: string | null;
  systemPaths?: readonly string[];
}

function puppeteerDownloadPath(): string | null {
  try {
    return puppeteer.executablePath();
  } catch {
    return null;
  }
}

/**
 * The Chrome/Chromium to launch, in this order: `explicitPath` (from the config), the
 * PUPPETEER_EXECUTABLE_PATH environment variable, Puppeteer's own downloaded Chrome if that file
 * exists, then /usr/bin/chromium, chromium-browser, google-chrome, google-chrome-stable.
 * An explicit path or environment variable that names no executable is an error, not skipped.
 * @throws BrowserNotFoundError
 */
export function findBrowserExecutable(explicitPath?: string, search: BrowserSearch = {}): string {
  const env = search.env ?? process.env;
  if (explicitPath) {
    if (isExecutableFile(explicitPath)) return explicitPath;
    throw new BrowserNotFoundError(`The configured browser ${explicitPath} is not an executable file.`, [
      explicitPath,
    ]);
  }
  const fromEnv = env.PUPPETEER_EXECUTABLE_PATH;
  if (fromEnv) {
    if (isExecutableFile(fromEnv)) return fromEnv;
    throw new BrowserNotFoundError(
      `PUPPETEER_EXECUTABLE_PATH is set to ${fromEnv}, which is not an executable file.`,
      [fromEnv],
    );
  }
  const downloaded = search.puppeteerPath === undefined ? puppeteerDownloadPath() : search.puppeteerPath;
  const candidates = [...(downloaded ? [downloaded] : []), ...(search.systemPaths ?? SYSTEM_BROWSER_PATHS)];
  const found = candidates.find(isExecutableFile);
  if (found) return found;
  throw new BrowserNotFoundError(
    `No Chrome or Chromium found (looked for ${candidates.join(', ') || 'nothing'}).`,
    candidates,
  );
}
