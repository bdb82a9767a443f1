#!/usr/bin/env node
// Compiles src/ to the JavaScript and declarations the package ships in lib/ (tsc with the `.ts` imports
// rewritten to `.js`), then copies every file under src/ that is not TypeScript (stylesheets, the preview
// client, EPUB templates) beside it, and stamps lib/ so bin/imprint.js can tell a stale build from a fresh one.
// Run by `npm run compile` and by `prepare`, so `npm install`/`npm ci` in this repository and `npm pack` build it.

import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
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
const esbuild = await import('esbuild').catch(() => undefined);
await bundleDependencies(esbuild);
await bundleCommand(esbuild);
// The hyphenation dictionaries Chromium reads, built once here instead of in the first cold build of each book
// language (see SHIPPED_DICTIONARIES in src/platform/browser/hyphenation-dictionaries.ts).
const { writeShippedDictionaries } = await import(
  path.join(lib, 'platform', 'browser', 'hyphenation-dictionaries.js')
);
writeShippedDictionaries();
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

/**
 * Start-up is mostly module loading: the Markdown pipeline alone is some 440 small ES modules (micromark,
 * mdast/hast utilities), and node reads, resolves and compiles each one on every command and again in every
 * chapter worker, 0.35–0.7 s before the first chapter is read. esbuild bundles those packages into shared
 * chunks under lib/vendor/ while each of our modules stays its own file at its own path (so
 * `import.meta.dirname`, worker URLs and the lazy `import()`s of runners and editions keep working): our
 * relative imports are left as written; an ES module package we import is bundled with everything it
 * imports, and so are yaml and commander (plain CommonJS in many files); other CommonJS packages we import
 * are left to node (they are few files each, and some find their own files on disk or are native).
 * No bundler mode bundles only a library's dependencies, hence the resolver plugin below.
 * Without esbuild (an install without dev dependencies) lib/ stays tsc's output, which runs the same.
 */
