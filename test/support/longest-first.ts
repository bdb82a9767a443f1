/**
 * Runs the test files longest first, by the durations a whole run recorded (test-durations.json, written by
 * record-test-durations.mjs from vitest's JSON report). With two workers the run ends when the last long file
 * does: started last, one 60 s file leaves a core idle for most of a minute. Vitest's own order needs its
 * cache of the last run, which a fresh checkout (CI) does not have; then it falls back to file size, a poor
 * guess (a short file can start a browser and a book build). A file not yet recorded keeps vitest's order,
 * ahead of the recorded ones: it is new, and may be long.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const DURATIONS = path.join(import.meta.dirname, 'test-durations.json');

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const ordered = await super.sort(files);
    let recorded: Record<string, number>;
    try {
      recorded = JSON.parse(readFileSync(DURATIONS, 'utf8')) as Record<string, number>;
    } catch {
      return ordered;
    }
    const root = this.ctx.config.root;
    const duration = (file: TestSpecification) =>
      recorded[path.relative(root, file.moduleId).split(path.sep).join('/')];
    // Array.prototype.sort is stable: unrecorded files keep vitest's order among themselves. Files that share
    // worker processes (isolate: false) come last and together: a worker is handed on only to the next file
    // in the queue, and only if that one shares too.
    const shares = (file: TestSpecification) => file.project.config.isolate === false;
    return ordered.sort((a, b) => {
      if (shares(a) !== shares(b)) return shares(a) ? 1 : -1;
      const [first, second] = [duration(a), duration(b)];
      if (first === undefined || second === undefined)
        return first === second ? 0 : first === undefined ? -1 : 1;
      return second - first;
    });
  }
}
