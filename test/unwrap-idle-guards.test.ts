/**
 * The hyphenation guards no line needed come out before the print (unwrap-idle-guards.ts): in Chromium, at a
 * fixed measure, every guard that begins a line, begins its block or is split over two lines stays; every
 * other goes; and every word stays on the line, and at the place, where it was.
 */
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinUnwrapReports, unwrapIdleGuards } from '../src/outputs/pdf/unwrap-idle-guards.ts';
import { launchBrowser } from '../src/platform/browser/launch-browser.ts';

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  page = await browser.newPage();
}, 240_000);
afterAll(async () => {
  await browser?.close();
});

const GUARD = (word: string) => `<span style="hyphens: manual">${word}</span>`;

interface WordPlace {
  word: string;
  /** Per box (a word split over two lines has two): its line's top and its left edge. */
  boxes: { top: number; left: number }[];
}

/** Every word's line (its top) and left edge, in document order. */
function wordPlaces(): WordPlace[] {
  const places: WordPlace[] = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
    for (const match of node.data.matchAll(/\S+/g)) {
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const rects = [...range.getClientRects()].filter((rect) => rect.width > 0);
      places.push({ word: match[0], boxes: rects.map((rect) => ({ top: rect.top, left: rect.left })) });
    }
  }
  return places;
}

async function guardedWords(): Promise<string[]> {
  return page.$$eval('span[style^="hyphens: manual"]', (spans) =>
    spans.map((span) => span.textContent ?? ''),
  );
}

describe('unwrapIdleGuards', () => {
  it('keeps the guards that begin a line or a block or are split, and the lines do not move', {
    timeout: 60_000,
  }, async () => {
    // A 14 px serif at 220 px: about 30 characters a line; "Alpha" guards the start of its block.
    const paragraph = [
      `${GUARD('Alpha')} beta gamma delta ${GUARD('epsilon')} zeta eta theta iota kappa lambda`,
      `mu nu xi omicron pi rho sigma tau upsilon phi chi psi omega ${GUARD('well-established-and-long')}`,
      `words follow here to close the ${GUARD('paragraph')}.`,
    ].join(' ');
    await page.setContent(
      `<body style="margin:0"><p lang="en" style="width:220px;font:14px/20px serif;hyphens:auto;text-align:justify;margin:0">${paragraph}</p>` +
        `<p lang="en" style="width:220px;font:14px/20px serif;hyphens:auto;margin:0">${GUARD('Start')} of a second block with a last ${GUARD('word')}</p></body>`,
    );
    const before = await page.evaluate(wordPlaces);
    const lineStarts = await page.$$eval('span[style^="hyphens: manual"]', (spans) =>
      spans
        .filter((span) => {
          const rects = span.getClientRects();
          if (rects.length !== 1) return true;
          const previous = span.previousSibling?.textContent?.trimEnd() ?? '';
          if (!previous) return true;
          const range = document.createRange();
          const text = span.previousSibling as Text;
          range.setStart(text, previous.length - 1);
          range.setEnd(text, previous.length);
          return Math.abs(range.getBoundingClientRect().top - rects[0].top) > 1;
        })
        .map((span) => span.textContent),
    );
    const report = await page.evaluate(unwrapIdleGuards);
    expect(report.guards).toBe(6);
    // What stays is exactly what begins a line, begins its block or is split: the first words of both blocks
    // at least, and never a guard in the middle of a line.
    const kept = await guardedWords();
    expect(kept).toEqual(lineStarts);
    expect(kept).toContain('Alpha');
    expect(kept).toContain('Start');
    expect(report.unwrapped).toBe(6 - kept.length);
    expect(report.unwrapped).toBeGreaterThan(0);
    // The guard's text is where it was, in one text node with its neighbours.
    expect(await page.$eval('p', (p) => p.textContent)).toContain('delta epsilon zeta');
    // Every word on the same line and within a hundredth of a pixel of where it was: an inline element's edge
    // is snapped to Chromium's layout unit (1/64 px), its text without it is not.
    const after = await page.evaluate(wordPlaces);
    expect(after.map((place) => place.word)).toEqual(before.map((place) => place.word));
    for (const [index, place] of after.entries()) {
      const was = before[index] as WordPlace;
      expect(place.boxes.length, place.word).toBe(was.boxes.length);
      for (const [box, { top, left }] of place.boxes.entries()) {
        expect(top, place.word).toBe(was.boxes[box]?.top);
        expect(Math.abs(left - (was.boxes[box]?.left ?? Number.NaN)), place.word).toBeLessThan(0.02);
      }
    }
  });

  it('leaves a block that is not broken greedily alone', { timeout: 60_000 }, async () => {
    await page.setContent(
      `<p style="width:220px;font:14px/20px serif;hyphens:auto;text-wrap:pretty">one two ${GUARD('three')} four five six seven eight nine ten eleven ${GUARD('twelve')}.</p>`,
    );
    const report = await page.evaluate(unwrapIdleGuards);
    expect(report).toEqual({ guards: 2, unwrapped: 0 });
    expect(await guardedWords()).toEqual(['three', 'twelve']);
  });

  it('leaves spans that are not only guards', { timeout: 60_000 }, async () => {
    await page.setContent(
      `<p style="width:400px;font:14px serif">one two <span style="hyphens: manual" class="term">three</span> four <span style="hyphens: auto">five</span></p>`,
    );
    expect(await page.evaluate(unwrapIdleGuards)).toEqual({ guards: 1, unwrapped: 0 });
  });

  it('joins the halves’ reports', () => {
    expect(joinUnwrapReports(undefined, undefined)).toBeUndefined();
    expect(joinUnwrapReports({ guards: 3, unwrapped: 2 }, undefined)).toEqual({ guards: 3, unwrapped: 2 });
    expect(joinUnwrapReports({ guards: 3, unwrapped: 2 }, { guards: 4, unwrapped: 1 })).toEqual({
      guards: 7,
      unwrapped: 3,
    });
  });
});
