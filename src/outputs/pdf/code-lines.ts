/**
 * Long code lines in print: a line longer than the text block is broken where the text block ends, each
 * break marked with ↩ and the rest set with a hanging indent (base.css `.line`), so a reader sees that the
 * line goes on and no code runs into the margin. Each code block with such lines gets one `code-overflow`
 * warning at its first long line. Code is monospaced, so where a line breaks is known before Chromium sets it.
 */
import type { Element, ElementContent } from 'hast';
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import { CONTINUATION_MARK } from '../../pipeline/plugins/remark-code-blocks.ts';

/** Must match print.css: `pre` at 8pt with 6pt padding on each side; monospaced glyphs are 0.6 em wide. */
export const PRINT_CODE = { fontPt: 8, paddingPt: 12, advanceEm: 0.6, hangingIndent: 2, numberColumn: 5 };

/** Characters of code that fit across a text block this many CSS pixels wide. */
export function codeColumns(textBlockPx: number): number {
  const points = textBlockPx * 0.75 - PRINT_CODE.paddingPt;
  return Math.max(20, Math.floor(points / (PRINT_CODE.fontPt * PRINT_CODE.advanceEm)));
}

const textOf = (node: ElementContent): string =>
  node.type === 'text'
    ? node.value
    : node.type === 'element' && !hasClass(node, 'line-number')
      ? node.children.map(textOf).join('')
      : '';

function hasClass(node: Element, name: string): boolean {
  const className = node.properties.className;
  return Array.isArray(className) && className.includes(name);
}

export function breakLongCodeLines(section: Element, columns: number, file: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  // `pre > code`, found with one walk: hast-util-select's matching cost a tenth of the print document.
  const blocks: Element[] = [];
  const walk = (parent: Element) => {
    for (const node of parent.children) {
      if (node.type !== 'element') continue;
      if (node.tagName === 'code' && parent.tagName === 'pre') blocks.push(node);
      walk(node);
    }
  };
  walk(section);
  for (const code of blocks) {
    const lines = code.children.filter(
      (child): child is Element => child.type === 'element' && hasClass(child, 'line'),
    );
    // Line numbers take a column of their own (base.css: 3 characters and a gap of 2).
    const numbered = lines.some((line) =>
      line.children.some((child) => child.type === 'element' && hasClass(child, 'line-number')),
    );
    const room = columns - (numbered ? PRINT_CODE.numberColumn : 0);
    let first: Element | undefined;
    let count = 0;
    let longest = 0;
    for (const line of lines) {
      const length = textOf(line).replace(/\n$/, '').length;
      if (length <= room) continue;
      first ??= line;
      count++;
      longest = Math.max(longest, length);
      // Each piece leaves room for the mark; the pieces after the first are indented.
      const offsets: number[] = [];
      for (let at = room - 1; at < length; at += room - 1 - PRINT_CODE.hangingIndent) offsets.push(at);
      insertMarks(line, offsets);
    }
    if (first) {
      diagnostics.push({
        code: 'code-overflow',
        severity: 'warning',
        message: `${count === 1 ? 'A code line' : `${count} code lines`} of this block ${count === 1 ? 'is' : 'are'} longer than the text block of the PDF (up to ${longest} characters; ${room} fit); ${count === 1 ? 'it breaks' : 'they break'} with a ↩ mark.`,
        hint: 'Shorten the line (break it where the language allows), or let it wrap.',
        file,
        line: first.position?.start.line,
        column: first.position?.start.column,
      });
    }
  }
  return diagnostics;
}

/** Puts a continuation mark and a line break after each of these character offsets of the line's text. */
function insertMarks(line: Element, offsets: number[]) {
  let seen = 0;
  let next = 0;
  const walk = (parent: Element) => {
    const children: ElementContent[] = [];
    for (const child of parent.children) {
      if (child.type === 'element') {
        if (!hasClass(child, 'line-number')) walk(child);
        children.push(child);
        continue;
      }
      if (child.type !== 'text') {
        children.push(child);
        continue;
      }
      let value = child.value;
      while (next < offsets.length && offsets[next] < seen + value.length && value !== '\n') {
        const cut = offsets[next] - seen;
        children.push({ type: 'text', value: value.slice(0, cut) }, ...mark());
        seen += cut;
        value = value.slice(cut);
        next++;
      }
      seen += value.length;
      children.push({ type: 'text', value });
    }
    parent.children = children as Element['children'];
  };
  walk(line);
}

const mark = (): ElementContent[] => [
  {
    type: 'element',
    tagName: 'span',
    properties: { className: ['code-continued'], ariaHidden: 'true' },
    children: [{ type: 'text', value: CONTINUATION_MARK }],
  },
  { type: 'element', tagName: 'br', properties: {}, children: [] },
];
