/**
 * A digest of a chapter's processed tree, for the keys of what is made from it: the print's page-list, an
 * edition's rendered documents. Editions clone a tree before changing it and the loader makes a new tree for a
 * changed chapter, so a tree's digest is worked out once per process, however many editions ask. The chapter
 * cache keeps each tree's digest with it, so a rebuild hashes only the trees it processed.
 */
import { createHash } from 'node:crypto';
import { treeFact } from './tree-fact.ts';

const digests = treeFact((tree) => createHash('sha256').update(JSON.stringify(tree)).digest('hex'));

export const treeDigest = digests.of;

/** Takes a tree's digest as the chapter cache kept it (treeDigest of the tree it stored, read back the same). */
export const rememberTreeDigest = digests.remember;

/** Whether a value read back from the cache looks like a digest treeDigest gives. */
export function isTreeDigest(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);
}
