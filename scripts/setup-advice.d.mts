/** Debian/Ubuntu packages that provide everything the build and the tests run. */
export declare const SYSTEM_PACKAGES: readonly string[];
/** The single command that installs them. */
export declare const SETUP_COMMAND: string;
/** What to tell someone whose machine lacks Chromium or one of the other tools. */
export declare const SETUP_ADVICE: string;
