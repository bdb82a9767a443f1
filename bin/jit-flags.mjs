// V8 flags the `imprint` command sets for itself before it loads anything else (bin/imprint.js).
import v8 from 'node:v8';

/**
 * Eight times V8's interrupt budget (67,584 in node 20's V8 11.3): V8 then optimises only code that has run eight
 * times as long before. A build runs most of its code once (the Markdown pipeline, the editions, Puppeteer), and
 * with the default budget V8's background threads, optimising code that had already done its work, took 1.2–1.6 s
 * of CPU in a cold PDF build of the 40-chapter book (against 2.3 s for the main thread), on the two cores
 * Chromium needs; with this budget 0.7 s. Cold builds were 0.15–0.45 s faster (PDF, EPUB, HTML: interleaved pairs,
 * every pair faster), rebuilds the same; four and sixteen times the budget did less well (README, eleventh round).
 */
export const INTERRUPT_BUDGET_FLAG = '--interrupt-budget=540672';

/**
 * The flags for one run of the command: none for `preview` (a server, whose code does run long), none on a V8
 * other than node 20's (11.x, where the budget was measured), none when node was given a budget of its own
 * (NODE_OPTIONS or its command line).
 * @param {{ command: string | undefined, v8Version: string, execArgv: readonly string[], nodeOptions: string | undefined }} run
 * @returns {string[]}
 */
export function jitFlags({ command, v8Version, execArgv, nodeOptions }) {
  if (command === 'preview' || !v8Version.startsWith('11.')) return [];
  const given = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)];
  if (given.some((flag) => flag.replaceAll('_', '-').startsWith('--interrupt-budget'))) return [];
  return [INTERRUPT_BUDGET_FLAG];
}

/** Sets this process's flags for the command `command` (the first argument); the API never calls it. */
export function tuneJit(command) {
  const flags = jitFlags({
    command,
    v8Version: process.versions.v8,
    execArgv: process.execArgv,
    nodeOptions: process.env.NODE_OPTIONS,
  });
  for (const flag of flags) v8.setFlagsFromString(flag);
}
