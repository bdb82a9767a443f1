/**
 * Finds and reads a theme folder: its document shell, components, stylesheets and fonts. Any file a theme
 * lacks comes from the default theme, so a custom theme holds only what it changes.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { resolveInside } from '../book/inside-folder.ts';
import type { Theme } from '../book/types.ts';
import { parseYamlConfig } from '../config/parse-yaml-config.ts';
import { type ThemeInput, ThemeSchema } from '../config/schema.ts';
import { type Diagnostic, ImprintError } from '../diagnostics/diagnostic.ts';
import { didYouMean } from '../diagnostics/did-you-mean.ts';
import { IMPRINT_ROOT } from '../imprint-package.ts';
import { readThemeCache, type ThemeStore, themeCacheKey, writeThemeCache } from './theme-cache.ts';
import { resolveFonts } from './theme-fonts.ts';

const BUILT_IN = path.join(IMPRINT_ROOT, 'templates');

/** Where themes are looked for, nearest first: next to the manuscript, beside it, then Imprint's own. */
export function themeSearchPath(manuscriptDir: string): string[] {
  const candidates = [
    path.join(manuscriptDir, 'templates'),
    path.join(path.dirname(manuscriptDir), 'templates'),
    BUILT_IN,
  ];
  return [...new Set(candidates)];
}

/**
 * A theme published as a package (`imprint-theme-x`, `@acme/imprint-theme`): the package's folder, found the
 * way node would resolve it from the manuscript's folder (its node_modules, then each parent's).
 */
export function themePackageDir(name: string, manuscriptDir: string): string | undefined {
  if (!/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i.test(name)) return undefined;
  const lookup = createRequire(path.join(manuscriptDir, 'book.yaml')).resolve.paths(name) ?? [];
  return lookup
    .map((modules) => path.join(modules, name))
    .find((candidate) => existsSync(path.join(candidate, 'package.json')));
}

