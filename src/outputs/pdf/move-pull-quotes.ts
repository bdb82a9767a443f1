/**
 * Runs in the page, before printing: moves each lifted pull-quote that sits less than `minDistance` below the
 * block it repeats words from to the first block of its chapter at least that far down (before it, or after
 * it when it follows a heading; before the question when it is an answer's first paragraph), or, in a
 * chapter too short for that, as far down as a free place allows. One layout measures every chapter.
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
