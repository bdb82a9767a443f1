// V8 flags the `imprint` command sets for itself before it loads anything else (bin/imprint.js).
import { createRequire } from 'node:module';
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

/** The commands that build editions, where the budget was measured; `preview` is a server, whose code runs long. */
const BUILDING = new Set(['build', 'check']);

/**
 * node's own modules a build loads after the flags are set, loaded before: once V8's flags change, node compiles
 * each module of its own without the code cache it ships (`NODE_DEBUG_NATIVE=CODE_CACHE` lists 32 in a rebuild of
 * the HTML edition, 77 in a cold PDF build).
 */
const NODE_MODULES_OF_A_BUILD = [
  'node:crypto',
  'node:diagnostics_channel',
  'node:fs/promises',
  'node:module',
  'node:net',
  'node:os',
  'node:perf_hooks',
  'node:util',
];

/**
 * The flags for one run of the command: none but for a build or a check, none on a V8 other than node 20's (11.3,
 * where the budget was measured), none when node was given a budget of its own.
 * @param {{ command: string | undefined, v8Version: string, execArgv: readonly string[] }} run
 * @returns {string[]}
 */
export function jitFlags({ command, v8Version, execArgv }) {
  if (!BUILDING.has(command ?? '') || !v8Version.startsWith('11.3.')) return [];
  if (execArgv.some((flag) => GIVEN_BUDGET.test(flag))) return [];
  return [INTERRUPT_BUDGET_FLAG];
}

/** Sets this process's flags for the command `command` (the first argument); the API never calls it. */
export function tuneJit(command) {
  const flags = jitFlags({ command, v8Version: process.versions.v8, execArgv: process.execArgv });
  if (flags.length === 0) return;
  const require = createRequire(import.meta.url);
  for (const name of NODE_MODULES_OF_A_BUILD) require(name);
  for (const flag of flags) v8.setFlagsFromString(flag);
}
