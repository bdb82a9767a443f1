/**
 * Highlights the fenced code blocks remark-code-blocks recorded (src/pipeline/code-highlight.ts: refractor)
 * and sets every source line in its own `<span class="line">`, so long lines wrap with a hanging indent and
 * the print edition can mark where they continue; adds line numbers and marked lines when the fence asks.
 * It runs after the sanitiser, on Imprint's own markup only (raw HTML `<pre>` is left as written).
 */
import type { Element, ElementContent, Root } from 'hast';
import { toString as hastToString } from 'hast-util-to-string';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { highlightCode } from '../code-highlight.ts';

export default function rehypeCodeLines() {
  return (tree: Root, file: VFile) => {
    const blocks = file.data.codeBlocks;
    if (!blocks?.size) return;
    const source = String(file.value);
    const lineStarts = [0];
    for (let at = source.indexOf('\n'); at >= 0; at = source.indexOf('\n', at + 1)) lineStarts.push(at + 1);
    const pointAt = (line: number) => ({
      line,
      column: 1,
      offset: lineStarts[Math.min(line, lineStarts.length) - 1] ?? source.length,
    });
    visit(tree, 'element', (node: Element, _index, parent) => {
      if (node.tagName !== 'code' || parent?.type !== 'element' || parent.tagName !== 'pre') return;
      const line = node.position?.start.line ?? parent.position?.start.line;
      const block = line === undefined ? undefined : blocks.get(line);
      if (!block || line === undefined) return;
      const value = hastToString(node).replace(/\n$/, '');
      node.children = codeLines(value, block.language, block.attributes, line + 1, pointAt);
      return 'skip';
    });
  };
}

function codeLines(
  value: string,
  language: string | undefined,
  attributes: Map<string, string>,
  firstSourceLine: number,
  pointAt: (line: number) => { line: number; column: number; offset: number },
): ElementContent[] {
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
  return children;
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

function lineSet(spec: string): Set<number> {
  const lines = new Set<number>();
  for (const part of spec.split(/[,\s]+/).filter(Boolean)) {
    const [from, to] = part.split('-').map((n) => Number.parseInt(n, 10));
    if (Number.isNaN(from)) continue;
    for (let n = from; n <= (Number.isNaN(to ?? Number.NaN) ? from : to); n++) lines.add(n);
  }
  return lines;
}
