#!/usr/bin/env node
// Compiles src/ to the JavaScript and declarations the package ships in lib/ (tsc with the `.ts` imports
// rewritten to `.js`), then copies every file under src/ that is not TypeScript (stylesheets, the preview
// client, EPUB templates) beside it, and stamps lib/ so bin/imprint.js can tell a stale build from a fresh one.
// Run by `npm run compile` and by `prepare`, so `npm install`/`npm ci` in this repository and `npm pack` build it.

import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const src = path.join(root, 'src');
const lib = path.join(root, 'lib');

rmSync(lib, { recursive: true, force: true });
const tsc = path.join(
  path.dirname(createRequire(import.meta.url).resolve('typescript/package.json')),
  'bin',
  'tsc',
);
const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
if (result.status !== 0) {
  console.error(`imprint compile: tsc exited with ${result.status ?? result.signal}`);
  process.exit(1);
}
for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || entry.name.endsWith('.ts')) continue;
  const from = path.join(entry.parentPath, entry.name);
  cpSync(from, path.join(lib, path.relative(src, from)));
}
writeFileSync(path.join(lib, '.compiled'), `${new Date().toISOString()}\n`);

// book.schema.json: book.yaml's JSON Schema for editors (yaml-language-server), generated from the one valibot
// schema, with each chapter's front matter under definitions.frontMatter.
const { toJsonSchema } = await import('@valibot/to-json-schema');
const { BookSchema, ChapterMatterSchema } = await import(path.join(lib, 'config', 'schema.js'));
const options = { errorMode: 'ignore', typeMode: 'input' };
const { $schema, ...book } = toJsonSchema(BookSchema, options);
const { $schema: _, ...frontMatter } = toJsonSchema(ChapterMatterSchema, options);
const schema = {
  $schema,
  title: 'Imprint book.yaml',
  description:
    'The settings of an Imprint book (book.yaml). Chapter front matter: #/definitions/frontMatter.',
  ...book,
  additionalProperties: false,
  definitions: { frontMatter: { ...frontMatter, additionalProperties: false } },
};
writeFileSync(path.join(root, 'book.schema.json'), `${JSON.stringify(schema, null, 2)}\n`);
