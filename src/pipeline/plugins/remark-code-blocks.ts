/**
 * Fenced code blocks as programming books need them: highlighted at build time (src/pipeline/code-highlight.ts),
 * one `<span class="line">` per source line (so long lines wrap with a hanging indent, and the print edition
 * can mark where they continue), and opt-in fence attributes:
 *
 *     ```js {title="Reading the config" numbers start=10 highlight="2,4-5"}
 *
 * - `title` (or `caption`) makes the block a numbered listing, "Listing 3-1. Reading the config", as a
 *   `<figure class="listing">` with an id (`<chapter>--listing-3-1`) that links can point to;
 * - `numbers` (or `linenos`) prints line numbers, from `start` (1 by default);
 * - `highlight` (or `hl`) marks lines, by number within the block.
 */
import type { Element, ElementContent } from 'hast';
import type { Code, Parent, Root } from 'mdast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { highlightCode } from '../code-highlight.ts';

/** What the print edition sets where it breaks a code line too long for the page (↩). */
export const CONTINUATION_MARK = '\u21a9';

export interface CodeBlockOptions {
  /** Word before a listing's number ("Listing", "Listing", "Листинг" …). */
  listingLabel?: string;
}

export default function remarkCodeBlocks(options: CodeBlockOptions = {}) {
  const label = options.listingLabel ?? 'Listing';
  return (tree: Root, file: VFile) => {
    const context = file.data.imprint;
    const chapterNumber = context ? [...context.chapterIds.values()].indexOf(context.chapterId) + 1 : 1;
    let listings = 0;
    const source = String(file.value);
    const lineStarts = [0];
    for (let at = source.indexOf('\n'); at >= 0; at = source.indexOf('\n', at + 1)) lineStarts.push(at + 1);
    const pointAt = (line: number) => ({
      line,
      column: 1,
      offset: lineStarts[Math.min(line, lineStarts.length) - 1] ?? source.length,
    });
    visit(tree, 'code', (node: Code, index, parent: Parent | undefined) => {
      const attributes = parseFenceMeta(node.meta ?? '');
      const language = node.lang ?? undefined;
      const firstLine = (node.position?.start.line ?? 0) + 1;
      const code = codeElement(node.value, language, attributes, firstLine, pointAt);
      const title = attributes.get('title') ?? attributes.get('caption');
      if (!title || !parent || index === undefined) {
        node.data = { ...node.data, hProperties: code.properties, hChildren: code.children };
        return;
      }
      listings++;
      const number = `${chapterNumber}-${listings}`;
      const figure: Element = {
        type: 'element',
        tagName: 'figure',
        properties: {
          className: ['listing'],
          id: context ? `${context.chapterId}--listing-${number}` : `listing-${number}`,
        },
        children: [
          {
            type: 'element',
            tagName: 'figcaption',
            properties: {},
            children: [
              {
                type: 'element',
                tagName: 'span',
                properties: { className: ['listing-number'] },
                children: [{ type: 'text', value: `${label} ${number}.` }],
              },
              { type: 'text', value: ` ${title}` },
            ],
          },
          { type: 'element', tagName: 'pre', properties: {}, children: [code], position: node.position },
        ],
        position: node.position,
      };
      parent.children[index] = {
        type: 'imprintListing',
        data: { hName: 'figure', hProperties: figure.properties, hChildren: figure.children },
        position: node.position,
      } as never;
    });
  };
}

