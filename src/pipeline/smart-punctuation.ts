/**
 * Smart punctuation over one run of text (a paragraph, heading, table cell or directive label, split into the
 * pieces its inline nodes cut it into): straight quotes become the language's quotation marks, apostrophes ’,
 * `--` and `---` dashes, `...` an ellipsis. One left-to-right pass over the run, looking at most three
 * characters ahead, so the cost is linear in the text however long a paragraph is.
 *
 * A quote opens or closes by what stands on either side of it in the whole run, so a quotation that starts in
 * plain text and ends inside *emphasis* or a link pairs up. Inline code counts as a word beside a quote and is
 * never changed; a line break counts as a space.
 */
import { type QuoteMarks, quoteMarks } from './locale-quotes.ts';

/** Stands for inline code in a run: a word to the quotes around it, never changed. */
export const CODE = Symbol('inline code');
/** Stands for a hard line break in a run: a space to the quotes around it. */
export const BREAK = Symbol('line break');
export type RunPart = string | typeof CODE | typeof BREAK;

export interface PunctuationRules {
  marks: QuoteMarks;
  /** `--` as the language's dash between words: an em dash (тире) rather than an en dash. */
  twoHyphens: string;
  /** French spacing: no-break spaces inside « » and before ; ! ? : */
  french: boolean;
}

/** Languages whose typography has no en dash between words: `--` is their dash (тире). */
const EM_DASH_LANGUAGES = new Set(['ru', 'uk', 'be', 'bg']);

export function punctuationRules(lang: string): PunctuationRules {
  const language = lang.toLowerCase().split('-')[0];
  return {
    marks: quoteMarks(lang),
    twoHyphens: EM_DASH_LANGUAGES.has(language) ? '—' : '–',
    french: language === 'fr',
  };
}

/**
 * What stands beside a quote: a space (or the run's edge), a word character, an opening mark, a dash or
 * slash, a closing mark, a straight quote not yet decided, or other punctuation.
 */
enum Side {
  Space,
  Word,
  Opening,
  Dash,
  Closing,
  Quote,
  Other,
}

const WORD = /[\p{L}\p{M}\p{N}]/u;
const SPACE = /\s/u;
const OPENING = '([{«‹„‚“‘「『¿¡';
const DASHES = '-‐‑‒–—―/';
const CLOSING = '.,;:!?)]}»›…%”’」』';

function sideOf(char: string | undefined): Side {
  if (char === undefined || SPACE.test(char)) return Side.Space;
  if (char === '"' || char === "'") return Side.Quote;
  if (WORD.test(char)) return Side.Word;
  if (OPENING.includes(char)) return Side.Opening;
  if (DASHES.includes(char)) return Side.Dash;
  if (CLOSING.includes(char)) return Side.Closing;
  return Side.Other;
}

enum Quote {
  Open,
  Close,
  Apostrophe,
}

/** Whether a straight quote with `before` and `after` beside it opens a quotation. */
function opens(before: Side, after: Side, previous: string | undefined): boolean {
  switch (before) {
    case Side.Word:
      return false;
    case Side.Space:
    case Side.Opening:
    case Side.Dash:
      return after !== Side.Space;
    case Side.Closing:
      // `said:"Yes"` opens; `end."Next` and `"Yes!"—she` close.
      return after === Side.Word && previous !== undefined && ',;:'.includes(previous);
    default:
      return after === Side.Word || after === Side.Opening || after === Side.Quote;
  }
}

