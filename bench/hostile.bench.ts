/**
 * Hostile input: the manuscripts issue 9 measured taking minutes, never finishing, or gigabytes to read (see
 * hostile-inputs.ts), each built as a whole process (`imprint build --format html`, so reading, every
 * pipeline plugin and the HTML edition), with its wall time and peak memory. Targets: under 5 s each,
 * and the 20 MB chapter under 30 s and 1 GB. The long word also goes through the PDF (hyphenation).
 *
 * Peak memory comes from GNU time (`/usr/bin/time`, Debian package `time`); without it only times are shown.
 * Run alone with `npx tsx bench/hostile.bench.ts`.
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
  format: string;
  seconds: number;
  /** Peak resident memory of the process, when GNU time is there to tell. */
  peakMb?: number;
  exitCode: number | null;
  /** The codes the build reported, e.g. nesting-too-deep. */
  codes: string[];
}

const GNU_TIME = '/usr/bin/time';
const BIN = path.join(import.meta.dirname, '..', 'bin', 'imprint.js');

export function benchHostile(): HostileRun[] {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'imprint-bench-hostile-'));
  const runs: HostileRun[] = [];
  try {
    for (const input of HOSTILE_INPUTS) {
      const dir = writeHostileManuscript(input, parent);
      for (const format of input.name === 'long-word' ? ['html', 'pdf'] : ['html']) {
        const out = path.join(dir, '..', `${input.name}-out`);
        const command = ['node', BIN, 'build', dir, '--out', out, '--format', format];
        const timed = existsSync(GNU_TIME);
        const started = performance.now();
        const result = spawnSync(
          timed ? GNU_TIME : command[0],
          timed ? ['-f', '%M', ...command] : command.slice(1),
          {
            encoding: 'utf8',
            maxBuffer: 64 * 1024 * 1024,
          },
        );
        const seconds = (performance.now() - started) / 1000;
        const peakKb = timed ? Number(/(\d+)\s*$/.exec(result.stderr)?.[1]) : Number.NaN;
        runs.push({
          name: input.name,
          what: input.what,
          format,
          seconds,
          peakMb: Number.isFinite(peakKb) ? peakKb / 1024 : undefined,
          exitCode: result.status,
          codes: [
            ...new Set(
              [...`${result.stdout}${result.stderr}`.matchAll(/\[([a-z0-9-]+)\]$/gm)].map((m) => m[1]),
            ),
          ],
        });
      }
    }
  } finally {
    rmSync(parent, { recursive: true, force: true });
  }
  return runs;
}

export function formatHostileBench(runs: HostileRun[]): string {
  const rows = runs.map(
    (run) =>
      `| ${run.what} | ${run.format} | ${run.seconds.toFixed(1)} s | ${run.peakMb === undefined ? 'n/a' : `${Math.round(run.peakMb)} MB`} | ${run.exitCode} | ${run.codes.join(', ') || '–'} |`,
  );
  return [
    'Hostile input (whole `imprint build` processes; targets: < 5 s each, 20 MB chapter < 30 s and < 1 GB)',
    '',
    '| input | edition | time | peak memory | exit | codes reported |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(`${formatHostileBench(benchHostile())}\n`);
}
