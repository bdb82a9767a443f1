/**
 * The theme's font stacks as CSS custom properties (`--font-text`, `--font-sans`, `--font-mono`) that
 * base.css uses. Each ends in a generic family only so that a character no theme font has still shows;
 * the glyph check reports every such character.
 */

import { stackFor } from '../book/font-selection.ts';
import type { FontFile, FontStacks } from '../book/types.ts';

const GENERIC: Record<keyof FontStacks, string> = { text: 'serif', sans: 'sans-serif', mono: 'monospace' };
const PROPERTY: Record<keyof FontStacks, string> = {
  text: '--font-text',
  sans: '--font-sans',
  mono: '--font-mono',
};

export function fontStackCss(stacks: FontStacks, fonts: readonly FontFile[], lang: string): string {
  const declarations = (Object.keys(PROPERTY) as (keyof FontStacks)[])
    .filter((name) => stacks[name].length > 0)
    .map((name) => {
      const families = stackFor(stacks[name], fonts, lang).map(
        (family) => `'${family.replace(/'/g, "\\'")}'`,
      );
      return `  ${PROPERTY[name]}: ${[...families, GENERIC[name]].join(', ')};`;
    });
  return declarations.length ? `:root {\n${declarations.join('\n')}\n}` : '';
}
