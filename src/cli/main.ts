/**
 * The `imprint` command. Each subcommand is argument parsing here plus a runner in its own module, over the
 * programmatic API (src/index.ts). Runners are imported when their command runs, so `--version` and
 * `--help` load nothing but commander.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { SERVICE_NAMES, type ServiceName } from '../check/preflight/services.ts';
import { IMPRINT_VERSION } from '../imprint-package.ts';
import type { SharedBrowser } from '../platform/browser/shared-browser.ts';
import { handleExitSignals } from './exit-on-signal.ts';
import { CLI_DEFAULT_FORMATS, CLI_FORMAT_NAMES as FORMAT_NAMES } from './format-names.ts';

function formatList(value: string): string[] {
  const formats = value
    .split(',')
    .map((format) => format.trim().toLowerCase())
    .filter(Boolean);
  const unknown = formats.filter((format) => !FORMAT_NAMES.includes(format));
  if (unknown.length) {
    throw new InvalidArgumentError(
      `unknown format ${unknown.join(', ')}; choose from ${FORMAT_NAMES.join(', ')}.`,
    );
  }
  return formats;
}

const program = new Command()
  .name('imprint')
  .description('Turns a Markdown manuscript into a print PDF, an EPUB 3 and an HTML edition.')
  .version(IMPRINT_VERSION)
  .showHelpAfterError();

program
  .command('build')
  .description('Build the editions of a manuscript into the output folder.')
  .argument('[manuscript-dir]', 'folder with book.yaml and the chapters', 'manuscript')
  .option('-o, --out <dir>', 'output folder', 'dist')
  .option(
    '-f, --format <list>',
    `editions to build, comma-separated (${FORMAT_NAMES.join(', ')})`,
    formatList,
    [...CLI_DEFAULT_FORMATS],
  )
  .addHelpText(
    'after',
    '\nWrites dist/<slug>/index.html, dist/<slug>.pdf and dist/<slug>.epub, all together or not at all: a failed build\nleaves the last good set in place. --format print writes the press files dist/<slug>.print.pdf and\ndist/<slug>.cover.pdf (needs Ghostscript). Replaces only what Imprint made (dist/.imprint-manifest.json); one build\nat a time per folder. Set SOURCE_DATE_EPOCH for reproducible dates.',
  )
  .action(async (dir: string, options: { out: string; format: string[] }) => {
    // The HTML and EPUB editions' modules are asked for now, so they load with the runner's. Asked for by the
    // runner, they loaded after the book was read, each of their files waiting its turn on libuv's threads with
    // this thread idle: 12–18 ms of a 0.5 s rebuild. (With a PDF, Puppeteer loads first and Chromium is spawned
    // before anything else; the editions' modules then load during the long read, as before.)
    const printing = options.format.some((format) => format === 'pdf' || format === 'print');
    if (!printing && options.format.some((format) => format === 'html' || format === 'epub')) {
      void import('../outputs/output-modules.ts')
        .then(({ OUTPUT_MODULES }) =>
          Promise.all(
            options.format
              .filter((format) => format === 'html' || format === 'epub')
              .map((format) => OUTPUT_MODULES[format]()),
          ),
        )
        .catch(() => undefined);
    }
    // Chromium first, before anything else loads (Puppeteer included: it connects later, spawn-chromium.ts), so
    // its start-up runs on the core that loading the command leaves idle: 0.1–0.4 s of a cold PDF build (README,
    // ninth round). The launch below takes it; at exit it is killed if it was not.
    if (printing) {
      // Before Chromium is spawned: a signal from now on ends the build with its exit code (exit-on-signal.ts),
      // which kills Chromium (at exit) and removes its profile.
      handleExitSignals();
      (await import('../platform/browser/spawn-chromium.ts')).spawnChromiumEarly();
    }
    // Before the runner's modules load, so the chapter workers load theirs at the same time.
    const { startChapterWorkersEarly } = await import('../book/chapter-workers.ts');
    startChapterWorkersEarly(dir);
    // Puppeteer loads and connects to Chromium while the runner's modules load. The build closes the browser,
    // also when the manuscript stops the build before anything is printed.
    let browser: SharedBrowser | undefined;
    if (printing) {
      const { sharedBrowser } = await import('../platform/browser/shared-browser.ts');
      browser = sharedBrowser();
      // A failed launch is reported where the browser is used.
      browser.get().catch(() => undefined);
    }
    const { runBuild } = await import('./build.runner.ts').catch(async (error: unknown) => {
      await browser?.close();
      throw error;
    });
    process.exitCode = await runBuild({
      manuscriptDir: dir,
      outDir: options.out,
      formats: options.format,
      browser,
    });
    // A finished build has nothing left once it returns: the editions are in place, the cache written, Chromium
    // closed with its profile and what its launch started in the background (SharedBrowser.close), the lines
    // printed. Ending here spares node's teardown of the heap: 10–20 ms of a 0.5 s rebuild, 40–60 ms after a
    // PDF. A failed build ends as usual, once whatever it left running has ended.
    if (process.exitCode === 0) exitOnceWritten();
  });

/** Ends the process now, unless output is still queued (a pipe is asynchronous on some systems). */
function exitOnceWritten(): void {
  if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit();
}

