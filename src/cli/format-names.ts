/**
 * The edition names for the CLI's help and argument check, without loading the editions (that would cost
 * `imprint --help` a second). test/package-api.test.ts keeps this list equal to src/outputs/index.ts.
 */
export const CLI_FORMAT_NAMES: readonly string[] = ['html', 'pdf', 'epub', 'print'];

/** What `imprint build` makes without --format: the reading editions (`print` needs Ghostscript). */
export const CLI_DEFAULT_FORMATS: readonly string[] = ['html', 'pdf', 'epub'];
