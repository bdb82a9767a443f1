/**
 * A build changes the output folder as one whole or not at all, and only what Imprint made there: run
 * in-process through publishEditions (the function `imprint build` calls) with the real HTML edition and
 * small stand-in editions that write a file, fail late, fill the disk or take their time.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBookLoader } from '../src/book/load-book.ts';
import type { Book } from '../src/book/types.ts';
import { htmlOutput } from '../src/outputs/html.ts';
import { acquireOutLock, LOCK_FILE } from '../src/outputs/out-lock.ts';
import type { Output } from '../src/outputs/output.ts';
import { fileSystemDiagnostic, shownPath } from '../src/outputs/output-errors.ts';
import { EDITION_MARKER, MANIFEST_FILE } from '../src/outputs/output-record.ts';
import {
  type PublishOptions,
  type PublishProgress,
  publishEditions,
} from '../src/outputs/publish-editions.ts';
import { tempManuscript } from './support/temp-manuscript.ts';

const buildDate = new Date(1_700_000_000_000);
const scratch = () => mkdtempSync(path.join(os.tmpdir(), 'imprint-publish-'));

function loadBook(files: Record<string, string>): Book {
  const book = createBookLoader()(tempManuscript(files));
  expect(book.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return book;
}

const bookOf = (title: string, text = 'Good text.') =>
  loadBook({ 'book.yaml': `title: ${title}\n`, '01-one.md': `# One\n\n${text}\n` });

/** A stand-in edition: `<slug>.<extension>` holding `content(book)`, written by the edition's own code path. */
function fileOutput(
  name: string,
  options: {
    content?: (book: Book) => string;
    before?: () => Promise<void>;
    fail?: (dir: string) => Error;
  } = {},
): Output & { calls: number } {
  const output = {
    name,
    calls: 0,
    entries: (book: Book) => [`${book.slug}.${name}`],
    async build(book: Book, context: Parameters<Output['build']>[1]) {
      output.calls++;
      await options.before?.();
      const target = path.join(context.outDir, `${book.slug}.${name}`);
      await writeFile(target, options.content?.(book) ?? `${name} of ${book.meta.title}: ${textOf(book)}`);
      if (options.fail) throw options.fail(context.outDir);
      return [target];
    },
  };
  return output;
}

