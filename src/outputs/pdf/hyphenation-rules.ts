/**
 * Typesetter's hyphenation rules Chromium has no CSS for (it ignores `hyphenate-limit-last` and
 * `hyphenate-limit-lines`), applied to a print chapter's tree: the last word of a paragraph, and every
 * compound that already holds a hyphen ("well-known", "Nord-Ostsee-Kanal"), is wrapped in
 * `<span style="hyphens: manual">` so Chromium breaks it only at its own hyphens.
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
/** The last word of a text, with what follows it (punctuation, closing quotes, space). */
const LAST_WORD = /(\p{L}[\p{L}\p{M}\p{N}'’-]*)([^\p{L}]*)$/u;
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
const WORD_PART = /[\p{L}\p{M}\p{N}'’-]/u;
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

function guardLastWord(paragraph: Element): void {
  const found = lastWordText(paragraph);
  if (!found) return;
  const text = found.parent.children[found.index] as Text;
  const from = lastWordSearchStart(text.value);
  const match = LAST_WORD.exec(from > 0 ? text.value.slice(from) : text.value);
  if (!match) return;
  const before = text.value.slice(0, from + match.index);
  const replacement: ElementContent[] = [];
  if (before) replacement.push({ type: 'text', value: before });
  replacement.push(guard(match[1] as string));
  if (match[2]) replacement.push({ type: 'text', value: match[2] });
  found.parent.children.splice(found.index, 1, ...replacement);
}

/** Applies both rules in place to every paragraph and list item of `tree`. */
export function applyHyphenationRules(tree: Element): void {
  const compounds = (node: Element) => {
    if (SKIPPED.has(node.tagName) || isGuard(node)) return;
    guardCompounds(node);
    for (const child of node.children) if (child.type === 'element') compounds(child);
  };
  compounds(tree);
  const lastWords = (node: Element) => {
    if (SKIPPED.has(node.tagName)) return;
    if (node.tagName === 'p' || node.tagName === 'li' || node.tagName === 'dd') guardLastWord(node);
    for (const child of node.children) if (child.type === 'element') lastWords(child);
  };
  lastWords(tree);
}
