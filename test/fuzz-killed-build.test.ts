/**
 * Builds are atomic: a build killed at any moment while Chromium prints leaves dist/ with the old or
 * the new complete PDF, never a truncated one; and a build stopped with SIGINT or SIGTERM takes its
 * Chromium down with it. The moments are fixed fractions of a first build, so every run repeats them.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMAT_NAMES } from '../src/outputs/index.ts';
import { generateBook } from './support/generate-book.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');
const scratch = mkdtempSync(path.join(tmpdir(), 'imprint-killed-build-'));
const manuscriptDir = path.join(scratch, 'manuscript');
const outDir = path.join(scratch, 'dist');
let pdfFile = '';
/** How long one whole PDF build takes here, measured by the first build. */
let buildMs = 0;
let firstChapter = '';

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** What each build printed on stderr, to explain a failure. */
const stderrOf = new WeakMap<ChildProcess, string[]>();

function startBuild(): ChildProcess {
  const child = spawn(
    process.execPath,
    [path.join(repoRoot, 'bin/imprint.js'), 'build', manuscriptDir, '--out', outDir, '--format', 'pdf'],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000' },
    },
  );
  const chunks: string[] = [];
  stderrOf.set(child, chunks);
  child.stderr?.on('data', (chunk) => chunks.push(String(chunk)));
  return child;
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

interface Row {
  pid: number;
  ppid: number;
  pgid: number;
  args: string;
}

function processes(): Row[] {
  return execFileSync('ps', ['-eo', 'pid=,ppid=,pgid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({
      pid: Number(match[1]),
      ppid: Number(match[2]),
      pgid: Number(match[3]),
      args: match[4],
    }));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The Chromium the build launched (Puppeteer starts it in a process group of its own), once it runs. */
async function chromiumOf(child: ChildProcess, timeoutMs = 30_000): Promise<number | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    const browser = processes().find((row) => row.ppid === child.pid && /chrom/i.test(row.args));
    if (browser) return browser.pgid;
    await sleep(25);
  }
  return undefined;
}

async function groupGone(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!processes().some((row) => row.pgid === pgid)) return true;
    await sleep(100);
  }
  return false;
}

function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // Gone already.
  }
}

/** A complete PDF: ends with %%EOF and pdfinfo reads its pages. */
function expectCompletePdf(file: string, context: string): void {
  expect(existsSync(file), `${context}: ${file} is missing`).toBe(true);
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 5).toString('latin1'), context).toBe('%PDF-');
  expect(
    bytes.subarray(-32).toString('latin1').trimEnd().endsWith('%%EOF'),
    `${context}: no %%EOF at the end`,
  ).toBe(true);
  const info = spawnSync('pdfinfo', [file], { encoding: 'utf8' });
  expect(info.status, `${context}: pdfinfo says ${info.stderr}`).toBe(0);
  expect(Number(/^Pages:\s+(\d+)/m.exec(info.stdout)?.[1])).toBeGreaterThan(0);
}

describe.skipIf(!FORMAT_NAMES.includes('pdf'))('a killed or interrupted build', () => {
  beforeAll(async () => {
    firstChapter = generateBook(manuscriptDir, { chapters: 8, withFootnotes: true, withTables: true })
      .chapterFiles[0];
    const started = Date.now();
    const first = await exited(startBuild());
    buildMs = Date.now() - started;
    expect(first).toEqual({ code: 0, signal: null });
    const pdfs = execFileSync('ls', [outDir], { encoding: 'utf8' })
      .split('\n')
      .filter((name) => name.endsWith('.pdf'));
    expect(pdfs).toHaveLength(1);
    pdfFile = path.join(outDir, pdfs[0]);
    expectCompletePdf(pdfFile, 'the first build');
  }, 120_000);

  it('leaves the old or the new complete PDF when SIGKILLed early, midway and late while printing', {
    timeout: 180_000,
  }, async () => {
    const delays: number[] = [];
    for (let round = 0; round < 3; round++) {
      // A new text each round, so the PDF being written differs from the one in dist/.
      appendFileSync(path.join(manuscriptDir, firstChapter), `\n\nA paragraph added in round ${round}.\n`);
      const child = startBuild();
      const pgid = await chromiumOf(child);
      // Fixed points of the first build's duration, counted from Chromium's start: the same schedule every
      // run, so a failure can be repeated (a random delay made each run test something else).
      const delay = Math.floor([0.1, 0.5, 0.9][round] * buildMs);
      delays.push(delay);
      const context = `round ${round}, SIGKILL ${delay} ms after Chromium started (delays so far: ${delays.join(', ')})`;
      await sleep(delay);
      child.kill('SIGKILL');
      await exited(child);
      try {
        expectCompletePdf(pdfFile, context);
        // Chromium is driven over a pipe: when node dies, it quits by itself.
        if (pgid !== undefined)
          expect(await groupGone(pgid, 10_000), `${context}: Chromium survived`).toBe(true);
      } finally {
        if (pgid !== undefined) killGroup(pgid);
      }
    }
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    'stops on %s with exit code %i, and no Chromium survives',
    { timeout: 60_000 },
    async (signal, code) => {
      const child = startBuild();
      const pgid = await chromiumOf(child);
      expect(pgid, 'the build never started Chromium').toBeDefined();
      await sleep(Math.floor(Math.min(buildMs / 4, 500)));
      const exit = exited(child);
      child.kill(signal);
      try {
        const result = await exit;
        // Exit code 128 + signal from the handler that closes the browser; killed by the signal itself when it
        // came before the handler was installed; 0 when the build had just finished.
        const stderr = stderrOf.get(child)?.join('') ?? '';
        if (result.signal === null) expect([code, 0], stderr).toContain(result.code);
        else expect(result.signal).toBe(signal);
        expect(stderr).not.toMatch(/\n\s+at /);
        expect(await groupGone(pgid as number, 5_000), 'Chromium survived the build').toBe(true);
        expectCompletePdf(pdfFile, `after ${signal}`);
      } finally {
        killGroup(pgid as number);
      }
    },
  );
});
