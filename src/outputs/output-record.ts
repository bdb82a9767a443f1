/**
 * The record of what Imprint made in an output folder, so a build replaces only its own editions:
 * `<out>/.imprint-manifest.json` lists every file and folder it published there, and each folder edition
 * also holds a `.imprint-edition` marker. Anything in the way of an edition that neither lists is someone
 * else's (a manuscript folder whose name is the book's slug, a photo folder, a PDF the author saved) and the
 * build refuses to touch it.
 */
import { lstat, readFile, realpath, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { shownPath } from './output-errors.ts';

export const MANIFEST_FILE = '.imprint-manifest.json';
export const EDITION_MARKER = '.imprint-edition';

const MARKER_TEXT =
  'Made by Imprint (imprint build). The next build replaces this whole folder: keep your own files elsewhere.\n';

interface Manifest {
  generator: 'imprint';
  version: 1;
  /** Names in the output folder, one per edition file or folder. */
  entries: string[];
}

/** The names the manifest in `outDir` lists (none when there is no manifest or it is not ours). */
export async function readManifest(outDir: string): Promise<Set<string>> {
  try {
    const value = JSON.parse(await readFile(path.join(outDir, MANIFEST_FILE), 'utf8')) as Partial<Manifest>;
    if (value.generator === 'imprint' && Array.isArray(value.entries))
      return new Set(value.entries.filter((entry): entry is string => typeof entry === 'string'));
  } catch {
    // No manifest yet, or a damaged one: nothing is known to be ours.
  }
  return new Set();
}

export function manifestText(entries: Iterable<string>): string {
  const manifest: Manifest = { generator: 'imprint', version: 1, entries: [...new Set(entries)].sort() };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

export async function writeEditionMarker(folder: string): Promise<void> {
  await writeFile(path.join(folder, EDITION_MARKER), MARKER_TEXT);
}

async function hasMarker(folder: string): Promise<boolean> {
  const info = await lstat(path.join(folder, EDITION_MARKER)).catch(() => undefined);
  return info?.isFile() === true;
}

const inside = (parent: string, child: string) => {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
};

/** The real path of `file`, or of its nearest existing folder with the rest appended. */
export async function realPathOfNew(file: string): Promise<string> {
  const rest: string[] = [];
  let current = path.resolve(file);
  for (;;) {
    try {
      return path.join(await realpath(current), ...rest.reverse());
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return path.resolve(file);
      rest.push(path.basename(current));
      current = parent;
    }
  }
}

/**
 * Why `<outDir>/<name>` must not be replaced, or undefined when it may be: it does not exist, or it is a file
 * the manifest lists, or a folder with Imprint's marker. Never the manuscript folder or one that holds it.
 */
export async function replaceRefusal(
  outDir: string,
  name: string,
  manifest: ReadonlySet<string>,
  manuscriptDir: string,
): Promise<Diagnostic | undefined> {
  const target = path.join(outDir, name);
  const info = await lstat(target).catch(() => undefined);
  if (!info) return undefined;
  const real = await realpath(target).catch(() => target);
  const manuscript = await realpath(manuscriptDir).catch(() => path.resolve(manuscriptDir));
  const holdsManuscript = inside(real, manuscript);
  const ours =
    !holdsManuscript && (info.isDirectory() ? await hasMarker(target) : info.isFile() && manifest.has(name));
  if (ours) return undefined;
  const what = info.isDirectory() ? 'folder' : info.isSymbolicLink() ? 'symbolic link' : 'file';
  return {
    code: 'out-not-imprint',
    severity: 'error',
    file: shownPath(target),
    message: holdsManuscript
      ? `The edition would replace this ${what}, which holds the manuscript.`
      : `The edition would replace this ${what}, which Imprint did not make (it is not in ${MANIFEST_FILE}${info.isDirectory() ? ` and has no ${EDITION_MARKER}` : ''}).`,
    hint: 'Build into another folder with --out, or move the file or folder away if you no longer need it.',
  };
}

/** `--out` may hold the manuscript (`build manuscript --out .`), but never be it or lie inside it. */
export async function outPlacementRefusal(
  outDir: string,
  manuscriptDir: string,
): Promise<Diagnostic | undefined> {
  const out = await realPathOfNew(outDir);
  const manuscript = await realpath(manuscriptDir).catch(() => path.resolve(manuscriptDir));
  if (!inside(manuscript, out)) return undefined;
  return {
    code: 'out-inside-manuscript',
    severity: 'error',
    file: shownPath(path.resolve(outDir)),
    message:
      out === manuscript
        ? 'The output folder is the manuscript folder itself.'
        : `The output folder lies inside the manuscript folder ${shownPath(manuscriptDir)}.`,
    hint: 'Build next to the manuscript instead, e.g. --out dist, or --out . from the folder that holds it.',
  };
}
