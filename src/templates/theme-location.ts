/**
 * Where in a theme's files a reference stands, for diagnostics found only when Chromium loads the print
 * document (a request it refused, a font face that did not load): the writer needs the theme file and line,
 * not just the URL.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Theme } from '../book/types.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';

/** The first theme file holding any of `needles` (tried in order), with line and column. */
export function locateInTheme(
  theme: Pick<Theme, 'files'>,
  needles: readonly string[],
): Pick<Diagnostic, 'file' | 'line' | 'column'> | undefined {
  const texts = theme.files
    .filter((file) => /\.(css|html)$/i.test(file))
    .map((file) => {
      try {
        return { file, text: readFileSync(file, 'utf8') };
      } catch {
        return { file, text: '' };
      }
    });
  for (const needle of needles.filter((candidate) => candidate.length > 2)) {
    for (const { file, text } of texts) {
      const index = text.indexOf(needle);
      if (index < 0) continue;
      const before = text.slice(0, index);
      const line = before.split('\n').length;
      return {
        file: path.relative(process.cwd(), file) || file,
        line,
        column: index - before.lastIndexOf('\n'),
      };
    }
  }
  return undefined;
}

/** What a theme file would have written for a URL Chromium requested: the URL itself, then its file name. */
export function urlNeedles(url: string): string[] {
  let name = url.split(/[?#]/)[0].split('/').pop() ?? '';
  try {
    name = decodeURIComponent(name);
  } catch {
    // Keep it as it is.
  }
  return [url, name];
}

/** The `@font-face` rule that declares a family, for a face Chromium could not load. */
export function fontFaceNeedles(family: string): string[] {
  const bare = family.replace(/^["']|["']$/g, '');
  return [
    `font-family: '${bare}'`,
    `font-family: "${bare}"`,
    `font-family:'${bare}'`,
    `font-family:"${bare}"`,
    bare,
  ];
}
