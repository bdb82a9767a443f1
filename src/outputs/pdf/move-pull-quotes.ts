import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import type { ChapterAnchors } from './print-document.ts';

/**
 * Runs in the page, before printing: moves each lifted pull-quote that sits less than `minDistance` below the
 * block it repeats words from to the first block of its chapter at least that far down (before it, or after
 * it when it follows a heading; before the question when it is an answer's first paragraph), or, in a
 * chapter too short for that, as far down as a free place allows — unless the other editions set it before its
 * words, where it stays. One layout measures every chapter. Pages are not known yet: fill-pages.ts checks the
 * spread once they are.
 */
export function movePullQuotes(args: {
  minDistance: number;
  chapters: { blocks: string[]; pullQuotes: { quote: string; source: string }[] }[];
}): void {
  const moves: [Element, Element, 'before' | 'after'][] = [];
  const taken = new Set<Element>();
  for (const chapter of args.chapters) {
    if (!chapter.pullQuotes.length) continue;
    const blocks = chapter.blocks
      .map((id) => document.getElementById(id))
      .filter((block): block is HTMLElement => block !== null);
    const tops = blocks.map((block) => block.getBoundingClientRect().top);
    for (const pull of chapter.pullQuotes) {
      const quote = document.getElementById(pull.quote);
      const source = document.getElementById(pull.source);
      if (!quote || !source) continue;
      const box = quote.getBoundingClientRect();
      const need = source.getBoundingClientRect().top + args.minDistance + box.height;
      if (box.top >= need) continue;
      const eligible = tops.map(
        (top, index) =>
          top > box.top &&
          !/^H[1-6]$/.test(blocks[index].tagName) &&
          !blocks[index].closest('[data-footnotes], .footnotes, .chapter-opening, aside, figure'),
      );
      // The first block far enough down, else the last one the chapter has: as far as it can go. A block is
      // reached through where a quote goes beside it (after a heading; before the question of an answer's
      // first paragraph), and never two quotes at one place: they would stack into one tall block, which in a
      // short chapter ended on a page of its own.
      let chosen: [Element, 'before' | 'after'] | undefined;
      let last: [Element, 'before' | 'after'] | undefined;
      for (let index = 0; index < blocks.length; index++) {
        if (!eligible[index]) continue;
        const target = blocks[index];
        let place: [Element, 'before' | 'after'] = [target, 'before'];
        if (index > 0 && /^H[1-6]$/.test(blocks[index - 1].tagName)) place = [target, 'after'];
        else {
          const turn = target.parentElement?.closest('.turn');
          if (turn && turn.firstElementChild === target) {
            const previous = turn.previousElementSibling;
            const question =
              turn.classList.contains('turn-guest') && previous?.classList.contains('turn-interviewer');
            place = [question && previous ? previous : turn, 'before'];
          }
        }
        if (taken.has(place[0])) continue;
        last = place;
        if (tops[index] >= need) {
          chosen = place;
          break;
        }
      }
      // A quote the other editions set before its words (near a section's end) stays there unless it can go
      // far enough on: as far as it can go would bring it back beside them.
      if (!chosen && source.compareDocumentPosition(quote) & Node.DOCUMENT_POSITION_PRECEDING) continue;
      chosen ??= last;
      if (!chosen) continue;
      taken.add(chosen[0]);
      moves.push([quote, chosen[0], chosen[1]]);
    }
  }
  for (const [quote, target, where] of moves) {
    if (where === 'before') target.before(quote);
    else target.after(quote);
  }
}

/** One `pull-quote-dropped` info for each quote the print left out, at its `:pull[…]`. */
export function droppedPullQuoteDiagnostics(
  dropped: readonly string[],
  chapters: readonly ChapterAnchors[],
): Diagnostic[] {
  const quotes = new Map(chapters.flatMap((chapter) => chapter.pullQuotes.map((pull) => [pull.quote, pull])));
  return dropped.flatMap((id) => {
    const pull = quotes.get(id);
    if (!pull) return [];
    return [
      {
        code: 'pull-quote-dropped',
        severity: 'info' as const,
        message:
          'This pull-quote would be printed on the same spread as the words it repeats, and the chapter has no place for it further on: the PDF leaves it out (the EPUB and HTML keep it).',
        hint: 'Lift words from earlier in the chapter, or accept it: the words stay in the text.',
        file: pull.file,
        line: pull.line,
        column: pull.column,
      },
    ];
  });
}
