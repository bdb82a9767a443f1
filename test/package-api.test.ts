/** The programmatic API, themes published as packages, the chapter cache and the pieces the package ships. */

import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { toHtml } from 'hast-util-to-html';
import { describe, expect, it } from 'vitest';
import { isOwnInstall } from '../scripts/setup.mjs';
import { chapterCharacters } from '../src/book/book-characters.ts';
import { createChapterCache } from '../src/book/chapter-cache.ts';
import { processChaptersInPool } from '../src/book/chapter-pool.ts';
import { createBookLoader } from '../src/book/load-book.ts';
import { treeAnchors } from '../src/book/tree-anchors.ts';
import { treeDigest } from '../src/book/tree-digest.ts';
import { CLI_FORMAT_NAMES } from '../src/cli/format-names.ts';
import { BookSchema, ChapterMatterSchema } from '../src/config/schema.ts';
import { build, check, defineConfig, ImprintError, loadBook, preview } from '../src/index.ts';
import { ALL_OUTPUTS, FORMAT_NAMES } from '../src/outputs/index.ts';
import { OUTPUT_MODULES } from '../src/outputs/output-modules.ts';
import { generateBook } from './support/generate-book.ts';
import { readZip } from './support/read-zip.ts';
import { tempManuscript } from './support/temp-manuscript.ts';

const scratch = () => mkdtempSync(path.join(os.tmpdir(), 'imprint-api-'));
const twoChapters = {
  'book.yaml': 'title: The API Book\n',
  '01-one.md': '---\ntitle: One\n---\n\nThe first chapter, "quoted".\n',
  '02-two.md':
    '---\ntitle: Two\n---\n\n:::pullquote{cite="Lord Acton"}\nPower tends to corrupt.\n:::\n\nPower tends to corrupt.\n',
};

