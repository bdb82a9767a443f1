/**
 * Finds and reads a theme folder: its document shell, components, stylesheets and fonts. Any file a theme
 * lacks comes from the default theme, so a custom theme holds only what it changes.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Theme } from '../book/types.ts';
import { parseYamlConfig } from '../config/parse-yaml-config.ts';
import { ThemeSchema } from '../config/schema.ts';
import { type Diagnostic, ImprintError } from '../diagnostics/diagnostic.ts';
import { didYouMean } from '../diagnostics/did-you-mean.ts';
import { IMPRINT_ROOT } from '../imprint-package.ts';
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
  const read = (relative: string): string => {
    const own = path.join(dir, relative);
    const file = existsSync(own) ? own : path.join(fallback, relative);
    files.push(file);
    return readFileSync(file, 'utf8');
  };

  const components = new Map<string, string>();
  for (const componentDir of [fallback, dir]) {
    const folder = path.join(componentDir, 'components');
    if (!existsSync(folder)) continue;
    for (const entry of readdirSync(folder).filter((file) => file.endsWith('.html'))) {
      components.set(entry.slice(0, -'.html'.length), readFileSync(path.join(folder, entry), 'utf8'));
      files.push(path.join(folder, entry));
    }
  }

  const themeYamlPath = existsSync(path.join(dir, 'theme.yaml'))
    ? path.join(dir, 'theme.yaml')
    : path.join(fallback, 'theme.yaml');
  files.push(themeYamlPath);
  const parsed = parseYamlConfig(
    {
      text: readFileSync(themeYamlPath, 'utf8'),
      file: path.relative(process.cwd(), themeYamlPath),
      startLine: 1,
    },
    ThemeSchema,
  );
  if (!parsed.value) throw new ImprintError(parsed.diagnostics);

  const base = read('base.css');
  let fonts: Theme['fonts'];
  try {
    fonts = resolveFonts(parsed.value.fonts, path.dirname(themeYamlPath));
  } catch (error) {
    throw new ImprintError([
      {
        code: 'font-missing',
        severity: 'error',
        message: `A font of theme "${name}" cannot be found: ${(error as Error).message.split('\n')[0]}`,
        hint: 'Install the @fontsource package it names (npm install @fontsource/<family>) or fix theme.yaml.',
        ...parsed.locate(['fonts']),
      },
    ]);
  }
  return {
    name,
    dir,
    components,
    shell: read('document.html'),
    css: {
      screen: `${base}\n${read('screen.css')}`,
      print: `${base}\n${read('print.css')}`,
      epub: `${base}\n${read('epub.css')}`,
    },
    fonts,
    files,
  };
}
