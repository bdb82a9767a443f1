/**
 * Justified lines measured in the loaded print document (the page is as wide as the text block, so lines
 * break as they will print): how many are loose (word spaces over twice the font's normal space), how many
 * end in a hyphen, and the longest run of hyphenated lines. With `fix`, a word that would end a third
 * hyphenated line in a row is kept whole (`hyphens: manual`), because Chromium has no
 * `hyphenate-limit-lines`.
 */

export interface LineOptions {
  /** A line is loose when its average word space exceeds this many normal spaces (2). */
  looseRatio: number;
  /** The most hyphenated lines in a row (2). */
  maxHyphenRun: number;
  /** Keep words whole where a run would grow past maxHyphenRun. */
  fix: boolean;
  /**
   * The text block's exact width in CSS px: the viewport is whole pixels, and a fraction of a pixel
   * changes where lines break. The body is set to it while measuring.
   */
  width?: number;
}

export interface LoosePlace {
  file?: string;
  /** The line's text. */
  text: string;
  /** Its average word space over the normal space. */
  ratio: number;
}

export interface LineReport {
  /** Justified lines measured: every line of a justified paragraph except its last. */
  justifiedLines: number;
  looseLines: number;
  hyphenatedLines: number;
  /** After the fixes, when `fix` is set. */
  longestHyphenRun: number;
  /** Words kept whole to end a run of hyphenated lines. */
  keptWhole: number;
  /** The first loose lines, for a report. */
  loose: LoosePlace[];
}

/**
 * Runs in the page. It declares no named functions (the TypeScript runner would wrap them in a helper
 * that does not exist there), hence the single long body.
 */
export function measureJustifiedLines(options: LineOptions): LineReport {
  const report: LineReport = {
    justifiedLines: 0,
    looseLines: 0,
    hyphenatedLines: 0,
    longestHyphenRun: 0,
    keptWhole: 0,
    loose: [],
  };
  const bodyWidth = document.body.style.width;
  if (options.width) document.body.style.width = `${options.width}px`;
  // The normal space of each font, measured in the document itself ("x x" less "xx", unjustified).
  const spaces = new Map<string, number>();
  for (const paragraph of document.querySelectorAll('p')) {
    const style = getComputedStyle(paragraph);
    if (style.textAlign !== 'justify' || paragraph.closest('[aria-hidden="true"], .pullquote')) continue;
    const font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily} ${style.wordSpacing}`;
    let normalSpace = spaces.get(font);
    if (normalSpace === undefined) {
      const probe = document.createElement('span');
      probe.style.cssText = 'position: absolute; white-space: pre; text-align: left; visibility: hidden';
      probe.textContent = 'x x';
      paragraph.append(probe);
      const spaced = probe.getBoundingClientRect().width;
      probe.textContent = 'xx';
      normalSpace = spaced - probe.getBoundingClientRect().width;
      probe.remove();
      spaces.set(font, normalSpace);
    }
    // Up to a few rounds: each kept-whole word changes the lines after it.
    for (let round = 0; round < 8; round++) {
      type Box = { top: number; bottom: number; left: number; right: number; word: number; last: boolean };
      const boxes: Box[] = [];
      const words: { node: Text; start: number; end: number; hard: boolean }[] = [];
      const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
        if (node.parentElement?.closest('sup, .footnote-ref')) continue;
        for (const match of node.data.matchAll(/[^\s\u00AD]+(?:\u00AD[^\s\u00AD]+)*/g)) {
          const range = document.createRange();
          range.setStart(node, match.index);
          range.setEnd(node, match.index + match[0].length);
          const rects = [...range.getClientRects()].filter((rect) => rect.width > 0);
          const word = words.length;
          words.push({
            node,
            start: match.index,
            end: match.index + match[0].length,
            hard: /[-‐–—/]/.test(match[0]),
          });
          rects.forEach((rect, index) => {
            boxes.push({
              top: rect.top,
              bottom: rect.bottom,
              left: rect.left,
              right: rect.right,
              word,
              last: index === rects.length - 1,
            });
          });
        }
      }
      const lines: Box[][] = [];
      for (const box of boxes) {
        const line = lines[lines.length - 1];
        const previous = line?.[line.length - 1];
        if (!line || !previous || box.top > (previous.top + previous.bottom) / 2) lines.push([box]);
        else line.push(box);
      }
      let run = 0;
      let fixedOne = false;
      for (let index = 0; index < lines.length - 1; index++) {
        const line = lines[index] as Box[];
        const end = line[line.length - 1] as Box;
        const hyphenated = !end.last && !(words[end.word]?.hard ?? false);
        run = hyphenated ? run + 1 : 0;
        if (hyphenated && run > options.maxHyphenRun && options.fix && !fixedOne) {
          const word = words[end.word];
          if (word) {
            const range = document.createRange();
            range.setStart(word.node, word.start);
            range.setEnd(word.node, word.end);
            const keep = document.createElement('span');
            keep.style.hyphens = 'manual';
            keep.textContent = (word.node.data.slice(word.start, word.end) ?? '').replaceAll('\u00AD', '');
            range.deleteContents();
            range.insertNode(keep);
            report.keptWhole++;
            fixedOne = true;
          }
        }
      }
      if (fixedOne) continue;
      // Final lines of this paragraph: count them.
      run = 0;
      for (let index = 0; index < lines.length - 1; index++) {
        const line = lines[index] as Box[];
        const end = line[line.length - 1] as Box;
        const hyphenated = !end.last && !(words[end.word]?.hard ?? false);
        run = hyphenated ? run + 1 : 0;
        report.longestHyphenRun = Math.max(report.longestHyphenRun, run);
        if (hyphenated) report.hyphenatedLines++;
        report.justifiedLines++;
        let space = 0;
        let gaps = 0;
        for (let i = 1; i < line.length; i++) {
          const gap = (line[i] as Box).left - (line[i - 1] as Box).right;
          if (gap > 0.5) {
            space += gap;
            gaps++;
          }
        }
        if (gaps === 0 || normalSpace <= 0) continue;
        const ratio = space / gaps / normalSpace;
        if (ratio > options.looseRatio) {
          report.looseLines++;
          if (report.loose.length < 20) {
            const first = words[(line[0] as Box).word];
            const last = words[end.word];
            let text = '';
            if (first && last) {
              const range = document.createRange();
              range.setStart(first.node, first.start);
              range.setEnd(last.node, last.end);
              text = range.toString().replaceAll('\u00AD', '');
            }
            report.loose.push({
              file: paragraph.closest('[data-source-file]')?.getAttribute('data-source-file') ?? undefined,
              text,
              ratio: Math.round(ratio * 100) / 100,
            });
          }
        }
      }
      break;
    }
  }
  document.body.style.width = bodyWidth;
  return report;
}