const textOf = (book: Book) => JSON.stringify(book.chapters[0].tree).match(/(Good|New|Version) [^"]*/)?.[0];

/** Every file under `dir` (hidden ones too) with a hash of its bytes. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const file = path.join(dir, name);
    if (statSync(file).isFile()) files[name] = createHash('sha256').update(readFileSync(file)).digest('hex');
  }
  return files;
}

async function publish(
  book: Book,
  outDir: string,
  outputs: readonly Output[],
  extra: Partial<PublishOptions> = {},
) {
  return publishEditions({
    book,
    outDir,
    outputs,
    buildDate,
    browser: () => Promise.reject(new Error('these tests launch no browser')),
    ...extra,
  });
}

const codes = (result: { diagnostics: { code: string }[] }) => result.diagnostics.map((d) => d.code);
const leftovers = (dir: string) =>
  readdirSync(dir).filter((name) => name.startsWith('.imprint-staging-') || name === LOCK_FILE);

describe('publishing a set of editions', () => {
  it('publishes every edition with a manifest and a marker, and leaves no staging folder or lock', async () => {
    const out = path.join(scratch(), 'dist');
    const result = await publish(bookOf('Test Book'), out, [
      htmlOutput,
      fileOutput('pdf'),
      fileOutput('epub'),
    ]);
    expect(result.ok, JSON.stringify(result.diagnostics)).toBe(true);
    expect(result.files.map((file) => path.relative(out, file)).sort()).toEqual(
      [path.join('test-book', 'index.html'), 'test-book.epub', 'test-book.pdf'].sort(),
    );
    expect(JSON.parse(readFileSync(path.join(out, MANIFEST_FILE), 'utf8')).entries).toEqual([
      'test-book',
      'test-book.epub',
      'test-book.pdf',
    ]);
    expect(existsSync(path.join(out, 'test-book', EDITION_MARKER))).toBe(true);
    expect(leftovers(out)).toEqual([]);
  });

  it('keeps temporary files inside the staging folder', async () => {
    const out = scratch();
    let tempDir: string | undefined;
    const probe: Output = {
      name: 'probe',
      async build(book, context) {
        tempDir = context.tempDir;
        const file = path.join(context.outDir, `${book.slug}.probe`);
        await writeFile(file, 'x');
        return [file];
      },
    };
    expect((await publish(bookOf('Probe'), out, [probe])).ok).toBe(true);
    expect(path.relative(out, tempDir ?? '')).toMatch(/^\.imprint-staging-\d+-[0-9a-f]{8}[/\\]\.work$/);
  });

  it('refuses to replace the manuscript folder named like the book (`--out` its parent)', async () => {
    const parent = scratch();
    const manuscript = path.join(parent, 'manuscript');
    mkdirSync(manuscript);
    writeFileSync(path.join(manuscript, 'book.yaml'), 'title: Manuscript\n');
    writeFileSync(path.join(manuscript, '01-one.md'), '# One\n\nText.\n');
    const before = snapshot(parent);
    const book = createBookLoader()(manuscript);
    const pdf = fileOutput('pdf');
    const result = await publish(book, parent, [htmlOutput, pdf]);
    expect(result.ok).toBe(false);
    expect(codes(result)).toEqual(['out-not-imprint']);
    expect(result.diagnostics[0].file).toBe(shownPath(manuscript));
    expect(result.diagnostics[0].message).toContain('holds the manuscript');
    expect(pdf.calls, 'no edition is built before the refusal').toBe(0);
    expect(snapshot(parent)).toEqual(before);
    expect(leftovers(parent)).toEqual([]);
  });

  it('refuses `--out` that is the manuscript folder or inside it, and allows the folder that holds it', async () => {
    const parent = scratch();
    const manuscript = path.join(parent, 'manuscript');
    mkdirSync(path.join(manuscript, 'images'), { recursive: true });
    writeFileSync(path.join(manuscript, 'book.yaml'), 'title: Images\n');
    writeFileSync(path.join(manuscript, '01-one.md'), '# One\n\nText.\n');
    writeFileSync(path.join(manuscript, 'images', 'photo.txt'), 'the author’s own file');
    const book = createBookLoader()(manuscript);
    const before = snapshot(parent);
    for (const out of [manuscript, path.join(manuscript, 'images'), path.join(manuscript, 'new', 'dist')]) {
      const result = await publish(book, out, [htmlOutput]);
      expect(codes(result), out).toEqual(['out-inside-manuscript']);
      expect(result.diagnostics[0].file).toBe(shownPath(out));
    }
    expect(snapshot(parent)).toEqual(before);
    expect(existsSync(path.join(manuscript, 'new'))).toBe(false);
    // The folder that holds the manuscript is normal use.
    const result = await publish(book, parent, [htmlOutput]);
    expect(result.ok).toBe(true);
    expect(existsSync(path.join(parent, 'images', 'index.html'))).toBe(true);
    expect(readFileSync(path.join(manuscript, 'images', 'photo.txt'), 'utf8')).toBe('the author’s own file');
  });

  it("refuses to replace a folder, a file or a symbolic link that is not Imprint's", async () => {
    const book = bookOf('Images');
    for (const [what, make] of [
      ['folder', (out: string) => mkdirSync(path.join(out, 'images'))],
      ['file', (out: string) => writeFileSync(path.join(out, 'images.pdf'), 'my own PDF')],
      [
        'symbolic link',
        (out: string) => {
          const elsewhere = path.join(scratch(), 'photo.jpg');
          writeFileSync(elsewhere, 'a photo kept elsewhere');
          symlinkSync(elsewhere, path.join(out, 'images'));
        },
      ],
    ] as const) {
      const out = scratch();
      make(out);
      if (what === 'folder') writeFileSync(path.join(out, 'images', 'cat.jpg'), 'meow');
      const before = snapshot(out);
      const pdf = fileOutput('pdf');
      const result = await publish(book, out, [htmlOutput, pdf]);
      expect(codes(result), what).toEqual(['out-not-imprint']);
      expect(result.diagnostics[0].message).toContain(`this ${what}`);
      expect(pdf.calls).toBe(0);
      expect(snapshot(out)).toEqual(before);
    }
  });

  it('checks the files an edition wrote even when it does not declare its names', async () => {
    const out = scratch();
    writeFileSync(path.join(out, 'undeclared.txt'), 'mine');
    const undeclared: Output = {
      name: 'undeclared',
      async build(_book, context) {
        const file = path.join(context.outDir, 'undeclared.txt');
        await writeFile(file, 'imprint');
        return [file];
      },
    };
    const result = await publish(bookOf('X'), out, [undeclared]);
    expect(codes(result)).toEqual(['out-not-imprint']);
    expect(readFileSync(path.join(out, 'undeclared.txt'), 'utf8')).toBe('mine');
  });

  it("closes the build's browser once every edition that uses it has released it or ended, not after the build", async () => {
    const steps: string[] = [];
    /** An edition that uses the browser: releases it (or not), then finishes its file. */
    const browserEdition = (name: string, release: boolean, finishMs: number): Output => ({
      name,
      usesBrowser: true,
      entries: (book) => [`${book.slug}.${name}`],
      async build(book, context) {
        if (release) {
          steps.push(`${name} released`);
          context.browserReleased?.();
          // A second release is the same release.
          context.browserReleased?.();
        }
        await new Promise((resolve) => setTimeout(resolve, finishMs));
        const target = path.join(context.outDir, `${book.slug}.${name}`);
        await writeFile(target, name);
        steps.push(`${name} ended`);
        return [target];
      },
    });
    const result = await publish(
      bookOf('Test Book'),
      scratch(),
      [browserEdition('pdf', true, 150), browserEdition('print', false, 50), fileOutput('epub')],
      { browserDone: () => steps.push('browser closed') },
    );
    expect(result.ok).toBe(true);
    expect(steps).toEqual(['pdf released', 'print ended', 'browser closed', 'pdf ended']);
  });

  it('tells the build once, while an edition waits for another process, to do what it put off', async () => {
    const steps: string[] = [];
    const waitingEdition: Output = {
      name: 'pdf',
      entries: (book) => [`${book.slug}.pdf`],
      async build(book, context) {
        context.waiting?.();
        // A second wait (a second print) is the same moment.
        context.waiting?.();
        steps.push('printed');
        const target = path.join(context.outDir, `${book.slug}.pdf`);
        await writeFile(target, 'pdf');
        return [target];
      },
    };
    const result = await publish(bookOf('Test Book'), scratch(), [waitingEdition, fileOutput('epub')], {
      whileWaiting: () => steps.push('cache written'),
    });
    expect(result.ok).toBe(true);
    expect(steps).toEqual(['cache written', 'printed']);
  });

  it('replaces its own editions on the next build', async () => {
    const out = scratch();
    expect((await publish(bookOf('Test Book'), out, [htmlOutput, fileOutput('pdf')])).ok).toBe(true);
    const again = await publish(bookOf('Test Book', 'New text.'), out, [htmlOutput, fileOutput('pdf')]);
    expect(again.ok, JSON.stringify(again.diagnostics)).toBe(true);
    expect(readFileSync(path.join(out, 'test-book', 'index.html'), 'utf8')).toContain('New text.');
    expect(readFileSync(path.join(out, 'test-book.pdf'), 'utf8')).toContain('New text.');
  });
});

