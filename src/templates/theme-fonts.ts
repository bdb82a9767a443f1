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
  /** Fontsource subsets to offer ("latin", "cyrillic", "[12]" …); all of the package's when not given. */
  subsets?: string[];
  /** For a face whose CSS declares no unicode-range: the characters it is used for. */
  unicodeRange?: string;
  /** Languages this face is preferred for, ahead of other faces of its stack (Han characters differ by language). */
  lang?: string[];
}

const resolved = new Map<string, FontFile[]>();

/**
 * The font files theme.yaml offers; the same requests resolve once per process. Each call gets its own
 * objects, so a Book that changes one (a test, a plugin) changes no other Book.
 */
export function resolveFonts(requests: FontRequest[], fromDir: string): FontFile[] {
  const key = `${fromDir}\u0000${JSON.stringify(requests)}`;
  let fonts = resolved.get(key);
  if (!fonts) {
    fonts = resolveFontFiles(requests, fromDir);
    resolved.set(key, fonts);
  }
  return fonts.map((font) => ({ ...font }));
}

function resolveFontFiles(requests: FontRequest[], fromDir: string): FontFile[] {
  const require = createRequire(path.join(fromDir, 'noop.js'));
  const fonts: FontFile[] = [];
  for (const request of requests) {
    for (const weight of request.weights) {
      for (const style of request.styles) {
        const cssPath = require.resolve(
          `${request.package}/${weight}${style === 'italic' ? '-italic' : ''}.css`,
        );
        for (const face of fontsourceFaces(cssPath)) {
          if (request.subsets && !request.subsets.includes(face.subset)) continue;
          const source = path.resolve(path.dirname(cssPath), face.url);
          fonts.push({
            family: request.family,
            weight,
            style,
            subset: face.subset,
            unicodeRange: face.unicodeRange ?? request.unicodeRange,
            lang: request.lang,
            source,
            href: `fonts/${path.basename(source)}`,
          });
        }
      }
    }
  }
  return fonts;
}

const facesByCss = new Map<string, ReturnType<typeof parseFontsourceCss>>();

/** A package's CSS never changes while Imprint runs: each file is read once (the preview reloads themes often). */
function fontsourceFaces(cssPath: string) {
  let faces = facesByCss.get(cssPath);
  if (!faces) {
    faces = parseFontsourceCss(readFileSync(cssPath, 'utf8'));
    facesByCss.set(cssPath, faces);
  }
  return faces;
}

/** Fontsource's CSS is generated and regular: one commented @font-face block per subset. */
function parseFontsourceCss(css: string): { subset: string; url: string; unicodeRange?: string }[] {
  const faces: { subset: string; url: string; unicodeRange?: string }[] = [];
  const block = /\/\*\s*([\w[\]-]+)\s*\*\/\s*@font-face\s*\{([^}]*)\}/g;
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

/** "noto-serif-sc-[12]-400-normal" → "[12]"; "source-serif-4-latin-ext-400-italic" → "latin-ext". */
function subsetOf(name: string): string {
  const stem = name.replace(/-\d+-(normal|italic)$/, '');
  const numbered = /(\[\d+\])$/.exec(stem)?.[1];
  if (numbered) return numbered;
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
