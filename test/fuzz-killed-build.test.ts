/**
 * Builds change the output folder as one whole: a build killed part-way — at a moment the build itself
 * announces (the "made the … edition" lines), so every run tests the same state — leaves the files of the
 * last good build byte for byte, and the next build removes what it left (its staging folder and lock, with
 * every temporary file). A build stopped with SIGINT or SIGTERM cleans up at once and takes its Chromium down.
 */
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMAT_NAMES } from '../src/outputs/index.ts';
import { profilePrefix } from '../src/platform/browser/stale-profiles.ts';
import { generateBook } from './support/generate-book.ts';
import { pdfText, squeeze } from './support/pdf-tools.ts';
import { readZip } from './support/read-zip.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');
const scratch = mkdtempSync(path.join(tmpdir(), 'imprint-killed-build-'));
const manuscriptDir = path.join(scratch, 'manuscript');
const outDir = path.join(scratch, 'dist');
let pdfFile = '';
let firstChapter = '';

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** What each build printed, to explain a failure and to know when to stop it. */
const outputOf = new WeakMap<ChildProcess, { stdout: string; stderr: string }>();

function startBuild(manuscript = manuscriptDir): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      path.join(repoRoot, 'bin/imprint.js'),
      'build',
      manuscript,
      '--out',
      outDir,
      '--format',
      'html,pdf,epub',
    ],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000' },
    },
  );
  const printed = { stdout: '', stderr: '' };
  outputOf.set(child, printed);
  child.stdout?.on('data', (chunk) => {
    printed.stdout += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    printed.stderr += String(chunk);
  });
  return child;
}

/** Resolves once the build has printed `count` lines matching `pattern` on stdout; false if it ended first. */
function printedLines(child: ChildProcess, pattern: RegExp, count = 1): Promise<boolean> {
  return new Promise((resolve) => {
    const seen = () => (outputOf.get(child)?.stdout.match(new RegExp(pattern, 'gm')) ?? []).length >= count;
    const onData = () => {
      if (!seen()) return;
      child.stdout?.off('data', onData);
      resolve(true);
    };
    // Listeners run in order: the one in startBuild has recorded the chunk already.
    child.stdout?.on('data', onData);
    child.once('exit', () => resolve(seen()));
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

/** The published editions (everything but Imprint's lock and staging folders), with a hash of each file. */
function published(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(outDir, { recursive: true, encoding: 'utf8' })) {
    if (name.startsWith('.imprint-staging-') || name === '.imprint-lock') continue;
    const file = path.join(outDir, name);
    if (statSync(file).isFile()) files[name] = createHash('sha256').update(readFileSync(file)).digest('hex');
  }
  return files;
}

const leftovers = () =>
  readdirSync(outDir, { recursive: true, encoding: 'utf8' }).filter((name) =>
    /(^|[/\\])\.imprint-staging-|^\.imprint-lock$|\.tmp$/.test(name),
  );

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
async function chromiumOf(child: ChildProcess, timeoutMs = 90_000): Promise<number | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    const browser = processes().find((row) => row.ppid === child.pid && /chrom/i.test(row.args));
    if (browser) return browser.pgid;
    await sleep(25);
  }
  return undefined;
}

