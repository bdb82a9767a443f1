/**
 * Which characters a font file really has glyphs for, read from its cmap with fontkit. A unicode-range only
 * says what a file is *meant* for (Fontsource's "latin" range spans all of U+2000–206F); the cmap is the
 * truth. fontkit is loaded on first use and each file is read once per process.
 */
import { createRequire } from 'node:module';

interface FontkitFont {
  characterSet: number[];
  postscriptName: string;
}
interface Fontkit {
  openSync(file: string): FontkitFont | { fonts: FontkitFont[] };
}

const require = createRequire(import.meta.url);
let fontkit: Fontkit | undefined;
const coverage = new Map<string, ReadonlySet<number>>();

export function codePointsOf(file: string): ReadonlySet<number> {
  let found = coverage.get(file);
  if (!found) {
    fontkit ??= require('fontkit') as Fontkit;
    const opened = fontkit.openSync(file);
    const font = 'fonts' in opened ? opened.fonts[0] : opened;
    found = new Set(font.characterSet);
    coverage.set(file, found);
  }
  return found;
}

/** The sfnt tables of a font file, to tell TrueType outlines (glyf) from CFF ones. */
export function hasCffOutlines(file: string): boolean {
  fontkit ??= require('fontkit') as Fontkit;
  const opened = fontkit.openSync(file) as unknown as { directory: { tables: Record<string, unknown> } };
  return 'CFF ' in opened.directory.tables || 'CFF2' in opened.directory.tables;
}

/** The PostScript name a PDF gives the font ("SourceSerif4-Regular", after a subset tag such as "AAAAAA+"). */
export function postscriptNameOf(file: string): string {
  fontkit ??= require('fontkit') as Fontkit;
  const opened = fontkit.openSync(file);
  return ('fonts' in opened ? opened.fonts[0] : opened).postscriptName;
}
