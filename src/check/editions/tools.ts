/** Runs the command-line tools the edition checks rely on (epubcheck, poppler-utils, qpdf). */
import { execFile } from 'node:child_process';
import { SETUP_COMMAND } from '../../../scripts/system-tools.mjs';
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';

export interface ToolRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Thrown when the program is not installed; the check reports it as `tool-missing`. */
export class ToolMissingError extends Error {
  constructor(readonly tool: string) {
    super(`${tool} is not installed.`);
    this.name = 'ToolMissingError';
  }
}

/** Runs a program to completion and returns its exit code and output; a non-zero exit is not an error here. */
export function runTool(command: string, args: readonly string[], timeoutMs = 300_000): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new ToolMissingError(command));
        return;
      }
      if (error?.killed) {
        reject(new Error(`${command} did not finish within ${timeoutMs / 1000} s.`));
        return;
      }
      const code = typeof error?.code === 'number' ? error.code : error ? 1 : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

export function toolMissing(tool: string, needed: string): Diagnostic {
  return {
    code: 'tool-missing',
    severity: 'error',
    message: `${tool} is not installed, so ${needed} was not checked.`,
    hint: `Install it: ${SETUP_COMMAND} (or run npm install as root, which installs them).`,
  };
}

/** What one tool said about one edition, for the summary. */
export interface ToolResult {
  tool: string;
  status: 'passed' | 'failed' | 'not run';
  /** One line: "0 errors, 2 warnings". */
  summary: string;
  diagnostics: Diagnostic[];
}