export function loadTheme(
  name: string,
  manuscriptDir: string,
  where: Pick<Diagnostic, 'file' | 'line' | 'column'>,
  /** The cache folder's store (src/book/chapter-cache.ts) with its code fingerprint: theme.yaml parsed and its fonts resolved once. */
  cache?: { store: ThemeStore; fingerprint: string },
): Theme {
  const searched = themeSearchPath(manuscriptDir);
  const isPath =
    name.startsWith('.') || path.isAbsolute(name) || (name.includes('/') && !name.startsWith('@'));
  const dir = isPath
    ? path.resolve(manuscriptDir, name)
    : (searched.map((root) => path.join(root, name)).find((candidate) => existsSync(candidate)) ??
      themePackageDir(name, manuscriptDir));
  if (!dir || !existsSync(dir)) {
    const known = searched.flatMap((root) => (existsSync(root) ? readdirSync(root) : []));
    const suggestion = didYouMean(name, known);
    throw new ImprintError([
      {
        code: 'unknown-theme',
        severity: 'error',
        message: `There is no theme "${name}".`,
        hint: suggestion
          ? `Did you mean "${suggestion}"?`
          : `Themes are installed packages (npm install <name>) or folders in ${searched.map((root) => path.relative(process.cwd(), root) || '.').join(' or ')}; known: ${known.join(', ')}.`,
        ...where,
      },
    ]);
  }
  const fallback = path.join(BUILT_IN, 'default');
  const files: string[] = [];
  /** A theme file, read only when it lies inside its theme's folder once symlinks are followed. */
  const readInside = (file: string, root: string): string => {
    const resolved = resolveInside(file, root);
    if (!resolved.ok) {
      const shown = path.relative(process.cwd(), file);
      throw new ImprintError([
        {
          code: 'theme-file-outside',
          severity: 'error',
          message:
            resolved.reason === 'outside'
              ? `The theme file ${shown} leads outside the theme folder (through a symlink).`
              : `The theme file ${shown} is not a readable file.`,
          hint: 'Copy the file itself into the theme folder instead of linking to it.',
          file: shown,
        },
      ]);
    }
    files.push(file);
    return readFileSync(resolved.real, 'utf8');
  };
  const read = (relative: string): string => {
    const own = path.join(dir, relative);
    return existsSync(own) ? readInside(own, dir) : readInside(path.join(fallback, relative), fallback);
  };

  const components = new Map<string, string>();
  for (const componentDir of [fallback, dir]) {
    const folder = path.join(componentDir, 'components');
    if (!existsSync(folder)) continue;
    for (const entry of readdirSync(folder).filter((file) => file.endsWith('.html'))) {
      components.set(entry.slice(0, -'.html'.length), readInside(path.join(folder, entry), componentDir));
    }
  }

  const themeYamlPath = existsSync(path.join(dir, 'theme.yaml'))
    ? path.join(dir, 'theme.yaml')
    : path.join(fallback, 'theme.yaml');
  const themeYamlText = readInside(themeYamlPath, path.dirname(themeYamlPath));
  const fontsDir = path.dirname(themeYamlPath);
  const cacheKey = cache && themeCacheKey(cache.fingerprint, themeYamlPath, themeYamlText);
  const cached = cache && cacheKey ? readThemeCache(cache.store, cacheKey, fontsDir) : undefined;
  const base = read('base.css');
  const resolved = (settings: ThemeInput, locate?: (at: PropertyKey[]) => Partial<Diagnostic>) => {
    try {
      return resolveFonts(settings.fonts, fontsDir);
    } catch (error) {
      throw new ImprintError([
        {
          code: 'font-missing',
          severity: 'error',
          message: `A font of theme "${name}" cannot be found: ${(error as Error).message.split('\n')[0]}`,
          hint: 'Install the @fontsource package it names (npm install @fontsource/<family>) or fix theme.yaml.',
          ...locate?.(['fonts']),
        },
      ]);
    }
  };
  let settings: ThemeInput;
  let families: string[];
  let fontsKey: string | undefined;
  let allFonts: () => Theme['fonts'];
  if (cached) {
    settings = cached.settings;
    families = cached.families;
    fontsKey = cached.fontsKey;
    const stored = cached;
    let read: Theme['fonts'] | undefined;
    // The packages are the ones the list was made from; a list gone or damaged is resolved and written again.
    allFonts = () => {
      read ??= stored.fonts();
      if (!read) {
        read = resolved(stored.settings);
        if (cache && cacheKey) writeThemeCache(cache.store, cacheKey, fontsDir, stored.settings, read);
      }
      return read;
    };
  } else {
    const parsed = parseYamlConfig(
      { text: themeYamlText, file: path.relative(process.cwd(), themeYamlPath), startLine: 1 },
      ThemeSchema,
    );
    if (!parsed.value) throw new ImprintError(parsed.diagnostics);
    settings = parsed.value;
    const resolvedFonts = resolved(settings, parsed.locate);
    families = [...new Set(resolvedFonts.map((font) => font.family))];
    if (cache && cacheKey)
      fontsKey = writeThemeCache(cache.store, cacheKey, fontsDir, settings, resolvedFonts);
    allFonts = () => resolvedFonts;
  }
  const declared = settings.stacks;
  const named = new Set([...(declared.text ?? []), ...(declared.sans ?? []), ...(declared.mono ?? [])]);
  const stacks = {
    text: [...(declared.text ?? []), ...families.filter((family) => !named.has(family))],
    sans: declared.sans ?? declared.text ?? families,
    mono: declared.mono ?? [],
  };
  // Set by the theme's user (the API's Theme has plain properties); until then the list above answers.
  let fontsSet: Theme['fonts'] | undefined;
  let facesSet: Theme['fonts'] | undefined;
  const theme = {
    name,
    dir,
    components,
    shell: read('document.html'),
    css: {
      screen: `${base}\n${read('screen.css')}`,
      print: `${base}\n${read('print.css')}`,
      epub: `${base}\n${read('epub.css')}`,
    },
    // Read when first used: a rebuild whose fonts are chosen already (font-selection-cache.ts) never unpacks them.
    // Each can still be set, as the plain properties they were.
    get fonts() {
      return fontsSet ?? allFonts();
    },
    set fonts(value: Theme['fonts']) {
      fontsSet = value;
      // The font choice kept for the list loaded is not the choice for this one.
      fontsKeys.delete(theme);
    },
    get fontFaces() {
      return facesSet ?? allFonts();
    },
    set fontFaces(value: Theme['fonts']) {
      facesSet = value;
      fontsKeys.delete(theme);
    },
    stacks,
    strings: settings.strings ?? {},
    files,
  };
  if (fontsKey) fontsKeys.set(theme, fontsKey);
  return theme;
}

const fontsKeys = new WeakMap<Theme, string>();

/** A key that changes whenever the loaded theme's font files may have; undefined without the cache. */
export function themeFontsKey(theme: Theme): string | undefined {
  return fontsKeys.get(theme);
}
