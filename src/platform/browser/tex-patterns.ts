/**
 * Liang's TeX hyphenation patterns for one language, read back out of the npm `hyphen` package (which
 * ships the hyph-utf8 patterns in a compact trie of its own) into the plain form TeX and minikin use:
 * letters plus one level for each gap (before the first letter … after the last).
 */
import { createRequire } from 'node:module';

export interface TexPattern {
  /** The pattern's letters, `.` marking a word edge: ".ach" from ".ach4". */
  letters: string;
  /** `letters.length + 1` levels; levels[k] is the value before letters[k] (the last: after the end). */
  levels: number[];
}

export interface TexPatternSet {
  patterns: TexPattern[];
  /** Exception words (lower case) → the indexes of the letters a break goes before; [] = never break. */
  exceptions: Map<string, number[]>;
}

/** The package's encoding: [levels table, trie, exceptions as JSON]. A trie value is a levels-table index. */
type PackedTrie = { [letter: string]: number | PackedTrie | [PackedTrie, number] };

const require = createRequire(import.meta.url);

/** The pattern files the `hyphen` package ships (`hyphen/patterns/<name>.js`). */
export function hasTexPatterns(name: string): boolean {
  if (!/^[a-z0-9-]+$/.test(name)) return false;
  try {
    require.resolve(`hyphen/patterns/${name}.js`);
    return true;
  } catch {
    return false;
  }
}

/**
 * A module as its file defines it, not the copy in the require cache: the `hyphen` package adds every word it
 * hyphenates to its patterns module's exception list (its memo), so in a process that has set soft hyphens
 * the cached copy holds words the patterns never listed, with break positions read the wrong way here.
 */
function freshModule(id: string): unknown {
  const file = require.resolve(id);
  const kept = require.cache[file];
  delete require.cache[file];
  try {
    return require(file);
  } finally {
    if (kept) require.cache[file] = kept;
    else delete require.cache[file];
  }
}

/**
 * The patterns of `hyphen/patterns/<name>.js` (e.g. "en-us", "de-1996", "ru").
 * The package applies a pattern that starts at the word's leading `.` with its levels shifted by one
 * gap (it has no slot for the gap before the dot); that is undone here so every pattern reads as TeX.
 */
export function loadTexPatterns(name: string): TexPatternSet {
  if (!hasTexPatterns(name)) throw new Error(`The hyphen package has no patterns named "${name}".`);
  const raw = freshModule(`hyphen/patterns/${name}.js`) as unknown[];
  const decode = (part: unknown) => (typeof part === 'string' ? JSON.parse(part) : part);
  const table = decode(raw[0]) as number[][];
  const trie = decode(raw[1]) as PackedTrie;
  const rawExceptions = (raw[2] === undefined ? {} : decode(raw[2])) as Record<string, number[]>;

  const patterns: TexPattern[] = [];
  const add = (letters: string, index: number) => {
    const stored = table[index] ?? [];
    const levels = new Array<number>(letters.length + 1).fill(0);
    const shift = letters.startsWith('.') ? 1 : 0;
    for (let k = 0; k < stored.length && k + shift < levels.length; k++) levels[k + shift] = stored[k] ?? 0;
    if (levels.some((level) => level > 0)) patterns.push({ letters, levels });
  };
  const walk = (node: PackedTrie, prefix: string) => {
    for (const [letter, value] of Object.entries(node)) {
      const letters = prefix + letter;
      if (typeof value === 'number') add(letters, value);
      else if (Array.isArray(value)) {
        add(letters, value[1]);
        walk(value[0], letters);
      } else walk(value, letters);
    }
  };
  walk(trie, '');

  // The package records where each hyphen sits in the hyphenated spelling ("dec-li-na-tion" → 3, 6, 9)
  // and then inserts hyphens at those indexes of the plain word (its own output is "dec-lin-ati-on").
  // Here they become indexes into the plain word (3, 5, 7), as TeX means them.
  const exceptions = new Map<string, number[]>();
  for (const [word, markers] of Object.entries(rawExceptions)) {
    exceptions.set(
      word.toLowerCase(),
      markers.map((marker, index) => marker - index),
    );
  }
  return { patterns, exceptions };
}
