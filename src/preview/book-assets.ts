/**
 * The files a preview page may load from disk: the fonts and images of the editions it shows (the HTML
 * edition's `files`, the EPUB's images), under the paths the editions give them ("fonts/…", "images/…").
 * Nothing else on disk is reachable.
 */
import { lstat, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

export interface AssetFile {
  /** Absolute path as the book names it. */
  source: string;
  mediaType: string;
  kind: 'font' | 'image';
}

function isInside(file: string, root: string): boolean {
  const relative = path.relative(root, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * The file to send for an asset, or the status that refuses it. An image inside the manuscript folder must
 * stay inside it once symlinks are resolved (403 otherwise); an image the author named outside it (`../art/x.jpg`)
 * must not itself be a symlink. Fonts come from the theme's font packages and must be plain `.woff2` files.
 */
export async function resolveAssetFile(
  asset: AssetFile,
  manuscriptDir: string,
): Promise<{ ok: true; file: string; size: number; mtimeMs: number } | { ok: false; status: 403 | 404 }> {
  try {
    let file = asset.source;
    if (asset.kind === 'font') {
      if (path.extname(file).toLowerCase() !== '.woff2') return { ok: false, status: 403 };
    } else if (isInside(path.resolve(file), path.resolve(manuscriptDir))) {
      file = await realpath(file);
      if (!isInside(file, await realpath(manuscriptDir))) return { ok: false, status: 403 };
    } else if ((await lstat(file)).isSymbolicLink()) {
      return { ok: false, status: 403 };
    }
    const stats = await stat(file);
    if (!stats.isFile()) return { ok: false, status: 404 };
    return { ok: true, file, size: stats.size, mtimeMs: stats.mtimeMs };
  } catch {
    return { ok: false, status: 404 };
  }
}
