/**
 * The files an EPUB carries besides its documents: images and fonts, under names fixed by the manuscript so
 * two builds of one book hold the same files. Every one is a local file: epub-gen-memory downloads any
 * http(s) URL it is handed, so only `file:` URLs made here ever reach it.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Element, Root } from 'hast';
import { visit } from 'unist-util-visit';
import type { Chapter, FontFile } from '../../book/types.ts';
import { fontFaceCss } from '../../templates/theme-fonts.ts';

export interface EpubImage {
  /** Where the EPUB keeps it, relative to the documents: "images/photos-harbour.jpg". */
  name: string;
  /** The file on disk, as a `file:` URL. */
  url: string;
  mediaType: string;
}

/** A local file as the `file:` URL epub-gen-memory reads from disk; anything else is refused. */
export function localFileUrl(file: string): string {
  if (!path.isAbsolute(file))
    throw new Error(`EPUB resources must be local files with absolute paths, not "${file}".`);
  return pathToFileURL(file).href;
}

/**
 * The book's images by the `src` the chapter trees use ("images/photos/harbour.jpg"), each with a flat,
 * URL-safe name in the EPUB; names that would clash get a number.
 */
export function epubImages(chapters: readonly Chapter[]): Map<string, EpubImage> {
  const images = new Map<string, EpubImage>();
  const taken = new Set<string>();
  for (const image of chapters.flatMap((chapter) => chapter.images)) {
    if (images.has(image.href)) continue;
    const relative = image.href.replace(/^images\//, '');
    const extension = path.extname(relative);
    const stem =
      relative
        .slice(0, relative.length - extension.length)
        .replace(/[^A-Za-z0-9._-]+/g, '-')
        .replace(/^[-.]+|-+$/g, '') || 'image';
    const suffix = extension.toLowerCase();
    let name = `images/${stem}${suffix}`;
    for (let n = 2; taken.has(name); n++) name = `images/${stem}-${n}${suffix}`;
    taken.add(name);
    images.set(image.href, { name, url: localFileUrl(image.source), mediaType: image.mediaType });
  }
  return images;
}

/** Points every `<img>` at its file in the EPUB. An image the book did not check is a bug, never a download. */
export function useEpubImages(tree: Root, images: ReadonlyMap<string, EpubImage>): void {
  visit(tree, 'element', (node: Element) => {
    if (node.tagName !== 'img') return;
    const src = String(node.properties.src ?? '');
    const image = images.get(src);
    if (!image) throw new Error(`The image "${src}" is not one of the book's checked local images.`);
    node.properties.src = image.name;
  });
}

const fontName = (font: FontFile) => path.basename(font.source);

/** The theme's font files, each once. */
export function epubFonts(fonts: readonly FontFile[]): { filename: string; url: string }[] {
  const unique = new Map(fonts.map((font) => [fontName(font), localFileUrl(font.source)]));
  return [...unique].map(([filename, url]) => ({ filename, url }));
}

/**
 * The EPUB's one stylesheet: the theme's fonts (epub-gen-memory stores them in fonts/), then base.css and
 * epub.css.
 */
export function epubCss(fonts: readonly FontFile[], themeCss: string): string {
  return `${fontFaceCss([...fonts], (font) => `fonts/${fontName(font)}`)}\n${themeCss}`;
}
