/**
 * Image resolution at the placed size: pdfimages reports each image's effective pixels per inch as drawn
 * in the press interior; the image is told apart from the others by its pixel size (Chromium embeds
 * images at their own resolution), and found in the manuscript where its path is written.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { imageSize } from 'image-size';
import type { Book, ImageAsset } from '../../book/types.ts';
import type { PlacedImage } from './pdf-facts.ts';

export interface ImageResolution {
  asset: ImageAsset;
  /** The lowest effective resolution of the image wherever it is placed. */
  ppi: number;
  /** The chapter file (relative to the working directory) and where the image is named in it. */
  file: string;
  line?: number;
  column?: number;
}

export async function imageResolutions(book: Book, placed: PlacedImage[]): Promise<ImageResolution[]> {
  const found: ImageResolution[] = [];
  const seen = new Set<string>();
  for (const chapter of book.chapters) {
    const source = await readFile(chapter.path, 'utf8').catch(() => '');
    for (const asset of chapter.images) {
      if (seen.has(asset.source)) continue;
      seen.add(asset.source);
      const size = await pixelSize(asset.source);
      if (!size) continue;
      const matches = placed.filter((image) => image.width === size.width && image.height === size.height);
      if (!matches.length) continue;
      found.push({
        asset,
        ppi: Math.min(...matches.map((image) => image.ppi)),
        file: path.relative(process.cwd(), chapter.path),
        ...locate(source, asset.href),
      });
    }
  }
  return found;
}

async function pixelSize(file: string): Promise<{ width: number; height: number } | undefined> {
  try {
    const { width, height } = imageSize(await readFile(file));
    return width && height ? { width, height } : undefined;
  } catch {
    return undefined;
  }
}

/** The first line that names the image, by its path in the manuscript folder or else its file name. */
function locate(source: string, href: string): { line?: number; column?: number } {
  const lines = source.split('\n');
  for (const needle of [href, path.basename(href)]) {
    const index = lines.findIndex((line) => line.includes(needle));
    if (index >= 0) return { line: index + 1, column: lines[index].indexOf(needle) + 1 };
  }
  return {};
}
