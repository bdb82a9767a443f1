/** System browsers, looked for after PUPPETEER_EXECUTABLE_PATH and Puppeteer's own download. */
export declare const SYSTEM_BROWSER_PATHS: readonly string[];
/** True for a regular file this process may execute. */
export declare function isExecutableFile(file: string): boolean;
/** Debian/Ubuntu packages that provide everything the build and the tests run. */
export declare const SYSTEM_PACKAGES: readonly string[];
/** The single command that installs them. */
export declare const SETUP_COMMAND: string;
/** What to tell someone whose machine lacks Chromium or one of the other tools. */
export declare const SETUP_ADVICE: string;