const SPECIAL = /["'`.-]/g;

/**
 * Smartens one run. Returns the new text of each string part, in order (an empty string for CODE and BREAK).
 */
export function smartenRun(parts: readonly RunPart[], rules: PunctuationRules): string[] {
  const { marks } = rules;
  // The run as one string, for what stands beside a quote across the inline nodes it crosses.
  let run = '';
  const starts: number[] = [];
  for (const part of parts) {
    starts.push(run.length);
    run += part === CODE ? 'x' : part === BREAK ? '\n' : part;
  }
  // The last quote decided (what it is to the character after it), and a quote already known to be an
  // apostrophe (the second one of 'n').
  let lastAt = -2;
  let last = Quote.Apostrophe;
  let apostropheAt = -1;
  let openSingles = 0;
  const decide = (at: number, quote: Quote): Quote => {
    lastAt = at;
    last = quote;
    return quote;
  };
  const sideBefore = (at: number): Side => {
    if (lastAt !== at - 1) return sideOf(run[at - 1]);
    return last === Quote.Open ? Side.Opening : last === Quote.Close ? Side.Closing : Side.Word;
  };
  const results: string[] = [];
  parts.forEach((part, index) => {
    if (typeof part !== 'string') {
      results.push('');
      return;
    }
    const start = starts[index];
    let out = '';
    let copied = 0;
    SPECIAL.lastIndex = 0;
    for (let match = SPECIAL.exec(part); match; match = SPECIAL.exec(part)) {
      const j = match.index;
      const at = start + j;
      const char = part[j];
      let replacement: string | undefined;
      let length = 1;
      if (char === '"') {
        const open = opens(sideBefore(at), sideOf(run[at + 1]), run[at - 1]);
        decide(at, open ? Quote.Open : Quote.Close);
        replacement = marks.primary[open ? 0 : 1];
      } else if (char === "'") {
        if (part[j + 1] === "'" && part[j + 2] !== "'" && part[j - 1] !== "'") {
          // ''TeX-style closing quotes''
          replacement = marks.primary[1];
          length = 2;
          decide(at + 1, Quote.Close);
        } else {
          const quote = decide(at, at === apostropheAt ? Quote.Apostrophe : single(at));
          replacement =
            quote === Quote.Open ? marks.alternate[0] : quote === Quote.Close ? marks.alternate[1] : '’';
        }
      } else if (char === '`') {
        if (part[j + 1] === '`' && part[j + 2] !== '`' && part[j - 1] !== '`') {
          replacement = marks.primary[0];
          length = 2;
          decide(at + 1, Quote.Open);
        }
      } else if (char === '-') {
        length = runLength(part, j, '-');
        if (length === 2) replacement = rules.twoHyphens;
        else if (length === 3) replacement = '—';
      } else {
        length = runLength(part, j, '.');
        if (length >= 3) replacement = '…';
        else if (length === 1) {
          const end = spacedEllipsisEnd(part, j);
          if (end > j) {
            replacement = '…';
            length = end - j;
          }
        }
      }
      if (replacement !== undefined) {
        out += part.slice(copied, j) + replacement;
        copied = j + length;
      }
      SPECIAL.lastIndex = j + length;
    }
    out = copied === 0 ? part : out + part.slice(copied);
    results.push(rules.french ? frenchSpacing(out) : out);
  });
  return results;

  /** A single straight quote: an apostrophe, or a quotation mark that opens or closes. */
  function single(at: number): Quote {
    const before = sideBefore(at);
    const after = sideOf(run[at + 1]);
    // don't, rock'n'roll, Peter's, “Dune”’s
    const afterClosingQuote = lastAt === at - 1 && last === Quote.Close;
    if ((before === Side.Word || afterClosingQuote) && after === Side.Word) {
      return Quote.Apostrophe;
    }
    // rock 'n' roll
    if (
      (before === Side.Space || before === Side.Opening || before === Side.Dash) &&
      (run[at + 1] === 'n' || run[at + 1] === 'N') &&
      run[at + 2] === "'" &&
      [Side.Space, Side.Closing, Side.Dash].includes(sideOf(run[at + 3]))
    ) {
      apostropheAt = at + 2;
      return Quote.Apostrophe;
    }
    if (opens(before, after, run[at - 1])) {
      // ’90s: an elided start of a number, not a quotation.
      if (/\d/.test(run[at + 1] ?? '')) return Quote.Apostrophe;
      openSingles++;
      return Quote.Open;
    }
    if (openSingles > 0) {
      openSingles--;
      return Quote.Close;
    }
    // dogs’ (no single quote open to close)
    return Quote.Apostrophe;
  }
}

function runLength(text: string, from: number, char: string): number {
  let end = from;
  while (text[end] === char) end++;
  return end - from;
}

/**
 * `. . .`: three or more single dots with white space between them. Returns where the last dot ends, or
 * `from` when there are fewer than three. Each run of white space is read at most twice, so this stays linear.
 */
function spacedEllipsisEnd(text: string, from: number): number {
  let dots = 1;
  let end = from + 1;
  for (;;) {
    let next = end;
    while (next < text.length && text[next] !== '\n' && SPACE.test(text[next])) next++;
    if (next === end || text[next] !== '.' || text[next + 1] === '.') break;
    dots++;
    end = next + 1;
  }
  return dots >= 3 ? end : from;
}

/**
 * French spacing: a narrow no-break space (U+202F) inside guillemets and before ; ! ?, a no-break space
 * before a colon, replacing a typed space so the mark never starts a line.
 */
function frenchSpacing(text: string): string {
  return (
    text
      .replace(/«[ \u00a0\u202f]*/g, '«\u202f')
      // The lookbehind starts a match only at the first of several spaces, so a long run of them stays linear.
      .replace(/(?<![ \u00a0\u202f])[ \u00a0\u202f]*»/g, '\u202f»')
      .replace(/([\p{L}\p{N}»)\]*])[ \u00a0\u202f]?([;!?]+)/gu, '$1\u202f$2')
      .replace(/([\p{L}\p{N}»)\]*])[ \u00a0\u202f]?:(?=\s|$)/gu, '$1\u00a0:')
  );
}
