/**
 * Pages without holes, measured before the one print (as chapter-pages.ts lays them out), in three steps.
 *
 * Floats without page floats: a block that cannot split (a figure, a pull-quote, a short table, a captioned
 * short listing, a sidebar) and does not fit in what is left of a page goes to the next page whole, leaving
 * the page before it lines short. Chromium has no `float: top`, so such a block moves down past the text that
 * followed it, to where the next page begins: the text fills the page, the block heads the next one (or, at
 * a chapter's end, comes before its notes). A block on a short page moves on the same way when the text
 * after it would fill its room. Two are never set one after the other.
 *
 * Keeps: a heading stays with what follows and a question with the first lines of its answer, so a page can
 * still end short where they do not fit. Then the pages before it each hand a line on to the next — the
 * paragraph that ends a page carries one more line over (`widows`) — until the short page is full, as a
 * compositor runs pages a line short; no page of the run ends 2 lines short, or nothing changes.
 *
 * Facing pages: where a short page is left, the spread it is on still ends level within 2 lines — its
 * neighbours hand it a line or carry one on, and its own blocks are spaced a little looser.
 */
import type { ChapterPages } from './chapter-pages.ts';

export interface FillOptions extends ChapterPages {
  /** Space before a block that counts as a hole, in lines of body text (2). */
  minLines: number;
  /** Most rounds of each step; a round lays out again only the chapters it changed. */
  rounds: number;
  /** Chapters open on rectos (odd folios); otherwise each follows the last, the first on folio 1. */
  recto: boolean;
}

export interface FillReport {
  /** Moves made (a block may move more than once). */
  moved: number;
  /** Rounds that moved something. */
  rounds: number;
  /** Pages of chapters, every chapter's last page left out, as laid out before printing. */
  midChapterPages: number;
  /** Of those, the ones still ending `minLines` or more short. */
  shortPages: number;
  /** Page ends moved up a line or more so that a page a keep left short is filled. */
  linesPushed: number;
  /** Spreads of two mid-chapter pages ending 3 or more lines apart, as laid out before printing. */
  unevenSpreads: number;
  /** Page ends moved so that facing pages end at most 2 lines apart. */
  spreadsBalanced: number;
  /** Short pages whose gaps were set looser so that they end less than 2 lines short. */
  pagesLoosened: number;
  /** Pull-quotes left out: on their source's spread, with no place for them on a later one. */
  droppedPullQuotes: string[];
  /** Time the pass took in the page, layouts included (ms). */
  ms: number;
}

/**
 * Runs in the page before printing, once nothing else moves but the lines (measure-lines.ts comes after: a
 * moved block changes the indent of the paragraph after it), with the chapters laid out as their pages
 * (chapter-pages.ts layOutChapterPages; the passes after it read the same layout). It declares no named
 * functions: the TypeScript runner would wrap them in a helper that does not exist in the page.
 */
