/**
 * A chapter tree read from the cache only when something looks inside it. A rebuild takes an unchanged
 * chapter's characters, anchors, digest and documents from the cache, so its tree is mostly never opened:
 * parsing the forty trees' JSON and collecting them again was 15–25 ms of a rebuild. The root object exists
 * from the start (the characters, anchors and digest are remembered against it in WeakMaps); its other
 * properties, in their stored order, parse the JSON on first use and become plain data properties.
 */
import type { Root } from 'hast';

/** `json` gives the tree's JSON text when the tree is first opened. */
export function lazyRoot(keys: string[], json: () => string): Root {
  const root: Record<string, unknown> = {};
  let open = false;
  const materialise = () => {
    if (open) return;
    open = true;
    const parsed = JSON.parse(json()) as Record<string, unknown>;
    for (const key of keys) {
      Object.defineProperty(root, key, {
        value: parsed[key],
        writable: true,
        enumerable: true,
        configurable: true,
      });
    }
  };
  for (const key of keys) {
    if (key === 'type') {
      root.type = 'root';
      continue;
    }
    Object.defineProperty(root, key, {
      get() {
        materialise();
        return root[key];
      },
      set(value: unknown) {
        materialise();
        root[key] = value;
      },
      enumerable: true,
      configurable: true,
    });
  }
  return root as unknown as Root;
}
