/**
 * The fonts a book needs and its font-stack CSS, kept in the cache folder: a rebuild after an edit that brings
 * no new character reads the few files chosen last time instead of unpacking the theme's whole font list and
 * choosing again (together 25–30 ms of a 0.5 s rebuild of the bench book here).
 *
 * The key is everything the choice depends on: the theme's font files (themeFontsKey: theme.yaml, Imprint's
 * code, each font package's version and place), the stacks, the book's language and the set of characters in
 * body text and in code. Only a choice that found every character is kept: a `glyph-missing` warning names
 * where a character first occurs, which the key leaves out, so such a book chooses afresh each time.
 */
import { createHash } from 'node:crypto';
import { readJsonArtifact, writeJsonArtifact } from '../platform/json-artifact.ts';
import type { CoverageStore } from '../templates/font-coverage.ts';
import { fontStackCss } from '../templates/font-stacks.ts';
import { type BookCharacters, selectFonts } from './font-selection.ts';
import type { FontFile, FontStacks } from './types.ts';

export interface FontChoice {
  fonts: FontFile[];
  stackCss: string;
  diagnostics: ReturnType<typeof selectFonts>['diagnostics'];
}

interface StoredChoice {
  fonts: FontFile[];
  stackCss: string;
}

export function chooseFonts(options: {
  /** Every face of the theme, read only when the choice is made afresh. */
  allFonts: () => readonly FontFile[];
  stacks: FontStacks;
  lang: string;
  characters: BookCharacters;
  /** The cache folder's store (font coverage and the choices), with the theme's fonts key; both or neither. */
  store?: CoverageStore;
  fontsKey?: string;
}): FontChoice {
  const { allFonts, stacks, lang, characters, store, fontsKey } = options;
  const key =
    store && fontsKey
      ? `font-choice\u0000${createHash('sha256')
          .update(
            JSON.stringify([
              fontsKey,
              stacks,
              lang,
              [...characters.text.keys()].sort((a, b) => a - b),
              [...characters.mono.keys()].sort((a, b) => a - b),
            ]),
          )
          .digest('hex')}`
      : undefined;
  if (store && key) {
    const stored = readJsonArtifact(store, key) as StoredChoice | undefined;
    if (stored && Array.isArray(stored.fonts) && typeof stored.stackCss === 'string') {
      return { fonts: stored.fonts.map(asFontFile), stackCss: stored.stackCss, diagnostics: [] };
    }
  }
  const fonts = allFonts();
  const selected = selectFonts(fonts, stacks, lang, characters, store);
  const stackCss = fontStackCss(stacks, fonts, lang);
  if (store && key && selected.diagnostics.length === 0) {
    writeJsonArtifact(store, key, { fonts: selected.fonts, stackCss } satisfies StoredChoice);
  }
  return { fonts: selected.fonts, stackCss, diagnostics: selected.diagnostics };
}

/** A font as resolveFonts makes it, the same properties in the same order (JSON left out those undefined). */
function asFontFile(font: FontFile): FontFile {
  const { family, weight, style, subset, unicodeRange, lang, source, href } = font;
  return { family, weight, style, subset, unicodeRange, lang, source, href };
}