describe('a failed build changes nothing, for the whole set', () => {
  async function goodSet() {
    const out = scratch();
    const first = await publish(bookOf('Test Book'), out, [
      htmlOutput,
      fileOutput('pdf'),
      fileOutput('epub'),
    ]);
    expect(first.ok).toBe(true);
    return { out, before: snapshot(out) };
  }
  const newBook = () => bookOf('Test Book', 'New text.');

  it('when Chromium crashes after the HTML and the EPUB were made', async () => {
    const { out, before } = await goodSet();
    const epub = fileOutput('epub');
    const crash = fileOutput('pdf', {
      // The PDF fails last, once the others are done.
      before: () => new Promise((resolve) => setTimeout(resolve, 100)),
      fail: () =>
        Object.assign(new Error('Protocol error (Target.setDiscoverTargets): Target closed'), {
          name: 'TargetCloseError',
        }),
    });
    const events: PublishProgress[] = [];
    const result = await publish(newBook(), out, [htmlOutput, crash, epub], {
      onProgress: (event) => events.push(event),
    });
    expect(result.ok).toBe(false);
    expect(codes(result)).toEqual(['browser-failed']);
    expect(
      events.flatMap((e) => (e.type === 'edition-made' ? [e.edition] : [])).sort(),
      'the HTML and the EPUB were made before the PDF failed',
    ).toEqual(['epub', 'html']);
    expect(snapshot(out)).toEqual(before);
    expect(leftovers(out)).toEqual([]);
  });

  it('when the disk fills up part-way (ENOSPC)', async () => {
    const { out, before } = await goodSet();
    const full = fileOutput('pdf', {
      fail: (dir) =>
        Object.assign(new Error(`ENOSPC: no space left on device, write`), {
          code: 'ENOSPC',
          path: path.join(dir, 'test-book.pdf'),
        }),
    });
    const result = await publish(newBook(), out, [htmlOutput, full, fileOutput('epub')]);
    expect(codes(result)).toEqual(['out-disk-full']);
    // The staging folder is gone: the message names the output folder.
    expect(result.diagnostics[0].file).toBe(shownPath(out));
    expect(snapshot(out)).toEqual(before);
    expect(leftovers(out)).toEqual([]);
  });

  it('when an edition reports an error', async () => {
    const { out, before } = await goodSet();
    const reporting: Output = {
      name: 'pdf',
      async build(book, context) {
        context.report({ code: 'print-request', severity: 'error', message: 'A remote stylesheet.' });
        const file = path.join(context.outDir, `${book.slug}.pdf`);
        await writeFile(file, 'half a PDF');
        return [file];
      },
    };
    const result = await publish(newBook(), out, [htmlOutput, reporting, fileOutput('epub')]);
    expect(codes(result)).toEqual(['print-request']);
    expect(snapshot(out)).toEqual(before);
  });

  it('when the caller aborts while the editions are made', async () => {
    const { out, before } = await goodSet();
    const controller = new AbortController();
    const aborting = fileOutput('pdf', { before: async () => controller.abort() });
    const result = await publish(newBook(), out, [htmlOutput, aborting], { signal: controller.signal });
    expect(result.ok).toBe(false);
    expect(result.diagnostics).toEqual([]);
    expect(snapshot(out)).toEqual(before);
    expect(leftovers(out)).toEqual([]);
  });

  it('when Chromium is missing', async () => {
    const { out, before } = await goodSet();
    const missing = fileOutput('pdf', {
      fail: () =>
        Object.assign(new Error('No Chromium or Chrome found.\nInstall it.'), {
          name: 'BrowserNotFoundError',
        }),
    });
    const result = await publish(newBook(), out, [htmlOutput, missing]);
    expect(codes(result)).toEqual(['browser-missing']);
    expect(result.diagnostics[0].hint).toBe('Install it.');
    expect(snapshot(out)).toEqual(before);
  });
});

