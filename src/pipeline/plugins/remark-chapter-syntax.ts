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
 */
import type { Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfmAutolinkLiteral } from 'micromark-extension-gfm-autolink-literal';
import { gfmFootnote } from 'micromark-extension-gfm-footnote';
import { gfmStrikethrough } from 'micromark-extension-gfm-strikethrough';
import { gfmTable } from 'micromark-extension-gfm-table';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';
import type { Processor } from 'unified';

/** GFM's constructs in micromark-extension-gfm's order, each with what a text needs to hold one. */
const GFM = [
  { syntax: gfmAutolinkLiteral(), needs: /@|www\.|https?:\/\//i },
  { syntax: gfmFootnote() },
  { syntax: gfmStrikethrough() },
  { syntax: gfmTable(), needs: /\||:-|-:/ },
  { syntax: gfmTaskListItem() },
];
const GFM_TREE = gfmFromMarkdown();
/** GFM's tree extensions without their one transform, the search for autolinks in the texts. */
const GFM_TREE_UNSEARCHED = GFM_TREE.map(({ transforms: _, ...handlers }) => handlers);
const AUTOLINK_TEXT = /[@&]|www|http/i;

export default function remarkChapterSyntax(this: Processor) {
  this.parser = (document: string): Root =>
    fromMarkdown(document, {
      extensions: [
        ...GFM.filter(({ needs }) => !needs || needs.test(document)).map(({ syntax }) => syntax),
        ...(this.data('micromarkExtensions') ?? []),
      ],
      mdastExtensions: [
        ...(AUTOLINK_TEXT.test(document) ? GFM_TREE : GFM_TREE_UNSEARCHED),
        ...(this.data('fromMarkdownExtensions') ?? []),
      ],
    });
}
