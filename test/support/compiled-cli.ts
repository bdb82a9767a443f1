/**
 * Vitest global setup: the tests that run `imprint` as a separate process run the compiled lib/, as an
 * installed Imprint does. bin/imprint.js runs src/ through tsx when src/ is newer than lib/ (a checkout being
 * edited); that costs each of the run's twenty-odd CLI processes 1.5–2 s of loading, more than compiling once
 * here (about 5 s). A compile that fails leaves lib/ as it was, and bin/imprint.js falls back to tsx.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');

/** The same test as bin/imprint.js: lib/ is current when its stamp is no older than every file in src/. */
function libIsCurrent(): boolean {
  const stamp = path.join(root, 'lib', '.compiled');
  if (!existsSync(stamp)) return false;
  const compiled = statSync(stamp).mtimeMs;
  return readdirSync(path.join(root, 'src'), { recursive: true, withFileTypes: true }).every(
    (entry) => !entry.isFile() || statSync(path.join(entry.parentPath, entry.name)).mtimeMs <= compiled,
  );
}

export default function compiledCli(): void {
  if (libIsCurrent()) return;
  const result = spawnSync(process.execPath, [path.join(root, 'scripts', 'compile.mjs')], {
    cwd: root,
    encoding: 'utf8',
  });
  if (result.status !== 0)
    console.warn(
      `Compiling lib/ failed, so the CLI tests run src/ through tsx:\n${result.stderr || result.stdout}`,
    );
}
