/**
 * The command's own V8 budget (bin/jit-flags.mjs): which runs get it, and that V8 takes it at run time. The probe
 * counts the calls of a small function before V8 optimises it, with optimising done on the main thread
 * (`--no-concurrent-recompilation`) so the count is exact rather than a race with a background thread.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTERRUPT_BUDGET_FLAG, jitFlags } from '../bin/jit-flags.mjs';

const repoRoot = path.resolve(import.meta.dirname, '..');
const node20 = process.versions.v8.startsWith('11.');

describe('jitFlags', () => {
  const run = { command: 'build', v8Version: '11.3.244.8-node.38', execArgv: [] };

  it('raises the budget for a build and a check on node 20', () => {
    expect(jitFlags(run)).toEqual([INTERRUPT_BUDGET_FLAG]);
    expect(jitFlags({ ...run, command: 'check' })).toEqual([INTERRUPT_BUDGET_FLAG]);
  });

  it('leaves the preview server, the help, other V8 versions and a budget given to node alone', () => {
    expect(jitFlags({ ...run, command: 'preview' })).toEqual([]);
    expect(jitFlags({ ...run, command: '--help' })).toEqual([]);
    expect(jitFlags({ ...run, command: undefined })).toEqual([]);
    expect(jitFlags({ ...run, v8Version: '11.8.172.17-node.19' })).toEqual([]);
    expect(jitFlags({ ...run, v8Version: '12.4.254.21-node.33' })).toEqual([]);
    expect(jitFlags({ ...run, execArgv: ['--interrupt-budget=1000'] })).toEqual([]);
    expect(jitFlags({ ...run, execArgv: ['--interrupt_budget=1000'] })).toEqual([]);
    // Other flags that only begin the same way are not a budget.
    expect(jitFlags({ ...run, execArgv: ['--interrupt-budget-for-feedback-allocation=500'] })).toEqual([
      INTERRUPT_BUDGET_FLAG,
    ]);
  });
});

describe.runIf(node20)('tuneJit in a process', () => {
  let dir: string;
  let probe: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'imprint-jit-'));
    probe = path.join(dir, 'probe.mjs');
    writeFileSync(
      probe,
      [
        `import { tuneJit } from ${JSON.stringify(pathToFileURL(path.join(repoRoot, 'bin', 'jit-flags.mjs')).href)};`,
        'if (process.argv[2]) tuneJit(process.argv[2]);',
        'function hot(n) { let s = 0; for (let i = 0; i < 10; i++) s += (n * i) % 7; return s; }',
        'let calls = 0;',
        // 16 in V8's optimisation status: the function is optimised.
        'for (; calls < 5_000_000; calls++) { hot(calls); if (%GetOptimizationStatus(hot) & 16) break; }',
        'console.log(calls);',
      ].join('\n'),
    );
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const callsBeforeOptimised = (command?: string) => {
    const result = spawnSync(
      process.execPath,
      ['--allow-natives-syntax', '--no-concurrent-recompilation', probe, ...(command ? [command] : [])],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(result.status, result.stderr).toBe(0);
    return Number(result.stdout.trim());
  };

  it('makes V8 run code several times longer before optimising it, but for the preview', () => {
    const plain = callsBeforeOptimised();
    expect(plain).toBeGreaterThan(0);
    expect(plain).toBeLessThan(5_000_000);
    expect(callsBeforeOptimised('build')).toBeGreaterThan(4 * plain);
    expect(callsBeforeOptimised('preview')).toBe(plain);
  });
});
