/**
 * The manuscript as written, for rules that need what the pipeline consumes (front matter, undefined footnote
 * labels, directives as typed) and positions in the chapter file.
 */
import type { Root as HastRoot } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import type { Html, Root as MdastRoot } from 'mdast';
import remarkDirective from 'remark-directive';
import remarkFrontmatter from 'remark-frontmatter';
import { unified } from 'unified';
import type { Node } from 'unist';
import { limitText } from '../pipeline/input-limits.ts';
import remarkChapterSyntax from '../pipeline/plugins/remark-chapter-syntax.ts';
import { capNesting } from '../pipeline/plugins/remark-nesting-limit.ts';

const parser = unified().use(remarkChapterSyntax).use(remarkFrontmatter, ['yaml']).use(remarkDirective);

/**
 * The chapter's Markdown syntax tree, before any Imprint plugin, within the same limits the build reads it
 * (what lies past them is plain text here too; the build reports it).
 */
export function parseManuscript(text: string): MdastRoot {
  const tree = parser.parse(limitText(text).text) as MdastRoot;
  capNesting(tree);
  return tree;
}

export interface Location {
  line: number;
  column: number;
}

/** Line and column (1-based) of an offset in a text. */
export function locationAt(text: string, offset: number): Location {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Where `snippet` stands in the source, searching the node's own span first, then the whole file; the node's
 * start when it is not there verbatim (text changed by smart typography or entities).
 */
export function locateSnippet(text: string, node: Node | undefined, snippet: string): Partial<Location> {
  const start = node?.position?.start.offset;
  const end = node?.position?.end.offset;
  if (start !== undefined && end !== undefined) {
    const inside = text.slice(start, end).indexOf(snippet);
    if (inside !== -1) return locationAt(text, start + inside);
  }
  const anywhere = snippet ? text.indexOf(snippet) : -1;
  if (anywhere !== -1) return locationAt(text, anywhere);
  return { line: node?.position?.start.line, column: node?.position?.start.column };
}

/**
 * A raw HTML node of the Markdown parsed as HTML, with positions moved into the chapter file, so rules can
 * look at the elements a writer typed.
 */
export function parseRawHtml(node: Html): HastRoot {
  const tree = fromHtml(node.value, { fragment: true });
  const origin = node.position?.start;
  if (!origin) return tree;
  const shift = (point: { line: number; column: number; offset?: number }) => {
    if (point.line === 1) point.column += origin.column - 1;
    point.line += origin.line - 1;
    if (point.offset !== undefined && origin.offset !== undefined) point.offset += origin.offset;
  };
  const visit = (current: { position?: { start: Location; end: Location }; children?: unknown[] }) => {
    if (current.position) {
      shift(current.position.start);
      shift(current.position.end);
    }
    for (const child of current.children ?? []) visit(child as typeof current);
  };
  visit(tree as never);
  return tree;
}