async function bundleDependencies(esbuild) {
  const requireShim =
    "import { createRequire as __imprintRequire } from 'node:module';\nconst require = __imprintRequire(import.meta.url);\n";
  if (!esbuild) return;
  const entryPoints = readdirSync(src, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) =>
      path.join(lib, path.relative(src, path.join(entry.parentPath, entry.name))).replace(/\.ts$/, '.js'),
    );
  const out = mkdtempSync(path.join(os.tmpdir(), 'imprint-compile-'));
  const manifests = new Map();
  // CommonJS packages read at every start that are plain JavaScript in many files (yaml: 72 modules), and
  // puppeteer-core (an ES module build under a CommonJS package.json: some 230 modules with ws and semver,
  // loaded before a PDF build reads its chapters; bundled, 0.1–0.19 s instead of 0.26–0.39 s at load ~9).
  // pdf-lib (some 170 modules with tslib and pako) and @pdf-lib/fontkit, with the regenerator runtime its
  // shapers call, are loaded by every PDF build while Chromium prints: bundled from their ES module builds
  // (package.json `module`), which share one pako, their loading took 0.1 s less CPU.
  // fastest-levenshtein (did-you-mean's, loaded by every build) from its ES module build: left to node, it was the
  // one CommonJS package a rebuild required, 3 ms of node's CommonJS loader for 4 kB.
  const bundledCommonJs = new Set([
    'fastest-levenshtein',
    'yaml',
    'commander',
    'puppeteer-core',
    'pdf-lib',
    '@pdf-lib/fontkit',
    'regenerator-runtime',
  ]);
  const manifestOf = (name, from) => {
    for (let dir = from; ; dir = path.dirname(dir)) {
      const manifest = path.join(dir, 'node_modules', name, 'package.json');
      if (existsSync(manifest)) {
        let parsed = manifests.get(manifest);
        if (parsed === undefined) {
          parsed = JSON.parse(readFileSync(manifest, 'utf8'));
          manifests.set(manifest, parsed);
        }
        return { dir: path.dirname(manifest), json: parsed };
      }
      if (path.dirname(dir) === dir) return undefined;
    }
  };
  const esmPackage = (name, from) =>
    bundledCommonJs.has(name) || manifestOf(name, from)?.json.type === 'module';
  /** The ES module build a bundled CommonJS package names in `module`, when it has no `exports` to say more. */
  const moduleBuild = (name, from) => {
    if (!bundledCommonJs.has(name)) return undefined;
    const found = manifestOf(name, from);
    if (!found || found.json.exports || typeof found.json.module !== 'string') return undefined;
    return path.join(found.dir, found.json.module);
  };
  const visitWithoutNames = {
    // unist-util-visit-parents names the closure it makes for every node it visits after that node, for
    // debugging (`Object.defineProperty(visit, 'name', …)` with a coloured string), which keeps V8 from
    // optimising the walk: a cold process spent 0.7–0.9 s of a 40-chapter read there (every plugin walks
    // every chapter), against 0.15 s without the naming. Only those function names differ.
    name: 'imprint-visit-without-names',
    setup(build) {
      build.onLoad({ filter: /[\\/]unist-util-visit-parents[\\/]lib[\\/]index\.js$/ }, (args) => {
        const code = readFileSync(args.path, 'utf8');
        const naming = /Object\.defineProperty\(visit, 'name', \{[^}]*\}\)/;
        if (!naming.test(code)) {
          console.warn(`imprint compile: ${args.path} no longer names its visitors; nothing removed`);
          return undefined;
        }
        return { contents: code.replace(naming, ''), loader: 'js' };
      });
    },
  };
  const findOnce = {
    // property-information's `find` builds a new `DefinedInfo` (a loop over every attribute type) for each
    // `data-*` attribute it is asked about, every time hast-util-to-html serialises one. The answer depends
    // only on the schema and the name, and no caller changes it: it is kept per schema (cold HTML builds of the
    // 40-chapter book, nine interleaved each: 0.957 s → 0.934 s; the profile's 78 ms of the print document's
    // serialising was mostly the profiler's own cost). Names are attribute names, few; a document that invents
    // thousands starts the table over.
    name: 'imprint-property-find-once',
    setup(build) {
      build.onLoad({ filter: /[\\/]property-information[\\/]lib[\\/]find\.js$/ }, (args) => {
        const code = readFileSync(args.path, 'utf8');
        const from = 'export function find(schema, value) {';
        if (code.split(from).length !== 2) {
          console.warn(`imprint compile: ${args.path} changed; find is left as it is`);
          return undefined;
        }
        const once = `
const __imprintFound = new WeakMap();
export function find(schema, value) {
  let found = __imprintFound.get(schema);
  if (!found || found.size > 10000) __imprintFound.set(schema, (found = new Map()));
  let info = found.get(value);
  if (info === undefined) found.set(value, (info = findEachTime(schema, value)));
  return info;
}
`;
        return {
          contents: code.replace(from, 'function findEachTime(schema, value) {') + once,
          loader: 'js',
        };
      });
    },
  };
  const commanderWithoutSpawn = {
    // commander requires node:child_process when it loads, for subcommands that are programs of their own, which
    // Imprint has none of: loading it (and net, dgram and the streams it brings) was 2.8 ms of every command,
    // `--help` included. It is required when `spawn` is first asked for.
    name: 'imprint-commander-lazy-child-process',
    setup(build) {
      build.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, (args) => {
        const code = readFileSync(args.path, 'utf8');
        const from = "const childProcess = require('node:child_process');";
        // Only `spawn` is ever asked of it, or the getter below would not do.
        const uses = code.match(/childProcess\.\w+/g) ?? [];
        if (code.split(from).length !== 2 || uses.some((use) => use !== 'childProcess.spawn')) {
          console.warn(`imprint compile: ${args.path} changed; node:child_process is loaded with it`);
          return undefined;
        }
        const lazy = "const childProcess = { get spawn() { return require('node:child_process').spawn; } };";
        return { contents: code.replace(from, lazy), loader: 'js' };
      });
    },
  };
  await esbuild.build({
    entryPoints,
    outdir: out,
    outbase: lib,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    chunkNames: 'vendor/[name]-[hash]',
    logLevel: 'warning',
    plugins: [
      visitWithoutNames,
      findOnce,
      commanderWithoutSpawn,
      {
        // @pdf-lib/fontkit unpacks data it carries as it loads, in JavaScript, in every PDF build (its load is
        // most of what the finishing's code costs). Rewritten here; each rewrite only changes how, not what:
        name: 'imprint-fontkit-load',
        setup(build) {
          build.onLoad({ filter: /[\\/]@pdf-lib[\\/]fontkit[\\/]dist[\\/]fontkit\.es\.js$/ }, (args) => {
            let code = readFileSync(args.path, 'utf8');
            const rewrites = [
              {
                // Brotli's 120 kB dictionary (some 45 ms), for WOFF2 fonts; the finishing gives fontkit the
                // WOFF beside each WOFF2 (draw-text.ts): inflated when a WOFF2 is first read.
                from: '\ndictionary.init(BrotliDecompressBuffer);\n',
                to: `
Object.defineProperty(dictionary, 'dictionary', {
  configurable: true,
  get() {
    const value = dictionaryDataCompressed.init(BrotliDecompressBuffer);
    Object.defineProperty(dictionary, 'dictionary', { value, writable: true });
    return value;
  },
});
`,
                count: 1,
              },
              {
                // The Unicode property tables and the shapers' state machines (pako, 20–40 ms cold): node's zlib.
                from: 'pako.inflate(',
                to: '__imprintInflate(',
                count: 8,
              },
              {
                // The Unicode tries, each deflated twice (tiny-inflate, 25–35 ms cold): node's zlib, raw deflate.
                from: '\ninflate = tinyInflate;\n',
                to: '\ninflate = __imprintInflateRaw;\n',
                count: 1,
              },
            ];
            for (const { from, to, count } of rewrites) {
              if (code.split(from).length - 1 !== count) {
                console.warn(`imprint compile: ${args.path} changed (${JSON.stringify(from)}); left as is`);
                return undefined;
              }
              code = code.replaceAll(from, to);
            }
            // pako.inflate and tiny-inflate give a Uint8Array of its own (tiny-inflate fills the one it is given).
            const helpers = `import { inflateRawSync as __imprintInflateRawSync, inflateSync as __imprintInflateSync } from 'node:zlib';
const __imprintInflate = (bytes) => new Uint8Array(__imprintInflateSync(bytes));
const __imprintInflateRaw = (bytes, into) => {
  const out = __imprintInflateRawSync(bytes);
  if (out.length < into.length) return new Uint8Array(out);
  into.set(out.subarray(0, into.length));
  return into;
};
`;
            return { contents: helpers + code, loader: 'js' };
          });
        },
      },
      {
        name: 'imprint-vendor',
        setup(build) {
          build.onResolve({ filter: /.*/ }, (args) => {
            if (args.kind === 'entry-point' || args.path.startsWith('node:')) return undefined;
            const ours =
              args.importer.startsWith(lib + path.sep) &&
              !args.importer.includes(`${path.sep}node_modules${path.sep}`);
            if (!ours) return undefined;
            if (args.path.startsWith('.') || path.isAbsolute(args.path))
              return { path: args.path, external: true };
            const name = args.path
              .split('/')
              .slice(0, args.path.startsWith('@') ? 2 : 1)
              .join('/');
            if (!esmPackage(name, args.resolveDir)) return { path: args.path, external: true };
            const build = args.path === name ? moduleBuild(name, args.resolveDir) : undefined;
            return build ? { path: build } : undefined;
          });
        },
      },
    ],
  });
  for (const entry of readdirSync(out, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const from = path.join(entry.parentPath, entry.name);
    const to = path.join(lib, path.relative(out, from));
    mkdirSync(path.dirname(to), { recursive: true });
    const code = readFileSync(from, 'utf8');
    // A bundled CommonJS module calls require() for node's own modules: esbuild's shim for it (in a shared
    // chunk) uses a `require` in scope when there is one.
    const shim = path.relative(out, from).startsWith('vendor') && code.includes('Dynamic require of');
    writeFileSync(to, shim ? `${requireShim}${code}` : code);
  }
  rmSync(out, { recursive: true, force: true });
  // Packages a rebuild seldom needs, each as one CommonJS file that our code requires on first use (node 20
  // cannot import an ES module synchronously, and the pipeline runs synchronously): the HTML parser
  // (src/pipeline/html-parser.ts) and yaml (src/config/parse-yaml-config.ts).
  const requiredOnFirstUse = {
    'html-parser.cjs':
      "export { fromHtml } from 'hast-util-from-html';\nexport { default as rehypeRaw } from 'rehype-raw';\n",
    'yaml.cjs': "module.exports = require('yaml');\n",
  };
  for (const [file, contents] of Object.entries(requiredOnFirstUse)) {
    await esbuild.build({
      stdin: { contents, resolveDir: root, loader: 'js' },
      outfile: path.join(lib, 'vendor', file),
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      logLevel: 'warning',
      plugins: [visitWithoutNames],
    });
  }
  await bundleEpubWriter(esbuild);
}

