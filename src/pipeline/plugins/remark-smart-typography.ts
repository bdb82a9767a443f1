/**
 * Smart quotes, apostrophes and dashes in the book's language (remark-smartypants, with the language's
 * quotation marks from CLDR), with two corrections:
 * - smartypants reads the text of the whole chapter as one string and knows only paragraphs, headings and
 *   table cells as places where text starts afresh, so a quote opening a directive label
 *   (`::related["Title"]`) came out as a closing quote. Directive labels are smartened on their own first.
 * - smartypants writes an apostrophe as a closing single quote, which is right in English only (German ‘,
 *   French »). It writes placeholder marks here; each closing single mark becomes an apostrophe (’) inside a
 *   word or when no single quote is open, and the language's closing quote otherwise.
 * French gets narrow no-break spaces inside « » and before ; ! ? (a no-break space before :). Russian and
 * other languages that set a dash where English sets an en dash turn `--` into an em dash.
 */
import type { Parent, Root, Text } from 'mdast';
import type { LeafDirective } from 'mdast-util-directive';
import remarkSmartypants from 'remark-smartypants';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { visitParents } from 'unist-util-visit-parents';
import { quoteMarks } from '../locale-quotes.ts';

export interface SmartTypographyOptions {
  /** BCP 47 tag of the book's language (book.yaml `lang`). */
  lang?: string;
}

/**
 * Placeholders: Unicode noncharacters, which never reach the pipeline (src/book/load-book.ts turns them into
 * U+FFFD when it reads a file), so they cannot be mistaken for the author's own characters.
 */
const OPEN_DOUBLE = '\uFDD0';
const OPEN_SINGLE = '\uFDD1';
const CLOSE_DOUBLE = '\uFDD2';
const CLOSE_SINGLE = '\uFDD3';
const PLACEHOLDERS = /[\uFDD0-\uFDD3]/;

/** Languages whose typography has no en dash between words: `--` is their dash (тире). */
const EM_DASH_LANGUAGES = new Set(['ru', 'uk', 'be', 'bg']);

export default function remarkSmartTypography(options: SmartTypographyOptions = {}) {
  const lang = options.lang ?? 'en';
  const language = lang.toLowerCase().split('-')[0];
  const smarten = remarkSmartypants.call(unified(), {
    dashes: EM_DASH_LANGUAGES.has(language) ? true : 'oldschool',
    openingQuotes: { double: OPEN_DOUBLE, single: OPEN_SINGLE },
    closingQuotes: { double: CLOSE_DOUBLE, single: CLOSE_SINGLE },
  }) as unknown as (tree: Root) => void;
  const marks = quoteMarks(lang);
  return (tree: Root) => {
    visit(tree, 'leafDirective', (node: LeafDirective) => {
      smarten({ type: 'root', children: [{ type: 'paragraph', children: node.children }] });
    });
    // Block by block rather than the chapter as one string: each block starts afresh anyway, and the
    // whole chapter as one natural-language tree cost gigabytes on a 20 MB chapter.
    for (const child of tree.children) smarten({ type: 'root', children: [child] });
    const openSingles = new WeakMap<Parent, number>();
    visitParents(tree, 'text', (node: Text, ancestors) => {
      if (!PLACEHOLDERS.test(node.value)) {
        if (language === 'fr') node.value = frenchSpacing(node.value);
        return;
      }
      const block = blockOf(ancestors);
      let open = openSingles.get(block) ?? 0;
      const chars = [...node.value];
      node.value = chars
        .map((char, index) => {
          if (char === OPEN_DOUBLE) return marks.primary[0];
          if (char === CLOSE_DOUBLE) return marks.primary[1];
          const before = chars[index - 1] ?? '';
          const after = chars[index + 1] ?? '';
          if (char === OPEN_SINGLE) {
            // ’90s, ’tis: an elided start of a word, not a quotation.
            if (/\d/.test(after)) return '’';
            open++;
            return marks.alternate[0];
          }
          if (char === CLOSE_SINGLE) {
            if (LETTER.test(before) && LETTER.test(after)) return '’';
            if (open > 0) {
              open--;
              return marks.alternate[1];
            }
            return '’';
          }
          return char;
        })
        .join('');
      openSingles.set(block, open);
      if (language === 'fr') node.value = frenchSpacing(node.value);
    });
  };
}

const LETTER = /[\p{L}\p{M}\p{N}]/u;

/** The nearest paragraph, heading or cell: a quote opened in one never closes in another. */
function blockOf(ancestors: Parent[]): Parent {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const type = ancestors[i].type;
    if (type === 'paragraph' || type === 'heading' || type === 'tableCell' || type === 'root')
      return ancestors[i];
  }
  return ancestors[0];
}

/**
 * French spacing: a narrow no-break space (U+202F) inside guillemets and before ; ! ?, a no-break space
 * before a colon, replacing a typed space so the mark never starts a line.
 */
export function frenchSpacing(text: string): string {
  return text
    .replace(/«[ \u00a0\u202f]*/g, '«\u202f')
    .replace(/[ \u00a0\u202f]*»/g, '\u202f»')
    .replace(/([\p{L}\p{N}»)\]*])[ \u00a0\u202f]?([;!?]+)/gu, '$1\u202f$2')
    .replace(/([\p{L}\p{N}»)\]*])[ \u00a0\u202f]?:(?=\s|$)/gu, '$1\u00a0:');
}
