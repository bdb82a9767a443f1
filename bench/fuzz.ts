/**
 * `npm run fuzz`: the soak run of test/fuzz.test.ts. Thousands of generated manuscripts through the
 * pipeline (same grammar, same promises), then a sample of valid ones built to EPUB and checked with
 * epubcheck. Exits 1 on the first broken promise, printing the seed that reproduces it.
 *
 *   npm run fuzz                       3000 manuscripts, 8 EPUBs
 *   npm run fuzz -- --runs 10000 --epubs 20 --seed 42
 */
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { createBookLoader } from '../src/book/load-book.ts';
import { runEpubcheck } from '../src/check/editions/epubcheck.ts';
import { formatDiagnostic } from '../src/diagnostics/diagnostic.ts';
import { OUTPUTS } from '../src/outputs/index.ts';
import { buildDateFromEnvironment } from '../src/outputs/output.ts';
import { sharedBrowser } from '../src/platform/browser/shared-browser.ts';
import { manuscriptArbitrary } from '../test/support/manuscript-grammar.ts';
import { assertPipelineSurvives, writeManuscript } from '../test/support/pipeline-survives.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: process.env.FUZZ_RUNS ?? '3000' },
    epubs: { type: 'string', default: '8' },
    seed: { type: 'string' },
  },
});
const runs = Number(values.runs);
const epubs = Number(values.epubs);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);

async function pipelineRuns(): Promise<boolean> {
  const started = performance.now();
  let done = 0;
  const result = fc.check(
    fc.property(manuscriptArbitrary({ hugeWords: 20_000, maxNesting: 200, maxBlocks: 25 }), (manuscript) => {
      assertPipelineSurvives(manuscript);
      if (++done % 250 === 0) process.stdout.write(`  ${done} manuscripts\n`);
    }),
    { numRuns: runs, seed },
  );
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (result.failed) {
    process.stdout.write(`${fc.defaultReportMessage(result)}\n`);
    return false;
  }
  process.stdout.write(
    `pipeline: ${result.numRuns} manuscripts kept every promise in ${seconds} s (seed ${seed})\n`,
  );
  return true;
}

async function epubSample(): Promise<boolean> {
  const epub = OUTPUTS.find((output) => output.name === 'epub');
  if (!epub) {
    process.stdout.write('epub: edition not available in this version of Imprint; skipped\n');
    return true;
  }
  const samples = fc
    .sample(
      manuscriptArbitrary({ maxBlocks: 20 }).filter((manuscript) => manuscript.valid),
      { numRuns: epubs, seed },
    )
    .map(writeManuscript);
  const outDir = await mkdtemp(path.join(tmpdir(), 'imprint-fuzz-epub-'));
  const browser = sharedBrowser();
  let ok = true;
  try {
    const loadBook = createBookLoader();
    for (const [index, dir] of samples.entries()) {
      const book = loadBook(dir);
      const [file] = await epub.build(book, {
        outDir: path.join(outDir, String(index)),
        browser: browser.get,
        report: (diagnostic) => process.stdout.write(`  ${formatDiagnostic(diagnostic)}\n`),
        buildDate: buildDateFromEnvironment(),
      });
      const checked = await runEpubcheck(file, `sample ${index + 1}`);
      process.stdout.write(`epub sample ${index + 1}/${samples.length}: epubcheck ${checked.summary}\n`);
      for (const diagnostic of checked.diagnostics)
        process.stdout.write(`  ${formatDiagnostic(diagnostic)}\n`);
      if (checked.status !== 'passed') {
        ok = false;
        process.stdout.write(`  manuscript kept in ${dir}\n`);
        samples[index] = '';
      }
    }
  } finally {
    await browser.close();
    rmSync(outDir, { recursive: true, force: true });
    for (const dir of samples.filter(Boolean)) rmSync(dir, { recursive: true, force: true });
  }
  return ok;
}

const pipelineOk = await pipelineRuns();
const epubOk = pipelineOk && epubs > 0 ? await epubSample() : pipelineOk;
process.exitCode = pipelineOk && epubOk ? 0 : 1;