/**
 * epub-gen-memory with JSZip and the rest of what it requires (some 130 CommonJS files: ow, pako, ejs, mime …,
 * 35–45 ms to load in an EPUB build, which a rebuild spends mostly there) as one file, lib/vendor/epub-writer.cjs,
 * which src/outputs/epub/zip-epub.ts requires instead of the package: the package's EPub class, and the JSZip
 * internals zip-epub.ts deflates with, from the same copy of JSZip. The two parts Imprint never runs are left
 * out as zip-epub.ts leaves them out of the package (see loadEpubGen there): the HTML clean-up and node-fetch.
 */
async function bundleEpubWriter(esbuild) {
  const epubGen = path.dirname(createRequire(import.meta.url).resolve('epub-gen-memory/package.json'));
  const internals = [
    'package.json',
    'lib/compressedObject',
    'lib/compressions',
    'lib/crc32',
    'lib/zipObject',
  ];
  const contents = `module.exports = {
  epubGen: require('epub-gen-memory'),
  jszip: {
${internals.map((id) => `    'jszip/${id}': require('jszip/${id}'),`).join('\n')}
  },
};
`;
  const stubs = {
    'node-fetch':
      "module.exports = () => Promise.reject(new Error('The EPUB writer reads local files only; a build never touches the network.'));",
    './html-parse':
      "exports.fixHTML = (_index, html) => { if (html !== '') throw new Error('Imprint hands epub-gen-memory its documents in `xhtml`, never `content`.'); return ''; };",
    // Only the fetch above would use it: node's own (the package's browser build does the same).
    'abort-controller': 'module.exports = AbortController;',
    // JSZip's own shim for bundles (lib/readable-stream-browser.js): node's stream for readable-stream's copy of it.
    'readable-stream': "module.exports = require('node:stream');",
  };
  // The options and chapters Imprint hands over are its own: the package's browser build checks none
  // (predicates-nop.js), and leaves out ow and the four packages it brings (some 150 kB of the file; requiring
  // the file took 46–50 ms with them).
  const packageFiles = { './predicates': path.join(epubGen, 'dist', 'lib', 'util', 'predicates-nop.js') };
  await esbuild.build({
    stdin: { contents, resolveDir: epubGen, loader: 'js' },
    outfile: path.join(lib, 'vendor', 'epub-writer.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    plugins: [
      {
        name: 'imprint-epub-writer-stubs',
        setup(build) {
          build.onResolve(
            { filter: /^(node-fetch|\.\/html-parse|abort-controller|\.\/predicates)$/ },
            (args) => {
              if (!args.importer.includes(`${path.sep}epub-gen-memory${path.sep}`)) return undefined;
              if (packageFiles[args.path]) return { path: packageFiles[args.path] };
              return { path: args.path, namespace: 'imprint-stub' };
            },
          );
          build.onResolve({ filter: /^readable-stream$/ }, (args) =>
            args.importer.includes(`${path.sep}jszip${path.sep}`)
              ? { path: args.path, namespace: 'imprint-stub' }
              : undefined,
          );
          build.onLoad({ filter: /.*/, namespace: 'imprint-stub' }, (args) => ({
            contents: stubs[args.path],
            loader: 'js',
          }));
        },
      },
    ],
  });
}