describe('the programmatic API', () => {
  it('builds into a folder and returns what it wrote and its diagnostics', { timeout: 240_000 }, async () => {
    const dir = tempManuscript(twoChapters);
    const out = path.join(scratch(), 'dist');
    const events: string[] = [];
    const result = await build({
      manuscript: dir,
      out,
      formats: ['html'],
      cache: false,
      onProgress: (event) => events.push(event.type),
    });
    expect(result.ok).toBe(true);
    expect(result.chapters).toBe(2);
    expect(result.written.map((file) => path.relative(out, file.path))).toEqual([
      path.join('the-api-book', 'index.html'),
    ]);
    expect(result.written[0].bytes).toBeGreaterThan(1000);
    // A book of two chapters is a web book: the contents page, and a page per chapter beside it.
    expect(readFileSync(result.written[0].path, 'utf8')).toContain('href="one.html"');
    expect(readFileSync(path.join(path.dirname(result.written[0].path), 'one.html'), 'utf8')).toContain(
      'The first chapter',
    );
    expect(events).toEqual(['book-loaded', 'edition-started', 'edition-written', 'published']);
  });

  it('returns bad input as diagnostics instead of exiting', async () => {
    const dir = tempManuscript({ 'book.yaml': 'title: A\nchapters: [01-gone.md]\n' });
    const result = await build({
      manuscript: dir,
      out: path.join(dir, 'dist'),
      formats: ['html'],
      cache: false,
    });
    expect(result.ok).toBe(false);
    expect(result.written).toEqual([]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['missing-chapter']);
    expect(existsSync(path.join(dir, 'dist'))).toBe(false);
  });

  it('stops before writing when its signal is aborted', async () => {
    const dir = tempManuscript(twoChapters);
    const controller = new AbortController();
    controller.abort();
    const result = await build({ manuscript: dir, out: path.join(dir, 'dist'), signal: controller.signal });
    expect(result).toMatchObject({ ok: false, aborted: true, written: [] });
  });

  it('rejects an unknown format', async () => {
    await expect(build({ manuscript: '.', out: 'dist', formats: ['docx'] })).rejects.toThrow(/docx/);
  });

  it('loads a book, and throws ImprintError with diagnostics for an unreadable one', async () => {
    const book = await loadBook(tempManuscript(twoChapters), { cache: false });
    expect(book.chapters.map((chapter) => chapter.meta.title)).toEqual(['One', 'Two']);
    const error = await loadBook(scratch(), { cache: false }).catch((e) => e);
    expect(error).toBeInstanceOf(ImprintError);
    expect(error.diagnostics[0].code).toBe('no-book-yaml');
  });

  it('checks a manuscript and returns the report', async () => {
    const dir = tempManuscript({
      ...twoChapters,
      '03-three.md': '# Three\n\n### Skipped a level\n\nText.\n',
    });
    const report = await check({ manuscript: dir, editions: false });
    expect(report.manuscript).toBe(dir);
    expect(report.editions).toEqual([]);
    expect(report.diagnostics.map((d) => d.code)).toContain('heading-skip');
    expect(report.counts.warning).toBeGreaterThan(0);
  });

  it('starts a preview on a free port and closes it', { timeout: 240_000 }, async () => {
    const server = await preview({ manuscriptDir: tempManuscript(twoChapters), pdfOutput: null });
    try {
      await server.ready;
      expect(server.port).toBeGreaterThan(0);
      const page = await fetch(`${server.url}screen/one.html`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('The first chapter');
    } finally {
      await server.close();
    }
  });

  it('defineConfig returns a valid configuration and throws for an invalid one', () => {
    expect(defineConfig({ title: 'A', toc: 'auto' })).toEqual({ title: 'A', toc: 'auto' });
    expect(() => defineConfig({ title: 'A', print: { margins: { top: 'wide' } } })).toThrow(
      /print\.margins\.top: a length needs a number and a unit/,
    );
  });

  it('lists the same formats on the command line as the build has', () => {
    expect([...CLI_FORMAT_NAMES]).toEqual([...FORMAT_NAMES]);
  });

  it('loads each edition on its own as the one the full list has', async () => {
    expect(Object.keys(OUTPUT_MODULES)).toEqual([...FORMAT_NAMES]);
    for (const [name, load] of Object.entries(OUTPUT_MODULES)) {
      expect(await load()).toBe(ALL_OUTPUTS.find((output) => output.name === name));
    }
  });
});

describe('themes published as packages', () => {
  function themePackage(root: string, name: string) {
    const dir = path.join(root, 'node_modules', ...name.split('/'));
    mkdirSync(path.join(dir, 'components'), { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0' }));
    writeFileSync(path.join(dir, 'screen.css'), '.chapter { color: rebeccapurple } /* acme-theme */\n');
    writeFileSync(
      path.join(dir, 'components', 'pullquote.html'),
      '<blockquote class="acme-pullquote"><slot></slot></blockquote>\n',
    );
    return dir;
  }

  it('uses a scoped package by name, resolved from the manuscript folder, with the default theme behind it', async () => {
    const project = scratch();
    themePackage(project, '@acme/imprint-theme');
    const manuscript = path.join(project, 'book');
    mkdirSync(manuscript);
    for (const [file, text] of Object.entries(twoChapters)) writeFileSync(path.join(manuscript, file), text);
    writeFileSync(path.join(manuscript, 'book.yaml'), 'title: Themed\ntheme: "@acme/imprint-theme"\n');
    const book = await loadBook(manuscript, { cache: false });
    expect(book.theme.dir).toBe(path.join(project, 'node_modules', '@acme', 'imprint-theme'));
    expect(book.theme.css.screen).toContain('acme-theme');
    // Files the package lacks (document.html, print.css) come from the default theme.
    expect(book.theme.shell).toContain('<slot');
    expect(book.theme.css.print.length).toBeGreaterThan(100);
    expect(toHtml(book.chapters[1].tree)).toContain('class="acme-pullquote"');
  });

  it('uses a bare package name too, and says how to install an unknown one', () => {
    const project = scratch();
    themePackage(project, 'imprint-theme-plain');
    const manuscript = path.join(project, 'book');
    mkdirSync(manuscript);
    writeFileSync(path.join(manuscript, '01-one.md'), '# One\n\nText.\n');
    writeFileSync(path.join(manuscript, 'book.yaml'), 'title: Plain\ntheme: imprint-theme-plain\n');
    expect(createBookLoader()(manuscript).theme.css.screen).toContain('acme-theme');
    writeFileSync(path.join(manuscript, 'book.yaml'), 'title: Plain\ntheme: "@acme/not-installed"\n');
    const error = (() => {
      try {
        createBookLoader()(manuscript);
      } catch (e) {
        return e as ImprintError;
      }
    })();
    expect(error?.diagnostics[0]).toMatchObject({ code: 'unknown-theme', line: 2 });
    expect(error?.diagnostics[0].hint).toContain('npm install');
  });
});

/** A 1×1 PNG. */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8cfc0f01f0005000201a1e6c6bb0000000049454e44ae426082',
  'hex',
);

describe('the chapter cache', () => {
  function setUp() {
    const dir = tempManuscript({ ...twoChapters, 'images/a.png': PNG });
    const cacheDir = path.join(scratch(), 'cache');
    const load = () => {
      const cache = createChapterCache(cacheDir);
      return { book: createBookLoader({ cache })(dir), stats: cache.stats };
    };
    const entries = () =>
      readdirSync(path.join(cacheDir, 'chapters'), { recursive: true }).filter((f) =>
        String(f).endsWith('.json'),
      );
    return { dir, cacheDir, load, entries };
  }

  it('serves unchanged chapters from disk with the same trees, and re-processes only an edited one', () => {
    const { dir, load, entries } = setUp();
    const first = load();
    expect(first.stats).toEqual({ hits: 0, misses: 2, writes: 2 });
    expect(entries()).toHaveLength(2);
    const second = load();
    expect(second.stats).toMatchObject({ hits: 2, misses: 0 });
    expect(second.book.chapters.map((c) => toHtml(c.tree))).toEqual(
      first.book.chapters.map((c) => toHtml(c.tree)),
    );
    expect(second.book.chapters.map((c) => c.meta)).toEqual(first.book.chapters.map((c) => c.meta));
    writeFileSync(path.join(dir, '02-two.md'), '---\ntitle: Two, edited\n---\n\nNew text.\n');
    const third = load();
    expect(third.stats).toMatchObject({ hits: 1, misses: 1 });
    expect(third.book.chapters[1].meta.title).toBe('Two, edited');
  });

  it('is invalidated by book.yaml, the chapter list and images the chapter uses', () => {
    const { dir, load } = setUp();
    writeFileSync(path.join(dir, '01-one.md'), '# One\n\n![A thing](images/a.png)\n');
    load();
    expect(load().stats.hits).toBe(2);
    writeFileSync(path.join(dir, 'book.yaml'), 'title: The API Book\nlang: en-GB\n');
    expect(load().stats).toMatchObject({ hits: 0, misses: 2 });
    writeFileSync(path.join(dir, '03-three.md'), '# Three\n\nMore.\n');
    expect(load().stats).toMatchObject({ hits: 0, misses: 3 });
    utimesSync(path.join(dir, 'images/a.png'), new Date(), new Date(Date.now() + 60_000));
    expect(load().stats).toMatchObject({ hits: 2, misses: 1 });
  });

  it('deletes entries unused for 30 days, once a day', () => {
    const { cacheDir, load, entries } = setUp();
    load();
    const [old, recent] = entries().map((entry) => path.join(cacheDir, 'chapters', String(entry)));
    const days = (n: number) => new Date(Date.now() - n * 24 * 60 * 60 * 1000);
    utimesSync(old, days(31), days(31));
    utimesSync(recent, days(29), days(29));
    utimesSync(path.join(cacheDir, 'pruned'), days(2), days(2));
    createChapterCache(cacheDir);
    expect([existsSync(old), existsSync(recent)]).toEqual([false, true]);
  });

  it('marks an entry as used when it is read, at most once a day', () => {
    const { cacheDir, load, entries } = setUp();
    load();
    const [stale, fresh] = entries().map((entry) => path.join(cacheDir, 'chapters', String(entry)));
    const hoursAgo = (n: number) => new Date(Date.now() - n * 60 * 60 * 1000);
    utimesSync(stale, hoursAgo(29 * 24), hoursAgo(29 * 24));
    utimesSync(fresh, hoursAgo(2), hoursAgo(2));
    expect(load().stats.hits).toBe(2);
    // Used 29 days ago and read now: marked, so the next prune keeps it for 30 days more.
    expect(Date.now() - statSync(stale).mtimeMs).toBeLessThan(60 * 60 * 1000);
    // Marked two hours ago: left as it is (a rebuild would otherwise set the time of every entry it reads).
    expect(Math.abs(statSync(fresh).mtimeMs - hoursAgo(2).getTime())).toBeLessThan(60 * 1000);
  });

  it('keeps new entries back for a build until it writes them, and a build writes them all', async () => {
    const { dir, cacheDir, entries } = setUp();
    const cache = createChapterCache(cacheDir);
    const loader = createBookLoader({ cache, deferCacheWrites: true });
    loader(dir);
    expect(cache.stats.writes).toBe(0);
    expect(existsSync(path.join(cacheDir, 'chapters'))).toBe(false);
    loader.writeCachedChapters();
    expect(cache.stats.writes).toBe(2);
    expect(entries()).toHaveLength(2);
    // Written once: a second call has nothing left to write.
    loader.writeCachedChapters();
    expect(cache.stats.writes).toBe(2);
    // `imprint build` (no PDF: nothing to wait for) writes them once the editions are done.
    const other = path.join(scratch(), 'cache');
    const built = await build({
      manuscript: dir,
      out: path.join(scratch(), 'dist'),
      formats: ['html'],
      cache: other,
    });
    expect(built.ok).toBe(true);
    const stored = readdirSync(path.join(other, 'chapters'), { recursive: true });
    expect(stored.filter((f) => String(f).endsWith('.json'))).toHaveLength(2);
  });

  it('ignores a corrupt entry and writes it again', () => {
    const { cacheDir, load, entries } = setUp();
    load();
    for (const entry of entries()) {
      writeFileSync(path.join(cacheDir, 'chapters', String(entry)), '{"format":1,"key":"tru');
    }
    const reloaded = load();
    expect(reloaded.stats).toEqual({ hits: 0, misses: 2, writes: 2 });
    expect(reloaded.book.chapters[0].meta.title).toBe('One');
    expect(load().stats).toMatchObject({ hits: 2, misses: 0 });
  });
});

describe('what the chapter cache keeps beside each tree', () => {
  // A character no font of the theme has (private use) and a link to nothing: both reported with their place.
  const files = {
    'book.yaml': 'title: Kept Facts\n',
    '01-one.md':
      '# One\n\nA mark: \uE000.\n\nSee [nowhere](#nowhere) and [two](02-two.md#a-part).\n\n```\ncode \u2192 here\n```\n',
    '02-two.md': '# Two\n\n## A part\n\nBack to [one](01-one.md#one).\n',
  };
  function setUp() {
    const dir = tempManuscript(files);
    const cacheDir = path.join(scratch(), 'cache');
    const load = () => {
      const cache = createChapterCache(cacheDir);
      return { book: createBookLoader({ cache })(dir), stats: cache.stats };
    };
    const entries = () =>
      readdirSync(path.join(cacheDir, 'chapters'), { recursive: true })
        .filter((f) => String(f).endsWith('.json'))
        .map((f) => path.join(cacheDir, 'chapters', String(f)));
    return { load, entries };
  }
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  // An entry: a digest of the rest, then the header (everything but the tree) and the tree, a line each.
  const readStored = (file: string) => {
    const [header, tree] = readFileSync(file, 'utf8').slice(65).split('\n');
    return { header: JSON.parse(header), tree: JSON.parse(tree) };
  };

  it('gives the characters, ids, links and digest the tree itself gives, and the same warnings', () => {
    const { load, entries } = setUp();
    const first = load();
    expect(first.stats).toMatchObject({ hits: 0, misses: 2 });
    const codes = first.book.diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`);
    expect(codes).toContain('glyph-missing 3:9');
    expect(codes).toContain('missing-anchor 5:5');
    const second = load();
    expect(second.stats).toMatchObject({ hits: 2, misses: 0 });
    expect(second.book.diagnostics).toEqual(first.book.diagnostics);
    for (const file of entries()) {
      const { header, tree } = readStored(file);
      const { result } = header;
      // What was stored is what the tree (parsed afresh, which no memo knows) gives.
      expect(result.characters).toEqual(chapterCharacters(tree));
      expect(result.anchors).toEqual(treeAnchors(tree));
      expect(result.treeDigest).toBe(treeDigest(tree));
    }
    for (const chapter of second.book.chapters) {
      const copy = structuredClone(chapter.tree);
      expect(chapterCharacters(chapter.tree)).toEqual(chapterCharacters(copy));
      expect(treeAnchors(chapter.tree)).toEqual(treeAnchors(copy));
      expect(treeDigest(chapter.tree)).toBe(treeDigest(copy));
    }
    expect(treeAnchors(second.book.chapters[1].tree).ids).toContain('two--a-part');
  });

  it('parses an unchanged tree only when it is looked into, and then gives the tree that was stored', () => {
    const { load } = setUp();
    const first = load();
    const second = load();
    expect(second.stats).toMatchObject({ hits: 2, misses: 0 });
    for (const [index, chapter] of second.book.chapters.entries()) {
      // Not parsed yet: `children` is still the getter that parses it.
      expect(typeof Object.getOwnPropertyDescriptor(chapter.tree, 'children')?.get).toBe('function');
      expect(chapter.tree.type).toBe('root');
      expect(Object.keys(chapter.tree)).toEqual(Object.keys(first.book.chapters[index].tree));
      expect(chapter.tree).toStrictEqual(first.book.chapters[index].tree);
      // Parsed now, and a plain data property from here on.
      expect(Object.getOwnPropertyDescriptor(chapter.tree, 'children')?.get).toBeUndefined();
      expect(JSON.stringify(chapter.tree)).toBe(JSON.stringify(first.book.chapters[index].tree));
      expect(toHtml(chapter.tree)).toBe(toHtml(first.book.chapters[index].tree));
    }
  });

  it('ignores an entry whose kept facts changed or lost their shape, and writes it again', () => {
    const { load, entries } = setUp();
    load();
    const [one, two] = entries();
    // One digit of the kept digest changed: the entry's own digest no longer matches.
    const text = readFileSync(one, 'utf8');
    const at = text.indexOf('"treeDigest":"') + '"treeDigest":"'.length;
    writeFileSync(one, `${text.slice(0, at)}${text[at] === '0' ? '1' : '0'}${text.slice(at + 1)}`);
    // Characters of the wrong shape, under a digest that matches.
    const { header: entry, tree } = readStored(two);
    entry.result.characters = { text: 'abc', mono: [] };
    const body = `${JSON.stringify(entry)}\n${JSON.stringify(tree)}`;
    writeFileSync(two, `${sha256(body)}\n${body}`);
    const reloaded = load();
    expect(reloaded.stats).toEqual({ hits: 0, misses: 2, writes: 2 });
    expect(load().stats).toMatchObject({ hits: 2, misses: 0 });
    expect(load().book.diagnostics).toEqual(reloaded.book.diagnostics);
  });
});

describe('chapters parsed in worker threads', () => {
  it('give the same book, in chapter order, as parsing them here', { timeout: 240_000 }, async () => {
    const dir = generateBook(path.join(scratch(), 'manuscript'), { chapters: 8, withFootnotes: true }).dir;
    const here = createBookLoader()(dir);
    const pooled = await createBookLoader().loadBookWith(dir, (jobs) => processChaptersInPool(jobs, 2));
    expect(pooled.chapters.map((c) => c.id)).toEqual(here.chapters.map((c) => c.id));
    expect(pooled.chapters.map((c) => toHtml(c.tree))).toEqual(here.chapters.map((c) => toHtml(c.tree)));
    expect(pooled.chapters.map((c) => c.headings)).toEqual(here.chapters.map((c) => c.headings));
    expect(pooled.diagnostics).toEqual(here.diagnostics);
  });
});

describe('the drawn EPUB cover in the cache', () => {
  it('needs no browser, is drawn once, and a new title draws a new one', {
    timeout: 240_000,
  }, async () => {
    const dir = tempManuscript(twoChapters);
    const cache = path.join(scratch(), 'cache');
    const out = path.join(scratch(), 'dist');
    const saved = process.env.PUPPETEER_EXECUTABLE_PATH;
    // With no browser to be found, an EPUB build still succeeds: the cover is drawn without one.
    process.env.PUPPETEER_EXECUTABLE_PATH = '/nonexistent/chromium';
    try {
      const first = await build({ manuscript: dir, out, formats: ['epub'], cache, buildDate: new Date(0) });
      expect(first.ok).toBe(true);
      // The cover, and the character maps of any font file the text made the build read; not the chapters'
      // documents and their deflated bytes (src/outputs/document-cache.ts, epub/zip-epub.ts), whose entries
      // begin with their kind.
      const artifacts = () =>
        readdirSync(path.join(cache, 'artifacts')).filter(
          (name) =>
            !['document\u0000', 'deflated\u0000'].some((kind) =>
              readFileSync(path.join(cache, 'artifacts', name), 'latin1').startsWith(kind),
            ),
        ).length;
      const drawn = artifacts();
      expect(drawn).toBeGreaterThanOrEqual(1);
      const epub = readFileSync(first.written[0].path);
      const second = await build({ manuscript: dir, out, formats: ['epub'], cache, buildDate: new Date(0) });
      expect(second.ok).toBe(true);
      expect(readFileSync(second.written[0].path).equals(epub)).toBe(true);
      expect(artifacts()).toBe(drawn);
      writeFileSync(path.join(dir, 'book.yaml'), 'title: A New Title\n');
      const third = await build({ manuscript: dir, out, formats: ['epub'], cache, buildDate: new Date(0) });
      expect(third.ok).toBe(true);
      expect(artifacts()).toBe(drawn + 1);
      expect(readFileSync(third.written[0].path).equals(epub)).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.PUPPETEER_EXECUTABLE_PATH;
      else process.env.PUPPETEER_EXECUTABLE_PATH = saved;
    }
  });
});

describe('what the package ships', () => {
  it('book.schema.json describes every book.yaml and front-matter key', () => {
    const file = path.join(import.meta.dirname, '..', 'book.schema.json');
    // `npm install` (prepare) writes it; a checkout that skipped scripts has none to test.
    if (!existsSync(file)) return;
    const schema = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(schema.properties)).toEqual(Object.keys(BookSchema.entries));
    expect(Object.keys(schema.definitions.frontMatter.properties)).toEqual(
      Object.keys(ChapterMatterSchema.entries),
    );
    expect(schema.required).toEqual(['title']);
  });

  it("answers property-information's `find` once per name in lib/ (scripts/compile.mjs)", () => {
    // A rewrite that no longer matches the package leaves it out with only a warning at compile time.
    const vendor = path.join(import.meta.dirname, '..', 'lib', 'vendor');
    const chunks = readdirSync(vendor)
      .filter((file) => file.endsWith('.js'))
      .map((file) => readFileSync(path.join(vendor, file), 'utf8'));
    expect(chunks.filter((code) => code.includes('function findEachTime(schema, value)'))).toHaveLength(1);
    expect(chunks.some((code) => code.includes('__imprintFound.get(schema)'))).toBe(true);
  });

  it('runs the command from its bundle, whose modules find their files where lib/ keeps them', {
    timeout: 240_000,
  }, () => {
    // lib/ is compiled by the test run's set-up; without esbuild there is no bundle and lib/cli/main.js runs.
    const root = path.join(import.meta.dirname, '..');
    if (!existsSync(path.join(root, 'lib', 'cli-bundle', 'main.js'))) return;
    const dir = tempManuscript({ ...twoChapters, 'book.yaml': 'title: The Bundled Book\nlang: en\n' });
    const out = path.join(scratch(), 'dist');
    // A resolve hook that names every ES module file the command loads.
    const hook = path.join(scratch(), 'name-modules.mjs');
    writeFileSync(
      hook,
      `import { register } from 'node:module';\nregister('data:text/javascript,' + encodeURIComponent(${JSON.stringify(
        "export async function resolve(specifier, context, next) { const found = await next(specifier, context); if (found.url.startsWith('file:')) process.stderr.write('imprint-module ' + found.url + '\\n'); return found; }",
      )}));\n`,
    );
    const result = spawnSync(
      process.execPath,
      [
        '--import',
        pathToFileURL(hook).href,
        path.join(root, 'bin', 'imprint.js'),
        'build',
        dir,
        '--out',
        out,
      ],
      { encoding: 'utf8', env: { ...process.env, IMPRINT_CACHE: '0' } },
    );
    expect(result.status, result.stderr).toBe(0);
    const loaded = [...result.stderr.matchAll(/^imprint-module (\S+)$/gm)].map((match) =>
      path.relative(path.join(root, 'lib'), new URL(match[1]).pathname),
    );
    expect(loaded).toContain(path.join('cli-bundle', 'main.js'));
    // Only the bundle: no module of lib/ loaded on its own, but on a worker thread, which starts from a module's
    // own file (the EPUB cover's drawing, here; vendor chunks come only with such a module).
    const workerModules = [
      path.join('outputs', 'epub', 'cover-worker.js'),
      path.join('outputs', 'epub', 'cover-draw.js'),
    ];
    expect(loaded).toContain(workerModules[0]);
    expect(
      loaded.filter(
        (file) =>
          !file.startsWith('..') &&
          !file.startsWith('cli-bundle') &&
          !file.startsWith('vendor') &&
          !workerModules.includes(file),
      ),
    ).toEqual([]);
    // What the modules read beside themselves: the web book's client, the EPUB's templates; the PDF needs
    // the browser's launcher, its profile's dictionaries and the finishing's fonts.
    const web = path.join(out, 'the-bundled-book');
    expect(readFileSync(path.join(web, 'one.html'), 'utf8')).toContain('The first chapter');
    expect(readFileSync(path.join(web, 'web-book.js'), 'utf8')).toBe(
      readFileSync(path.join(root, 'lib', 'outputs', 'html', 'web-book.client.js'), 'utf8'),
    );
    const epub = path.join(out, 'the-bundled-book.epub');
    const entries = new Map(
      readZip(readFileSync(epub)).map((entry) => [entry.name, entry.data.toString('utf8')]),
    );
    expect(entries.get('OEBPS/content.opf')).toContain('The Bundled Book</dc:title>');
    // The PDF of the same run gave the EPUB its print pages.
    expect(entries.get('OEBPS/toc.xhtml')).toContain('epub:type="page-list"');
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', path.join(out, 'the-bundled-book.pdf'), '-'], {
      encoding: 'utf8',
    });
    expect(text).toContain('The first chapter');
  });

  it("shapes with fontkit as lib/ carries it as fontkit's own package does: Devanagari from a lone WOFF2, Arabic, Latin", () => {
    // lib/ is compiled by the test run's set-up (test/support/compiled-cli.ts); with esbuild, the finishing's
    // fontkit is bundled there and unpacks its data differently (scripts/compile.mjs): the Brotli dictionary
    // a WOFF2 needs, the Unicode tables every shaping needs, the Indic and Arabic shapers' tables.
    const compiled = path.join(import.meta.dirname, '..', 'lib', 'outputs', 'pdf', 'draw-text.js');
    if (!existsSync(compiled)) return;
    const fontsource = path.join(import.meta.dirname, '..', 'node_modules', '@fontsource');
    // Copied alone, so no WOFF beside it: fontkit reads the WOFF2 itself.
    const devanagari = path.join(scratch(), 'devanagari.woff2');
    writeFileSync(
      devanagari,
      readFileSync(
        path.join(
          fontsource,
          'noto-serif-devanagari',
          'files',
          'noto-serif-devanagari-devanagari-400-normal.woff2',
        ),
      ),
    );
    const samples = [
      { source: devanagari, text: 'नमस्ते दुनिया', name: 'NotoSerifDevanagari-Regular' },
      {
        source: path.join(fontsource, 'amiri', 'files', 'amiri-arabic-400-normal.woff2'),
        text: 'مرحبا بالعالم',
        name: 'Amiri-Regular',
      },
      {
        source: path.join(fontsource, 'source-serif-4', 'files', 'source-serif-4-latin-400-normal.woff2'),
        text: 'Office affairs, “fluffy” fjords',
        name: 'SourceSerif4-Regular',
      },
    ];
    const script = `
      const { FontFiles } = await import(${JSON.stringify(pathToFileURL(compiled).href)});
      const samples = ${JSON.stringify(samples)};
      console.log(JSON.stringify(samples.map(({ source, text }) => {
        const files = new FontFiles([{ family: 'F', weight: 400, style: 'normal', source }]);
        const font = files.font(files.fonts[0]);
        return { subset: font.subset, name: font.name, glyphs: font.parsed.layout(text).glyphs.map((glyph) => glyph.id) };
      })));
    `;
    const drawn = JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }),
    );
    const require = createRequire(import.meta.url);
    // fontkit's syllable-based shapers call a global regeneratorRuntime (draw-text.ts loads it too).
    require('regenerator-runtime');
    const fontkit = require('@pdf-lib/fontkit') as typeof import('@pdf-lib/fontkit');
    samples.forEach(({ source, text, name }, index) => {
      // The WOFF beside a WOFF2, when there is one, as the finishing reads it.
      const woff = source.replace(/\.woff2$/, '.woff');
      const file = existsSync(woff) ? woff : source;
      const expected = fontkit
        .create(readFileSync(file))
        .layout(text)
        .glyphs.map((glyph) => glyph.id);
      expect(drawn[index].subset, name).toBe(file === woff);
      expect(drawn[index].name).toBe(name);
      expect(expected.length, name).toBeGreaterThan(5);
      expect(drawn[index].glyphs, name).toEqual(expected);
    });
  });

  it('runs the set-up only for its own install, not as a dependency', () => {
    expect(isOwnInstall({ packageDir: '/work/imprint', env: {} })).toBe(true);
    expect(isOwnInstall({ packageDir: '/work/imprint', env: { INIT_CWD: '/work/imprint' } })).toBe(true);
    expect(isOwnInstall({ packageDir: '/work/imprint', env: { INIT_CWD: '/work/imprint/test' } })).toBe(true);
    expect(isOwnInstall({ packageDir: '/srv/app/node_modules/imprint', env: {} })).toBe(false);
    expect(isOwnInstall({ packageDir: '/work/imprint', env: { INIT_CWD: '/srv/app' } })).toBe(false);
  });
});
