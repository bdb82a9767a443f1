/**
 * Runs in the page, before printing: moves each lifted pull-quote that sits less than `minDistance` below the
 * block it repeats words from to the first block of its chapter at least that far down (before it, or after
 * it when it follows a heading; before the question when it is an answer's first paragraph), or, in a
 * chapter too short for that, to its last block. One layout measures every chapter.
 */
export function movePullQuotes(args: {
  minDistance: number;
  chapters: { blocks: string[]; pullQuotes: { quote: string; source: string }[] }[];
}): void {
  const moves: [Element, Element, 'before' | 'after'][] = [];
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
      // Never two quotes at one place: they would stack into one tall block.
      const eligible = tops.map(
        (top, index) =>
          top > box.top &&
          !moves.some((move) => move[1] === blocks[index]) &&
          !/^H[1-6]$/.test(blocks[index].tagName) &&
          !blocks[index].closest('[data-footnotes], .footnotes, .chapter-opening, aside, figure'),
      );
      // The first block far enough down, else the last one the chapter has: as far as it can go.
      let at = tops.findIndex((top, index) => eligible[index] && top >= need);
      if (at < 0) at = eligible.lastIndexOf(true);
      if (at < 0) continue;
      const target = blocks[at];
      if (at > 0 && /^H[1-6]$/.test(blocks[at - 1].tagName)) {
        moves.push([quote, target, 'after']);
        continue;
      }
      const turn = target.parentElement?.closest('.turn');
      if (turn && turn.firstElementChild === target) {
        const previous = turn.previousElementSibling;
        const question =
          turn.classList.contains('turn-guest') && previous?.classList.contains('turn-interviewer');
        moves.push([quote, question && previous ? previous : turn, 'before']);
      } else moves.push([quote, target, 'before']);
    }
  }
  for (const [quote, target, where] of moves) {
    if (where === 'before') target.before(quote);
    else target.after(quote);
  }
}
