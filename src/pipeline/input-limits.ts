/**
 * Limits on what a chapter may ask of the parser, checked in one linear pass over the text before
 * micromark and parse5 see it. Past these limits the libraries take time that grows with the square of the
 * input (micromark resolving tens of thousands of emphasis or bracket delimiters in one paragraph) or
 * recurse until the stack runs out (HTML or containers nested thousands deep). No book comes near them.
 *
 * What lies past a limit is reported as an error and neutralised in place: the markup characters become
 * look-alike characters of the same length (fullwidth brackets, a no-break space), so the text stays the
 * same length, every position stays right, and the parser reads it as plain text.
 */

/** Nesting deeper than this (lists, block quotes, brackets, HTML elements) is an error. */
export const MAX_NESTING = 100;
/**
 * A line indented or prefixed (`>`, list markers) by more characters than this nests too deep: 100 levels of
 * `> ` or of two-space list indentation. The parser's cost for nested lists grows with the square of their
 * depth, so this is checked on the text, before parsing.
 */
export const MAX_LINE_PREFIX = 2 * MAX_NESTING;
/** Emphasis, code and bracket delimiters one paragraph may hold: the parser's cost grows with their square. */
export const MAX_PARAGRAPH_DELIMITERS = 4000;

export interface LimitFinding {
  code: 'nesting-too-deep' | 'paragraph-too-complex';
  line: number;
  column: number;
  message: string;
  hint: string;
}

