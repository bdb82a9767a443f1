/**
 * Chooses the font files a book needs and finds the characters no theme font has. For every distinct
 * character it walks the theme's stack as Chromium does: family by family, each file whose unicode-range
 * holds the character is loaded (so it is kept), until one has the glyph. A Latin book keeps only the
 * Latin files; a character no family has is a `glyph-missing` warning at its first occurrence.
 */
import { createRequire } from 'node:module';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { type CoverageStore, codePointsOf } from '../templates/font-coverage.ts';
import { type CodePointRanges, inRanges, parseUnicodeRange } from '../templates/unicode-range.ts';
import type { FontFile, FontStacks } from './types.ts';

export type StackName = keyof FontStacks;

export interface CharacterUse {
  /** Where the character first occurs. */
  file: string;
  line?: number;
  column?: number;
}

/** The characters of a book by the stacks they are set in: body text (also the sans stack) and code. */
export interface BookCharacters {
  text: Map<number, CharacterUse>;
  mono: Map<number, CharacterUse>;
}

interface Subset {
  key: string;
  subset?: string;
  /** The file's unicode-range; read into `ranges` only when a character gets this far down the stack. */
  unicodeRange?: string;
  ranges?: CodePointRanges;
  /** Regular upright file, whose cmap stands for the subset. */
  sample: FontFile;
  /** Google's numbered slices ([0]…[119]) list exactly the code points the file has. */
  exact: boolean;
}

/** Each family's subsets, in the theme's order. */
function subsetsByFamily(fonts: readonly FontFile[]): Map<string, Subset[]> {
  const families = new Map<string, Map<string, Subset>>();
  for (const font of fonts) {
    const subsets = families.get(font.family) ?? new Map<string, Subset>();
    families.set(font.family, subsets);
    const key = `${font.family}\u0000${font.subset ?? ''}`;
    const known = subsets.get(key);
    const closer =
      !known ||
      (font.style === 'normal' && known.sample.style === 'italic') ||
      (font.style === known.sample.style &&
        Math.abs(font.weight - 400) < Math.abs(known.sample.weight - 400));
    if (closer) {
      subsets.set(key, {
        key,
        subset: font.subset,
        unicodeRange: font.unicodeRange || undefined,
        sample: font,
        exact: /^\[\d+\]$/.test(font.subset ?? ''),
      });
    }
  }
  return new Map([...families].map(([family, subsets]) => [family, [...subsets.values()]]));
}

/**
 * The stack for the book's language: families marked with languages (CJK faces) keep their places in the
 * stack, but the one made for this language comes first among them.
 */
export function stackFor(families: readonly string[], fonts: readonly FontFile[], lang: string): string[] {
  const langsOf = new Map(fonts.map((font) => [font.family, font.lang]));
  const wanted = lang.toLowerCase();
  const score = (family: string) =>
    Math.max(
      0,
      ...(langsOf.get(family) ?? [])
        .map((tag) => tag.toLowerCase())
        .filter((tag) => wanted === tag || wanted.startsWith(`${tag}-`))
        .map((tag) => tag.length),
    );
  const tagged = families.filter((family) => langsOf.get(family)?.length);
  const ordered = [...tagged].sort((a, b) => score(b) - score(a));
  let next = 0;
  return families.map((family) => (langsOf.get(family)?.length ? ordered[next++] : family));
}

/**
 * Google Fonts' "latin" subset of a family always holds its Latin Core glyph set: ASCII, Latin-1 and the
 * typographic quotes and dashes. An English book then needs no font file read to be checked.
 */
function isLatinCore(codePoint: number): boolean {
  return (
    (codePoint >= 0x20 && codePoint <= 0x7e) ||
    (codePoint >= 0xa0 && codePoint <= 0xff) ||
    (codePoint >= 0x2013 && codePoint <= 0x2014) ||
    (codePoint >= 0x2018 && codePoint <= 0x201e) ||
    codePoint === 0x2026
  );
}

/** Characters that take no glyph of their own: controls, format characters, line and paragraph breaks. */
const NO_GLYPH = /^[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u0020]$/u;

export function selectFonts(
  fonts: readonly FontFile[],
  stacks: FontStacks,
  lang: string,
  characters: BookCharacters,
  /** Keeps each font file's character map between builds (the chapter cache). */
  store?: CoverageStore,
): { fonts: FontFile[]; diagnostics: Diagnostic[] } {
  const families = subsetsByFamily(fonts);
  const used = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  const resolve = (stack: string[], codePoint: number): boolean => {
    for (const family of stack) {
      for (const subset of families.get(family) ?? []) {
        if (subset.unicodeRange !== undefined) {
          // The theme's CJK families alone have hundreds of slices of hundreds of ranges each: parsing every
          // file's range up front took 10–20 ms of a build that, for most books, never looks past the first family.
          subset.ranges ??= parseUnicodeRange(subset.unicodeRange);
          if (!inRanges(subset.ranges, codePoint)) continue;
        }
        used.add(subset.key);
        if (subset.exact || (isLatinCore(codePoint) && subset.subset === 'latin')) return true;
        if (codePointsOf(subset.sample.source, store).has(codePoint)) return true;
      }
    }
    return false;
  };
  const check = (names: StackName[], map: Map<number, CharacterUse>) => {
    const ordered = names.map((name) => stackFor(stacks[name], fonts, lang));
    for (const [codePoint, where] of map) {
      const char = String.fromCodePoint(codePoint);
      if (NO_GLYPH.test(char)) continue;
      const found = ordered.map((stack) => resolve(stack, codePoint));
      if (!found[0]) diagnostics.push(glyphMissing(char, where));
    }
  };
  check(['text', 'sans'], characters.text);
  check(['mono'], characters.mono);
  return {
    fonts: fonts.filter((font) => used.has(`${font.family}\u0000${font.subset ?? ''}`)),
    diagnostics,
  };
}

const require = createRequire(import.meta.url);

/** "U+0416 CYRILLIC CAPITAL LETTER ZHE"; the name table (unicode-name) is loaded only when a glyph is missing. */
export function describeCharacter(char: string): string {
  const { unicodeName } = require('unicode-name') as { unicodeName(char: string): string | undefined };
  const hex = (char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
  const name = unicodeName(char);
  return name ? `U+${hex} ${name}` : `U+${hex}`;
}

function glyphMissing(char: string, where: CharacterUse): Diagnostic {
  return {
    code: 'glyph-missing',
    severity: 'warning',
    message: `No font of the theme has the character "${char}" (${describeCharacter(char)}); it would print as an empty box or in a system font.`,
    hint: 'Add a @fontsource package that covers it to the theme (theme.yaml: fonts and stacks), or replace the character.',
    ...where,
  };
}
