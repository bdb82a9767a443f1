/**
 * The theme's font files as Satori sees them. Satori takes one file per family name, weight and style, so a
 * family split into unicode-range subsets (Latin, Cyrillic, CJK slices) would show only its first file:
 * each subset gets a name of its own ("Source Serif 4 ⁄cyrillic"), and every font-family list of the cover's
 * CSS names all of a family's subsets where it named the family. A character the named families lack is
 * set in the first other file that has it, so the files go in the order of the theme's stacks.
 */
import { stackFor } from '../../book/font-selection.ts';
import type { FontFile, FontStacks } from '../../book/types.ts';
import { inRanges, parseUnicodeRange } from '../../templates/unicode-range.ts';

export interface CoverFont {
  /** The subset's own family name, as the rewritten CSS names it. */
  name: string;
  weight: number;
  style: 'normal' | 'italic';
  source: string;
}

const subsetName = (font: FontFile) => (font.subset ? `${font.family} \u2044${font.subset}` : font.family);

/**
 * The font files in the order of the text, sans and mono stacks, each under its subset's name: only those
 * whose unicode-range holds a character of `text` (a Japanese book's theme has a hundred slices of its CJK
 * face, and Satori decodes every file it is given).
 */
export function coverFonts(
  fonts: readonly FontFile[],
  stacks: FontStacks,
  lang: string,
  text: string,
): CoverFont[] {
  const codePoints = [...new Set(Array.from(text, (char) => char.codePointAt(0) ?? 0))];
  const needed = fonts.filter((font) => {
    if (!font.unicodeRange) return true;
    const ranges = parseUnicodeRange(font.unicodeRange);
    return codePoints.some((codePoint) => inRanges(ranges, codePoint));
  });
  const order = [
    ...new Set([
      ...stackFor(stacks.text, fonts, lang),
      ...stackFor(stacks.sans, fonts, lang),
      ...stackFor(stacks.mono, fonts, lang),
      ...fonts.map((font) => font.family),
    ]),
  ];
  return needed
    .sort((a, b) => order.indexOf(a.family) - order.indexOf(b.family))
    .map((font) => ({ name: subsetName(font), weight: font.weight, style: font.style, source: font.source }));
}

/** The stacks as the custom properties the other editions' CSS has (`--font-text`, `--font-sans`, `--font-mono`). */
export function stackProperties(stacks: FontStacks, fonts: readonly FontFile[], lang: string): string {
  const list = (stack: string[], generic: string) =>
    [...stackFor(stack, fonts, lang).map(quote), generic].join(', ');
  return `html { --font-text: ${list(stacks.text, 'serif')}; --font-sans: ${list(stacks.sans, 'sans-serif')}; --font-mono: ${list(stacks.mono, 'monospace')}; }`;
}

/**
 * Rewrites every `font-family` (and `--font-*` custom property) of a stylesheet so that a theme family
 * stands for all of its subsets.
 */
export function expandFamilies(css: string, fonts: readonly FontFile[]): string {
  const subsets = new Map<string, string[]>();
  for (const font of fonts) {
    const names = subsets.get(font.family.toLowerCase()) ?? [];
    if (!names.includes(subsetName(font))) names.push(subsetName(font));
    subsets.set(font.family.toLowerCase(), names);
  }
  return css.replace(
    /((?:^|[;{\s])(?:font-family|--font-[\w-]+)\s*:\s*)([^;}]+)/gi,
    (_, property: string, value: string) =>
      property +
      value
        .split(',')
        .flatMap((entry) => {
          const family = entry.trim().replace(/^(['"])(.*)\1$/, '$2');
          return subsets.get(family.toLowerCase())?.map(quote) ?? [entry.trim()];
        })
        .join(', '),
  );
}

const quote = (family: string) => `'${family.replace(/'/g, "\\'")}'`;
