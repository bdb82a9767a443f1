/**
 * A digest of a chapter's processed tree, for the keys of what is made from it: the print's page-list, an
 * edition's rendered documents. Editions clone a tree before changing it and the loader makes a new tree for a
 * changed chapter, so a tree's digest is worked out once per process, however many editions ask. The chapter
 * cache keeps each tree's digest with it, so a rebuild hashes only the trees it processed.
 */
import { createHash } from 'node:crypto';
import type { Root } from 'hast';

const digests = new WeakMap<Root, string>();

export function treeDigest(tree: Root): string {
  let digest = digests.get(tree);
  if (digest === undefined) {
    digest = createHash('sha256').update(JSON.stringify(tree)).digest('hex');
    digests.set(tree, digest);
  }
  return digest;
}

/** Takes a tree's digest as the chapter cache kept it (treeDigest of the tree it stored, read back the same). */
export function rememberTreeDigest(tree: Root, digest: string): void {
  digests.set(tree, digest);
}

/** Whether a value read back from the cache looks like a digest treeDigest gives. */
export function isTreeDigest(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);
}
