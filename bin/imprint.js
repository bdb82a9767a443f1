#!/usr/bin/env node
// The `imprint` command runs the compiled JavaScript in lib/ (built by `npm run compile`, which `prepare`
// runs on `npm install` in this repository and on `npm pack`), so an installed package needs no dev
// dependency. In a checkout whose src/ is newer than lib/ (someone is editing), it runs src/ through tsx
// instead, so the command never runs stale code.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
// The one answer that needs no code at all: `imprint --version` prints before anything else is loaded.
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version}\n`);
  process.exit(0);
}
// Before any of Imprint's code loads, so that it runs with the command's own V8 flags (loaded here, after the
// one answer that needs none).
(await import('./jit-flags.mjs')).tuneJit(args[0]);
const stamp = path.join(root, 'lib', '.compiled');
const src = path.join(root, 'src');

function newestSourceTime() {
  let newest = 0;
  for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    // Joined by hand: path.join's normalising was half of this walk's 7 ms, for names readdir gives clean.
    newest = Math.max(newest, statSync(`${entry.parentPath}${path.sep}${entry.name}`).mtimeMs);
  }
  return newest;
}

const compiled = existsSync(stamp);
if (compiled && (!existsSync(src) || statSync(stamp).mtimeMs >= newestSourceTime())) {
  // The command as one bundle (scripts/compile.mjs, bundleCommand), when the compile had esbuild to make it.
  const bundle = path.join(root, 'lib', 'cli-bundle', 'main.js');
  await import(existsSync(bundle) ? pathToFileURL(bundle).href : '../lib/cli/main.js');
} else {
  const { register } = await import('tsx/esm/api').catch(() => {
    console.error('Imprint is not compiled (no lib/). Run `npm run compile` in its folder.');
    process.exit(1);
  });
  register();
  await import('../src/cli/main.ts');
}
