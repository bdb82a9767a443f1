import type { Page } from 'puppeteer-core';

/**
 * In-page passes run back to back in one `page.evaluate`. Between two evaluates the renderer is idle for a
 * protocol round trip, and it spends it drawing a frame of the screen it was asked to change: a pre-paint and
 * compositing walk of the whole book (10–30 ms each on the 40-chapter book), which nothing reads, once per pass.
 * Run as one task, the passes leave one frame in all. Each step's result is what its own evaluate would return.
 */
export interface PageSteps {
  /** Queues `step(arg)`; the promise settles once `run` has run every step queued before it. */
  add<A, R>(step: (arg: A) => R | Promise<R>, arg: A): Promise<Awaited<R>>;
  add<R>(step: () => R | Promise<R>): Promise<Awaited<R>>;
  /** Runs the queued steps in order in one evaluate; a step that throws fails the run and every step in it. */
  run(): Promise<void>;
}

export function pageSteps(page: Page): PageSteps {
  const steps: {
    source: string;
    arg: string;
    settle: (value: unknown) => void;
    fail: (error: unknown) => void;
  }[] = [];
  return {
    add(step: (arg?: unknown) => unknown, ...args: unknown[]) {
      const result = new Promise((settle, fail) => {
        // Each function is sent as its source, as page.evaluate sends one; its argument as JSON.
        steps.push({
          source: step.toString(),
          arg: args.length ? JSON.stringify(args[0]) : '',
          settle,
          fail,
        });
      });
      // A failed run rejects from `run`: a step's promise nobody awaits then must not be an unhandled rejection.
      result.catch(() => {});
      return result as never;
    },
    async run() {
      const queued = steps.splice(0);
      const calls = queued.map(({ source, arg }) => `results.push(await (${source})(${arg}));`);
      try {
        const results = (await page.evaluate(
          `(async () => { const results = []; ${calls.join('\n')} return results; })()`,
        )) as unknown[];
        for (const [index, step] of queued.entries()) step.settle(results[index]);
      } catch (error) {
        for (const step of queued) step.fail(error);
        throw error;
      }
    },
  };
}
