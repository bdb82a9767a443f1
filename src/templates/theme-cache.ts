/**
 * theme.yaml's settings and its resolved font files, kept in the cache folder between processes: parsing the
 * default theme.yaml and resolving its 1,591 font files took 20–25 ms of a rebuild in a fresh process. The font
 * list is an entry of its own, read only when a build chooses fonts again. The entry is keyed by Imprint's code, the theme.yaml file and its text, and holds
 * which package.json each font package resolved to and a digest of its text: a package installed nearer the
 * manuscript, removed or upgraded (npm gives every file the same fixed time, so only the text tells) makes
 * the fonts resolve again. A damaged or foreign entry is ignored and rewritten.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FontFile } from '../book/types.ts';
import type { ThemeInput } from '../config/schema.ts';
import { type ArtifactStore, readJsonArtifact, writeJsonArtifact } from '../platform/json-artifact.ts';

type ThemeSettings = ThemeInput;

export type ThemeStore = ArtifactStore;

/**
 * The fonts packed: the default theme's 1,591 files written out one object each made a 1.3 MB entry whose
 * reading cost as much as resolving them. A font is [its request in settings.fonts, weight, italic (1) or
 * not, subset, unicode-range (an index in `ranges`, -1 for none), folder (an index in `dirs`), file name];
 * the weights and styles of a face share their ranges, and family, lang and href follow from the rest.
 */
type PackedFont = [number, number, 0 | 1, string | null, number, number, string];

/**
 * What every build needs: the settings, the packages the fonts came from, and the families in theme order. The
 * font files themselves (the packed list, 400 KB for the default theme, three quarters of it unicode-ranges)
 * are a second entry (Fonts), read only when a build has to choose fonts again (font-selection-cache.ts): a
 * rebuild read and unpacked it in 15–24 ms here.
 */
interface Entry {
  settings: ThemeSettings;
  packages: { name: string; file: string | null; digest: string }[];
  families: string[];
}

interface Fonts {
  dirs: string[];
  ranges: string[];
  fonts: PackedFont[];
}

/** The stored theme: `fonts` reads the font list when first asked, undefined if that entry is gone or damaged. */
export interface CachedTheme {
  settings: ThemeSettings;
  families: string[];
  /** Changes whenever the font files may have (theme.yaml, Imprint's code, a font package's version or place). */
  fontsKey: string;
  fonts(): FontFile[] | undefined;
}

export function themeCacheKey(fingerprint: string, themeYamlPath: string, text: string): string {
  return createHash('sha256')
    .update(`imprint-theme-3\u0000${fingerprint}\u0000${themeYamlPath}\u0000${text}`)
    .digest('hex');
}

/** The package.json node would pick for `name` from `fromDir` (ignoring exports, which never move it). */
function packageJsonFor(name: string, fromDir: string): string | null {
  const lookup = createRequire(path.join(fromDir, 'noop.js')).resolve.paths(name) ?? [];
  for (const modules of lookup) {
    const file = path.join(modules, name, 'package.json');
    if (existsSync(file)) return file;
  }
  return null;
}

function packageStamp(name: string, fromDir: string): Entry['packages'][number] {
  const file = packageJsonFor(name, fromDir);
  let digest = '';
  try {
    if (file) digest = createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    digest = 'unreadable';
  }
  return { name, file, digest };
}

/** The key of the font list written with the entry under `key` and these packages. */
function fontsKeyFor(key: string, packages: Entry['packages']): string {
  return createHash('sha256')
    .update(`${key}\u0000fonts\u0000${JSON.stringify(packages)}`)
    .digest('hex');
}

/** The stored settings and families, when the entry is whole and every font package is still the one it was. */
export function readThemeCache(store: ThemeStore, key: string, fromDir: string): CachedTheme | undefined {
  try {
    const entry = readJsonArtifact(store, key) as Entry | undefined;
    if (!entry) return undefined;
    const { settings, families } = entry;
    if (!Array.isArray(entry.packages) || !Array.isArray(families) || !settings?.fonts) return undefined;
    for (const stamp of entry.packages) {
      const now = packageStamp(stamp.name, fromDir);
      if (now.file !== stamp.file || now.digest !== stamp.digest) return undefined;
    }
    const fontsKey = fontsKeyFor(key, entry.packages);
    return { settings, families, fontsKey, fonts: () => readFonts(store, fontsKey, settings) };
  } catch {
    return undefined;
  }
}

function readFonts(store: ThemeStore, fontsKey: string, settings: ThemeSettings): FontFile[] | undefined {
  try {
    const entry = readJsonArtifact(store, fontsKey) as Fonts | undefined;
    if (!entry || !Array.isArray(entry.fonts) || !Array.isArray(entry.dirs) || !Array.isArray(entry.ranges))
      return undefined;
    const { dirs, ranges } = entry;
    // Each folder's path as path.join begins a file in it: joining each of the 1,591 files took 10 ms of a rebuild.
    const inDir = dirs.map((dir) => path.join(dir, '_').slice(0, -1));
    // A folder the entry does not list is a damaged entry (path.join would have thrown).
    if (entry.fonts.some((font) => inDir[font[5]] === undefined)) return undefined;
    // The same properties in the same order as resolveFonts makes them.
    return entry.fonts.map(([request, weight, italic, subset, range, dir, file]): FontFile => {
      const { family, lang } = settings.fonts[request];
      return {
        family,
        weight,
        style: italic ? 'italic' : 'normal',
        subset: subset ?? undefined,
        unicodeRange: range < 0 ? undefined : ranges[range],
        lang,
        source: inDir[dir] + file,
        href: `fonts/${file}`,
      };
    });
  } catch {
    return undefined;
  }
}

/** Stores the theme's settings and fonts; returns the fonts' key (see CachedTheme), or undefined if not stored. */
export function writeThemeCache(
  store: ThemeStore,
  key: string,
  fromDir: string,
  settings: ThemeSettings,
  fonts: FontFile[],
): string | undefined {
  const names = [...new Set(settings.fonts.map((request) => request.package))];
  const dirs = new Map<string, number>();
  const ranges = new Map<string, number>();
  const indexIn = (table: Map<string, number>, value: string) => {
    let index = table.get(value);
    if (index === undefined) {
      index = table.size;
      table.set(value, index);
    }
    return index;
  };
  const requestKeys = settings.fonts.map((request) => JSON.stringify([request.family, request.lang]));
  const packed: PackedFont[] = [];
  for (const font of fonts) {
    const request = requestKeys.indexOf(JSON.stringify([font.family, font.lang]));
    const file = path.basename(font.source);
    // Only what unpacks to the very same font is kept; anything else resolves again next time.
    if (
      request < 0 ||
      font.href !== `fonts/${file}` ||
      path.join(path.dirname(font.source), file) !== font.source
    ) {
      return undefined;
    }
    packed.push([
      request,
      font.weight,
      font.style === 'italic' ? 1 : 0,
      font.subset ?? null,
      font.unicodeRange === undefined ? -1 : indexIn(ranges, font.unicodeRange),
      indexIn(dirs, path.dirname(font.source)),
      file,
    ]);
  }
  const entry: Entry = {
    settings,
    packages: names.map((name) => packageStamp(name, fromDir)),
    families: [...new Set(fonts.map((font) => font.family))],
  };
  const fontsKey = fontsKeyFor(key, entry.packages);
  // The list first: an entry never names a list that was not written.
  writeJsonArtifact(store, fontsKey, { dirs: [...dirs.keys()], ranges: [...ranges.keys()], fonts: packed });
  writeJsonArtifact(store, key, entry);
  return fontsKey;
}
