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
  /**
   * Measure every word, for the loose-line report (`npm run bench -- typography`). Without it only the line
   * ends are read, which is all the fix needs: a few reads a line instead of one a word.
   */
  report?: boolean;
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
  /** With `report`. */
  looseLines?: number;
  hyphenatedLines: number;
  /** After the fixes, when `fix` is set. */
  longestHyphenRun: number;
  /** Words kept whole to end a run of hyphenated lines. */
  keptWhole: number;
  /** The first loose lines, with `report`. */
  loose?: LoosePlace[];
}

/**
 * Runs in the page. It declares no named functions (the TypeScript runner would wrap them in a helper
 * that does not exist there), hence the single long body.
 */
export function measureJustifiedLines(options: LineOptions): LineReport {
  const report: LineReport = {
    justifiedLines: 0,
    hyphenatedLines: 0,
    longestHyphenRun: 0,
    keptWhole: 0,
    ...(options.report ? { looseLines: 0, loose: [] } : {}),
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
      // Only the loose-line report compares spaces: five style reads a paragraph, left out of a build.
      font: options.report
        ? `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily} ${style.wordSpacing}`
        : '',
    });
  }
  const probes = new Map<string, HTMLSpanElement>();
  for (const { paragraph, font } of options.report ? paragraphs : []) {
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
      // `node`: without the report, each box is a text node's piece on one line (an index into `nodes`).
      type Box = {
        top: number;
        bottom: number;
        left: number;
        right: number;
        word: number;
        last: boolean;
        node?: number;
      };
      type Word = { node: Text; start: number; end: number; hard: boolean };
      const boxes: Box[] = [];
      const words: Word[] = [];
      // Without the loose-line report, each text node is read whole (one rect per line it is on) and only
      // the words at the lines it breaks inside are read: a line ends hyphenated when a word there is split.
      // That is a few reads a line instead of one a word, the same line ends.
      const nodes: { node: Text; first: number; count: number }[] = [];
      // A node's words, appended to `words` when first asked for: without the report only the nodes a line
      // breaks inside are asked (splitting every node into words took a fifth of the pass).
      const split = {
        words(entry: { node: Text; first: number; count: number }) {
          if (entry.first >= 0) return;
          entry.first = words.length;
          for (const match of entry.node.data.matchAll(/[^\s\u00AD]+(?:\u00AD[^\s\u00AD]+)*/g))
            words.push({
              node: entry.node,
              start: match.index,
              end: match.index + match[0].length,
              hard: /[-‐–—/]/.test(match[0]),
            });
          entry.count = words.length - entry.first;
        },
      };
      const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
        if (node.parentElement?.closest('sup, .footnote-ref')) continue;
        // The nodes that hold a word, as the split below finds them.
        if (!/[^\s\u00AD]/.test(node.data)) continue;
        const entry = { node, first: -1, count: 0 };
        if (options.report) split.words(entry);
        nodes.push(entry);
      }
      // The range's boxes on the page, one per line it is on; `last` marks the line where the range ends.
      const read = {
        boxes(word: number, node?: number) {
          const rects = [...range.getClientRects()].filter((rect) => rect.width > 0);
          rects.forEach((rect, at) => {
            const { top, bottom, left, right } = rect;
            boxes.push({ top, bottom, left, right, word, last: at === rects.length - 1, node });
          });
        },
      };
      if (options.report)
        words.forEach((word, index) => {
          range.setStart(word.node, word.start);
          range.setEnd(word.node, word.end);
          read.boxes(index);
        });
      else
        nodes.forEach(({ node, first }, index) => {
          range.selectNodeContents(node);
          read.boxes(first, index);
        });
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
      // The word that ends each line but the last, and whether the line breaks inside it.
      const endWords: (Word | undefined)[] = [];
      const ends = lines.slice(0, -1).map((line) => {
        const end = line[line.length - 1] as Box;
        if (options.report) {
          endWords.push(words[end.word]);
          return !end.last && !(words[end.word]?.hard ?? false);
        }
        endWords.push(undefined);
        // The node ends on this line: so does its last word.
        if (end.last) return false;
        // The break is inside this node, after `end`: the word at it, from a guess by the share of the node's
        // width on the lines up to here, stepping on or back.
        const node = nodes[end.node ?? -1];
        if (!node) return false;
        split.words(node);
        const fragments = boxes.filter((box) => box.node === end.node);
        const at = fragments.indexOf(end);
        const total = fragments.reduce((sum, box) => sum + box.right - box.left, 0);
        const before = fragments.slice(0, at + 1).reduce((sum, box) => sum + box.right - box.left, 0);
        const offset = (node.node.data.length * before) / (total || 1);
        let index = node.first;
        while (index < node.first + node.count - 1 && (words[index] as Word).end < offset) index++;
        const seen = new Map<number, number[]>();
        for (let step = 0; step < node.count; step++) {
          const word = words[index] as Word;
          if (!seen.has(index)) {
            range.setStart(word.node, word.start);
            range.setEnd(word.node, word.end);
            // For each of its rects: -1 on a line before this one, 0 on it, 1 after it.
            seen.set(
              index,
              [...range.getClientRects()]
                .filter((rect) => rect.width > 0)
                .map((rect) => {
                  const x = (rect.left + rect.right) / 2;
                  const y = (rect.top + rect.bottom) / 2;
                  if (y > end.top && y < end.bottom && x > end.left - 0.5 && x < end.right + 0.5) return 0;
                  return fragments.findIndex(
                    (box) => y > box.top && y < box.bottom && x > box.left - 0.5 && x < box.right + 0.5,
                  ) < at
                    ? -1
                    : 1;
                }),
            );
          }
          const places = seen.get(index) as number[];
          const firstPlace = places[0] ?? 1;
          const lastPlace = places[places.length - 1] ?? -1;
          if (firstPlace <= 0 && lastPlace > 0) {
            endWords[endWords.length - 1] = word;
            return !word.hard;
          }
          if (lastPlace <= 0) {
            // On or before this line: the break is after it, unless the next word starts after the line.
            if (index + 1 >= node.first + node.count) return false;
            const next = seen.get(index + 1);
            if (next && (next[0] ?? 1) > 0) return false;
            index++;
          } else {
            // After this line: the break is before it.
            if (index <= node.first) return false;
            const previous = seen.get(index - 1);
            if (previous && (previous[previous.length - 1] ?? -1) <= 0) return false;
            index--;
          }
        }
        return false;
      });
      if (options.fix && round < 11) {
        let run = 0;
        const over = ends.findIndex((hyphenated) => {
          run = hyphenated ? run + 1 : 0;
          return run > options.maxHyphenRun;
        });
        const word = endWords[over];
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
        if (report.loose === undefined) return;
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
        report.looseLines = (report.looseLines ?? 0) + 1;
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
