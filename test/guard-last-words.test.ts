/**
 * No break in the last word of a paragraph (guard-last-words.ts, on the marks hyphenation-rules.ts sets): a
 * marked last word that a line break splits is kept whole, its soft hyphens taken out, on the paragraph's last
 * line, and the paragraph keeps its number of lines; a marked word on one line is left unwrapped. And what the
 * guard no longer has to do for every paragraph: Chromium with its dictionaries never hyphenates a
 * paragraph's last word by itself.
 */
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardLastWords } from '../src/outputs/pdf/guard-last-words.ts';
import { provideHyphenation } from '../src/platform/browser/hyphenation-dictionaries.ts';
import { launchBrowser } from '../src/platform/browser/launch-browser.ts';

let browser: Browser;
let page: Page;

/** Each paragraph's lines, as text, by where its letters are (a soft hyphen has no box). */
async function lines(): Promise<Record<string, string[]>> {
  return page.evaluate(() => {
    const found: Record<string, string[]> = {};
    const range = document.createRange();
    for (const paragraph of document.querySelectorAll('p')) {
      const result: string[] = [];
      let top = Number.NaN;
      const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
        for (let at = 0; at < node.data.length; at++) {
          range.setStart(node, at);
          range.setEnd(node, at + 1);
          const box = range.getBoundingClientRect();
          if (!box.width || node.data[at] === '\u00AD') continue;
          if (!(box.top < top + box.height / 2)) result.push('');
          top = box.top;
          result[result.length - 1] += node.data[at];
        }
      }
      found[paragraph.id] = result.map((line) => line.trim());
    }
    return found;
  });
}

beforeAll(async () => {
  browser = await launchBrowser();
  expect(provideHyphenation(browser, ['en'])).toEqual([]);
  page = await browser.newPage();
}, 240_000);
afterAll(async () => {
  await browser?.close();
});

describe('the last word of a paragraph', () => {
  it('is never hyphenated by Chromium itself, where another word in its place is', {
    timeout: 60_000,
  }, async () => {
    // Widths around the word's own, so that whatever serif face this machine has, some break it.
    const widths = Array.from({ length: 25 }, (_, at) => 90 + 5 * at);
    await page.setContent(
      `<html lang="en"><style>p { font: 16px serif; hyphens: auto; hyphenate-limit-chars: 6 2 3; text-align: justify; }</style><body>${widths
        .map(
          (width) =>
            `<p id="last-${width}" style="width: ${width}px">aaa bbb interruption.</p><p id="inner-${width}" style="width: ${width}px">aaa bbb interruption ccc.</p>`,
        )
        .join('')}<span id="word" style="font: 16px serif">interruption.</span></body></html>`,
    );
    const found = await lines();
    // Narrower than the word itself, a line breaks it anyway.
    const word = await page.evaluate(
      () => document.getElementById('word')?.getBoundingClientRect().width ?? 0,
    );
    // The widths where the word, followed by another, is hyphenated after "aaa bbb": the dictionary is in use.
    const split = widths.filter(
      (width) => width > word && /^aaa bbb i(?!nterruption$)\S*$/.test(found[`inner-${width}`]?.[0] ?? ''),
    );
    expect(split.length).toBeGreaterThan(2);
    // At each of them the same word ending its paragraph goes whole to the next line.
    for (const width of split)
      expect(found[`last-${width}`], `${width}px`).toEqual(['aaa bbb', 'interruption.']);
    // And at every width it fits on a line, it is whole.
    for (const width of widths.filter((width) => width > word))
      expect(found[`last-${width}`]?.at(-1), `${width}px`).toMatch(/(^| )interruption\.$/);
  });

  it('is kept whole where a line break splits it, and left unwrapped where none does', {
    timeout: 60_000,
  }, async () => {
    // Soft hyphens (the fallback without dictionaries) are break points Chromium uses in any word.
    const word = 'in\u00ADter\u00ADrup\u00ADtion';
    await page.setContent(
      `<html lang="en"><style>p { font: 16px/20px monospace; width: 14ch; hyphens: auto; margin: 0 0 20px; }</style><body>
      <p id="split" data-last-word="${word}" data-last-word-after="1">aaaa bbb ${word}.</p>
      <p id="whole" data-last-word="ccc" data-last-word-after="1">aaaa ccc.</p>
      <p id="none" style="hyphens: none" data-last-word="${word}" data-last-word-after="1">aaaa bbb ${word}.</p>
      <p id="moved" data-last-word="${word}" data-last-word-after="5">aaaa bbb ${word}.1</p>
      <p id="inner" data-last-word="${word}" data-last-word-after="9">aaaa bbb ${word} ccc.</p>
      <p id="manual" style="hyphens: manual" data-last-word="${word}" data-last-word-after="1">aaaa bbb ${word}.</p>
      <p id="grown" data-last-word="${word}" data-last-word-after="4">aaaa bbb ${word} 12.</p>
      </body></html>`,
    );
    const before = await lines();
    // The layout the cases are written for: the word broken at its first soft hyphen. (A letter just after a
    // break reports its box on the line before, so the first line ends in "int".)
    for (const id of ['split', 'moved', 'inner', 'manual', 'grown']) {
      expect(before[id]?.[0], id).toMatch(/^aaaa bbb in/);
      expect(before[id]?.[1], id).not.toMatch(/^interruption/);
    }
    expect(before.grown).toHaveLength(2);
    expect(await page.evaluate(guardLastWords)).toBe(3);
    const after = await lines();
    // The same two lines: the line before keeps every other word.
    expect(after.split).toEqual(['aaaa bbb', 'interruption.']);
    // Found by its last place in the text when the text after it is not what was marked, and only where no letter
    // follows it.
    expect(after.moved).toEqual(['aaaa bbb', 'interruption.1']);
    expect(after.inner).toEqual(before.inner);
    // Under `hyphens: manual` a soft hyphen still breaks a word: kept whole too.
    expect(after.manual).toEqual(['aaaa bbb', 'interruption.']);
    // Whole, "interruption 12." would not fit on the last line: the paragraph keeps its lines, the word stays split.
    expect(after.grown).toEqual(before.grown);
    const html = await page.evaluate(() =>
      Object.fromEntries([...document.querySelectorAll('p')].map((p) => [p.id, p.innerHTML])),
    );
    expect(html.split).toBe('aaaa bbb <span style="hyphens: manual">interruption</span>.');
    expect(html.whole).not.toContain('<span');
    expect(html.inner).not.toContain('<span');
    expect(html.grown).toBe(`aaaa bbb ${word} 12.`);
    // The marks are spent.
    expect(await page.evaluate(() => document.querySelectorAll('[data-last-word]').length)).toBe(0);
    // Not hyphenated by the style: a soft hyphen is no break under `hyphens: none`, so nothing to guard.
    expect(html.none).not.toContain('<span');
  });
});