const NEUTRAL: Record<string, string> = {
  '[': '\uFF3B',
  ']': '\uFF3D',
  '*': '\uFF0A',
  _: '\uFF3F',
  '`': '\uFF40',
  '~': '\uFF5E',
  '<': '\uFF1C',
};
const DELIMITERS = new Set(['*', '_', '[', ']', '`', '~']);
/** Elements that never nest: void elements and those whose end tag HTML lets the parser imply. */
const NOT_NESTING = new Set(
  (
    'area base br col embed hr img input link meta source track wbr p li dt dd rb rt rtc rp optgroup ' +
    'option tr td th thead tbody tfoot colgroup caption html head body'
  ).split(' '),
);
const CONTAINER_PREFIX = /^(?:[ \t>]|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))*/;
const FENCE = /^[ \t>]*(?:[-*+][ \t]+|\d{1,9}[.)][ \t]+)*(`{3,}|~{3,})/;
const TAG = /^<(\/?)([A-Za-z][A-Za-z0-9-]*)[^<>]*?(\/?)>/;

export function limitText(text: string): { text: string; findings: LimitFinding[] } {
  const findings: LimitFinding[] = [];
  // Stretches to replace, in text order, applied once at the end: most chapters need none, and a copy per
  // change would make the pass quadratic.
  const replaced: { from: number; to: number; by: string }[] = [];
  const neutralise = (index: number) => {
    const replacement = NEUTRAL[text[index]];
    if (replacement) replaced.push({ from: index, to: index + 1, by: replacement });
  };
  const once = new Set<string>();
  /** One finding of each kind per chapter is enough to point the writer at the place. */
  const find = (kind: string, finding: LimitFinding) => {
    if (once.has(kind)) return;
    once.add(kind);
    findings.push(finding);
  };

  let fence: string | undefined;
  let bracketDepth = 0;
  let htmlDepth = 0;
  let delimiters = 0;
  let paragraphLine = 1;
  let offset = 0;
  const lines = text.split('\n');
  // Only these characters can open anything: each line is searched from one to the next, not letter by letter.
  const special = /[\\`[\]<*_~]/g;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    const lineNumber = index + 1;
    const start = offset;
    offset += line.length + 1;

    const fenceMark = FENCE.exec(line)?.[1];
    if (fence) {
      if (fenceMark && fenceMark[0] === fence[0] && fenceMark.length >= fence.length) fence = undefined;
      continue;
    }
    if (fenceMark) {
      fence = fenceMark;
      continue;
    }
    if (line.trim() === '' || /^[ \t>]*\|/.test(line)) {
      // A paragraph (or a table row, parsed cell by cell) ends: brackets and delimiters start afresh.
      bracketDepth = 0;
      delimiters = 0;
      paragraphLine = lineNumber + 1;
      if (line.trim() === '') continue;
    }

    const prefix = CONTAINER_PREFIX.exec(line)?.[0].length ?? 0;
    if (prefix > MAX_LINE_PREFIX) {
      find('prefix', {
        code: 'nesting-too-deep',
        line: lineNumber,
        column: MAX_LINE_PREFIX + 1,
        message: `This line is indented or nested (lists, quotes) by ${prefix} characters; at most ${MAX_LINE_PREFIX} are read as nesting.`,
        hint: 'Flatten the nesting; no reader can follow it this deep.',
      });
      replaced.push({ from: start + MAX_LINE_PREFIX, to: start + prefix, by: '\u00A0' });
    }

    special.lastIndex = prefix;
    for (let match = special.exec(line); match; match = special.exec(line)) {
      const column = match.index;
      const character = line[column];
      if (character === '\\') {
        special.lastIndex = column + 2;
        continue;
      }
      if (character === '`') {
        // A code span is literal: skip to the closing run of the same length on this line.
        let run = 1;
        while (line[column + run] === '`') run++;
        // Looked for within a bounded stretch, so a line of unmatched backticks stays linear.
        const found = line.slice(column + run, column + run + 1000).indexOf('`'.repeat(run));
        const close = found < 0 ? -1 : column + run + found;
        if (close > 0 && line[close + run] !== '`') {
          special.lastIndex = close + run;
          continue;
        }
      }
      if (character === '[') {
        bracketDepth++;
        if (bracketDepth > MAX_NESTING) {
          find('brackets', {
            code: 'nesting-too-deep',
            line: lineNumber,
            column: column + 1,
            message: `Brackets are nested more than ${MAX_NESTING} deep here.`,
            hint: 'Close the brackets you opened, or write them as \\[ and \\].',
          });
          neutralise(start + column);
        }
      } else if (character === ']') {
        if (bracketDepth > MAX_NESTING) neutralise(start + column);
        bracketDepth = Math.max(0, bracketDepth - 1);
      } else if (character === '<') {
        const tag = TAG.exec(line.slice(column, column + 200));
        if (tag && !NOT_NESTING.has(tag[2].toLowerCase()) && !tag[3]) {
          if (tag[1]) {
            if (htmlDepth > MAX_NESTING) neutralise(start + column);
            htmlDepth = Math.max(0, htmlDepth - 1);
          } else {
            htmlDepth++;
            if (htmlDepth > MAX_NESTING) {
              find('html', {
                code: 'nesting-too-deep',
                line: lineNumber,
                column: column + 1,
                message: `HTML elements are nested more than ${MAX_NESTING} deep here (<${tag[2]}>).`,
                hint: 'Close the elements you opened; raw HTML may nest at most 100 levels.',
              });
              neutralise(start + column);
            }
          }
        }
      }
      if (DELIMITERS.has(character)) {
        delimiters++;
        if (delimiters > MAX_PARAGRAPH_DELIMITERS) {
          find('delimiters', {
            code: 'paragraph-too-complex',
            line: paragraphLine,
            column: 1,
            message: `This paragraph holds more than ${MAX_PARAGRAPH_DELIMITERS} emphasis, code or link marks; the rest are read as plain text.`,
            hint: 'Split it into paragraphs with blank lines between them.',
          });
          neutralise(start + column);
        }
      }
    }
  }
  if (replaced.length === 0) return { text, findings };
  const parts: string[] = [];
  let at = 0;
  for (const { from, to, by } of replaced) {
    parts.push(text.slice(at, from), by.repeat(to - from));
    at = to;
  }
  parts.push(text.slice(at));
  return { text: parts.join(''), findings };
}
