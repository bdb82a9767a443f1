/**
 * The in-page passes queued with pageSteps run in order in one task of the page: each step gets its own
 * argument and returns its own result, no frame is drawn between two steps, and a step that throws fails the
 * run and every step queued with it (their results are lost with the task) without an unhandled rejection.
 */
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageSteps } from '../src/outputs/pdf/page-steps.ts';
import { launchBrowser } from '../src/platform/browser/launch-browser.ts';

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  page = await browser.newPage();
  await page.setContent('<p id="text">one</p>');
}, 240_000);
afterAll(async () => {
  await browser?.close();
});

describe('pageSteps', () => {
  it('runs each step with its argument, in order, and gives each its result', {
    timeout: 60_000,
  }, async () => {
    const steps = pageSteps(page);
    const written = steps.add((word: string) => {
      const text = document.getElementById('text') as HTMLElement;
      text.textContent += ` ${word}`;
      return text.textContent;
    }, 'two');
    const counted = steps.add(
      (options: { word: string; times: number }) => {
        const text = document.getElementById('text') as HTMLElement;
        for (let time = 0; time < options.times; time++) text.textContent += ` ${options.word}`;
        return (text.textContent ?? '').split(' ').length;
      },
      { word: 'three', times: 2 },
    );
    const asynchronous = steps.add(async () => {
      await document.fonts.ready;
      return document.getElementById('text')?.textContent;
    });
    await steps.run();
    expect(await written).toBe('one two');
    expect(await counted).toBe(4);
    expect(await asynchronous).toBe('one two three three');
  });

  it('draws no frame between two steps', { timeout: 60_000 }, async () => {
    const steps = pageSteps(page);
    steps.add(() => {
      const state = window as unknown as { framed: boolean };
      state.framed = false;
      requestAnimationFrame(() => {
        state.framed = true;
      });
      // A change to draw, and time for a frame to fall due.
      (document.getElementById('text') as HTMLElement).style.color = 'red';
      const until = performance.now() + 50;
      while (performance.now() < until) document.body.getBoundingClientRect();
    });
    const framed = steps.add(async () => {
      await document.fonts.ready;
      return (window as unknown as { framed: boolean }).framed;
    });
    await steps.run();
    expect(await framed).toBe(false);
    // The frame does come once the task has ended.
    await page.waitForFunction(() => (window as unknown as { framed: boolean }).framed, { timeout: 10_000 });
  });

  it('fails the run and every step in it when one throws; the steps before it have run', {
    timeout: 60_000,
  }, async () => {
    const steps = pageSteps(page);
    const before = steps.add(() => {
      (window as unknown as { reached: string }).reached = 'before';
      return 1;
    });
    const failing = steps.add(() => {
      throw new Error('no such block');
    });
    steps.add(() => {
      (window as unknown as { reached: string }).reached = 'after';
    });
    await expect(steps.run()).rejects.toThrow('no such block');
    await expect(failing).rejects.toThrow('no such block');
    await expect(before).rejects.toThrow('no such block');
    expect(await page.evaluate(() => (window as unknown as { reached: string }).reached)).toBe('before');
  });
});
