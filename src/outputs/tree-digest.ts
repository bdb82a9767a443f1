/**
 * A digest of a chapter's processed tree, for the keys of what is made from it: the print's page-list, an
 * edition's rendered documents. Editions clone a tree before changing it and the loader makes a new tree for a
 * changed chapter, so a tree's digest is worked out once per process, however many editions ask.
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
