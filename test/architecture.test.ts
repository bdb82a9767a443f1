/**
 * One-way data: the Book holds everything later stages need (each chapter's source text, book.yaml's text and
 * locations), so no edition (src/outputs) and no check (src/check) opens a manuscript file — book.yaml or a
 * chapter — again. Checked over the source text: a read whose path comes from the book's folder or a chapter's
 * path, or the manuscript readers of src/book/load-book.ts, fails this test with the line.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.join(import.meta.dirname, '..', 'src');
const LAYERS = ['outputs', 'check'];

/** Patterns that mean "opens a manuscript file". */
const FORBIDDEN: { pattern: RegExp; why: string }[] = [
  {
    pattern: /\b(readTextFile|decodeTextFile)\b/,
    why: 'reads a manuscript file (use chapter.source or book.config)',
  },
  {
    pattern: /\b(read\w*|createReadStream|open)\([^;]*\bbook\.dir\b/,
    why: 'reads a file of the manuscript folder',
  },
  {
    pattern: /\b(read\w*|createReadStream|open)\([^;]*\b(chapter|source\.chapter)\.path\b/,
    why: 'reads a chapter file',
  },
  { pattern: /\b(read\w*|createReadStream|open)\([^;]*book\.yaml/, why: 'reads book.yaml (use book.config)' },
];

/** The modules of these layers that read files at all, and what they read: none of it is the manuscript. */
const READERS: Record<string, string> = {
  'outputs/epub.ts': "Imprint's own OPF and NCX templates",
  'outputs/epub/cover.ts': "the theme's cover.html",
  'outputs/epub/cover-draw.ts': "the theme's font files, for the cover",
  'check/editions/epubcheck.ts': "epubcheck's report",
  'check/editions/html.ts': 'the HTML edition it checks',
  'check/rules/remote-resource.ts': "the theme's stylesheets",
  'check/preflight/image-resolution.ts':
    'the image files the Book lists (their pixel sizes), never a chapter',
  'check/preflight/pdf-facts.ts': 'the press PDF it checks',
  'outputs/html/search-index.ts': "MiniSearch's own build and licence from node_modules",
  'outputs/html/web-book.ts': "Imprint's own page script",
  'outputs/out-lock.ts': 'the lock file in the output folder',
  'outputs/output-record.ts': "the output folder's manifest",
  'outputs/publish-editions.ts': "the staging folder's journal",
  'outputs/unchanged-files.ts': "the published edition's files (their inode, size and time), to link them",
  'outputs/layout/page-list.ts': 'page-lists it cached earlier, in the cache folder',
  'outputs/pdf/draw-text.ts': "the theme's font files, for the running heads and folios",
  'outputs/press/cover.ts': "the theme's cover-print.html and Ghostscript's output",
  'outputs/press/interior.ts': "Ghostscript's output",
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe('editions and checks never open a manuscript file', () => {
  for (const layer of LAYERS) {
    it(`src/${layer}`, () => {
      const violations: string[] = [];
      for (const file of sourceFiles(path.join(SRC, layer))) {
        // Joined statements: a read call spread over lines is one string here.
        const statements = readFileSync(file, 'utf8').split(/;\s*\n/);
        let line = 1;
        for (const statement of statements) {
          for (const { pattern, why } of FORBIDDEN) {
            if (pattern.test(statement)) violations.push(`${path.relative(SRC, file)}:${line} ${why}`);
          }
          line += statement.split('\n').length;
        }
      }
      expect(violations).toEqual([]);
    });
  }

  it('only the modules known to read files (none of them the manuscript) read any', () => {
    const readers = LAYERS.flatMap((layer) => sourceFiles(path.join(SRC, layer)))
      .filter((file) =>
        /\b(readFileSync|readFile|createReadStream|openSync)\b/.test(readFileSync(file, 'utf8')),
      )
      .map((file) => path.relative(SRC, file))
      .sort();
    expect(readers).toEqual(Object.keys(READERS).sort());
  });

  it('would catch one', () => {
    const statement = "const lines = readFileSync(path.join(book.dir, 'book.yaml'), 'utf8').split('\\n')";
    expect(FORBIDDEN.filter(({ pattern }) => pattern.test(statement)).length).toBeGreaterThan(0);
  });
});

/**
 * The preview serves what the editions produce: it may reach an edition only through the function that hands
 * out its documents (and the registry, the Output type, the document shape, the shared browser), never through
 * an edition's own steps, so it cannot drift from what `imprint build` makes. Per module, the names it may
 * import; `any` for the modules that are no edition's steps.
 */
const PREVIEW_MAY_IMPORT: Record<string, readonly string[] | 'any'> = {
  'outputs/edition-document.ts': 'any',
  'outputs/index.ts': 'any',
  'outputs/output.ts': 'any',
  'outputs/epub/epub-documents.ts': ['epubDocuments', 'EpubDocuments', 'chapterFileName', 'NAVIGATION'],
  'outputs/html.ts': ['htmlDocuments', 'HtmlDocuments'],
};

/** The imports of outputs/ modules in one preview file: the module, and the names taken ("*" for all). */
function outputsImports(file: string, text: string): { module: string; names: string[] }[] {
  const imports = [
    ...text.matchAll(/import\s+(?:type\s+)?(\{[^}]*\}|\*\s+as\s+\w+|\w+)\s+from\s+'([^']+)'/g),
  ].map((match) => ({ clause: match[1], specifier: match[2] }));
  // A dynamic import names no binding here: it counts as taking everything.
  for (const match of text.matchAll(/import\(\s*'([^']+)'\s*\)/g)) {
    imports.push({ clause: '*', specifier: match[1] });
  }
  return imports.flatMap(({ clause, specifier }) => {
    const module = path.relative(SRC, path.resolve(path.dirname(file), specifier));
    if (!module.startsWith('outputs/')) return [];
    const names = clause.startsWith('{')
      ? clause
          .slice(1, -1)
          .split(',')
          // `type X as Y` → X: the name as the module exports it.
          .map(
            (name) =>
              name
                .replace(/^\s*type\s+/, '')
                .trim()
                .split(/\s+/)[0],
          )
          .filter(Boolean)
      : ['*'];
    return [{ module, names }];
  });
}

function violations(imports: { module: string; names: string[] }[]): string[] {
  return imports.flatMap(({ module, names }) => {
    const allowed = PREVIEW_MAY_IMPORT[module];
    if (allowed === 'any') return [];
    if (!allowed) return [`${module} (no document producer)`];
    return names.filter((name) => !allowed.includes(name)).map((name) => `${name} from ${module}`);
  });
}

describe('the preview serves what the editions produce', () => {
  const imports = sourceFiles(path.join(SRC, 'preview')).flatMap((file) =>
    outputsImports(file, readFileSync(file, 'utf8')),
  );

  it('imports no edition internals, only the functions that hand out its documents', () => {
    expect(violations(imports)).toEqual([]);
    // The rule has something to hold: both views come from the editions' documents.
    const modules = imports.map(({ module }) => module);
    expect(modules).toContain('outputs/epub/epub-documents.ts');
    expect(modules).toContain('outputs/html.ts');
  });

  it('would catch an edition step', () => {
    const file = path.join(SRC, 'preview', 'preview-site.ts');
    const text = [
      "import { htmlDocuments, renderHtmlDocument } from '../outputs/html.ts';",
      "import { webBook } from '../outputs/html/web-book.ts';",
      "import type { EditionDocument } from '../outputs/edition-document.ts';",
    ].join('\n');
    expect(violations(outputsImports(file, text))).toEqual([
      'renderHtmlDocument from outputs/html.ts',
      'outputs/html/web-book.ts (no document producer)',
    ]);
  });
});

/** Every module specifier `text` imports (static, dynamic, re-exports), with whether it imports types only. */
function importsIn(text: string): { target: string; typeOnly: boolean }[] {
  return [...text.matchAll(/\b(import|export)(\s+type)?\b[^'";]*?(?:from\s*|\(\s*)'([^']+)'/g)].map(
    (match) => ({ target: match[3], typeOnly: match[2] !== undefined }),
  );
}

/** Where a relative specifier of `file` points, relative to src/ (`../…` outside it); packages as they are. */
function resolved(file: string, target: string): string {
  return target.startsWith('.') ? path.relative(SRC, path.resolve(path.dirname(file), target)) : target;
}

/** Imports of `text` (the source of `file`, a module of src/platform) that reach a module of src/ above it. */
function upwardImports(file: string, text: string): string[] {
  return importsIn(text)
    .filter(({ target }) => target.startsWith('.'))
    .map(({ target }) => resolved(file, target))
    .filter((target) => !target.startsWith('..') && !target.startsWith('platform/'))
    .map((target) => `${path.relative(SRC, file)} imports ${target}`);
}

/** A call that starts a browser, or reaches for Puppeteer or the launcher to do it. */
const LAUNCHES = /\b(?:puppeteer\.launch|launchBrowser|withBrowser|spawnChromium)\s*\(/;

/** What in `text` (the source of `file`, outside src/platform) launches a browser. */
function launchesIn(file: string, text: string): string[] {
  const where = path.relative(SRC, file);
  const found = text
    .split('\n')
    .flatMap((line, index) => (LAUNCHES.test(line) ? [`${where}:${index + 1} launches a browser`] : []));
  for (const { target, typeOnly } of importsIn(text)) {
    const to = resolved(file, target);
    if (typeOnly) continue;
    if (/^puppeteer(-core)?$/.test(to)) found.push(`${where} imports ${to}`);
    if (to === 'platform/browser/launch-browser.ts') found.push(`${where} imports the launcher`);
  }
  return found;
}

/**
 * The browser is platform code below the editions, checks and preview: src/platform imports nothing of
 * Imprint's above it (book, pipeline, outputs, preview, check, cli …), and only src/platform launches
 * Chromium; build, check and preview share one lazily launched browser through
 * platform/browser/shared-browser.ts.
 */
describe('the platform layer', () => {
  it('imports nothing from the layers above it', () => {
    const files = sourceFiles(path.join(SRC, 'platform'));
    expect(files.length).toBeGreaterThan(0);
    expect(files.flatMap((file) => upwardImports(file, readFileSync(file, 'utf8')))).toEqual([]);
  });

  it('is the only code that launches Chromium', () => {
    const others = sourceFiles(SRC).filter((file) => !path.relative(SRC, file).startsWith('platform/'));
    expect(others.flatMap((file) => launchesIn(file, readFileSync(file, 'utf8')))).toEqual([]);
  });

  it('would catch a launch elsewhere and an upward import', () => {
    const runner = path.join(SRC, 'cli', 'some.runner.ts');
    const closure =
      "import type { Browser } from 'puppeteer-core';\n" +
      "const launch = () => import('../platform/browser/launch-browser.ts').then((m) => m.launchBrowser());\n";
    expect(launchesIn(runner, closure)).toEqual([
      'cli/some.runner.ts:2 launches a browser',
      'cli/some.runner.ts imports the launcher',
    ]);
    expect(
      launchesIn(runner, "import puppeteer from 'puppeteer-core';\nawait puppeteer.launch({});\n"),
    ).toHaveLength(2);
    // Types alone and the shared browser are fine.
    expect(
      launchesIn(
        runner,
        "import type { Browser } from 'puppeteer-core';\nconst browser = sharedBrowser();\n",
      ),
    ).toEqual([]);
    const platform = path.join(SRC, 'platform', 'browser', 'some-module.ts');
    expect(
      upwardImports(
        platform,
        "import { renderPdf } from '../../outputs/pdf/render-pdf.ts';\n" +
          "import { x } from './launch-browser.ts';\nimport { y } from '../../../scripts/system-tools.mjs';\n",
      ),
    ).toEqual(['platform/browser/some-module.ts imports outputs/pdf/render-pdf.ts']);
  });
});
