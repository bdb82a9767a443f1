/**
 * The one pipeline every chapter goes through, for every edition:
 * Markdown → mdast (front matter, GFM, directives, smart typography, Imprint's constructs)
 * → hast (raw HTML parsed, reported and sanitised) → theme components → heading ids.
 * It is pure: it reads nothing but the chapter text and the images it checks for existence. Input past the
 * parser's limits (src/pipeline/input-limits.ts) is reported and read as plain text, so no chapter hangs it.
 */
import type { Root as HastRoot } from 'hast';
import type { Root as MdastRoot } from 'mdast';
import rehypeSanitize from 'rehype-sanitize';
import remarkDirective from 'remark-directive';
import remarkFrontmatter from 'remark-frontmatter';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { VFile } from 'vfile';
import { type UiStrings, uiStrings } from '../book/ui-strings.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { ChapterContext } from './context.ts';
import { COMPONENT_NODE_TYPES } from './imprint-node.ts';
import { limitText } from './input-limits.ts';
import rehypeChapterSection from './plugins/rehype-chapter-section.ts';
import rehypeCodeLines from './plugins/rehype-code-lines.ts';
import rehypeComponentElements from './plugins/rehype-component-elements.ts';
import rehypeComponents from './plugins/rehype-components.ts';
import rehypeFootnoteIds from './plugins/rehype-footnote-ids.ts';
import rehypeHeadingIds from './plugins/rehype-heading-ids.ts';
import rehypeNumericCells from './plugins/rehype-numeric-cells.ts';
import rehypeRawAnchors from './plugins/rehype-raw-anchors.ts';
import rehypeRawHtml from './plugins/rehype-raw-html.ts';
import rehypeRawImages from './plugins/rehype-raw-images.ts';
import rehypeTableCaptions from './plugins/rehype-table-captions.ts';
import rehypeTableIdentifiers from './plugins/rehype-table-identifiers.ts';
import rehypeUnsafeHtml from './plugins/rehype-unsafe-html.ts';
import remarkAsides from './plugins/remark-asides.ts';
import remarkChapterLinks from './plugins/remark-chapter-links.ts';
import remarkChapterMeta from './plugins/remark-chapter-meta.ts';
import remarkChapterSyntax from './plugins/remark-chapter-syntax.ts';
import remarkCodeBlocks from './plugins/remark-code-blocks.ts';
import remarkFigures from './plugins/remark-figures.ts';
import remarkNestingLimit from './plugins/remark-nesting-limit.ts';
import remarkPullquotes from './plugins/remark-pullquotes.ts';
import remarkSmartTypography from './plugins/remark-smart-typography.ts';
import remarkSpeakers from './plugins/remark-speakers.ts';
import remarkTitleBlock from './plugins/remark-title-block.ts';
import remarkUnknownDirectives from './plugins/remark-unknown-directives.ts';
import { sanitizeSchema } from './sanitize-schema.ts';

export function createChapterProcessor(
  components: ReadonlyMap<string, string>,
  strings: UiStrings = uiStrings('en'),
  lang = 'en',
) {
  return unified()
    .use(remarkChapterSyntax)
    .use(remarkFrontmatter, ['yaml'])
    .use(remarkDirective)
    .use(remarkNestingLimit)
    .use(remarkSmartTypography, { lang })
    .use(remarkChapterMeta, { strings, lang })
    .use(remarkSpeakers)
    .use(remarkPullquotes)
    .use(remarkAsides)
    .use(remarkFigures)
    .use(remarkChapterLinks)
    .use(remarkUnknownDirectives)
    .use(remarkCodeBlocks, { listingLabel: strings.listing })
    .use(remarkTitleBlock, { lang })
    .use(remarkRehype, {
      allowDangerousHtml: true,
      passThrough: [...COMPONENT_NODE_TYPES],
      footnoteLabel: strings.notes,
      footnoteBackLabel: (referenceIndex, rereferenceIndex) =>
        `${strings.backToReference} ${referenceIndex + 1}${rereferenceIndex > 1 ? `-${rereferenceIndex}` : ''}`,
    })
    .use(rehypeRawHtml, { passThrough: [...COMPONENT_NODE_TYPES] })
    .use(rehypeComponentElements)
    .use(rehypeUnsafeHtml)
    .use(rehypeRawImages)
    .use(rehypeSanitize, sanitizeSchema)
    .use(rehypeFootnoteIds)
    .use(rehypeRawAnchors)
    .use(rehypeTableCaptions)
    .use(rehypeTableIdentifiers)
    .use(rehypeNumericCells)
    .use(rehypeCodeLines)
    .use(rehypeChapterSection)
    .use(rehypeComponents, { components })
    .use(rehypeHeadingIds);
}

export type ChapterProcessor = ReturnType<typeof createChapterProcessor>;

/** Runs the pipeline over one chapter's text; problems are in `file.data.diagnostics`, never thrown. */
export function processChapterText(
  processor: ChapterProcessor,
  text: string,
  path: string,
  context: ChapterContext,
): { tree: HastRoot; file: VFile } {
  // Past the parser's limits, markup is read as plain text (same length, so positions hold) and reported.
  const limited = limitText(text);
  const diagnostics: Diagnostic[] = limited.findings.map(({ code, line, column, message, hint }) => ({
    code,
    severity: 'error',
    message,
    hint,
    file: context.displayPath,
    line,
    column,
  }));
  const file = new VFile({ value: limited.text, path, data: { imprint: context, diagnostics } });
  const mdast = processor.parse(file) as MdastRoot;
  const tree = processor.runSync(mdast, file) as HastRoot;
  return { tree, file };
}