describe('errors of the output folder', () => {
  it('maps each errno to its code, with the path', () => {
    const cases = [
      ['ENOSPC', 'out-disk-full'],
      ['EDQUOT', 'out-disk-full'],
      ['EROFS', 'out-read-only'],
      ['EACCES', 'out-unwritable'],
      ['EPERM', 'out-unwritable'],
      ['ENOTDIR', 'out-not-folder'],
      ['EIO', 'out-write-failed'],
    ];
    for (const [errno, code] of cases) {
      const error = Object.assign(new Error(`${errno}: failed`), {
        code: errno,
        path: '/somewhere/dist/book.pdf',
      });
      expect(fileSystemDiagnostic(error, '/somewhere/dist')).toMatchObject({
        code,
        file: '/somewhere/dist/book.pdf',
      });
    }
    expect(fileSystemDiagnostic(new Error('plain'), '/x')).toBeUndefined();
  });

  it('says so when --out is a file, and leaves the file alone', async () => {
    const dir = scratch();
    const file = path.join(dir, 'dist');
    writeFileSync(file, 'not a folder');
    for (const out of [file, path.join(file, 'sub')]) {
      const result = await publish(bookOf('X'), out, [htmlOutput]);
      expect(codes(result)).toEqual(['out-not-folder']);
    }
    expect(readFileSync(file, 'utf8')).toBe('not a folder');
  });
});

