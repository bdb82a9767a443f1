/**
 * The parser of a chapter: Markdown (CommonMark) with GFM, plus whatever syntax later plugins add
 * (remark-frontmatter, remark-directive). It is remark-parse with remark-gfm but for one thing: GFM's costly
 * constructs are looked for only in a chapter that has the characters they begin with. micromark tries a
 * table at the start of every line (it reads the whole line as cells before it can tell there is no
 * delimiter row) and an e-mail address at every word, and these two were most of the time spent parsing a
 * 2 MB paragraph that has neither (2.0 s of CPU with them, 0.3 s without); afterwards GFM searches every
 * text of the tree for addresses that micromark could not see (after `&#64;`, say) with regular expressions.
 * A table needs a `|`, or a one-column delimiter row such as `:-` or `-:`; a literal autolink needs `@`,
 * `www.` or `http(s)://` in the source, and the search one of `@`, `www`, `http` or a character reference
 * (`&`). Where those are missing the constructs could not match, so the tree is the one remark-gfm gives.
 *
 * A chapter with a table still had every other line read as a table's head row (the 40-chapter bench book has
 * one table a chapter: about a twentieth of its parse). A head row is one line and the delimiter row the next,
 * which must hold a `|` or an alignment colon (`:-`, `-:`); so the table construct is tried only on a line
 * whose next line holds one, or where a table already open can take a body row (which needs no `|`). The
 * lines are known from the document before the parse, and micromark numbers its lines as they are here.
 */
import type { Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfmAutolinkLiteral } from 'micromark-extension-gfm-autolink-literal';
import { gfmFootnote } from 'micromark-extension-gfm-footnote';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';
import type { Construct, Extension, State, TokenizeContext, Tokenizer } from 'micromark-util-types';
import type { Processor } from 'unified';

/** GFM's constructs in micromark-extension-gfm's order, each with what a text needs to hold one. */
const DELIMITER = /\||:-|-:/;
const GFM: { syntax: (document: string) => Extension; needs?: RegExp }[] = [
  { syntax: constant(gfmAutolinkLiteral()), needs: /@|www\.|https?:\/\//i },
  { syntax: constant(gfmFootnote()) },
  { syntax: constant(gfmStrikethrough()) },
  { syntax: tablesOnLinesBefore, needs: DELIMITER },
  { syntax: constant(gfmTaskListItem()) },
];
const GFM_TREE = gfmFromMarkdown();
/** GFM's tree extensions without their one transform, the search for autolinks in the texts. */
const GFM_TREE_UNSEARCHED = GFM_TREE.map(({ transforms: _, ...handlers }) => handlers);
const AUTOLINK_TEXT = /[@&]|www|http/i;

export default function remarkChapterSyntax(this: Processor) {
  this.parser = (document: string): Root =>
    fromMarkdown(document, {
      extensions: [
        ...GFM.filter(({ needs }) => !needs || needs.test(document)).map(({ syntax }) => syntax(document)),
        ...(this.data('micromarkExtensions') ?? []),
      ],
      mdastExtensions: [
        ...(AUTOLINK_TEXT.test(document) ? GFM_TREE : GFM_TREE_UNSEARCHED),
        ...(this.data('fromMarkdownExtensions') ?? []),
      ],
    });
}

function constant(extension: Extension): () => Extension {
  return () => extension;
}

const TABLE = (gfmTable().flow as Record<string, Construct>).null;
const DELIMITERS = /\||:-|-:/g;
const LINE_ENDING = /\r\n?|\n/g;

/**
 * GFM's table construct, tried only where a table can begin or go on in `document`: on a line (micromark's
 * 1-based numbering) whose next line holds a delimiter row's `|` or colon, or right after a table's row.
 */
function tablesOnLinesBefore(document: string): Extension {
  const delimiterLines = linesHolding(document, DELIMITERS);
  const table: Construct = {
    ...TABLE,
    tokenize(this: TokenizeContext, effects, ok, nok): State {
      return (code) =>
        delimiterLines.has(this.now().line + 1) || afterTableRow(this)
          ? (TABLE.tokenize as Tokenizer).call(this, effects, ok, nok)(code)
          : nok(code);
    },
  };
  return { flow: { null: table } };
}

/** The numbers of the lines (1-based; \r\n, \r and \n each end one) on which `pattern` matches. */
function linesHolding(document: string, pattern: RegExp): Set<number> {
  const lines = new Set<number>();
  let line = 1;
  LINE_ENDING.lastIndex = 0;
  let ending = LINE_ENDING.exec(document);
  pattern.lastIndex = 0;
  for (let match = pattern.exec(document); match; match = pattern.exec(document)) {
    while (ending && ending.index < match.index) {
      line++;
      ending = LINE_ENDING.exec(document);
    }
    lines.add(line);
  }
  return lines;
}

/** What the table construct itself looks at to take a body row: its last event, past line endings and prefixes. */
function afterTableRow(context: TokenizeContext): boolean {
  const { events } = context;
  let index = events.length - 1;
  while (index > -1 && (events[index][1].type === 'lineEnding' || events[index][1].type === 'linePrefix')) {
    index--;
  }
  const type = index > -1 ? events[index][1].type : null;
  return type === 'tableHead' || type === 'tableRow';
}
