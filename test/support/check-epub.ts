/** epubcheck over an EPUB through the test run's one epubcheck JVM (test/support/epubcheck-service.ts). */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { epubcheckResult, runEpubcheck } from '../../src/check/editions/epubcheck.ts';
import type { ToolResult } from '../../src/check/editions/tools.ts';

/** epubcheck over `file` through the run's one JVM (or its own JVM outside a vitest run). */
export async function checkEpub(file: string, shownAs: string): Promise<ToolResult> {
  const port = inject('epubcheckPort');
  if (!port) return runEpubcheck(file, shownAs);
  const workDir = await mkdtemp(path.join(tmpdir(), 'imprint-epubcheck-'));
  try {
    const report = path.join(workDir, 'report.json');
    const code = await new Promise<string>((resolve, reject) => {
      const socket = createConnection(port, '127.0.0.1', () =>
        socket.write(`${path.resolve(file)}\t${report}\n`),
      );
      socket.setEncoding('utf8');
      let answer = '';
      socket.on('data', (chunk) => {
        answer += chunk;
      });
      socket.on('end', () => resolve(answer.trim()));
      socket.on('error', reject);
    });
    // The batch JVM could not run here (a JRE without the JDK's compiler): epubcheck's own command instead.
    if (code === 'gone') return runEpubcheck(file, shownAs);
    const json = await readFile(report, 'utf8').catch(() => undefined);
    if (json === undefined) throw new Error(`epubcheck wrote no report for ${shownAs} (answer: ${code})`);
    return epubcheckResult(json, shownAs);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