export function fillPages(options: FillOptions): FillReport {
  // Every block of a chapter's flow, never looking inside one; blocks that may move; blocks kept with the next.
  const FLOW = options.flow;
  const FLOATS = 'figure:not(.listing), figure.listing:has(> pre.keep-whole), aside, table.keep-whole';
  const KEEP_WITH_NEXT = 'h1, h2, h3, h4, h5, h6, .turn-interviewer *';
  const MAX_MOVES = 3;
  const STRETCH = 0.4;
  // Facing pages 3 lines apart, measured as the PDF will be (rounded), less what the lines set after this
  // pass may change.
  const UNEVEN = 2.3;
  // A block's page is the column its middle is in, counted from the chapter's first (columns run leftwards in
  // right-to-left books).
  const pitch = options.width + options.gap;
  const line = Number.parseFloat(getComputedStyle(document.body).lineHeight) || 18.67;
  const hole = options.minLines * line;

  const chapters = [...document.querySelectorAll('.print-chapter')].map((element) => ({
    element,
    settled: false,
    pages: 0,
    short: 0,
  }));
  const moves = new Map<Element, number>();
  // A pull-quote set before the words it repeats (where three blocks on would close the chapter,
  // layout/pull-quotes.ts) moves on only while the next page is off their spread.
  const pinned = new Set(
    [...document.querySelectorAll('[data-pull-source]')].filter((quote) => {
      const source = document.getElementById(quote.getAttribute('data-pull-source') ?? '');
      return source && quote.compareDocumentPosition(source) & Node.DOCUMENT_POSITION_FOLLOWING;
    }),
  );
  const started = performance.now();
  const report: FillReport = {
    moved: 0,
    rounds: 0,
    midChapterPages: 0,
    shortPages: 0,
    linesPushed: 0,
    unevenSpreads: 0,
    spreadsBalanced: 0,
    pagesLoosened: 0,
    droppedPullQuotes: [],
    ms: 0,
  };
  // A method, not a named function (see below).
  const flow = {
    /**
     * A chapter's flow blocks in order, with their boxes: one walk that never looks inside a flow block (a
     * search for every flow element, each then tested for a flow ancestor, cost several times as much), and
     * one read of each block's boxes. A block without boxes (not displayed) is left out, and so is all it holds.
     */
    of(chapter: Element): { blocks: Element[]; rects: DOMRectList[] } {
      const blocks: Element[] = [];
      const rects: DOMRectList[] = [];
      const stack = [...chapter.children].reverse();
      for (let element = stack.pop(); element; element = stack.pop()) {
        if (!element.matches(FLOW)) {
          for (let child = element.lastElementChild; child; child = child.previousElementSibling)
            stack.push(child);
          continue;
        }
        const boxes = element.getClientRects();
        if (!boxes.length) continue;
        blocks.push(element);
        rects.push(boxes);
      }
      return { blocks, rects };
    },
  };
  // A method, not a named function (see below).
  const columns = {
    /**
     * A chapter's top-level blocks, each as the pieces it has in each column (page) of the layout, and how far
     * down each column the blocks' boxes reach.
     */
    of(chapter: Element) {
      const origin = chapter.getBoundingClientRect();
      const middle = origin.left + options.width / 2;
      const { blocks, rects } = flow.of(chapter);
      const fragments = rects.map((boxes) =>
        [...boxes].map((rect) => ({
          column: Math.round(Math.abs(rect.left + rect.width / 2 - middle) / pitch),
          bottom: rect.bottom - origin.top,
          height: rect.height,
        })),
      );
      const boxes: number[] = [];
      for (const pieces of fragments)
        for (const piece of pieces) boxes[piece.column] = Math.max(boxes[piece.column] ?? 0, piece.bottom);
      return { origin, middle, blocks, fragments, boxes };
    },
  };
  // A method, not a named function (see below).
  const elements = {
    /** The outermost element below `chapter` that begins with `block` (a list or quote opening with it). */
    outermost(block: Element, chapter: Element): Element {
      let place = block;
      while (
        place.parentElement &&
        place.parentElement !== chapter &&
        place.parentElement.firstElementChild === place
      )
        place = place.parentElement;
      return place;
    },
  };
  // A method, not a named function (see below).
  const quotes = {
    /**
     * Pull-quotes off their source's spread, now that the pages are known: one still on it goes before the
     * first paragraph or list on a later spread (never beside another quote). With no such place (the words
     * come near the chapter's end, the spreads after hold only notes), it is left out of the print: set before
     * its words instead it would be a float in mid-chapter that pages must make room for (measured on the
     * 40-chapter book: 7 more short pages). A chapter on one spread keeps its quotes: it is too short to avoid
     * it. Returns the ids left out.
     */
    separate(): string[] {
      const out: string[] = [];
      let folio = 1;
      for (const state of chapters) {
        const chapter = state.element;
        const first = options.recto && folio % 2 === 0 ? folio + 1 : folio;
        const origin = chapter.getBoundingClientRect();
        const middle = origin.left + options.width / 2;
        const { blocks } = flow.of(chapter);
        const rects = [...(blocks[blocks.length - 1]?.getClientRects() ?? [])];
        const lastRect = rects[rects.length - 1];
        const columns = lastRect
          ? Math.round(Math.abs(lastRect.left + lastRect.width / 2 - middle) / pitch) + 1
          : 1;
        folio = first + columns;
        for (const quote of chapter.querySelectorAll('[data-pull-source]')) {
          const source = document.getElementById(quote.getAttribute('data-pull-source') ?? '');
          const at = quote.getClientRects()[0];
          const from = source?.getClientRects()[0];
          if (!at || !from) continue;
          const spread = Math.floor(
            (first + Math.round(Math.abs(from.left + from.width / 2 - middle) / pitch)) / 2,
          );
          if (
            Math.floor((first + Math.round(Math.abs(at.left + at.width / 2 - middle) / pitch)) / 2) !== spread
          )
            continue;
          if (Math.floor((first + columns - 1) / 2) === Math.floor(first / 2)) continue;
          let target: Element | undefined;
          for (const block of blocks) {
            const rect = block.getClientRects()[0];
            if (
              Math.floor((first + Math.round(Math.abs(rect.left + rect.width / 2 - middle) / pitch)) / 2) <=
              spread
            )
              continue;
            if (!/^(P|UL|OL|BLOCKQUOTE)$/.test(block.tagName)) continue;
            if (block.closest('[data-footnotes], .footnotes, .chapter-opening, aside, figure')) continue;
            let place = elements.outermost(block, chapter);
            const question = place.previousElementSibling;
            if (place.matches('.turn') && question?.matches('.turn-interviewer')) place = question;
            if (place.previousElementSibling?.matches('[role="doc-pullquote"], .pullquote')) continue;
            target = place;
            break;
          }
          if (target) target.before(quote);
          else {
            quote.remove();
            out.push(quote.id);
          }
        }
      }
      return out;
    },
  };
  // A block, so that the steps' names stay local to them.
  {
    report.droppedPullQuotes.push(...quotes.separate());
    for (let round = 0; round <= options.rounds; round++) {
      // Read: where every block of a chapter begins and ends (column = page, bottom within the column).
      const planned: {
        chapter: Element;
        /** The flow block before the first one taken out, and the page it ends on. */
        before: Element;
        end: number;
        floats: Element[];
        homes: [ParentNode, ChildNode | null, Element | null][];
        target?: Element;
        settled: boolean;
      }[] = [];
      // The folio each chapter opens on, so that a page's spread is known (recto openings: odd folios).
      let folio = 1;
      for (const state of chapters) {
        const firstFolio = options.recto && folio % 2 === 0 ? folio + 1 : folio;
        folio = firstFolio + state.pages + 1;
        if (state.settled) continue;
        const chapter = state.element;
        const origin = chapter.getBoundingClientRect();
        const middle = origin.left + options.width / 2;
        const { blocks, rects: blockRects } = flow.of(chapter);
        const bottoms: number[] = [];
        const boxes = blockRects.map((rects) => {
          for (const rect of rects) {
            const column = Math.round(Math.abs(rect.left + rect.width / 2 - middle) / pitch);
            bottoms[column] = Math.max(bottoms[column] ?? 0, rect.bottom - origin.top);
          }
          const first = rects[0];
          const end = rects[rects.length - 1];
          return {
            start: Math.round(Math.abs(first.left + first.width / 2 - middle) / pitch),
            end: Math.round(Math.abs(end.left + end.width / 2 - middle) / pitch),
            bottom: end.bottom - origin.top,
          };
        });
        state.pages = Math.max(0, bottoms.length - 1);
        folio = firstFolio + state.pages + 1;
        state.short = 0;
        for (let column = 0; column < bottoms.length - 1; column++)
          if (options.height - (bottoms[column] ?? 0) >= hole) state.short++;
        state.settled = true;
        if (round === options.rounds) continue;
        // A quote pinned before its source moves on only where the next page is still off the source's spread.
        const movable = blocks.map((block, index) => {
          if (
            !block.matches(FLOATS) ||
            block.closest('.chapter-opening') ||
            (moves.get(block) ?? 0) >= MAX_MOVES
          )
            return false;
          if (!pinned.has(block)) return true;
          const source = document
            .getElementById(block.getAttribute('data-pull-source') ?? '')
            ?.getClientRects()[0];
          if (!source) return false;
          const column = Math.round(Math.abs(source.left + source.width / 2 - middle) / pitch);
          return Math.floor((firstFolio + boxes[index].end + 1) / 2) < Math.floor((firstFolio + column) / 2);
        });
        for (let column = 0; column < bottoms.length - 1; column++) {
          if (options.height - (bottoms[column] ?? 0) < hole) continue;
          // The block the page is short for: one that heads the next page behind only blocks kept with it (a
          // heading, a question), or else the last one on the page, whose room the text after it can take.
          let chosen = -1;
          let at = boxes.findIndex((box) => box.start > column);
          if (at > 0 && boxes[at - 1].end === column) {
            while (
              at < blocks.length - 1 &&
              blocks[at].matches(KEEP_WITH_NEXT) &&
              boxes[at].start === column + 1
            )
              at++;
            if (boxes[at].start === column + 1 && movable[at]) chosen = at;
          }
          if (chosen < 0)
            for (let index = blocks.length - 1; index > 0; index--)
              if (boxes[index].start === column && boxes[index].end === column && movable[index]) {
                chosen = index;
                break;
              }
          if (chosen < 1) continue;
          const block = blocks[chosen];
          planned.push({
            chapter,
            before: blocks[chosen - 1],
            end: column,
            floats: [block],
            homes: [[block.parentNode as ParentNode, block.nextSibling, block.nextElementSibling]],
            settled: false,
          });
          // One a chapter and round: it moves every later page of the chapter.
          state.settled = false;
          break;
        }
      }
      if (!planned.length) break;
      // Write: take the blocks out, so the text that followed them fills their pages.
      for (const plan of planned) plan.floats[0].remove();
      // Read: the first block that now begins on a later page is where they go, unless the page is still short
      // because that block is another that cannot fit (a table under its heading): that one goes along.
      for (let link = 0; link < 3; link++) {
        const taken: Element[] = [];
        for (const plan of planned) {
          if (plan.settled) continue;
          const origin = plan.chapter.getBoundingClientRect();
          const middle = origin.left + options.width / 2;
          const { blocks, rects: blockRects } = flow.of(plan.chapter);
          let bottom = 0;
          let next: Element | undefined;
          // From the block before the first one taken out (as a slice from its index: the last block when gone).
          const from = blocks.indexOf(plan.before);
          for (let at = from < 0 ? Math.max(0, blocks.length - 1) : from; at < blocks.length; at++) {
            const block = blocks[at];
            const rects = blockRects[at];
            if (
              block !== plan.before &&
              Math.round(Math.abs(rects[0].left + rects[0].width / 2 - middle) / pitch) > plan.end
            ) {
              next = block;
              break;
            }
            for (const rect of rects)
              if (Math.round(Math.abs(rect.left + rect.width / 2 - middle) / pitch) === plan.end)
                bottom = Math.max(bottom, rect.bottom - origin.top);
          }
          plan.settled = true;
          // The chapter ends first: back home below. (When the notes begin the next page, it goes before them.)
          if (!next) continue;
          let opening = blocks.indexOf(next);
          while (opening < blocks.length - 1 && blocks[opening].matches(KEEP_WITH_NEXT)) opening++;
          const blocker = blocks[opening];
          if (
            link < 2 &&
            blocker.matches(FLOATS) &&
            !pinned.has(blocker) &&
            options.height - bottom >= hole
          ) {
            plan.floats.push(blocker);
            plan.homes.push([
              blocker.parentNode as ParentNode,
              blocker.nextSibling,
              blocker.nextElementSibling,
            ]);
            taken.push(blocker);
            plan.settled = false;
            continue;
          }
          // Never two of them in a row (they would stack into one tall block): past another and a block of text.
          if (next.matches(FLOATS)) {
            let after = blocks.indexOf(next);
            while (after < blocks.length && blocks[after].matches(FLOATS)) after++;
            next = blocks[after + 1];
            if (!next) continue;
          }
          // Before the turn, section or list the block opens, and before the question of an answer.
          let target = next;
          while (
            target.parentElement &&
            target.parentElement !== plan.chapter &&
            target.parentElement.firstElementChild === target
          )
            target = target.parentElement;
          const question = target.previousElementSibling;
          if (target.matches('.turn') && question?.matches('.turn-interviewer')) target = question;
          // Where it was: the text could not fill the page (a heading or a question is kept with what follows).
          if (target !== plan.homes[0][2]) plan.target = target;
        }
        if (!taken.length) break;
        for (const block of taken) block.remove();
      }
      // Write: each goes where the text now breaks, or back home (in reverse order) when there is nowhere to go.
      for (const plan of planned) {
        const target = plan.target;
        for (const block of plan.floats) moves.set(block, (moves.get(block) ?? 0) + (target ? 1 : MAX_MOVES));
        if (target) {
          for (const block of plan.floats) target.before(block);
          report.moved += plan.floats.length;
        } else {
          for (let at = plan.floats.length - 1; at >= 0; at--)
            plan.homes[at][0].insertBefore(plan.floats[at], plan.homes[at][1]);
        }
      }
      report.rounds++;
    }
    // Floats moving on past a source can bring a quote back onto its spread.
    const late = quotes.separate();
    report.droppedPullQuotes.push(...late);
    if (late.length) for (const state of chapters) state.short = Math.max(state.short, 1);
    // What a keep leaves (a heading or a question with the lines after it does not fit): the pages before
    // hand a line each on to the next, paragraphs ending a page with more lines on the next (`widows`), so
    // the short page is filled and no page is left 2 lines short. Undone where the pages do not come out so.
    const failed = new Set<string>();
    for (let round = 0; round < options.rounds; round++) {
      const plans: { chapter: Element; column: number; pages: number[]; set: [HTMLElement, string][] }[] = [];
      for (const state of chapters) {
        if (!state.short) continue;
        const chapter = state.element;
        const { blocks, fragments, boxes: bottoms } = columns.of(chapter);
        let column = 1;
        while (
          column < bottoms.length - 1 &&
          (options.height - (bottoms[column] ?? 0) < hole || failed.has(`${chapter.id}:${column}`))
        )
          column++;
        if (column >= bottoms.length - 1) continue;
        // Lines the short page takes in, then what each page before it hands on and keeps.
        let needed = Math.floor((options.height - (bottoms[column] ?? 0)) / line);
        const set: [HTMLElement, string][] = [];
        const pages: number[] = [column];
        for (let page = column - 1; needed > 0 && page >= 0; page--) {
          const at = blocks.findIndex(
            (block, index) =>
              block.tagName === 'P' &&
              fragments[index].length === 2 &&
              fragments[index][0].column === page &&
              fragments[index][1].column === page + 1,
          );
          if (at < 0) break;
          const paragraph = blocks[at] as HTMLElement;
          const pitchOf = Number.parseFloat(getComputedStyle(paragraph).lineHeight) || line;
          const before = Math.round(fragments[at][0].height / pitchOf);
          const after = Math.round(fragments[at][1].height / pitchOf);
          if (before - needed < 2) break;
          set.push([paragraph, `${after + needed}`]);
          pages.push(page);
          // A page may give up lines as long as it still ends less than 2 lines short.
          const spare = Math.max(0, Math.floor((hole - (options.height - (bottoms[page] ?? 0)) - 1) / line));
          needed = Math.max(0, needed - spare);
        }
        if (needed > 0 || !set.length) {
          failed.add(`${chapter.id}:${column}`);
          continue;
        }
        plans.push({
          chapter,
          column,
          pages,
          set: set.map(([paragraph]) => [paragraph, paragraph.style.widows]),
        });
        for (const [paragraph, widows] of set) paragraph.style.widows = widows;
      }
      if (!plans.length) break;
      for (const plan of plans) {
        const origin = plan.chapter.getBoundingClientRect();
        const middle = origin.left + options.width / 2;
        const bottoms: number[] = [];
        for (const block of plan.chapter.querySelectorAll(FLOW))
          for (const rect of block.getClientRects()) {
            const column = Math.round(Math.abs(rect.left + rect.width / 2 - middle) / pitch);
            bottoms[column] = Math.max(bottoms[column] ?? 0, rect.bottom - origin.top);
          }
        const state = chapters.find((entry) => entry.element === plan.chapter);
        if (plan.pages.every((page) => options.height - (bottoms[page] ?? 0) < hole) && state) {
          report.linesPushed += plan.set.length;
          state.short = 0;
          for (let column = 0; column < bottoms.length - 1; column++)
            if (options.height - (bottoms[column] ?? 0) >= hole) state.short++;
          state.pages = Math.max(0, bottoms.length - 1);
        } else {
          failed.add(`${plan.chapter.id}:${plan.column}`);
          for (const [paragraph, widows] of plan.set) paragraph.style.widows = widows;
        }
      }
    }
    // Facing pages. A page a keep leaves short that the step above could not fill (the pages before it end
    // between blocks, or their paragraphs are too short to give) faces a full page across the spread, 3 or more
    // lines apart. As a compositor does, the pair runs short together: the page before the short one hands it
    // a line or two (each page that hands on ends at most a line short, or is short already), and the full page
    // facing it, when it comes after, carries a line or two over to the next; what is left is taken up by
    // looser space between the short page's blocks, within limits. Kept only where the chapter then has fewer
    // uneven spreads, no more short pages and as many pages; undone otherwise.
    // A method, not a named function (see above): where each page of a chapter ends, by its last line. A block
    // that breaks across pages fills its first page's box to the bottom, so its lines are read instead.
    const pages = {
      measure(chapter: Element, first: number) {
        // By the boxes first; then the blocks that end a page are read by their lines, as the PDF is.
        const { origin, middle, blocks, fragments, boxes } = columns.of(chapter);
        const bottoms: number[] = [];
        const range = document.createRange();
        blocks.forEach((block, index) => {
          const ending = fragments[index].filter(
            (piece) => piece.bottom >= (boxes[piece.column] ?? 0) - 1.5 * line,
          );
          if (!ending.length) return;
          let lines = 0;
          const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
          for (let text = walker.nextNode(); text; text = walker.nextNode()) {
            range.selectNodeContents(text);
            for (const rect of range.getClientRects()) {
              if (!rect.height) continue;
              const column = Math.round(Math.abs(rect.left + rect.width / 2 - middle) / pitch);
              bottoms[column] = Math.max(bottoms[column] ?? 0, rect.bottom - origin.top);
              lines++;
            }
          }
          if (!lines)
            for (const piece of ending)
              bottoms[piece.column] = Math.max(bottoms[piece.column] ?? 0, piece.bottom);
        });
        for (let column = 0; column < boxes.length; column++) bottoms[column] ??= boxes[column] ?? 0;
        const free = Array.from(bottoms, (bottom) => options.height - (bottom ?? 0));
        // Every page of the chapter but its last; spreads of two of them, by the verso (an even folio).
        const last = free.length - 1;
        const uneven: number[] = [];
        for (let page = 0; page + 1 < last; page++)
          if ((first + page) % 2 === 0 && Math.abs(free[page] - free[page + 1]) >= UNEVEN * line)
            uneven.push(page);
        return {
          blocks,
          fragments,
          free,
          uneven,
          short: free.slice(0, last).filter((room) => room >= hole).length,
        };
      },
      /**
       * Sets `page` looser by `by` px, shared between the gaps that begin on it (before a turn, a section, a
       * block that is not the next paragraph), at most `STRETCH` lines each; returns how to undo it, or nothing
       * when the page has too few gaps for that.
       */
      loosen(
        chapter: Element,
        layout: { blocks: Element[]; fragments: { column: number }[][] },
        page: number,
        by: number,
      ): [HTMLElement, 'marginTop', string][] | undefined {
        const gaps = layout.blocks
          .filter(
            (block, index) =>
              layout.fragments[index][0].column === page &&
              layout.fragments[index - 1]?.[layout.fragments[index - 1].length - 1].column === page &&
              !(block.tagName === 'P' && block.previousElementSibling?.tagName === 'P'),
          )
          .map((block) => elements.outermost(block, chapter) as HTMLElement);
        if (by <= 0 || !gaps.length || by / gaps.length > STRETCH * line) return undefined;
        const widths = gaps.map((gap) => Number.parseFloat(getComputedStyle(gap).marginTop) || 0);
        const undo = gaps.map((gap): [HTMLElement, 'marginTop', string] => [
          gap,
          'marginTop',
          gap.style.marginTop,
        ]);
        gaps.forEach((gap, index) => {
          gap.style.marginTop = `${widths[index] + by / gaps.length}px`;
        });
        return undo;
      },
    };
    let folio = 1;
    for (const state of chapters) {
      const chapter = state.element;
      // Chapters open on rectos (odd folios) or follow on.
      const first = options.recto && folio % 2 === 0 ? folio + 1 : folio;
      const tried = new Set<number>();
      let now = pages.measure(chapter, first);
      for (let attempt = 0; attempt < 12; attempt++) {
        const spread = now.uneven.find((page) => !tried.has(page));
        if (spread === undefined) break;
        tried.add(spread);
        const { blocks, fragments, free } = now;
        // The page with more room (S) and the one facing it (F), and the lines between them over 2.
        const roomy = free[spread] > free[spread + 1] ? spread : spread + 1;
        const facing = roomy === spread ? spread + 1 : spread;
        const lines = Math.round(Math.abs(free[spread] - free[spread + 1]) / line) - 2;
        // The paragraph that runs from each page onto the next, with its lines on each.
        const carried = free.map((_, page) => {
          const at = blocks.findIndex(
            (block, index) =>
              block.tagName === 'P' &&
              fragments[index].length === 2 &&
              fragments[index][0].column === page &&
              fragments[index][1].column === page + 1,
          );
          if (at < 0) return undefined;
          const paragraph = blocks[at] as HTMLElement;
          const pitchOf = Number.parseFloat(getComputedStyle(paragraph).lineHeight) || line;
          return {
            paragraph,
            before: Math.round(
              (options.height - free[page] - fragments[at][0].bottom + fragments[at][0].height) / pitchOf,
            ),
            after: Math.round(fragments[at][1].height / pitchOf),
          };
        });
        // Fewest lines first: `pull` lines into S from the pages before it, `push` lines from F onto the next.
        const candidates: [number, number][] = [];
        for (let total = 1; total <= lines; total++)
          for (let pull = total; pull >= 0; pull--)
            if (pull === total || facing > roomy) candidates.push([pull, total - pull]);
        candidates.unshift([0, 0]);
        for (const [pull, push] of candidates) {
          const set: [HTMLElement, string][] = [];
          let needed = pull;
          for (let page = roomy - 1; needed > 0 && page >= 0; page--) {
            const run = carried[page];
            if (!run || run.before - needed < 2) break;
            set.push([run.paragraph, `${run.after + needed}`]);
            // A page may give up lines as long as it still ends less than 2 lines short (or was short already).
            const spare = Math.max(0, Math.floor((hole - free[page] - 1) / line));
            needed = free[page] >= hole ? 0 : Math.max(0, needed - spare);
          }
          if (needed > 0) continue;
          if (push > 0) {
            const run = carried[facing];
            if (!run || run.before - push < 2) continue;
            set.push([run.paragraph, `${run.after + push}`]);
          }
          const undo: [HTMLElement, 'widows' | 'marginTop', string][] = set.map(([paragraph]) => [
            paragraph,
            'widows',
            paragraph.style.widows,
          ]);
          for (const [paragraph, widows] of set) paragraph.style.widows = widows;
          let next = set.length ? pages.measure(chapter, first) : now;
          // Then the page with room may be set looser: the space between its turns, sections and blocks grows
          // by at most `STRETCH` lines each (vertical justification), so that its last line comes down to within
          // 2 lines of the facing page's. No line moves; the page still counts as short.
          const apart = Math.abs(next.free[spread] - next.free[spread + 1]);
          if (next.uneven.includes(spread) && next.free.length === free.length) {
            const loosened = pages.loosen(chapter, next, roomy, apart - (UNEVEN - 0.2) * line);
            if (loosened) {
              undo.push(...loosened);
              next = pages.measure(chapter, first);
            }
          }
          if (
            next.free.length === free.length &&
            next.uneven.length < now.uneven.length &&
            next.short <= now.short
          ) {
            report.spreadsBalanced++;
            now = next;
            tried.clear();
            break;
          }
          for (const [element, property, value] of undo) element.style[property] = value;
        }
      }
      // A page still 2 or more lines short (before a heading or a question that does not fit) is set looser,
      // within the same limits, to end less than 2 lines short, where that leaves no spread uneven.
      for (let page = 0; page + 1 < now.free.length; page++) {
        if (now.free[page] < hole) continue;
        const undo = pages.loosen(chapter, now, page, now.free[page] - hole + 0.4 * line);
        if (!undo) continue;
        const next = pages.measure(chapter, first);
        if (
          next.free.length === now.free.length &&
          next.short < now.short &&
          next.uneven.length <= now.uneven.length
        ) {
          report.pagesLoosened++;
          now = next;
        } else for (const [element, property, value] of undo) element.style[property] = value;
      }
      report.unevenSpreads += now.uneven.length;
      state.pages = Math.max(0, now.free.length - 1);
      state.short = now.short;
      folio = first + Math.max(1, now.free.length);
    }
  }
  for (const state of chapters) {
    report.midChapterPages += state.pages;
    report.shortPages += state.short;
  }
  report.ms = performance.now() - started;
  return report;
}
