/**
 * What the operating system or the browser says when an edition cannot be written, turned into one coded
 * diagnostic with the path and what to do: a full disk, a read-only or unwritable output folder, a file where
 * a folder belongs, Chromium that will not start. Everything else keeps its first line under `edition-failed`.
 */
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';

/** A path as the user typed it: relative to the working folder when it lies below it. */
export function shownPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/** The path an errno error is about: the destination of a copy or rename, else its one path. */
function errorPath(error: unknown): string | undefined {
  const { dest, path: file } = (error ?? {}) as { dest?: unknown; path?: unknown };
  if (typeof dest === 'string') return dest;
  return typeof file === 'string' ? file : undefined;
}

const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0];

/**
 * The diagnostic for a failed file-system call on `where` (the output folder, or a file in it), or undefined
 * when `error` is not an errno error.
 */
export function fileSystemDiagnostic(error: unknown, where: string): Diagnostic | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code)) return undefined;
  // Imprint's own files (the lock, the staging folder, gone once the build stops) mean nothing to the user.
  const failed = errorPath(error);
  const file = shownPath(failed && !/[\\/]\.imprint-/.test(failed) ? failed : where);
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return {
        code: 'out-disk-full',
        severity: 'error',
        file,
        message: 'The disk is full (or your quota is used up): the editions could not be written.',
        hint: 'Free some space on that disk, or write elsewhere (--out for build, TMPDIR for check).',
      };
    case 'EROFS':
      return {
        code: 'out-read-only',
        severity: 'error',
        file,
        message: 'The output folder is on a read-only file system.',
        hint: 'Build into a folder you can write to with --out.',
      };
    case 'EACCES':
    case 'EPERM':
      return {
        code: 'out-unwritable',
        severity: 'error',
        file,
        message: 'You do not have permission to write here.',
        hint: 'Make the folder writable for your user (chmod u+w), or build elsewhere with --out.',
      };
    case 'ENOTDIR':
    case 'EEXIST':
      return {
        code: 'out-not-folder',
        severity: 'error',
        file,
        message: 'The output folder (or a folder above it) is a file.',
        hint: 'Give --out the path of a folder, or move the file away.',
      };
    default:
      return {
        code: 'out-write-failed',
        severity: 'error',
        file,
        message: `The editions could not be written: ${firstLine(error)}`,
        hint: 'Check the disk and the output folder, then build again.',
      };
  }
}

/** Puppeteer's own errors when the browser cannot start, dies or stops answering. */
function isBrowserFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (['TargetCloseError', 'ProtocolError', 'ConnectionClosedError'].includes(error.name)) return true;
  return /Failed to launch the browser process|Browser (?:was )?(?:disconnected|closed)|Target closed|Connection closed|Navigating frame was detached/i.test(
    error.message,
  );
}

/**
 * The diagnostic for an edition whose build threw: a write into the output folder (`outDir`) that failed, a
 * browser that is missing or crashed, or anything else.
 */
export function editionFailure(edition: string, error: unknown, outDir: string): Diagnostic {
  const errnoPath = errorPath(error);
  const inOut = errnoPath === undefined || !path.relative(outDir, errnoPath).startsWith('..');
  const written = inOut ? fileSystemDiagnostic(error, outDir) : undefined;
  if (written) return written;
  if (error instanceof Error && error.name === 'BrowserNotFoundError') {
    const [problem, ...advice] = error.message.split('\n');
    const executable = process.env.PUPPETEER_EXECUTABLE_PATH;
    return {
      ...(executable ? { file: shownPath(executable) } : {}),
      code: 'browser-missing',
      severity: 'error',
      message: `This build needs Chromium: ${problem}`,
      hint: advice.join(' ').replace(/\s+/g, ' ').trim(),
    };
  }
  if (isBrowserFailure(error)) {
    const executable = process.env.PUPPETEER_EXECUTABLE_PATH;
    return {
      code: 'browser-failed',
      severity: 'error',
      ...(executable ? { file: shownPath(executable) } : {}),
      message: `Chromium did not start, or stopped during the build: ${firstLine(error)}`,
      hint: executable
        ? 'PUPPETEER_EXECUTABLE_PATH must name Chrome or Chromium; unset it to use the one Imprint finds.'
        : 'Build again; if it happens every time, reinstall Chromium (npm run setup).',
    };
  }
  return {
    code: 'edition-failed',
    severity: 'error',
    message: `The ${edition} edition could not be built: ${firstLine(error)}`,
    hint: 'Report it with the manuscript if the message does not say what to change.',
  };
}
