/**
 * Typesetter's hyphenation rules Chromium has no CSS for (it ignores `hyphenate-limit-last` and
 * `hyphenate-limit-lines`), applied to a print chapter's tree. Every compound that already holds a hyphen
 * ("well-known", "Nord-Ostsee-Kanal") is wrapped in `<span style="hyphens: manual">` so Chromium breaks it only
 * at its own hyphens. The last word of a paragraph is only marked (`data-last-word`, with the number of
 * characters of the paragraph's text after it in `data-last-word-after`): once the lines are set, the page
 * wraps it so only where Chromium broke it (guard-last-words.ts). Wrapped here, the 1,400 last words of the
 * 40-chapter book were 1,400 elements, and as many text nodes more, in every layout of the print document and in
 * the tree Chromium builds for the PDF's tags: a half of the book printed in 1.43 s with them, 1.28 s without.
 */
import type { Element, ElementContent, Text } from 'hast';

const NO_HYPHENS = 'hyphens: manual';
/**
 * A word holding a hard hyphen (U+002D or U+2010) between letters. The lookbehind lets a match start only at
 * a word's first letter, where the search would find it anyway: without it every letter of a long word
 * without hyphens started a new scan to the word's end (a 100 kB word took 23 s, a 2 MB one hours).
 */
const COMPOUND = /(?<!\p{L}[\p{M}\p{N}]*)\p{L}[\p{L}\p{M}\p{N}]*(?:[-‐]\p{L}[\p{L}\p{M}\p{N}]*)+/gu;
const HAS_COMPOUND = new RegExp(COMPOUND.source, 'u');
/**
 * The last word of a text, with what follows it (punctuation, closing quotes, space). Its soft hyphens (the
 * fallback's) are part of it: they are where it would break.
 */