/** Resolves true once the PDF edition has begun in the staging folder (its work folder exists). */
async function pdfEditionBegun(child: ChildProcess, timeoutMs = 90_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    if (leftovers().some((name) => /[/\\]\.work[/\\]imprint-pdf-/.test(name))) return true;
    await sleep(25);
  }
  return false;
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
    firstChapter = generateBook(manuscriptDir, { chapters: 6, withFootnotes: true, withTables: true })
      .chapterFiles[0];
    const first = startBuild();
    expect(await exited(first), outputOf.get(first)?.stderr).toEqual({ code: 0, signal: null });
    const pdfs = readdirSync(outDir).filter((name) => name.endsWith('.pdf'));
    expect(pdfs).toHaveLength(1);
    pdfFile = path.join(outDir, pdfs[0]);
    expectCompletePdf(pdfFile, 'the first build');
  }, 240_000);

  // Chromium starts while the manuscript is read; the kill waits for the PDF edition to begin. Once it has,
  // no edition is complete: the EPUB and HTML wait for the PDF's page-list, and the PDF
  // needs the print. Once the PDF is made, the other two follow within moments: a kill then lands before the
  // set is published or after, and either way the folder holds one whole set.
  it.each([
    ['Chromium has started', undefined],
    ['the PDF is made', /^made the pdf edition/],
  ] as const)(
    'SIGKILLed once %s: one whole set stays, and the next build removes the leftovers',
    { timeout: 240_000 },
    async (moment, line) => {
      const before = published();
      // A new text, so the editions being made differ from the ones in dist/.
      appendFileSync(
        path.join(manuscriptDir, firstChapter),
        `\n\nA paragraph added before a kill once ${moment}.\n`,
      );
      const child = startBuild();
      const pgid = await chromiumOf(child);
      const reached = line
        ? await printedLines(child, line)
        : pgid !== undefined && (await pdfEditionBegun(child));
      // The browser profile the build made, there while it runs. Once it is killed, the profile is left for the
      // next launch to remove: this test's next build, or the launch of any other test running meanwhile (every
      // launch removes the profiles of processes that are gone), so only its presence before the kill is certain.
      const profiles = () =>
        readdirSync(tmpdir()).filter((name) => name.startsWith(profilePrefix(undefined, child.pid)));
      const profilesBeforeKill = profiles();
      child.kill('SIGKILL');
      await exited(child);
      const context = `SIGKILL once ${moment}; the build printed:\n${outputOf.get(child)?.stdout}`;
      if (!line) expect(profilesBeforeKill, context).toHaveLength(1);
      try {
        expect(reached, context).toBe(true);
        const after = published();
        const unchanged = JSON.stringify(after) === JSON.stringify(before);
        if (!line) expect(unchanged, `${context}: nothing may be published yet`).toBe(true);
        if (unchanged) {
          // It was stopped part-way: its staging folder and lock are still there.
          expect(
            leftovers().some((name) => name.startsWith('.imprint-staging-')),
            context,
          ).toBe(true);
          expect(existsSync(path.join(outDir, '.imprint-lock')), context).toBe(true);
        } else {
          // Published just before the kill: the PDF and the EPUB are both the new ones.
          for (const name of Object.keys(before).filter((file) => /\.(pdf|epub)$/.test(file)))
            expect(after[name], `${context}: ${name}`).not.toBe(before[name]);
          expectCompletePdf(pdfFile, context);
        }
        // The PDF's temporary files were in the staging folder, not in the system's temporary folder.
        if (!line)
          expect(
            leftovers().some((name) => /[/\\]\.work[/\\]imprint-pdf-/.test(name)),
            context,
          ).toBe(true);
        // Chromium is driven over a pipe: when node dies, it quits by itself.
        if (pgid !== undefined)
          expect(await groupGone(pgid, 60_000), `${context}: Chromium survived`).toBe(true);
      } finally {
        if (pgid !== undefined) killGroup(pgid);
      }
      const next = startBuild();
      expect(await exited(next)).toEqual({ code: 0, signal: null });
      if (!line)
        expect(outputOf.get(next)?.stderr).toMatch(
          /\.imprint-lock {2}info: Took over the lock of a build that is no longer running.*\[out-lock-stale\]/,
        );
      expect(leftovers()).toEqual([]);
      // The next launch removed it.
      expect(profiles(), context).toEqual([]);
      expectCompletePdf(pdfFile, 'the build after the kill');
      expect(published()).not.toEqual(before);
    },
  );

  it('two builds into one folder at once: one waits, and the set is all of one build', {
    timeout: 240_000,
  }, async () => {
    // The same book (same slug) in two versions, each naming itself in its first chapter.
    const versionA = path.join(scratch, 'version-a');
    const versionB = path.join(scratch, 'version-b');
    for (const [dir, mark] of [
      [versionA, 'qa7x'],
      [versionB, 'qb8y'],
    ]) {
      cpSync(manuscriptDir, dir, { recursive: true });
      appendFileSync(path.join(dir, firstChapter), `\n\nThis edition is version ${mark}.\n`);
    }
    // Started together: whichever locks the folder first builds, and the other waits for it.
    const builds = [startBuild(versionA), startBuild(versionB)];
    const exits = await Promise.all(builds.map(exited));
    const stderr = builds.map((child) => outputOf.get(child)?.stderr ?? '');
    expect(exits, stderr.join('\n')).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);
    const waited = stderr.map((text) =>
      text.includes('Waiting for the build already writing to this folder'),
    );
    expect(waited.filter(Boolean), stderr.join('\n')).toHaveLength(1);
    const slug = path.basename(pdfFile, '.pdf');
    // The web book: the contents page and a page per chapter.
    const html = readdirSync(path.join(outDir, slug))
      .filter((name) => name.endsWith('.html'))
      .map((name) => readFileSync(path.join(outDir, slug, name), 'utf8'))
      .join('');
    const epub = readZip(readFileSync(path.join(outDir, `${slug}.epub`)))
      .map((entry) => entry.data.toString('utf8'))
      .join('');
    const pdf = squeeze(pdfText(pdfFile));
    const versionOf = (text: string) => ['qa7x', 'qb8y'].filter((mark) => text.includes(mark));
    // The build that waited published last: every edition is its version.
    const last = waited[0] ? 'qa7x' : 'qb8y';
    expect([versionOf(html), versionOf(epub), versionOf(pdf)]).toEqual([[last], [last], [last]]);
    expect(leftovers()).toEqual([]);
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    'stops on %s with exit code %i, removes its staging folder and lock, and no Chromium survives',
    { timeout: 240_000 },
    async (signal, code) => {
      const before = published();
      appendFileSync(path.join(manuscriptDir, firstChapter), `\n\nA paragraph added before ${signal}.\n`);
      const child = startBuild();
      const pgid = await chromiumOf(child);
      // Chromium runs: every edition is being made (the EPUB and HTML wait for the PDF's page-list).
      expect(pgid, 'the build never started Chromium').toBeDefined();
      const exit = exited(child);
      child.kill(signal);
      try {
        const result = await exit;
        const { stderr } = outputOf.get(child) ?? { stderr: '' };
        // 128 + the signal, from the handler that closes the browser.
        expect(result, stderr).toEqual({ code, signal: null });
        expect(stderr).not.toMatch(/\n\s+at /);
        expect(await groupGone(pgid as number, 60_000), 'Chromium survived the build').toBe(true);
        expect(leftovers()).toEqual([]);
        expect(published()).toEqual(before);
        // Nor its browser profile, also when the signal came while Chromium was still starting.
        expect(
          readdirSync(tmpdir()).filter((name) => name.startsWith(profilePrefix(undefined, child.pid))),
        ).toEqual([]);
      } finally {
        killGroup(pgid as number);
      }
    },
  );
});
