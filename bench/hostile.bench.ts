/**
 * Hostile input: the manuscripts issue 9 measured taking minutes, never finishing, or gigabytes to read (see
 * hostile-inputs.ts), each built as a whole process (`imprint build --format html`, so reading, every
 * pipeline plugin and the HTML edition), with its wall time and peak memory. Targets: under 5 s each,
 * and the 20 MB chapter under 30 s and 1 GB. The long word also goes through the PDF (hyphenation).
 *
 * For the two inputs whose cost is the parser's (one long line, the 20 MB chapter) it also times the floor:
 * a node process that reads the chapter and runs micromark alone (CommonMark to HTML), which any build must
 * at least do. The machine is shared, so CPU time (user + system) is shown beside the wall time, and the
 * load average as each run starts.
 *
 * Peak memory and CPU time come from GNU time (`/usr/bin/time`, Debian package `time`); without it only wall
 * times are shown. Run alone with `npx tsx bench/hostile.bench.ts`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { HOSTILE_INPUTS, writeHostileManuscript } from './hostile-inputs.ts';

export interface HostileRun {
  name: string;
  what: string;
  /** The edition built, or `micromark` for the floor. */
  format: string;
  seconds: number;
  /** User + system CPU seconds, when GNU time is there to tell. */
  cpuSeconds?: number;
  /** The one-minute load average as the run started. */
  load: number;
  /** Peak resident memory of the process, when GNU time is there to tell. */
  peakMb?: number;
  exitCode: number | null;
  /** The codes the build reported, e.g. nesting-too-deep. */
  codes: string[];
}

const GNU_TIME = '/usr/bin/time';
const BIN = path.join(import.meta.dirname, '..', 'bin', 'imprint.js');

/** The inputs whose cost is reading: each also gets the floor, micromark alone over the same text. */
const PARSER_BOUND = new Set(['long-line', 'large']);
const FLOOR_SCRIPT =
  "import { readFileSync } from 'node:fs'; import { micromark } from 'micromark'; micromark(readFileSync(process.argv[1], 'utf8'));";

export function benchHostile(): HostileRun[] {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'imprint-bench-hostile-'));
  const runs: HostileRun[] = [];
  try {
    for (const input of HOSTILE_INPUTS) {
      const dir = writeHostileManuscript(input, parent);
      for (const format of input.name === 'long-word' ? ['html', 'pdf'] : ['html']) {
        const out = path.join(dir, '..', `${input.name}-out`);
        runs.push({
          name: input.name,
          what: input.what,
          format,
          ...timed(['node', BIN, 'build', dir, '--out', out, '--format', format]),
        });
      }
      if (PARSER_BOUND.has(input.name)) {
        const chapter = path.join(dir, '01-chapter.md');
        runs.push({
          name: input.name,
          what: input.what,
          format: 'micromark',
          ...timed(['node', '--input-type=module', '-e', FLOOR_SCRIPT, chapter]),
        });
      }
    }
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
  return runs;
}

/** One whole process, timed from the outside. */
function timed(command: string[]): Omit<HostileRun, 'name' | 'what' | 'format'> {
  const measured = existsSync(GNU_TIME);
  const load = os.loadavg()[0];
  const started = performance.now();
  const result = spawnSync(
    measured ? GNU_TIME : command[0],
    measured ? ['-f', '%U %S %M', ...command] : command.slice(1),
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, cwd: path.join(import.meta.dirname, '..') },
  );
  const seconds = (performance.now() - started) / 1000;
  const [user, system, peakKb] = measured
    ? (/([\d.]+) ([\d.]+) (\d+)\s*$/.exec(result.stderr)?.slice(1).map(Number) ?? [])
    : [];
  return {
    seconds,
    load,
    cpuSeconds: user === undefined || system === undefined ? undefined : user + system,
    peakMb: peakKb === undefined ? undefined : peakKb / 1024,
    exitCode: result.status,
    codes: [
      ...new Set([...`${result.stdout}${result.stderr}`.matchAll(/\[([a-z0-9-]+)\]$/gm)].map((m) => m[1])),
    ],
  };
}

export function formatHostileBench(runs: HostileRun[]): string {
  const rows = runs.map(
    (run) =>
      `| ${run.what} | ${run.format === 'micromark' ? 'floor: micromark alone' : run.format} | ${run.seconds.toFixed(1)} s | ${run.cpuSeconds === undefined ? 'n/a' : `${run.cpuSeconds.toFixed(1)} s`} | ${run.peakMb === undefined ? 'n/a' : `${Math.round(run.peakMb)} MB`} | ${run.load.toFixed(1)} | ${run.exitCode} | ${run.codes.join(', ') || '–'} |`,
  );
  return [
    'Hostile input (whole `imprint build` processes; targets: < 5 s each, 20 MB chapter < 30 s and < 1 GB)',
    '',
    '| input | edition | time | CPU time | peak memory | load | exit | codes reported |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(`${formatHostileBench(benchHostile())}\n`);
}
