#!/usr/bin/env node
// Packs Imprint, installs the tarball into an empty project without dev dependencies (from npm's cache where
// it can), then runs `npx imprint --version`, `npx imprint build --format html,epub` on a one-chapter book and
// `import('imprint')` there: what a user of the published package gets. Run by `npm run verify-package` and CI.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const work = mkdtempSync(path.join(os.tmpdir(), 'imprint-package-'));
const run = (command, args, cwd) => {
  console.log(`$ ${command} ${args.join(' ')}`);
  return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
};
try {
  const packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], root))[0];
  const shipped = packed.files.map((file) => file.path);
  const unwanted = shipped.filter((file) => /(^|\/)test\/|\.test\.|^src\//.test(file));
  if (unwanted.length > 0) throw new Error(`the package ships ${unwanted.join(', ')}`);
  for (const needed of [
    'lib/index.js',
    'lib/index.d.ts',
    'lib/cli/main.js',
    'lib/cli-bundle/main.js',
    'bin/jit-flags.mjs',
    'book.schema.json',
    'templates/default/document.html',
  ]) {
    if (!shipped.includes(needed)) throw new Error(`the package lacks ${needed}`);
  }
  console.log(`${packed.filename}: ${shipped.length} files, ${(packed.size / 1024).toFixed(0)} kB`);

  const project = path.join(work, 'project');
  mkdirSync(path.join(project, 'manuscript'), { recursive: true });
  writeFileSync(
    path.join(project, 'package.json'),
    '{ "name": "a-book", "private": true, "type": "module" }\n',
  );
  writeFileSync(path.join(project, 'manuscript', 'book.yaml'), 'title: Packaged\nauthor: A. Writer\n');
  writeFileSync(path.join(project, 'manuscript', '01-one.md'), '# One\n\nIt works, "quoted".\n');
  run(
    'npm',
    [
      'install',
      '--omit=dev',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      path.join(work, packed.filename),
    ],
    project,
  );
  if (
    existsSync(path.join(project, 'node_modules', 'typescript')) ||
    existsSync(path.join(project, 'node_modules', 'tsx'))
  ) {
    throw new Error('a dev dependency was installed');
  }
  console.log(run('npx', ['--no-install', 'imprint', '--version'], project).trim());
  console.log(
    run('npx', ['--no-install', 'imprint', 'build', 'manuscript', '--format', 'html,epub'], project).trim(),
  );
  const dist = readdirSync(path.join(project, 'dist'));
  if (!dist.includes('packaged.epub') || !dist.includes('packaged'))
    throw new Error(`dist holds ${dist.join(', ')}`);
  const api = run(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "const m = await import('imprint'); const b = await m.loadBook('manuscript', { cache: false }); console.log(Object.keys(m).sort().join(' '), '|', b.meta.title);",
    ],
    project,
  ).trim();
  if (!api.includes('build check defineConfig') || !api.endsWith('| Packaged'))
    throw new Error(`import('imprint') gave ${api}`);
  console.log(api);
  console.log('verify-package: ok');
} finally {
  rmSync(work, { recursive: true, force: true });
}
