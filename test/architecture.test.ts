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
 * The preview serves what the editions produce: it may reach an edition only through the modules that hand
 * out its documents (and the registry, the Output type, the shared browser), never through an edition's own
 * steps, so it cannot drift from what `imprint build` makes.
 */
const PREVIEW_MAY_IMPORT = [
  'outputs/browser.ts',
  'outputs/epub/epub-documents.ts',
  'outputs/html.ts',
  'outputs/html/web-book.ts',
  'outputs/index.ts',
  'outputs/output.ts',
];

describe('the preview serves what the editions produce', () => {
  it('imports no edition internals', () => {
    const imported = new Set<string>();
    for (const file of sourceFiles(path.join(SRC, 'preview'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'([^']+)'/g)) {
        const target = path.relative(SRC, path.resolve(path.dirname(file), match[1]));
        if (target.startsWith('outputs/')) imported.add(target);
      }
    }
    expect([...imported].filter((target) => !PREVIEW_MAY_IMPORT.includes(target))).toEqual([]);
    // The rule has something to hold: the EPUB view comes from the EPUB edition's documents.
    expect(imported).toContain('outputs/epub/epub-documents.ts');
  });
});
