/**
 * A theme with some properties replaced, its other properties copied as they are: a loaded theme reads its font
 * list only when first asked (src/templates/load-theme.ts), and a copy made by spreading would read it.
 */
import type { Theme } from './types.ts';

export function themeWith(theme: Theme, changes: Partial<Theme>): Theme {
  return Object.defineProperties(
    {},
    { ...Object.getOwnPropertyDescriptors(theme), ...Object.getOwnPropertyDescriptors(changes) },
  ) as Theme;
}
