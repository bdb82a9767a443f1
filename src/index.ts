/**
 * Imprint's programmatic API: the CLI (src/cli) is a thin layer over these functions. None of them prints,
 * exits the process, installs signal handlers or reads the working directory: paths are resolved as given.
 */
import * as v from 'valibot';
import { openChapterCache } from './book/chapter-cache.ts';
import { processChaptersInPool } from './book/chapter-pool.ts';
import { createBookLoader } from './book/load-book.ts';
import type { Book } from './book/types.ts';
import { type BuildEditionsOptions, type BuildResult, buildEditions } from './cli/build.runner.ts';
import { type CheckManuscriptOptions, checkManuscript } from './cli/check.runner.ts';
import { BookSchema } from './config/schema.ts';
import { ImprintError } from './diagnostics/diagnostic.ts';
import type { PreviewOptions, PreviewServer } from './preview/preview-server.ts';

export type { CachedChapterResult, ChapterCache } from './book/chapter-cache.ts';
export type * from './book/types.ts';
export type { CheckReport, EditionSummary } from './check/check-report.ts';
export type {
  BuildEditionsOptions as BuildOptions,
  BuildProgress,
  BuildResult,
  WrittenFile,
} from './cli/build.runner.ts';
export type { CheckManuscriptOptions as CheckOptions } from './cli/check.runner.ts';
export type { BookInput } from './config/schema.ts';
export { type Diagnostic, formatDiagnostic, ImprintError, type Severity } from './diagnostics/diagnostic.ts';
export { IMPRINT_VERSION as version } from './imprint-package.ts';
export type { LockHolder } from './outputs/out-lock.ts';
export type { PreviewOptions, PreviewServer } from './preview/preview-server.ts';

export interface LoadBookOptions {
  /** The chapter cache's folder; `false` turns it off. Default: node_modules/.cache/imprint (see README). */
  cache?: string | false;
}

/**
 * Reads a manuscript folder into the Book every edition is made from.
 * @throws ImprintError when the manuscript cannot be read (no book.yaml, invalid YAML, no chapters …);
 * problems in the text are in `book.diagnostics`.
 */
export async function loadBook(manuscript: string, options: LoadBookOptions = {}): Promise<Book> {
  const cache = options.cache === false ? undefined : openChapterCache(manuscript, options.cache);
  return createBookLoader({ cache }).loadBookWith(manuscript, processChaptersInPool);
}

/** Builds the editions of a manuscript into `out`: what was written and every diagnostic. */
export function build(options: BuildEditionsOptions): Promise<BuildResult> {
  return buildEditions(options);
}

/** `imprint check`: lints the manuscript, then builds and validates every edition (unless `editions: false`). */
export function check(options: CheckManuscriptOptions) {
  return checkManuscript(options);
}

/** Starts the live preview; `close()` stops the server, the watcher and its browser. */
export async function preview(options: PreviewOptions): Promise<PreviewServer> {
  const { startPreviewServer } = await import('./preview/preview-server.ts');
  return startPreviewServer({ ...options, port: options.port ?? 0 });
}

/** What book.yaml may hold, for writing it from code (e.g. a script that generates a book.yaml). */
export type BookConfig = v.InferInput<typeof BookSchema>;

/**
 * Types and checks a book configuration as book.yaml would be checked; returns it unchanged.
 * @throws ImprintError with one diagnostic per problem.
 */
export function defineConfig(config: BookConfig): BookConfig {
  const result = v.safeParse(BookSchema, config);
  if (!result.success) {
    throw new ImprintError(
      result.issues.map((issue) => ({
        code: 'invalid-setting',
        severity: 'error' as const,
        message: `${v.getDotPath(issue) ?? 'book'}: ${issue.message}`,
      })),
    );
  }
  return config;
}
