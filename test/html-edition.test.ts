/** The HTML edition of the seed interview, built through the CLI as a user would. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { select, selectAll } from 'hast-util-select';
import { toString as hastToString } from 'hast-util-to-string';
import { beforeAll, describe, expect, it } from 'vitest';
import { containsRun, indexOfSubsequence, words } from './support/words.ts';

const seedPath = path.resolve('../shared/seed/interview.txt');
const seed = existsSync(seedPath) ? seedPath : path.resolve('test/fixtures/seed/interview.txt');
let out: string;
let html: string;
let tree: Root;

beforeAll(() => {
  out = mkdtempSync(path.join(os.tmpdir(), 'imprint-html-'));
  execFileSync('node', ['bin/imprint.js', 'build', 'manuscript', '--out', out, '--format', 'html'], {
    stdio: 'pipe',
  });
  html = readFileSync(path.join(out, 'russia-europe-and-the-terror-threat', 'index.html'), 'utf8');
  tree = fromHtml(html);
});

describe('seed interview, HTML edition', () => {
  it('keeps every word of the seed, in order', () => {
    const text = words(hastToString(select('main', tree) ?? tree));
    const paragraphs = readFileSync(seed, 'utf8')
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .filter(Boolean);
    expect(paragraphs).toHaveLength(24);
    let at = 0;
    for (const paragraph of paragraphs) {
      const next = indexOfSubsequence(text, words(paragraph), at);
      expect(next, `missing or out of order: ${paragraph.slice(0, 60)}`).toBeGreaterThan(0);
      at = next;
    }
    // Every paragraph but the first (split into kicker and deck around the title) stays in one piece.
    for (const paragraph of paragraphs.slice(1))
      expect(containsRun(text, words(paragraph)), paragraph.slice(0, 60)).toBe(true);
  });

  it('has one Q&A section with 8 questions and 8 answers, the first answer in three paragraphs', () => {
    expect(selectAll('[role="doc-qna"]', tree)).toHaveLength(1);
    const questions = selectAll('[data-role="interviewer"]', tree);
    const answers = selectAll('[data-role="guest"]', tree);
    expect(questions).toHaveLength(8);
    expect(answers).toHaveLength(8);
    expect(questions.every((q) => q.properties.dataSpeaker === 'rd')).toBe(true);
    expect(answers.every((a) => a.properties.dataSpeaker === 'a-b')).toBe(true);
    expect(selectAll(':scope > p', answers[0])).toHaveLength(3);
  });

  it('lifts at least two pull-quotes from the guest, hidden from assistive technology', () => {
    const quotes = selectAll('[role="doc-pullquote"]', tree);
    expect(quotes.length).toBeGreaterThanOrEqual(2);
    for (const quote of quotes) {
      expect(quote.properties.ariaHidden).toBe('true');
      const answerText = words(
        selectAll('[data-role="guest"] > p', tree)
          .map((p) => hastToString(p))
          .join(' '),
      );
      expect(containsRun(answerText, words(hastToString(select('.pullquote-text', quote) ?? quote)))).toBe(
        true,
      );
    }
  });

  it('sets the kicker, deck, fpo figure with credit and related links', () => {
    expect(hastToString(select('.kicker', tree) ?? tree)).toBe('RD Interview');
    expect(hastToString(select('.deck', tree) ?? tree)).toMatch(/^Andrey Bezrukov, an assistant professor/);
    expect(select('figure .fpo', tree)).toBeTruthy();
    expect(hastToString(select('[role="doc-credit"]', tree) ?? tree)).toBe('Photo: Reuters');
    const related = selectAll('.related', tree).map((node) => hastToString(node).trim());
    expect(related).toEqual([
      'Recommended: “Brussels attacks will force the Kremlin to face moral and political choices”',
      'Also read: “Russia’s bitter experience could help EU tackle its terrorism challenges”',
    ]);
  });

  it('writes its stylesheet and the fonts it names', () => {
    const dir = path.join(out, 'russia-europe-and-the-terror-threat');
    const css = readFileSync(path.join(dir, 'screen.css'), 'utf8');
    const fonts = [...css.matchAll(/url\('([^']+)'\)/g)].map((m) => m[1]);
    expect(fonts.length).toBeGreaterThan(4);
    for (const font of fonts) expect(existsSync(path.join(dir, font)), font).toBe(true);
    expect(css).toContain("font-family: 'Source Serif 4'");
    expect(select('link[rel="stylesheet"][href="screen.css"]', tree)).toBeTruthy();
  });

  it('is valid, script-free HTML with the book language and no EPUB-only attributes', () => {
    expect(select('html', tree)?.properties.lang).toBe('en');
    expect(selectAll('script', tree)).toHaveLength(0);
    expect(html).not.toContain('epub:type');
    const ids = selectAll('[id]', tree).map((node) => String(node.properties.id));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
