/** The interrupt budget the command gives V8 (see jit-flags.mjs). */
export declare const INTERRUPT_BUDGET_FLAG: string;
/** The V8 flags for one run of the command; empty where it leaves V8's defaults. */
export declare function jitFlags(run: {
  command: string | undefined;
  v8Version: string;
  execArgv: readonly string[];
}): string[];
/** Sets this process's V8 flags for the command `command`. */
export declare function tuneJit(command: string | undefined): void;
