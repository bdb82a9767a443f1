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
  // The normal space of each font, measured in the document itself ("x x" less "xx", unjustified). All
  // probes first: reading layout between writes would lay the whole book out again each time.
  const paragraphs: { paragraph: HTMLParagraphElement; font: string }[] = [];
  for (const paragraph of document.querySelectorAll('p')) {
    const style = getComputedStyle(paragraph);
    if (style.textAlign !== 'justify' || paragraph.closest('[aria-hidden="true"], .pullquote')) continue;
    paragraphs.push({
      paragraph,
      font: `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily} ${style.wordSpacing}`,
    });
  }
  const probes = new Map<string, HTMLSpanElement>();
  for (const { paragraph, font } of paragraphs) {
    if (probes.has(font)) continue;
    const probe = document.createElement('span');
    probe.style.cssText = 'position: absolute; white-space: pre; text-align: left; visibility: hidden';
    probe.innerHTML = '<span>x x</span><span>xx</span>';
    paragraph.append(probe);
    probes.set(font, probe);
  }
  const spaces = new Map<string, number>();
  for (const [font, probe] of probes) {
    const [spaced, tight] = [...probe.children].map((child) => child.getBoundingClientRect().width);
    spaces.set(font, (spaced ?? 0) - (tight ?? 0));
  }
  for (const probe of probes.values()) probe.remove();

  // One Range for every measurement: each Range lives on until garbage collection and every later change to
  // the document updates all of them, so a Range per word (60,000 in a 330-page book) made each fix cost
  // about 20 ms and the whole measurement three times as long.
  const range = document.createRange();
  // Rounds: read every paragraph still to do, then make all the fixes at once (one layout per round);
  // a fixed paragraph is read again in the next round, the others are done.
  let todo = paragraphs;
  for (let round = 0; round < 12 && todo.length > 0; round++) {
    const again: typeof paragraphs = [];
    const fixes: { node: Text; start: number; end: number }[] = [];
    for (const entry of todo) {
      const { paragraph, font } = entry;
      const normalSpace = spaces.get(font) ?? 0;
      type Box = { top: number; bottom: number; left: number; right: number; word: number; last: boolean };
      const boxes: Box[] = [];
      const words: { node: Text; start: number; end: number; hard: boolean }[] = [];
      const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
        if (node.parentElement?.closest('sup, .footnote-ref')) continue;
        for (const match of node.data.matchAll(/[^\s\u00AD]+(?:\u00AD[^\s\u00AD]+)*/g)) {
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
      // Word rects are taller than the line pitch: a box starts a line when its top is below the middle
      // of the previous box, or when it lies wholly above it (the next column, when the chapters are laid
      // out as their pages).
      const lines: Box[][] = [];
      for (const box of boxes) {
        const line = lines[lines.length - 1];
        const previous = line?.[line.length - 1];
        if (
          !line ||
          !previous ||
          box.top > (previous.top + previous.bottom) / 2 ||
          box.bottom <= previous.top
        )
          lines.push([box]);
        else line.push(box);
      }
      const ends = lines.slice(0, -1).map((line) => {
        const end = line[line.length - 1] as Box;
        return !end.last && !(words[end.word]?.hard ?? false);
      });
      if (options.fix && round < 11) {
        let run = 0;
        const over = ends.findIndex((hyphenated) => {
          run = hyphenated ? run + 1 : 0;
          return run > options.maxHyphenRun;
        });
        const line = lines[over];
        const word = line ? words[(line[line.length - 1] as Box).word] : undefined;
        if (word) {
          fixes.push(word);
          again.push(entry);
          continue;
        }
      }
      let run = 0;
      lines.slice(0, -1).forEach((line, index) => {
        const hyphenated = ends[index] as boolean;
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
        if (gaps === 0 || normalSpace <= 0) return;
        const ratio = space / gaps / normalSpace;
        if (ratio <= options.looseRatio) return;
        report.looseLines++;
        if (report.loose.length >= 20) return;
        const first = words[(line[0] as Box).word];
        const last = words[(line[line.length - 1] as Box).word];
        let text = '';
        if (first && last) {
          range.setStart(first.node, first.start);
          range.setEnd(last.node, last.end);
          text = range.toString().replaceAll('\u00AD', '');
        }
        report.loose.push({
          file: paragraph.closest('[data-source-file]')?.getAttribute('data-source-file') ?? undefined,
          text,
          ratio: Math.round(ratio * 100) / 100,
        });
      });
    }
    // Writes, after all the reads of this round. Each fix sits in its own paragraph.
    for (const { node, start, end } of fixes) {
      range.setStart(node, start);
      range.setEnd(node, end);
      const keep = document.createElement('span');
      keep.style.hyphens = 'manual';
      keep.textContent = node.data.slice(start, end).replaceAll('\u00AD', '');
      range.deleteContents();
      range.insertNode(keep);
      report.keptWhole++;
    }
    todo = again;
  }
  document.body.style.width = bodyWidth;
  return report;
}
