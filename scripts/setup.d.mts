// Types for scripts/setup.mjs (plain JavaScript so that it runs before any dependency is installed).

export interface MissingTool {
  tool: string;
  /** The Debian package that provides it. */
  package: string;
}

export interface ToolSearch {
  /** PATH (and PUPPETEER_EXECUTABLE_PATH) are read from here. Default: process.env. */
  env?: Record<string, string | undefined>;
  /** System browser locations to try. Default: BROWSER_PATHS. */
  browserPaths?: readonly string[];
}

export interface BrowserCheck {
  ok: boolean;
  detail: string;
}

export type SetupResult = 'skipped' | 'ok' | 'advised' | 'installed' | 'install-failed';

export interface SetupOptions extends ToolSearch {
  platform?: NodeJS.Platform;
  isRoot?: boolean;
  isDebian?: boolean;
  /** Runs a command with inherited stdio and returns its exit status. */
  run?: (command: string, args: string[], env: Record<string, string | undefined>) => number;
  checkBrowser?: (executable: string) => BrowserCheck;
  log?: (line: string) => void;
}

export declare const BROWSER_PATHS: readonly string[];
export declare const REQUIRED_COMMANDS: readonly MissingTool[];
export declare function setupSkipped(env?: Record<string, string | undefined>): boolean;
export declare function findOnPath(
  command: string,
  env?: Record<string, string | undefined>,
): string | undefined;
export declare function findBrowser(search?: ToolSearch): string | undefined;
export declare function findMissingTools(search?: ToolSearch): MissingTool[];
export declare function packagesFor(missing: readonly MissingTool[]): string[];
export declare function checkBrowserLaunches(
  executable: string,
  options?: { timeoutMs?: number },
): BrowserCheck;
export declare function runSetup(options?: SetupOptions): SetupResult;

export declare const OPTIONAL_COMMANDS: readonly (MissingTool & { purpose: string })[];
export declare function findMissingOptionalTools(search?: {
  env?: Record<string, string | undefined>;
}): (MissingTool & { purpose: string })[];
export declare function isOwnInstall(options?: {
  packageDir?: string;
  env?: Record<string, string | undefined>;
}): boolean;
