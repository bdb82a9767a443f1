/**
 * The edition names for the CLI's help and argument check, without loading the editions (that would cost
 * `imprint --help` a second). test/package-api.test.ts keeps this list equal to src/outputs/index.ts.
 */
export const CLI_FORMAT_NAMES: readonly string[] = ['html', 'pdf', 'epub'];
