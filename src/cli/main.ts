/**
 * The `imprint` command. Each subcommand is argument parsing here plus a runner in its own module.
 */
import { Command, InvalidArgumentError } from 'commander';
import { FORMAT_NAMES } from '../outputs/index.ts';
import { runBuild } from './build.runner.ts';

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
    [...FORMAT_NAMES],
  )
  .addHelpText(
    'after',
    '\nWrites dist/<slug>/index.html, dist/<slug>.pdf and dist/<slug>.epub; a failed build leaves earlier files in place.\nSet SOURCE_DATE_EPOCH for reproducible dates.',
  )
  .action(async (dir: string, options: { out: string; format: string[] }) => {
    process.exitCode = await runBuild({ manuscriptDir: dir, outDir: options.out, formats: options.format });
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