const LAST_WORD = /(\p{L}[\p{L}\p{M}\p{N}'’\u00AD-]*)([^\p{L}]*)$/u;
/** Code, and headings (never hyphenated by the theme). */
const SKIPPED = new Set([
  'pre',
  'code',
  'kbd',
  'samp',
  'script',
  'style',
  'svg',
  'math',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
]);

function guard(value: string): Element {
  return {
    type: 'element',
    tagName: 'span',
    properties: { style: NO_HYPHENS },
    children: [{ type: 'text', value }],
  };
}

function isGuard(node: ElementContent | undefined): boolean {
  return node?.type === 'element' && node.tagName === 'span' && node.properties.style === NO_HYPHENS;
}

/** A compound holds one of these: texts without any skip the Unicode search, most of this module's time. */
const mayHoldCompound = (text: string) =>
  (text.includes('-') || text.includes('‐')) && HAS_COMPOUND.test(text);

/** Splits each text child at its compounds, wrapping them. */
function guardCompounds(parent: Element): void {
  if (!parent.children.some((child) => child.type === 'text' && mayHoldCompound(child.value))) return;
  const children: ElementContent[] = [];
  for (const child of parent.children) {
    if (child.type !== 'text' || !mayHoldCompound(child.value)) {
      children.push(child);
      continue;
    }
    let at = 0;
    for (const match of child.value.matchAll(COMPOUND)) {
      if (match.index > at) children.push({ type: 'text', value: child.value.slice(at, match.index) });
      children.push(guard(match[0]));
      at = match.index + match[0].length;
    }
    if (at < child.value.length) children.push({ type: 'text', value: child.value.slice(at) });
  }
  parent.children = children;
}

/** The last text node of a paragraph that carries a word, with its parent, skipping code. */
function lastWordText(node: Element): { parent: Element; index: number } | undefined {
  for (let i = node.children.length - 1; i >= 0; i--) {
    const child = node.children[i] as ElementContent;
    if (child.type === 'text') {
      if (/\p{L}/u.test(child.value)) return { parent: node, index: i };
      continue;
    }
    if (child.type !== 'element' || SKIPPED.has(child.tagName) || child.tagName === 'sup') continue;
    if (isGuard(child)) return undefined;
    const inner = lastWordText(child);
    if (inner) return inner;
  }
  return undefined;
}

/** Characters LAST_WORD's word may hold after its first letter. */
const WORD_PART = /[\p{L}\p{M}\p{N}'’\u00AD-]/u;
const LETTER = /^\p{L}/u;

/**
 * Where LAST_WORD can first match in `value`: the start of the run of word characters that holds the last
 * letter. Searched from the end, because LAST_WORD tried from every letter of a paragraph scans to its end.
 */
function lastWordSearchStart(value: string): number {
  let at = value.length;
  const before = () => {
    const pair = at > 1 && /^[\uD800-\uDBFF][\uDC00-\uDFFF]$/.test(value.slice(at - 2, at));
    return value.slice(pair ? at - 2 : at - 1, at);
  };
  while (at > 0 && !LETTER.test(before())) at -= before().length;
  while (at > 0 && WORD_PART.test(before())) at -= before().length;
  return at;
}

/** A last word longer than this is wrapped here: an attribute would carry all of it (a hostile 500 kB word). */
const MAX_MARKED_WORD = 200;

/** The length of `text` in the page: the HTML parser turns CR LF and a lone CR into LF. */
const domLength = (text: string) => text.replace(/\r\n?/g, '\n').length;

/** The length of all the text of `root` after `node`, in document order (what `textContent` holds after it). */
function textLengthAfter(root: Element, node: Text): number {
  let seen = false;
  let length = 0;
  const stack: ElementContent[] = [...root.children].reverse();
  for (let child = stack.pop(); child; child = stack.pop()) {
    if (child === node) seen = true;
    else if (child.type === 'text') length += seen ? domLength(child.value) : 0;
    else if (child.type === 'element')
      for (let at = child.children.length - 1; at >= 0; at--)
        stack.push(child.children[at] as ElementContent);
  }
  return length;
}

/**
 * Marks the paragraph's last word for guard-last-words.ts; a word another paragraph (the list item around it)
 * already marked is left to that one.
 */
function markLastWord(paragraph: Element, marked: WeakSet<Text>): void {
  const found = lastWordText(paragraph);
  if (!found) return;
  const text = found.parent.children[found.index] as Text;
  if (marked.has(text)) return;
  const from = lastWordSearchStart(text.value);
  const match = LAST_WORD.exec(from > 0 ? text.value.slice(from) : text.value);
  if (!match) return;
  const word = match[1] as string;
  const start = from + match.index;
  if (word.length > MAX_MARKED_WORD) {
    const replacement: ElementContent[] = [];
    if (start > 0) replacement.push({ type: 'text', value: text.value.slice(0, start) });
    replacement.push(guard(word.replaceAll('\u00AD', '')));
    if (match[2]) replacement.push({ type: 'text', value: match[2] });
    found.parent.children.splice(found.index, 1, ...replacement);
    return;
  }
  marked.add(text);
  paragraph.properties.dataLastWord = word;
  paragraph.properties.dataLastWordAfter = String(
    domLength(text.value.slice(start + word.length)) + textLengthAfter(paragraph, text),
  );
}

/** Applies both rules in place to every paragraph, list item and description of `tree`. */
export function applyHyphenationRules(tree: Element): void {
  const compounds = (node: Element) => {
    if (SKIPPED.has(node.tagName) || isGuard(node)) return;
    guardCompounds(node);
    for (const child of node.children) if (child.type === 'element') compounds(child);
  };
  compounds(tree);
  const marked = new WeakSet<Text>();
  const lastWords = (node: Element) => {
    if (SKIPPED.has(node.tagName)) return;
    if (node.tagName === 'p' || node.tagName === 'li' || node.tagName === 'dd') markLastWord(node, marked);
    for (const child of node.children) if (child.type === 'element') lastWords(child);
  };
  lastWords(tree);
}