function codeElement(
  value: string,
  language: string | undefined,
  attributes: Map<string, string>,
  firstSourceLine: number,
  pointAt: (line: number) => { line: number; column: number; offset: number },
): Element {
  const highlighted = language ? highlightCode(value, language) : undefined;
  const lines = splitLines(highlighted ?? [{ type: 'text', value }]);
  const numbered = attributes.has('numbers') || attributes.has('linenos');
  const start = Number.parseInt(attributes.get('start') ?? '1', 10) || 1;
  const marked = lineSet(attributes.get('highlight') ?? attributes.get('hl') ?? '');
  const width = String(start + lines.length - 1).length;
  const children: ElementContent[] = [];
  lines.forEach((content, index) => {
    const number = index + 1;
    const line: Element = {
      type: 'element',
      tagName: 'span',
      properties: {
        className: [
          'line',
          ...(numbered ? ['line-numbered'] : []),
          ...(marked.has(number) ? ['line-marked'] : []),
        ],
      },
      children: [
        ...(numbered
          ? [
              {
                type: 'element' as const,
                tagName: 'span',
                properties: { className: ['line-number'], ariaHidden: 'true' },
                children: [{ type: 'text' as const, value: String(start + index).padStart(width, ' ') }],
              },
            ]
          : []),
        ...content,
        // The line break stays in the text (an EPUB read without CSS keeps its lines), inside the line's
        // span so that a line set as a block (for its hanging indent) adds no empty line.
        ...(index < lines.length - 1 ? [{ type: 'text' as const, value: '\n' }] : []),
      ],
      // Each line points at its manuscript line, so the print edition can report one that overflows.
      position: { start: pointAt(firstSourceLine + index), end: pointAt(firstSourceLine + index) },
    };
    children.push(line);
  });
  const className = language ? [`language-${language}`] : [];
  return { type: 'element', tagName: 'code', properties: { className }, children };
}

/** Splits highlighted hast at newlines into one list of nodes per line, closing and reopening token spans. */
function splitLines(nodes: ElementContent[]): ElementContent[][] {
  const lines: ElementContent[][] = [[]];
  const walk = (node: ElementContent, wrap: (child: ElementContent) => ElementContent) => {
    if (node.type === 'text') {
      node.value.split('\n').forEach((part, index) => {
        if (index > 0) lines.push([]);
        if (part) lines[lines.length - 1].push(wrap({ type: 'text', value: part }));
      });
      return;
    }
    if (node.type !== 'element') return;
    const shell = (child: ElementContent): ElementContent => wrap({ ...node, children: [child] } as Element);
    for (const child of node.children) walk(child, shell);
  };
  for (const node of nodes) walk(node, (child) => child);
  return lines.map(mergeSiblings);
}

/** Adjacent spans of one token that splitting left apart become one span again. */
function mergeSiblings(nodes: ElementContent[]): ElementContent[] {
  const merged: ElementContent[] = [];
  for (const node of nodes) {
    const last = merged[merged.length - 1];
    if (
      last?.type === 'element' &&
      node.type === 'element' &&
      last.tagName === node.tagName &&
      JSON.stringify(last.properties) === JSON.stringify(node.properties)
    ) {
      last.children = mergeSiblings([...last.children, ...node.children]) as Element['children'];
    } else if (last?.type === 'text' && node.type === 'text') {
      last.value += node.value;
    } else {
      merged.push(node);
    }
  }
  return merged;
}

/** `title="A title" numbers start=3 hl=1,3-4`, with or without braces around it. */
export function parseFenceMeta(meta: string): Map<string, string> {
  const attributes = new Map<string, string>();
  const body = meta.trim().replace(/^\{([\s\S]*)\}$/, '$1');
  for (const match of body.matchAll(/([\w-]+)(?:=(?:"([^"]*)"|'([^']*)'|([^\s"'}]+)))?/g)) {
    attributes.set(match[1].toLowerCase(), match[2] ?? match[3] ?? match[4] ?? '');
  }
  return attributes;
}

function lineSet(spec: string): Set<number> {
  const lines = new Set<number>();
  for (const part of spec.split(/[,\s]+/).filter(Boolean)) {
    const [from, to] = part.split('-').map((n) => Number.parseInt(n, 10));
    if (Number.isNaN(from)) continue;
    for (let n = from; n <= (Number.isNaN(to ?? Number.NaN) ? from : to); n++) lines.add(n);
  }
  return lines;
}
