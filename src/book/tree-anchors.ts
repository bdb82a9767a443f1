/**
 * A chapter tree's ids and `#` links, found once per tree: the broken-link check, the editions' map of ids to
 * files and the documents' cache keys all need them. The chapter cache keeps them with the tree, so a rebuild
 * walks only the chapters it processed (the walks over all forty trees were a thirtieth of a rebuild).
 */
import type { Element, Root } from 'hast';
import { treeFact } from './tree-fact.ts';

export interface TreeAnchors {
  /** Every element's `id` that is a string, in document order. */
  ids: string[];
  /** Any other `id` value (not null), as text: hast keeps what a plugin set. */
  otherIds: string[];
  /** Each `<a>` whose href starts with `#`: the href and where the element starts, if known. */
  links: { href: string; line?: number; column?: number }[];
}

function findAnchors(tree: Root): TreeAnchors {
  const found: TreeAnchors = { ids: [], otherIds: [], links: [] };
  const walk = (node: Root | Element) => {
    for (const child of node.children) {
      if (child.type !== 'element') continue;
      const { id, href } = child.properties;
      if (typeof id === 'string') found.ids.push(id);
      else if (id !== undefined && id !== null) found.otherIds.push(String(id));
      if (child.tagName === 'a' && typeof href === 'string' && href.startsWith('#')) {
        const start = child.position?.start;
        found.links.push(start ? { href, line: start.line, column: start.column } : { href });
      }
      walk(child);
    }
  };
  walk(tree);
  return found;
}

const anchors = treeFact(findAnchors);

export const treeAnchors = anchors.of;

/** Takes a tree's anchors as the chapter cache kept them with it. */
export const rememberTreeAnchors = anchors.remember;

/** Whether a value read back from the cache has the shape of TreeAnchors. */
export function isTreeAnchors(value: unknown): value is TreeAnchors {
  const candidate = value as Partial<TreeAnchors> | null;
  const strings = (list: unknown) => Array.isArray(list) && list.every((item) => typeof item === 'string');
  const position = (n: unknown) => n === undefined || Number.isInteger(n);
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    strings(candidate.ids) &&
    strings(candidate.otherIds) &&
    Array.isArray(candidate.links) &&
    candidate.links.every(
      (link) =>
        typeof link === 'object' &&
        link !== null &&
        typeof link.href === 'string' &&
        position(link.line) &&
        position(link.column),
    )
  );
}
