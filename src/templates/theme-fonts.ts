/**
 * Resolves a theme's fonts to woff2 files inside @fontsource packages, with the unicode ranges Fontsource
 * declares, so editions can embed exactly those files and never fall back to system fonts.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { FontFile } from '../book/types.ts';

export interface FontRequest {
  package: string;
  family: string;
  weights: number[];
  styles: ('normal' | 'italic')[];
  subsets: string[];
}

export function resolveFonts(requests: FontRequest[], fromDir: string): FontFile[] {
  const require = createRequire(path.join(fromDir, 'noop.js'));
  const fonts: FontFile[] = [];
  for (const request of requests) {
    for (const weight of request.weights) {
      for (const style of request.styles) {
        const cssPath = require.resolve(
          `${request.package}/${weight}${style === 'italic' ? '-italic' : ''}.css`,
        );
        for (const face of parseFontsourceCss(readFileSync(cssPath, 'utf8'))) {
          if (!request.subsets.includes(face.subset)) continue;
          const source = path.resolve(path.dirname(cssPath), face.url);
          fonts.push({
            family: request.family,
            weight,
            style,
            unicodeRange: face.unicodeRange,
            source,
            href: `fonts/${path.basename(source)}`,
          });
        }
      }
    }
  }
  return fonts;
}

/** Fontsource's CSS is generated and regular: one commented @font-face block per subset. */
function parseFontsourceCss(css: string): { subset: string; url: string; unicodeRange?: string }[] {
  const faces: { subset: string; url: string; unicodeRange?: string }[] = [];
  const block = /\/\*\s*([\w-]+)\s*\*\/\s*@font-face\s*\{([^}]*)\}/g;
  for (const match of css.matchAll(block)) {
    const body = match[2];
    const url = /url\(([^)]+\.woff2)\)/.exec(body)?.[1];
    if (!url) continue;
    faces.push({
      subset: subsetOf(match[1]),
      url,
      unicodeRange: /unicode-range:\s*([^;]+);/.exec(body)?.[1]?.trim(),
    });
  }
  return faces;
}

const SUBSETS = [
  'cyrillic-ext',
  'greek-ext',
  'latin-ext',
  'vietnamese',
  'cyrillic',
  'greek',
  'latin',
  'math',
  'symbols',
];

function subsetOf(name: string): string {
  const stem = name.replace(/-\d+-(normal|italic)$/, '');
  return SUBSETS.find((subset) => stem.endsWith(`-${subset}`)) ?? stem;
}

/** @font-face rules for these fonts, with URLs made by `urlFor` (relative, file:, …). */
export function fontFaceCss(fonts: FontFile[], urlFor: (font: FontFile) => string): string {
  return fonts
    .map(
      (font) =>
        `@font-face { font-family: '${font.family}'; font-style: ${font.style}; font-weight: ${font.weight}; ` +
        `font-display: block; src: url('${urlFor(font)}') format('woff2');` +
        (font.unicodeRange ? ` unicode-range: ${font.unicodeRange};` : '') +
        ' }',
    )
    .join('\n');
}
