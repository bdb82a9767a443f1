/**
 * A fact about a chapter's processed tree, worked out once per tree however many parts of a build ask, or taken
 * as the chapter cache kept it beside the tree (so a rebuild works it out only for the trees it processed).
 * Editions clone a tree before changing it and the loader makes a new tree for a changed chapter, so a fact
 * keyed by the tree object never goes stale.
 */
import type { Root } from 'hast';

export interface TreeFact<T> {
  /** The fact for `tree`, found on the first call. */
  of(tree: Root): T;
  /** Takes the fact for `tree` as the chapter cache kept it. */
  remember(tree: Root, value: T): void;
}

export function treeFact<T>(find: (tree: Root) => T): TreeFact<T> {
  const byTree = new WeakMap<Root, T>();
  return {
    of(tree) {
      let value = byTree.get(tree);
      if (value === undefined) {
        value = find(tree);
        byTree.set(tree, value);
      }
      return value;
    },
    remember(tree, value) {
      byTree.set(tree, value);
    },
  };
}
