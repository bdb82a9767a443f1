/**
 * How the cost grows with the book (issue 12: "B4 → B40 time ratio ≤ 10 for every edition; the 800-page
 * class of book's EPUB and HTML each under 10 s; 207 k words read in ≤ 3 s"). Three generated books of the
 * bench's kind: 4 chapters (B4), the bench book's 40 (B40) and 135 (about 207 k words, the 800-page class).
 * Each edition is built cold (empty cache) as a whole process, timed from the outside with its peak RSS,
 * median of BENCH_RUNS (default 3), the books interleaved. The reading alone (book.yaml, every chapter
 * through the pipeline on the worker pool, fonts and images; no edition) is timed inside a process that
 * has its modules loaded already, so it is the reading and nothing else.
 *
 * With the PDF, each book's Chromium floor too, as in `commands`: a node process that launches the browser, loads
 * that book's final print document and prints it once (the document is made once per book, untimed), so the
 * PDF's growth can be told from Chromium's own.
 *
 * `npm run bench -- scale` (compiles first, like `commands`); SCALE_FORMATS=html,epub leaves the PDF out.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateBook } from '../test/support/generate-book.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin', 'imprint.js');
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

const BOOKS = [
  { name: 'B4', chapters: 4 },
  { name: 'B40', chapters: 40 },
  { name: 'B135 (800-page class)', chapters: 135 },
];

interface Run {
  seconds: number;
  rssMb?: number;
}

export interface ScaleBenchResult {
  rounds: number;
  load: [number, number];
  books: {
    name: string;
    chapters: number;
    words: number;
    read: Run;
    builds: Record<string, Run>;
    /** Launch, load of the book's final print document, one page.pdf(): only with the PDF. */
    floor?: Run;
  }[];
}