/**
 * The `imprint` command as one bundle, lib/cli-bundle/ (bin/imprint.js runs it when it is there): what the
 * first pass leaves, lib/cli/main.js with our 100-odd modules and the vendor chunks they import, in a few files
 * that each load all at once (a command loads some 30 files instead of 130; the lazy `import()`s of runners and
 * editions become chunks of their own). A rebuild of the bench book's HTML went 0.54 s → 0.47 s, its EPUB
 * 0.64 s → 0.60 s, cold builds 0.04 s faster. lib/ keeps every module as it is: the API (lib/index.js) and the
 * worker threads, which start from a module's own file, load those.
 * A module that finds files beside itself (import.meta.url, import.meta.dirname: templates, the preview's client,
 * createRequire) is given its own place in lib/, so it finds what it found unbundled.
 */
async function bundleCommand(esbuild) {
  if (!esbuild) return;
  const outdir = path.join(lib, 'cli-bundle');
  await esbuild.build({
    entryPoints: [path.join(lib, 'cli', 'main.js')],
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Flat, so each chunk's own URL is one folder below lib/.
    chunkNames: '[name]-[hash]',
    logLevel: 'warning',
    plugins: [
      {
        name: 'imprint-own-location',
        setup(build) {
          // Packages the first pass left to node (CommonJS, native) and node's own modules stay imports.
          build.onResolve({ filter: /^[^./]/ }, (args) =>
            args.kind === 'entry-point' ? undefined : { path: args.path, external: true },
          );
          // Our modules in lib/ and the scripts/ they import (doctor's set-up checks), not the packages.
          build.onLoad({ filter: /\.m?js$/ }, (args) => {
            if (
              !args.path.startsWith(root + path.sep) ||
              args.path.includes(`${path.sep}node_modules${path.sep}`) ||
              args.path.startsWith(path.join(lib, 'vendor') + path.sep)
            )
              return undefined;
            // A script's `#!` line may only open the file: it is dropped, as a bundle has its own first line.
            const code = readFileSync(args.path, 'utf8').replace(/^#!.*/, '');
            if (!code.includes('import.meta')) return { contents: code, loader: 'js' };
            const own = code
              .replaceAll('import.meta.url', '__imprintOwnUrl')
              .replaceAll('import.meta.dirname', '__imprintOwnDir')
              .replaceAll('import.meta.filename', '__imprintOwnFile');
            if (own.includes('import.meta')) {
              throw new Error(
                `imprint compile: ${args.path} uses import.meta in a way the command bundle cannot place`,
              );
            }
            const relative = path.relative(outdir, args.path).split(path.sep).join('/');
            const head = [
              "import { fileURLToPath as __imprintFileUrlToPath } from 'node:url';",
              "import { dirname as __imprintDirname } from 'node:path';",
              `const __imprintOwnUrl = new URL(${JSON.stringify(relative)}, import.meta.url).href;`,
              'const __imprintOwnFile = __imprintFileUrlToPath(__imprintOwnUrl);',
              'const __imprintOwnDir = __imprintDirname(__imprintOwnFile);',
              '',
            ].join('\n');
            return { contents: head + own, loader: 'js' };
          });
        },
      },
    ],
  });
}