program
  .command('check')
  .description('Lint the manuscript, then build every edition into a temporary folder and validate it.')
  .argument('[manuscript-dir]', 'folder with book.yaml and the chapters', 'manuscript')
  .addOption(
    new Option('--format <format>', 'how to print the results').choices(['text', 'json']).default('text'),
  )
  .option('--no-editions', 'lint the manuscript only, without building and checking the editions')
  .addOption(
    new Option(
      '--preflight <service>',
      "build the press files (--format print) and check them against a print service's rules",
    ).choices(SERVICE_NAMES),
  )
  .addHelpText(
    'after',
    "\nChecks the EPUB with epubcheck and Ace by DAISY, and the PDF for embedded fonts, an outline and tags;\nwith --preflight kdp|ingramspark, the press files against that service's rules instead.\nExits with 1 when anything is an error. Every code is listed in README.md (Diagnostics).",
  )
  .action(
    async (dir: string, options: { format: 'text' | 'json'; editions: boolean; preflight?: ServiceName }) => {
      const { runCheck } = await import('./check.runner.ts');
      process.exitCode = await runCheck({
        manuscriptDir: dir,
        format: options.format,
        editions: options.editions,
        preflight: options.preflight,
      });
    },
  );

function portNumber(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535)
    throw new InvalidArgumentError('a port is a number from 0 to 65535.');
  return port;
}

program
  .command('preview')
  .description('Serve a live preview of the book (screen, print and EPUB views) that updates on every save.')
  .argument('[manuscript-dir]', 'folder with book.yaml and the chapters', 'manuscript')
  .option('-p, --port <port>', 'port to listen on (default 4173, or the next free one)', portNumber)
  .option(
    '--host <host>',
    'address to listen on; anything but 127.0.0.1 shares the preview with your network',
    '127.0.0.1',
  )
  .option('--open', 'open the preview in your browser')
  .action(async (dir: string, options: { port?: number; host: string; open?: boolean }) => {
    const { runPreview } = await import('./preview.runner.ts');
    const code = await runPreview({
      manuscriptDir: dir,
      port: options.port,
      host: options.host,
      open: options.open,
    });
    // The server, watcher and browser are closed: a print pass still under way has no browser left and would
    // keep the process alive until its page times out (30 s after Ctrl-C).
    process.exit(code);
  });

program
  .command('doctor')
  .description('Report which system tools Imprint needs are installed, and how to install the rest.')
  .option('--no-launch', 'do not start the browser to see that it works')
  .action(async (options: { launch: boolean }) => {
    const { runDoctor } = await import('./doctor.runner.ts');
    process.exitCode = runDoctor({ launchBrowser: options.launch });
  });

try {
  await program.parseAsync();
} catch (error) {
  // Without a browser the PDF cannot be made; the message already says the one command that fixes it.
  if (error instanceof Error && error.name === 'BrowserNotFoundError') {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