function timed(args: string[], env: NodeJS.ProcessEnv): Run {
  const started = performance.now();
  const result = spawnSync(
    TIME ?? process.execPath,
    TIME ? ['-f', 'imprint-bench-rss %M', ...args] : args.slice(1),
    {
      env: { ...process.env, ...env },
      encoding: 'utf8',
    },
  );
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}:\n${result.stderr}`);
  const rss = /imprint-bench-rss (\d+)/.exec(result.stderr ?? '');
  return { seconds, rssMb: rss ? Number(rss[1]) / 1024 : undefined };
}

/** The reading alone, in a process whose modules are loaded before the clock starts; prints seconds. */
const READ_SCRIPT = [
  `const { createBookLoader } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'lib', 'book', 'load-book.js')).href)});`,
  `const { processChaptersInPool } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'lib', 'book', 'chapter-pool.js')).href)});`,
  'const started = performance.now();',
  'await createBookLoader().loadBookWith(process.argv[2], processChaptersInPool);',
  'process.stdout.write(String((performance.now() - started) / 1000));',
].join('\n');

/** Writes the final print document of the book in argv[2] to argv[3] (untimed, once per book). */
const FINAL_HTML_SCRIPT = [
  `const { createBookLoader } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'lib', 'book', 'load-book.js')).href)});`,
  `const { renderPdf } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'lib', 'outputs', 'pdf', 'render-pdf.js')).href)});`,
  `const { launchBrowser } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'lib', 'platform', 'browser', 'launch-browser.js')).href)});`,
  "const { mkdtempSync, writeFileSync } = await import('node:fs');",
  'const book = await createBookLoader()(process.argv[2]);',
  'const browser = await launchBrowser();',
  'try {',
  "  const workDir = mkdtempSync(process.argv[3] + '-work-');",
  '  const { finalHtml } = await renderPdf(book, browser, { buildDate: new Date(0), workDir, keepHtml: true });',
  "  writeFileSync(process.argv[3], finalHtml ?? '');",
  '} finally {',
  '  await browser.close();',
  '}',
].join('\n');

/** The Chromium floor of `commands`: launch, load the print document in argv[2], one page.pdf(). */
const FLOOR_SCRIPT = [
  `const { launchBrowser } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'lib', 'platform', 'browser', 'launch-browser.js')).href)});`,
  `const { PDF_OPTIONS } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'lib', 'outputs', 'pdf', 'print-to-pdf.js')).href)});`,
  "const { pathToFileURL } = await import('node:url');",
  'const browser = await launchBrowser();',
  'const page = await browser.newPage();',
  "await page.goto(pathToFileURL(process.argv[2]).href, { waitUntil: 'load', timeout: 0 });",
  'await page.pdf(PDF_OPTIONS);',
  'await browser.close();',
].join('\n');

/** A file, not `-e`: worker threads inherit the process's flags, and `--input-type` stops them. */
function readOnce(script: string, manuscript: string): Run {
  const result = spawnSync(process.execPath, [script, manuscript], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`reading ${manuscript} failed:\n${result.stderr}`);
  return { seconds: Number(result.stdout) };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function summary(runs: Run[]): Run {
  const rss = runs.flatMap((run) => (run.rssMb === undefined ? [] : [run.rssMb]));
  return {
    seconds: median(runs.map((run) => run.seconds)),
    rssMb: rss.length ? Math.max(...rss) : undefined,
  };
}

export function benchScale(rounds = Number(process.env.BENCH_RUNS ?? 3)): ScaleBenchResult {
  const compiled = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'compile.mjs')], {
    stdio: 'inherit',
  });
  if (compiled.status !== 0) throw new Error('npm run compile failed');
  const formats = (process.env.SCALE_FORMATS ?? 'html,epub,pdf').split(',');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'imprint-bench-scale-'));
  const startLoad = os.loadavg()[0];
  try {
    const books = BOOKS.map((book) => {
      const generated = generateBook(path.join(dir, book.name.split(' ')[0]), {
        chapters: book.chapters,
        sectionsPerChapter: 2,
        turnsPerSection: 4,
        withFootnotes: true,
        withTables: true,
        withFigures: true,
      });
      const words = readdirSync(generated.dir)
        .filter((name) => name.endsWith('.md'))
        .reduce(
          (sum, name) => sum + readFileSync(path.join(generated.dir, name), 'utf8').split(/\s+/).length,
          0,
        );
      return {
        ...book,
        dir: generated.dir,
        words,
        reads: [] as Run[],
        builds: new Map<string, Run[]>(),
        floors: [] as Run[],
        finalHtml: path.join(dir, `final-${book.name.split(' ')[0]}.html`),
      };
    });
    const readScript = path.join(dir, 'read-book.mjs');
    writeFileSync(readScript, READ_SCRIPT);
    const withFloor = formats.includes('pdf');
    const floorScript = path.join(dir, 'floor.mjs');
    if (withFloor) {
      const finalScript = path.join(dir, 'final-html.mjs');
      writeFileSync(finalScript, FINAL_HTML_SCRIPT);
      writeFileSync(floorScript, FLOOR_SCRIPT);
      for (const book of books) {
        const made = spawnSync(process.execPath, [finalScript, book.dir, book.finalHtml], {
          encoding: 'utf8',
        });
        if (made.status !== 0) throw new Error(`the print document of ${book.name} failed:\n${made.stderr}`);
      }
    }
    let cacheRun = 0;
    for (let round = 0; round < rounds; round++) {
      for (const book of books) {
        book.reads.push(readOnce(readScript, book.dir));
        for (const format of formats) {
          const env = { IMPRINT_CACHE_DIR: path.join(dir, `cache-${cacheRun++}`) };
          const out = path.join(dir, `out-${book.name.split(' ')[0]}`);
          const run = timed(
            [process.execPath, BIN, 'build', book.dir, '--out', out, '--format', format],
            env,
          );
          book.builds.set(format, [...(book.builds.get(format) ?? []), run]);
        }
        if (withFloor) book.floors.push(timed([process.execPath, floorScript, book.finalHtml], {}));
      }
    }
    return {
      rounds,
      load: [startLoad, os.loadavg()[0]],
      books: books.map((book) => ({
        name: book.name,
        chapters: book.chapters,
        words: book.words,
        read: summary(book.reads),
        builds: Object.fromEntries([...book.builds].map(([format, runs]) => [format, summary(runs)])),
        floor: book.floors.length ? summary(book.floors) : undefined,
      })),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatScaleBench(result: ScaleBenchResult): string {
  const s = (run?: Run) =>
    run ? `${run.seconds.toFixed(2)} s${run.rssMb ? ` ${run.rssMb.toFixed(0)} MB` : ''}` : 'n/a';
  const formats = Object.keys(result.books[0]?.builds ?? {});
  const lines = [
    `Scale (cold builds as whole processes, median of ${result.rounds}; load average ${result.load[0].toFixed(1)} → ${result.load[1].toFixed(1)})`,
    `  ${'book'.padEnd(24)} ${'words'.padStart(7)}  ${'reading'.padStart(9)}  ${formats.map((f) => `build ${f}`.padEnd(18)).join(' ')}`,
    ...result.books.map(
      (book) =>
        `  ${book.name.padEnd(24)} ${String(book.words).padStart(7)}  ${`${book.read.seconds.toFixed(2)} s`.padStart(9)}  ${formats.map((f) => s(book.builds[f]).padEnd(18)).join(' ')}`,
    ),
  ];
  const [b4, b40, big] = result.books;
  for (const format of formats) {
    const ratio = b40.builds[format].seconds / b4.builds[format].seconds;
    lines.push(
      `  B4 → B40 ${format.padEnd(5)} ${ratio.toFixed(2)}× (target ≤ 10, ${ratio <= 10 ? 'met' : 'not met'})`,
    );
  }
  for (const format of formats.filter((f) => f !== 'pdf')) {
    const seconds = big.builds[format].seconds;
    lines.push(
      `  ${big.name} ${format}: ${seconds.toFixed(2)} s (target < 10 s, ${seconds < 10 ? 'met' : 'not met'})`,
    );
  }
  lines.push(
    `  ${big.name} reading, ${big.words} words: ${big.read.seconds.toFixed(2)} s (target ≤ 3 s for 207 k words, ${big.read.seconds <= 3 ? 'met' : 'not met'})`,
  );
  if (result.books.every((book) => book.floor && book.builds.pdf)) {
    for (const book of result.books) {
      const floor = book.floor as Run;
      lines.push(
        `  ${book.name.padEnd(24)} PDF floor ${s(floor)}; build pdf / floor ${(book.builds.pdf.seconds / floor.seconds).toFixed(2)}×`,
      );
    }
    const growth = (run: (book: ScaleBenchResult['books'][number]) => Run) =>
      (run(big).seconds / run(b40).seconds).toFixed(2);
    lines.push(
      `  B40 → ${big.name}: build pdf ${growth((book) => book.builds.pdf)}×, floor ${growth((book) => book.floor as Run)}×, words ${(big.words / b40.words).toFixed(2)}×`,
    );
  }
  return lines.join('\n');
}
