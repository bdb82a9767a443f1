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
  it('keeps every promise on generated manuscripts', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(manuscriptArbitrary(), (manuscript) => {
        assertPipelineSurvives(manuscript);
      }),
      {
        numRuns: Number(process.env.FUZZ_RUNS ?? 300),
        // On a busy machine fewer cases run rather than the suite slowing down: `npm run fuzz` runs thousands.
        interruptAfterTimeLimit: 20_000,
        markInterruptAsFailure: false,
      },
    );
  });
});
