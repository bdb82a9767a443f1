/**
 * One epubcheck JVM for the whole test run. Debian's epubcheck 4.2.6 checks one file per run, and each run
 * starts a JVM and loads its schemas (most of its 13–27 s on a busy machine); EpubcheckBatch.java checks any
 * number of EPUBs in one JVM. Vitest's global setup (epubcheckService below) listens on a local port and
 * starts the JVM on the first request; test files ask through checkEpub (check-epub.ts), which reads epubcheck's own JSON
 * report with the same code as `imprint check` (epubcheckResult). Every EPUB is still checked by epubcheck.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { TestProject } from 'vitest/node';
import { EPUBCHECK_JAR, JAVA_QUICK_START } from '../../src/check/editions/epubcheck.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    epubcheckPort: number;
  }
}

/** Vitest global setup: the service's port for the test files, and the JVM stopped after the run. */
export default async function epubcheckService(project: TestProject): Promise<() => Promise<void>> {
  let jvm: ChildProcessWithoutNullStreams | undefined;
  let answers: AsyncIterator<string> | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  // A JVM that ends without answering (a JRE has no compiler for the source launcher) is not retried: every
  // later request is told 'gone', and checkEpub runs epubcheck itself.
  let unavailable = false;
  const check = (epub: string, report: string): Promise<string> => {
    const run = queue.then(async () => {
      if (unavailable) return 'gone';
      if (!jvm || jvm.exitCode !== null) {
        jvm = spawn('java', [
          ...JAVA_QUICK_START,
          '-cp',
          EPUBCHECK_JAR,
          path.join(import.meta.dirname, 'EpubcheckBatch.java'),
        ]);
        jvm.stderr.resume();
        jvm.on('error', () => {});
        jvm.stdin.on('error', () => {});
        answers = createInterface({ input: jvm.stdout })[Symbol.asyncIterator]();
      }
      jvm.stdin.write(`${epub}\t${report}\n`);
      const answer = await answers?.next();
      if (answer && !answer.done) return answer.value;
      unavailable = true;
      return 'gone';
    });
    queue = run.catch(() => {});
    return run;
  };
  const server = createServer((socket) => {
    createInterface({ input: socket }).once('line', (line) => {
      const [epub, report] = line.split('\t');
      check(epub, report).then(
        (code) => socket.end(`${code}\n`),
        () => socket.end('gone\n'),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  project.provide('epubcheckPort', typeof address === 'object' && address ? address.port : 0);
  return async () => {
    await new Promise((resolve) => server.close(resolve));
    jvm?.stdin.end();
    jvm?.kill();
  };
}
