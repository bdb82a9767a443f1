/**
 * A theme with some properties replaced, its other properties copied as they are: a loaded theme reads its font
 * list only when first asked (src/templates/load-theme.ts), and a copy made by spreading would read it. A property
 * read lazily stays lazy in the copy, and setting it sets the copy's own value, never the original's.
 */
import type { Theme } from './types.ts';

export function themeWith(theme: Theme, changes: Partial<Theme>): Theme {
  const descriptors = Object.getOwnPropertyDescriptors(theme);
  for (const [name, descriptor] of Object.entries(descriptors)) {
    const read = descriptor.get;
    if (!read) continue;
    let own: { value: unknown } | undefined;
    descriptors[name] = {
      enumerable: descriptor.enumerable,
      configurable: true,
      get: () => (own ? own.value : read.call(theme)),
      set: (value: unknown) => {
        own = { value };
      },
    };
  }
  return Object.defineProperties(
    {},
    { ...descriptors, ...Object.getOwnPropertyDescriptors(changes) },
  ) as Theme;
}