describe('one build at a time', () => {
  it('waits for a live build, then publishes a whole set of its own', async () => {
    const out = scratch();
    // Two versions of one book; each edition names its version, so a mix would show.
    const a = bookOf('Same Book', 'Version A.');
    const b = bookOf('Same Book', 'Version B.');
    const slow = () => new Promise<void>((resolve) => setTimeout(resolve, 300));
    const events: PublishProgress[] = [];
    const first = publish(a, out, [htmlOutput, fileOutput('pdf', { before: slow }), fileOutput('epub')]);
    // The second starts once the first holds the lock.
    while (!existsSync(path.join(out, LOCK_FILE))) await new Promise((resolve) => setTimeout(resolve, 5));
    const second = publish(b, out, [htmlOutput, fileOutput('pdf'), fileOutput('epub', { before: slow })], {
      onProgress: (event) => events.push(event),
    });
    const [resultA, resultB] = await Promise.all([first, second]);
    expect(resultA.ok && resultB.ok).toBe(true);
    expect(events[0]).toMatchObject({ type: 'waiting', holder: { pid: process.pid } });
    const html = readFileSync(path.join(out, 'same-book', 'index.html'), 'utf8');
    const versions = [
      html.includes('Version B.') ? 'B' : 'A',
      readFileSync(path.join(out, 'same-book.pdf'), 'utf8').includes('Version B.') ? 'B' : 'A',
      readFileSync(path.join(out, 'same-book.epub'), 'utf8').includes('Version B.') ? 'B' : 'A',
    ];
    expect(versions).toEqual(['B', 'B', 'B']);
  });

  it('fails with a clear message when the other build takes longer than the wait', async () => {
    const out = scratch();
    const held = await acquireOutLock(out);
    try {
      const result = await publish(bookOf('X'), out, [htmlOutput], { lockWaitMs: 300 });
      expect(codes(result)).toEqual(['out-locked']);
      expect(result.diagnostics[0].message).toContain(`process ${process.pid}`);
      expect(result.diagnostics[0].hint).toContain(LOCK_FILE);
      expect(readdirSync(out)).toEqual([LOCK_FILE]);
    } finally {
      await held.release();
    }
    expect(existsSync(path.join(out, LOCK_FILE))).toBe(false);
  });

  it('takes over the lock of a build that was killed, with a note', async () => {
    const out = scratch();
    // A process that has exited: its id is free (and, taken so soon after, not yet reused).
    const gone = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    const pid = Number(gone.stdout.trim());
    writeFileSync(
      path.join(out, LOCK_FILE),
      JSON.stringify({ pid, host: os.hostname(), started: '2026-01-01T00:00:00.000Z', token: 'x' }),
    );
    const result = await publish(bookOf('X'), out, [htmlOutput], { lockWaitMs: 1_000 });
    expect(result.ok).toBe(true);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        code: 'out-lock-stale',
        severity: 'info',
        message: expect.stringContaining(`process ${pid}`),
      }),
    ]);
    expect(existsSync(path.join(out, LOCK_FILE))).toBe(false);
  });
});

describe('what killed builds leave behind', () => {
  it('is removed by the next build: staging folders and the temporary files of older versions', async () => {
    const out = scratch();
    mkdirSync(path.join(out, '.imprint-staging-99999-deadbeef', '.work'), { recursive: true });
    writeFileSync(path.join(out, '.imprint-staging-99999-deadbeef', '.work', 'print.html'), 'x'.repeat(1000));
    writeFileSync(path.join(out, '.test-book.pdf.4242-0a1b2c3d.tmp'), 'half a PDF');
    mkdirSync(path.join(out, '.test-book.4242-0a1b2c3d.tmp.old'));
    writeFileSync(path.join(out, 'notes.tmp'), 'the author’s own file that merely ends in .tmp');
    const result = await publish(bookOf('Test Book'), out, [htmlOutput]);
    expect(result.ok).toBe(true);
    expect(readdirSync(out).sort()).toEqual([MANIFEST_FILE, 'notes.tmp', 'test-book']);
  });

  it('a build killed while moving its editions into place is finished by the next one', async () => {
    const out = scratch();
    expect((await publish(bookOf('Test Book'), out, [fileOutput('pdf'), fileOutput('epub')])).ok).toBe(true);
    // The state a SIGKILL between two renames leaves: the journal written, the PDF moved, the EPUB not yet.
    const staging = path.join(out, '.imprint-staging-99999-0badf00d');
    mkdirSync(path.join(staging, '.old'), { recursive: true });
    writeFileSync(path.join(out, 'test-book.pdf'), 'new pdf');
    writeFileSync(path.join(staging, 'test-book.epub'), 'new epub');
    const manifest = readFileSync(path.join(out, MANIFEST_FILE), 'utf8');
    writeFileSync(
      path.join(staging, '.publish.json'),
      JSON.stringify({ entries: ['test-book.pdf', 'test-book.epub'], manifest }),
    );
    const result = await publish(bookOf('Other'), out, [fileOutput('txt')]);
    expect(result.ok).toBe(true);
    expect(readFileSync(path.join(out, 'test-book.epub'), 'utf8')).toBe('new epub');
    expect(readFileSync(path.join(out, 'test-book.pdf'), 'utf8')).toBe('new pdf');
    expect(leftovers(out)).toEqual([]);
  });
});
