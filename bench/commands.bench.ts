/**
 * Whole commands, timed as a user times them: each run is a child process (spawn, wait) measured from the
 * outside for wall-clock time and peak RSS (GNU time's %M, else /proc's VmHWM is not reachable after exit,
 * so RSS is then left out). Imprint and the reference alternate (A B A B …) so a busy moment hurts both;
 * each figure is the median of BENCH_RUNS (default 3) runs. The reference is Pandoc on the same text,
 * when installed (IMPRINT_SETUP_BENCH=1 npm install adds it), and the Chromium floor for the PDF: a node
 * process that launches Imprint's browser, loads the book's final print document and prints it once.
 */
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createBookLoader } from '../src/book/load-book.ts';
import { renderPdf } from '../src/outputs/pdf/render-pdf.ts';
import { launchBrowser } from '../src/platform/browser/launch-browser.ts';
import { generateBenchBook } from './bench-book.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin', 'imprint.js');
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

interface Run {
  ms: number;
  rssMb?: number;
}
interface Measure {
  name: string;
  ms: number;
  rssMb?: number;
}

function timed(command: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd = ROOT): Run {
  const started = performance.now();
  const result = TIME
    ? spawnSync(TIME, ['-f', 'imprint-bench-rss %M', command, ...args], {
        cwd,
        env: { ...process.env, ...env },
        encoding: 'utf8',
      })
    : spawnSync(command, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${result.stderr}`);
  }
  const rss = /imprint-bench-rss (\d+)/.exec(result.stderr ?? '');
  return { ms, rssMb: rss ? Number(rss[1]) / 1024 : undefined };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Runs each job `rounds` times, interleaved, and returns each job's median. */
function interleaved(jobs: { name: string; run: (round: number) => Run }[], rounds: number): Measure[] {
  const runs = jobs.map(() => [] as Run[]);
  for (let round = 0; round < rounds; round++) {
    jobs.forEach((job, i) => {
      runs[i].push(job.run(round));
    });
  }
  return jobs.map((job, i) => {
    const rss = runs[i].flatMap((run) => (run.rssMb === undefined ? [] : [run.rssMb]));
    return {
      name: job.name,
      ms: median(runs[i].map((run) => run.ms)),
      rssMb: rss.length ? Math.max(...rss) : undefined,
    };
  });
}

/** The manuscript as one Markdown file for Pandoc: the chapters in order, front matter removed. */
function pandocInput(manuscript: string, file: string): void {
  const chapters = readdirSync(manuscript)
    .filter((name) => name.endsWith('.md'))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const text = chapters
    .map((name) => readFileSync(path.join(manuscript, name), 'utf8').replace(/^---\n[\s\S]*?\n---\n/, ''))
    .join('\n\n');
  writeFileSync(file, text);
}

export interface CommandsBenchResult {
  rounds: number;
  pandoc: boolean;
  measures: Measure[];
}

export async function benchCommands(
  rounds = Number(process.env.BENCH_RUNS ?? 3),
): Promise<CommandsBenchResult> {
  const compiled = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'compile.mjs')], {
    stdio: 'inherit',
  });
  if (compiled.status !== 0) throw new Error('npm run compile failed');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'imprint-bench-commands-'));
  try {
    const manuscript = generateBenchBook(dir).dir;
    const media = path.join(dir, 'media');
    const bookMd = path.join(dir, 'book.md');
    pandocInput(manuscript, bookMd);
    const pandoc = spawnSync('pandoc', ['--version']).status === 0;
    const out = path.join(dir, 'dist');
    let cacheRun = 0;
    const freshCache = () => ({ IMPRINT_CACHE_DIR: path.join(dir, `cache-${cacheRun++}`) });
    const warmCache = { IMPRINT_CACHE_DIR: path.join(dir, 'cache-warm') };
    const imprint = (args: string[], env: NodeJS.ProcessEnv) => timed(process.execPath, [BIN, ...args], env);
    const build = (format: string, env: NodeJS.ProcessEnv, into = out) =>
      imprint(['build', manuscript, '--out', into, ...(format === 'all' ? [] : ['--format', format])], env);
    // The rebuilds go to a folder of their own, as a user's rebuild finds the editions its last build (with the
    // same cache) left: into `out`, the cold builds in between (each with a fresh cache) would have replaced
    // them, and a rebuild links only files its own last build wrote (src/outputs/unchanged-files.ts).
    const rebuildOut = path.join(dir, 'dist-rebuild');
    const edited = path.join(
      manuscript,
      readdirSync(manuscript)
        .filter((name) => name.endsWith('.md'))
        .sort()[7],
    );

    // The final print document, for the PDF floor (once, untimed).
    const book = createBookLoader()(manuscript);
    const browser = await launchBrowser();
    const finalHtml = path.join(dir, 'final.html');
    try {
      const { finalHtml: html } = await renderPdf(book, browser, {
        buildDate: new Date(0),
        workDir: mkdtempSync(path.join(dir, 'work-')),
        keepHtml: true,
      });
      writeFileSync(finalHtml, html ?? '');
    } finally {
      await browser.close();
    }
    const floorScript = (html: string) =>
      [
        `const { launchBrowser } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'lib', 'platform', 'browser', 'launch-browser.js')).href)});`,
        `const { PDF_OPTIONS } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'lib', 'outputs', 'pdf', 'print-to-pdf.js')).href)});`,
        'const browser = await launchBrowser();',
        'const page = await browser.newPage();',
        `await page.goto(${JSON.stringify(pathToFileURL(html).href)}, { waitUntil: 'load', timeout: 0 });`,
        'await page.pdf(PDF_OPTIONS);',
        'await browser.close();',
      ].join('\n');
    // The outside check's second reference: the same floor on Pandoc's standalone HTML of the same text.
    const pandocHtml = path.join(dir, 'pandoc-floor.html');
    if (pandoc) spawnSync('pandoc', ['-s', bookMd, '-t', 'html', '-o', pandocHtml]);

    build('epub,html', warmCache, rebuildOut); // fills the warm cache
    const jobs = [
      // What any node command costs on this machine right now: the floor under --version.
      { name: 'node -e 0 (node itself)', run: () => timed(process.execPath, ['-e', '0']) },
      { name: 'imprint --version', run: () => imprint(['--version'], {}) },
      { name: 'imprint --help', run: () => imprint(['--help'], {}) },
      { name: 'imprint build --format epub (cold)', run: () => build('epub', freshCache()) },
      ...(pandoc
        ? [
            {
              name: 'pandoc -t epub3',
              run: () => timed('pandoc', [bookMd, '-t', 'epub3', '-o', path.join(media, 'p.epub')]),
            },
          ]
        : []),
      { name: 'imprint build --format html (cold)', run: () => build('html', freshCache()) },
      ...(pandoc
        ? [
            {
              name: 'pandoc -s -t html',
              run: () => timed('pandoc', ['-s', bookMd, '-t', 'html', '-o', path.join(dir, 'p.html')]),
            },
          ]
        : []),
      {
        name: 'imprint build --format epub (one chapter edited)',
        run: (round: number) => {
          appendFileSync(edited, `\nAn added sentence, epub ${round}.\n`);
          return build('epub', warmCache, rebuildOut);
        },
      },
      {
        name: 'imprint build --format html (one chapter edited)',
        run: (round: number) => {
          appendFileSync(edited, `\nAn added sentence, html ${round}.\n`);
          return build('html', warmCache, rebuildOut);
        },
      },
      { name: 'imprint build --format pdf (cold)', run: () => build('pdf', freshCache()) },
      { name: 'imprint build (all three, cold)', run: () => build('all', freshCache()) },
      {
        name: 'PDF floor (node + Chromium: launch, load, one print)',
        run: () => timed(process.execPath, ['--input-type=module', '-e', floorScript(finalHtml)]),
      },
      ...(pandoc
        ? [
            {
              name: "PDF floor on Pandoc's HTML (launch, load, one print)",
              run: () => timed(process.execPath, ['--input-type=module', '-e', floorScript(pandocHtml)]),
            },
          ]
        : []),
    ];
    mkdirSync(media, { recursive: true });
    return { rounds, pandoc, measures: interleaved(jobs, rounds) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatCommandsBench(result: CommandsBenchResult): string {
  const get = (prefix: string) => result.measures.find((m) => m.name.startsWith(prefix));
  const s = (m?: Measure) => (m ? `${(m.ms / 1000).toFixed(2)} s` : 'n/a');
  const ratio = (a?: Measure, b?: Measure) => (a && b ? a.ms / b.ms : Number.NaN);
  const lines = [
    `Whole commands (child processes, median of ${result.rounds}, interleaved; wall clock, peak RSS of the process)`,
    ...result.measures.map(
      (m) =>
        `  ${m.name.padEnd(54)} ${s(m).padStart(8)}${m.rssMb ? `  ${m.rssMb.toFixed(0).padStart(4)} MB` : ''}`,
    ),
  ];
  const verdict = (value: number, target: number, below = false) =>
    Number.isNaN(value)
      ? 'n/a'
      : `${value.toFixed(2)}× (target ${below ? '<' : '≤'} ${target}, ${(below ? value < target : value <= target) ? 'met' : 'not met'})`;
  const coldEpub = get('imprint build --format epub (cold)');
  const coldHtml = get('imprint build --format html (cold)');
  const reEpub = get('imprint build --format epub (one');
  const reHtml = get('imprint build --format html (one');
  if (!result.pandoc)
    lines.push('  pandoc is not installed: no reference ratios (IMPRINT_SETUP_BENCH=1 npm install adds it).');
  lines.push(
    `  cold epub / pandoc                 ${verdict(ratio(coldEpub, get('pandoc -t epub3')), 1.5)}`,
    `  cold html / pandoc                 ${verdict(ratio(coldHtml, get('pandoc -s')), 1.5)}`,
    `  rebuild epub / pandoc              ${verdict(ratio(reEpub, get('pandoc -t epub3')), 1, true)}`,
    `  rebuild html / pandoc              ${verdict(ratio(reHtml, get('pandoc -s')), 1, true)}`,
    `  rebuild epub / cold epub           ${verdict(ratio(reEpub, coldEpub), 0.35)}`,
    `  rebuild html / cold html           ${verdict(ratio(reHtml, coldHtml), 0.35)}`,
    `  cold pdf / PDF floor               ${verdict(ratio(get('imprint build --format pdf'), get('PDF floor (')), 1.3)}`,
    `  all three editions / PDF floor     ${verdict(ratio(get('imprint build (all'), get('PDF floor (')), 1.5)}`,
    `  cold pdf / floor on Pandoc's HTML  ${verdict(ratio(get('imprint build --format pdf'), get("PDF floor on Pandoc's")), 1.5)}`,
    `  --version                          ${s(get('imprint --version'))} (target ≤ 0.2 s)`,
  );
  return lines.join('\n');
}
