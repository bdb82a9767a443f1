/**
 * The pipeline survives any input: a few hundred generated manuscripts per run (`npm run fuzz` runs
 * thousands and builds a sample to EPUB for epubcheck). See test/support/manuscript-grammar.ts for what is
 * generated and test/support/pipeline-survives.ts for what is promised.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { manuscriptArbitrary } from './support/manuscript-grammar.ts';
import { assertPipelineSurvives } from './support/pipeline-survives.ts';

describe('the pipeline survives any input', () => {
  it('keeps every promise on generated manuscripts', { timeout: 180_000 }, () => {
    fc.assert(
      fc.property(manuscriptArbitrary(), (manuscript) => {
        assertPipelineSurvives(manuscript);
      }),
      {
        // A fixed seed and count: every run checks the same cases, however busy the machine (a time budget
        // checked fewer on a loaded machine). `npm run fuzz` runs thousands; FUZZ_SEED tries other cases.
        numRuns: Number(process.env.FUZZ_RUNS ?? 150),
        seed: Number(process.env.FUZZ_SEED ?? 20_261_130),
      },
    );
  });
});
