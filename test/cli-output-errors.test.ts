/**
 * `imprint build` against output folders that cannot take the editions, through the CLI's runner in this
 * process (the CLI itself only where another user is needed): one coded line naming the path, exit code 1,
 * no stack trace, and the previous good build byte for byte as it was.
 * Read-only and full disks are real tmpfs mounts (skipped where this process may not mount), an unwritable
 * folder is written by the `nobody` user (skipped when not root), and a late failure is a Chromium that is
 * not a browser, after the HTML and EPUB were already made.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statfsSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBuild } from '../src/cli/build.runner.ts';
import { runCheck } from '../src/cli/check.runner.ts';
import { solidPng } from './support/epub-sample-book.ts';
import { tempManuscript } from './support/temp-manuscript.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'imprint-out-errors-'));
const mounts: string[] = [];

afterAll(() => {
  for (const mount of mounts) {
    spawnSync('umount', [mount]);
  }
  rmSync(scratch, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command's runner in this process, as `imprint` would, and collects what it prints. */
async function inProcess(run: () => Promise<number>, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const printed = { stdout: '', stderr: '' };
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
  const cwd = process.cwd();
  process.stdout.write = (chunk: string | Uint8Array) => {
    printed.stdout += String(chunk);
    return true;
  };
  process.stderr.write = (chunk: string | Uint8Array) => {
    printed.stderr += String(chunk);
    return true;
  };
  Object.assign(process.env, env);
  process.chdir(scratch);
  try {
    return { code: await run(), ...printed };
  } finally {
    process.chdir(cwd);
    Object.assign(process.stdout, { write: writes.stdout });
    Object.assign(process.stderr, { write: writes.stderr });
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

const build = (manuscript: string, out: string, formats = 'html', env: NodeJS.ProcessEnv = {}) =>
  inProcess(() => runBuild({ manuscriptDir: manuscript, outDir: out, formats: formats.split(',') }), env);

/** The CLI itself, as the `nobody` user. */
function buildAsNobody(manuscript: string, out: string): Run {
  const result = spawnSync(
    'setpriv',
    [
      '--reuid=65534',
      '--regid=65534',
      '--clear-groups',
      process.execPath,
      path.join(repoRoot, 'bin/imprint.js'),
      'build',
      manuscript,
      '--out',
      out,
      '--format',
      'html',
    ],
    { cwd: scratch, encoding: 'utf8', env: { ...process.env, HOME: os.tmpdir() } },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every file under `dir`, hidden ones too, with a hash of its bytes. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const file = path.join(dir, name);
    if (statSync(file).isFile()) files[name] = createHash('sha256').update(readFileSync(file)).digest('hex');
  }
  return files;
}

/** Exactly one error line `<path>  error: …  [code]` and the closing sentence, nothing like a stack. */
function expectCodedFailure(run: Run, code: string, where: string) {
  // Paths are shown relative to the working folder (scratch) when inside it.
  const relative = path.relative(scratch, where);
  const file = relative && !relative.startsWith('..') ? relative : where;
  expect(run.code, run.stderr).toBe(1);
  const errors = run.stderr.split('\n').filter((line) => / {2}error: /.test(line));
  expect(errors, run.stderr).toHaveLength(1);
  expect(errors[0].startsWith(`${file}  error: `), errors[0]).toBe(true);
  expect(errors[0].endsWith(`[${code}]`), errors[0]).toBe(true);
  expect(run.stderr).toContain('Nothing in the output folder was changed');
  expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n|Error: E[A-Z]+:/);
}

const goodBook = () =>
  tempManuscript({ 'book.yaml': 'title: Test Book\n', '01-one.md': '# One\n\nGood text.\n' });

/** A tmpfs of `size` at a new folder, or undefined where this process may not mount. */
function tmpfs(size: string): string | undefined {
  const dir = mkdtempSync(path.join(scratch, 'mount-'));
  const result = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
  if (result.status !== 0) return undefined;
  mounts.push(dir);
  return dir;
}
const canMount = (() => {
  const probe = process.getuid?.() === 0 ? tmpfs('64k') : undefined;
  if (probe) spawnSync('umount', [probe]);
  mounts.length = 0;
  return probe !== undefined;
})();
const canDropPrivileges = process.getuid?.() === 0 && spawnSync('setpriv', ['--version']).status === 0;

describe('imprint build into an output folder it cannot use', async () => {
  it('refuses to replace the manuscript folder named like the book, and keeps it intact', async () => {
    const parent = mkdtempSync(path.join(scratch, 'parent-'));
    const manuscript = path.join(parent, 'manuscript');
    mkdirSync(manuscript);
    writeFileSync(path.join(manuscript, 'book.yaml'), 'title: Manuscript\n');
    writeFileSync(path.join(manuscript, '01-one.md'), '# One\n\nThe only copy.\n');
    const before = snapshot(parent);
    const run = await build(manuscript, parent);
    expectCodedFailure(run, 'out-not-imprint', manuscript);
    expect(snapshot(parent)).toEqual(before);
  });

  it('refuses --out inside the manuscript', async () => {
    const manuscript = goodBook();
    const run = await build(manuscript, path.join(manuscript, 'dist'));
    expectCodedFailure(run, 'out-inside-manuscript', path.join(manuscript, 'dist'));
    expect(existsSync(path.join(manuscript, 'dist'))).toBe(false);
  });

  it('says --out is a file', async () => {
    const file = path.join(scratch, 'a-file');
    writeFileSync(file, 'mine');
    expectCodedFailure(await build(goodBook(), file), 'out-not-folder', file);
    expect(readFileSync(file, 'utf8')).toBe('mine');
  });

  it.skipIf(!canMount)('says --out is read-only, and keeps the previous build', async () => {
    const out = tmpfs('4m') as string;
    const manuscript = goodBook();
    expect((await build(manuscript, out)).code).toBe(0);
    const before = snapshot(out);
    expect(spawnSync('mount', ['-o', 'remount,ro', out]).status).toBe(0);
    try {
      writeFileSync(path.join(manuscript, '01-one.md'), '# One\n\nNew text.\n');
      expectCodedFailure(await build(manuscript, out), 'out-read-only', out);
      expect(snapshot(out)).toEqual(before);
    } finally {
      spawnSync('mount', ['-o', 'remount,rw', out]);
    }
  });

  it.skipIf(!canMount)(
    'says the disk is full, keeps the previous build and leaves no staging folder',
    async () => {
      const out = tmpfs('4m') as string;
      const manuscript = goodBook();
      expect((await build(manuscript, out)).code).toBe(0);
      // Leave room for the lock and the start of the HTML edition, not for its fonts.
      const { bavail, bsize } = statfsSync(out);
      writeFileSync(path.join(out, 'ballast'), Buffer.alloc(Math.max(0, bavail * bsize - 48 * 1024)));
      const before = snapshot(out);
      writeFileSync(path.join(manuscript, '01-one.md'), '# One\n\nNew text.\n');
      // With a cache of its own: with the first build's, the fonts would be linked from the published edition
      // (unchanged-files.ts) and take no room.
      const cache = { IMPRINT_CACHE_DIR: path.join(scratch, `cache-${path.basename(out)}`) };
      expectCodedFailure(await build(manuscript, out, 'html', cache), 'out-disk-full', out);
      expect(snapshot(out)).toEqual(before);
      expect(
        readdirSync(out).filter((name) => name.startsWith('.imprint-staging-') || name === '.imprint-lock'),
      ).toEqual([]);
    },
  );

  it.skipIf(!canMount)(
    'keeps the previous build whole when the disk fills after unchanged files were linked from it',
    async () => {
      const out = tmpfs('4m') as string;
      const manuscript = goodBook();
      const cache = { IMPRINT_CACHE_DIR: path.join(scratch, `cache-${path.basename(out)}`) };
      expect((await build(manuscript, out, 'html', cache)).code).toBe(0);
      const published = readdirSync(out, { recursive: true, encoding: 'utf8' }).filter((name) =>
        name.includes('fonts'),
      );
      expect(published.length).toBeGreaterThan(1);
      // Room for the lock and the folders only: the fonts are linked, the edited page cannot be written.
      const { bavail, bsize } = statfsSync(out);
      writeFileSync(path.join(out, 'ballast'), Buffer.alloc(Math.max(0, bavail * bsize - 4 * 1024)));
      const before = snapshot(out);
      writeFileSync(path.join(manuscript, '01-one.md'), `# One\n\n${'New text. '.repeat(2000)}\n`);
      expectCodedFailure(await build(manuscript, out, 'html', cache), 'out-disk-full', out);
      expect(snapshot(out)).toEqual(before);
      expect(readdirSync(out).filter((name) => name.startsWith('.imprint-staging-'))).toEqual([]);
      // Each published file has its one name again: the links went with the staging folder.
      for (const name of readdirSync(out, { recursive: true, encoding: 'utf8' })) {
        const stats = statSync(path.join(out, name));
        if (stats.isFile()) expect(stats.nlink, name).toBe(1);
      }
    },
  );

  it.skipIf(!canMount)(
    'says the disk is full when not even the lock fits, and leaves no half-written lock',
    async () => {
      const out = tmpfs('64k') as string;
      const { bavail, bsize } = statfsSync(out);
      writeFileSync(path.join(out, 'ballast'), Buffer.alloc(bavail * bsize));
      expectCodedFailure(await build(goodBook(), out), 'out-disk-full', out);
      expect(readdirSync(out)).toEqual(['ballast']);
    },
  );

  it.skipIf(!canMount)('check --format json reports a full temporary disk as valid JSON', async () => {
    const tmp = tmpfs('64k') as string;
    writeFileSync(path.join(tmp, 'ballast'), Buffer.alloc(0));
    const { bavail, bsize } = statfsSync(tmp);
    writeFileSync(path.join(tmp, 'ballast'), Buffer.alloc(bavail * bsize));
    const manuscript = goodBook();
    const run = await inProcess(
      () => runCheck({ manuscriptDir: manuscript, format: 'json', editions: true }),
      { TMPDIR: tmp },
    );
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.ok).toBe(false);
    expect(report.diagnostics.map((d: { code: string }) => d.code)).toContain('out-disk-full');
  });

  it.skipIf(!canDropPrivileges)(
    'says --out is not writable for the user, and keeps the previous build',
    async () => {
      const out = mkdtempSync(path.join(scratch, 'locked-'));
      const manuscript = goodBook();
      chmodSync(manuscript, 0o755);
      chmodSync(scratch, 0o755);
      expect((await build(manuscript, out)).code).toBe(0);
      chmodSync(out, 0o755); // Root's folder: readable, not writable, for nobody.
      const before = snapshot(out);
      const run = buildAsNobody(manuscript, out);
      expectCodedFailure(run, 'out-unwritable', out);
      expect(snapshot(out)).toEqual(before);
    },
  );
});

