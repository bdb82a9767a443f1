/**
 * Soft hyphens (U+00AD) in running text, from Liang's patterns for the book's language (the `hyphen`
 * package). Chromium cannot hyphenate here (`hyphens: auto` fetches its dictionaries over the network), so the
 * print edition applies this to its copy of the chapter trees and justified lines stay even.
 * Headings, code, speaker labels, elements in another language or marked `translate="no"`, and URL-like
 * words are left alone.
 */
import { createRequire } from 'node:module';
import type { Element, Root, Text } from 'hast';
import { SKIP, visit } from 'unist-util-visit';

export interface HyphenateOptions {
  /** The book's language tag, e.g. "en", "en-GB", "de-CH". */
  lang: string;
  /** Words shorter than this stay whole (default 6). */
  minWordLength?: number;
}

type HyphenateSync = (text: string, options?: { minWordLength?: number }) => string;

const require = createRequire(import.meta.url);
const loaded = new Map<string, HyphenateSync | undefined>();
/** Books repeat their words: each language and minimum length keeps the words it has hyphenated. */
const memo = new Map<string, Map<string, string>>();

const SKIPPED_TAGS = new Set([
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'pre',
  'code',
  'kbd',
  'samp',
  'var',
  'script',
  'style',
]);
/**
 * Settings print.css sets ragged (`hyphens: none`) gain nothing from soft hyphens, and every soft hyphen
 * stays in the PDF's text layer, where it splits words for search and copy: leave them out there.
 */
const SKIPPED_CLASSES = [
  'speaker',
  'turn-interviewer',
  'pullquote',
  'related',
  'title-block',
  'toc',
  'book-title',
  'title-page',
  'copyright-page',
  'sidebar-title',
  'credit',
  'caption',
];
/**
 * No word of any language is longer; past it a "word" is a code, a hash or hostile input, and the `hyphen`
 * package's cost grows faster than its length (an unbroken 2 MB word never finished).
 */
const MAX_WORD_LENGTH = 100;
/** Addresses and paths: a soft hyphen inside one would break a copied link. */
const URL_LIKE = /[/@\\]|:\/\/|^www\./;

/**
 * The hyphenation function for a language tag, trying the full tag ("de-ch-1901") and then the primary
 * language ("de"); undefined when the `hyphen` package has no patterns for it.
 */
export function hyphenatorFor(lang: string): HyphenateSync | undefined {
  const tag = lang.toLowerCase();
  if (!loaded.has(tag)) {
    const candidates = [tag, tag.split('-')[0], ...(tag.startsWith('en') ? ['en-us'] : [])];
    let found: HyphenateSync | undefined;
    for (const candidate of candidates) {
      if (!/^[a-z0-9-]+$/.test(candidate)) continue;
      try {
        found = (require(`hyphen/${candidate}`) as { hyphenateSync: HyphenateSync }).hyphenateSync;
        break;
      } catch {
        // No patterns under this name; try the next.
      }
    }
    loaded.set(tag, found);
  }
  return loaded.get(tag);
}

function isSkipped(node: Element, lang: string): boolean {
  if (SKIPPED_TAGS.has(node.tagName)) return true;
  const { className, translate } = node.properties;
  if (translate === 'no') return true;
  const elementLang = node.properties.lang;
  if (typeof elementLang === 'string' && elementLang.toLowerCase().split('-')[0] !== lang.split('-')[0])
    return true;
  return Array.isArray(className) && SKIPPED_CLASSES.some((name) => className.includes(name));
}

/** Inserts soft hyphens into the text of `tree` in place; returns false when the language has no patterns. */
export function hyphenateTree(tree: Root | Element, options: HyphenateOptions): boolean {
  const hyphenate = hyphenatorFor(options.lang);
  if (!hyphenate) return false;
  const lang = options.lang.toLowerCase();
  const minWordLength = options.minWordLength ?? 6;
  const key = `${lang}|${minWordLength}`;
  const cache = memo.get(key) ?? new Map<string, string>();
  memo.set(key, cache);
  const hyphenateWord = (word: string) => {
    const known = cache.get(word);
    if (known !== undefined) return known;
    const done = hyphenate(word, { minWordLength });
    cache.set(word, done);
    return done;
  };
  visit(tree, (node) => {
    if (node.type === 'element') return isSkipped(node as Element, lang) ? SKIP : undefined;
    if (node.type !== 'text') return undefined;
    const text = node as Text;
    // Whitespace is kept as it is; each word is hyphenated on its own so URL-like ones can be skipped.
    text.value = text.value
      .split(/(\s+)/)
      .map((word, index) =>
        index % 2 === 1 || word.length < minWordLength || word.length > MAX_WORD_LENGTH || URL_LIKE.test(word)
          ? word
          : hyphenateWord(word),
      )
      .join('');
    return undefined;
  });
  return true;
}

/** The same as a unified plugin: `unified().use(rehypeHyphenate, { lang: 'en' })`. */
export default function rehypeHyphenate(options: HyphenateOptions) {
  return (tree: Root) => {
    hyphenateTree(tree, options);
  };
}
