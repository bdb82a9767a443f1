/**
 * Caps how deep the Markdown tree may nest (block quotes, lists, directives, emphasis), before any plugin
 * walks it: every tree utility after this one recurses, and a chapter nested thousands deep would exhaust
 * the stack ("Maximum call stack size exceeded"). input-limits.ts already stopped the worst cases before
 * parsing; this catches what the text alone does not show. What lies below the limit is dropped, with an error.
 */
import type { Root } from 'mdast';
import type { Node, Parent } from 'unist';
import type { VFile } from 'vfile';
import { MAX_NESTING } from '../input-limits.ts';
import { report } from '../report.ts';

/**
 * The nodes that make one level of nesting as a reader counts it: a list item's own node, a paragraph or a
 * table row adds none.
 */
const LEVELS = new Set([
  'list',
  'blockquote',
  'containerDirective',
  'footnoteDefinition',
  'emphasis',
  'strong',
  'delete',
  'link',
  'linkReference',
]);

/** Empties every node nested deeper than the limit; returns the first one, if any. */
export function capNesting(tree: Node): Node | undefined {
  // Walked with a stack of its own, not recursion, for the very reason this exists; nodes and their depths
  // side by side, so a chapter's walk allocates no pair per node.
  const nodes: Node[] = [tree];
  const depths: number[] = [0];
  let first: Node | undefined;
  while (nodes.length > 0) {
    const node = nodes.pop() as Node;
    const depth = depths.pop() as number;
    const children = (node as Parent).children;
    if (!children) continue;
    const level = depth + (LEVELS.has(node.type) ? 1 : 0);
    if (level > MAX_NESTING) {
      first ??= node;
      (node as Parent).children = [];
      continue;
    }
    for (const child of children) {
      nodes.push(child);
      depths.push(level);
    }
  }
  return first;
}

export default function remarkNestingLimit() {
  return (tree: Root, file: VFile) => {
    const tooDeep = capNesting(tree);
    if (!tooDeep) return;
    report(
      file,
      tooDeep,
      'error',
      'nesting-too-deep',
      `This is nested more than ${MAX_NESTING} levels deep (lists, quotes or emphasis inside each other); what lies deeper is left out.`,
      'Flatten the nesting; no reader can follow it this deep.',
    );
  };
}