describe('a late failure', async () => {
  it('(Chromium that is not a browser, after the HTML and EPUB were made) leaves the previous set as it was', {
    timeout: 240_000,
  }, async () => {
    // A cover image of its own, so the EPUB needs no browser and is finished before the PDF fails.
    const manuscript = tempManuscript({
      'book.yaml': 'title: Test Book\ncover: cover.png\n',
      '01-one.md': '# One\n\nGood text.\n',
      'cover.png': solidPng(16, 24, [20, 40, 60]),
    });
    const out = mkdtempSync(path.join(scratch, 'late-'));
    const first = await build(manuscript, out, 'html,pdf,epub');
    expect(first.code, first.stderr).toBe(0);
    const before = snapshot(out);
    expect(Object.keys(before).sort()).toEqual(
      ['.imprint-manifest.json', 'test-book.epub', 'test-book.pdf', 'test-book/.imprint-edition']
        .concat(
          Object.keys(before).filter(
            (name) => name.startsWith('test-book/') && name !== 'test-book/.imprint-edition',
          ),
        )
        .sort(),
    );
    writeFileSync(path.join(manuscript, '01-one.md'), '# One\n\nNew text.\n');
    const run = await build(manuscript, out, 'html,pdf,epub', { PUPPETEER_EXECUTABLE_PATH: '/bin/false' });
    expectCodedFailure(run, 'browser-failed', '/bin/false');
    expect(run.stdout).toContain('made the html edition');
    expect(run.stdout).toContain('made the epub edition');
    expect(snapshot(out)).toEqual(before);
  });
});
