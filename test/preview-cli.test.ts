// `imprint preview` as a user runs it: a separate process that prints its URL, serves, and stops cleanly
// on Ctrl-C, taking the Chromium of its print view with it.
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OUTPUTS } from '../src/outputs/index.ts';
import { copyOfSeed, get } from './support/preview-harness.ts';

const cli = path.resolve('bin/imprint.js');
const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function start(args: string[]) {
  const child = spawn(process.execPath, [cli, 'preview', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

async function until<T>(get: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = get();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Live (non-zombie) processes whose parent is `pid`. */
function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === pid && fields[0] !== 'Z') found.push(Number(name));
    } catch {
      // Gone already.
    }
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('imprint preview (the command)', () => {
  it('prints its URL, serves on 127.0.0.1 and stops on Ctrl-C with its browser', async () => {
    const dir = copyOfSeed();
    dirs.push(dir);
    const run = start([dir, '--port', '0']);
    const url = await until(() => /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(run.output().stdout)?.[1], 90_000);
    expect((await get(`${url}screen/`)).status).toBe(200);

    let browsers: number[] = [];
    if (OUTPUTS.some((output) => output.name === 'pdf')) {
      // Looking at the print view starts the browser that makes the PDF.
      const events = await fetch(`${url}__imprint/events?view=print`);
      browsers = await until(() => {
        const found = childrenOf(run.child.pid as number).filter((pid) =>
          readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('chrom'),
        );
        return found.length ? found : undefined;
      }, 90_000);
      await events.body?.cancel();
    }

    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    expect(run.output().stdout).toContain('Stopping the preview');
    for (const pid of browsers) await until(() => (alive(pid) ? undefined : true), 60_000);
  });

  it('refuses a port that is taken, when the port was asked for', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const dir = copyOfSeed();
      dirs.push(dir);
      const run = start([dir, '--port', String(port)]);
      expect(await run.exited).toBe(1);
      expect(run.output().stderr).toContain(`Cannot listen on 127.0.0.1:${port}`);
    } finally {
      blocker.close();
    }
  });
});
