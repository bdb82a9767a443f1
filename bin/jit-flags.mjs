// V8 flags the `imprint` command sets for itself before it loads anything else (bin/imprint.js).
import v8 from 'node:v8';

/**
 * Eight times V8's interrupt budget (67,584 in node 20's V8 11.3): V8 then optimises only code that has run eight
 * times as long before. A build runs most of its code once (the Markdown pipeline, the editions, Puppeteer), and
 * with the default budget V8's background threads, optimising code that had already done its work, took 1.2–1.6 s
 * of CPU in a cold PDF build of the 40-chapter book (against 2.3 s for the main thread), on the two cores
 * Chromium needs; with this budget 0.7 s. Cold PDF, EPUB and HTML builds were 0.15–0.45 s faster in interleaved
 * pairs, rebuilds the same; four and sixteen times the budget did less well (README, eleventh round). Any change
 * to V8's flags also makes node compile its own modules loaded afterwards without their code cache (77 of them in
 * a PDF build): that cost is in those figures.
 */
export const INTERRUPT_BUDGET_FLAG = '--interrupt-budget=540672';

/** The budget as node's command line gives it (node refuses it in NODE_OPTIONS). */
const GIVEN_BUDGET = /^--interrupt[-_]budget(?:=|$)/;

/**
 * The flags for one run of the command: none for `preview` (a server, whose code does run long), none on a V8
 * other than node 20's (11.3, where the budget was measured), none when node was given a budget of its own.
 * @param {{ command: string | undefined, v8Version: string, execArgv: readonly string[] }} run
 * @returns {string[]}
 */
export function jitFlags({ command, v8Version, execArgv }) {
  if (command === 'preview' || !v8Version.startsWith('11.3.')) return [];
  if (execArgv.some((flag) => GIVEN_BUDGET.test(flag))) return [];
  return [INTERRUPT_BUDGET_FLAG];
}

/** Sets this process's flags for the command `command` (the first argument); the API never calls it. */
export function tuneJit(command) {
  for (const flag of jitFlags({ command, v8Version: process.versions.v8, execArgv: process.execArgv }))
    v8.setFlagsFromString(flag);
}
