/**
 * The on-disk cache of processed chapters: each chapter's tree, title, headings and images, stored under a
 * hash of everything that can change them (the chapter's bytes and file name, the book's chapter list,
 * book.yaml, the theme's components and language, and Imprint's version and code). A build or a preview
 * of a book whose chapter did not change reads the result instead of running the pipeline again.
 *
 * Safe by construction: an entry is used only when its key matches and every image it refers to still has
 * the size and time it had; an unreadable or corrupt entry is ignored and rewritten; entries are written to
 * a temporary file and renamed, so two builds at once never see half an entry. Chapters with diagnostics are
 * not stored (their messages name files as seen from the working directory, and they change with the disk).
 * Deleting the folder at any time is harmless; entries unused for 30 days are deleted (checked once a day).
 */
import { createHash, type Hash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Root } from 'hast';
import { IMPRINT_ROOT, IMPRINT_VERSION } from '../imprint-package.ts';
import { type ChapterCharacters, isChapterCharacters } from './book-characters.ts';
import { lazyRoot } from './lazy-tree.ts';
import { isTreeAnchors, type TreeAnchors } from './tree-anchors.ts';
import { isTreeDigest } from './tree-digest.ts';
import type { ChapterMeta, Heading, ImageAsset } from './types.ts';

/** What the pipeline made of one chapter, as the cache keeps it. */
export interface CachedChapterResult {
  meta: ChapterMeta;
  headings: Heading[];
  tree: Root;
  images: ImageAsset[];
  /** The tree's characters (book-characters.ts), so a rebuild does not walk unchanged chapters for them. */
  characters?: ChapterCharacters;
  /** treeDigest of the tree, so a rebuild does not serialise unchanged chapters to key their documents. */
  treeDigest?: string;
  /** The tree's ids and `#` links (tree-anchors.ts), for the same reason. */
  anchors?: TreeAnchors;
}

export interface ChapterCache {
  /** Absolute path of the cache folder. */
  dir: string;
  /** The stored result for `key`, or undefined (missing, corrupt, or an image changed since). */
  get(key: string): CachedChapterResult | undefined;
  set(key: string, result: CachedChapterResult): void;
  /** Bytes an edition made from inputs it hashed into `key` itself (the EPUB's rendered cover). */
  getArtifact(key: string): Uint8Array | undefined;
  setArtifact(key: string, bytes: Uint8Array): void;
  /** Hits and misses since the cache was opened, for the build's report and the tests. */
  stats: { hits: number; misses: number; writes: number };
}

/**
 * 3: the tree on a line of its own after the rest, so a rebuild parses it only when an edition opens it
 * (src/book/lazy-tree.ts).
 */
const FORMAT = 3;

/**
 * The cache for a manuscript: `dir` when given, else IMPRINT_CACHE_DIR, else `node_modules/.cache/imprint` in
 * the nearest folder above the manuscript that has a node_modules folder, else `imprint` in the user's cache
 * folder (XDG_CACHE_HOME or ~/.cache). IMPRINT_CACHE=0 turns it off (returns undefined).
 */
export function openChapterCache(
  manuscriptDir: string,
  dir?: string,
  env: NodeJS.ProcessEnv = process.env,
): ChapterCache | undefined {
  const folder = chapterCacheDir(manuscriptDir, env, dir);
  return folder === undefined ? undefined : createChapterCache(folder);
}

/** The folder openChapterCache opens, or undefined when the cache is off. */
export function chapterCacheDir(
  manuscriptDir: string,
  env: NodeJS.ProcessEnv = process.env,
  dir?: string,
): string | undefined {
  if (!dir && ['0', 'false', 'off', 'no'].includes(String(env.IMPRINT_CACHE ?? '').toLowerCase()))
    return undefined;
  return path.resolve(dir ?? env.IMPRINT_CACHE_DIR ?? defaultCacheDir(path.resolve(manuscriptDir), env));
}

function defaultCacheDir(manuscriptDir: string, env: NodeJS.ProcessEnv): string {
  for (let dir = manuscriptDir; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'node_modules')))
      return path.join(dir, 'node_modules', '.cache', 'imprint');
    if (path.dirname(dir) === dir) break;
  }
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'imprint');
}

/** Entries not used for this long are deleted, at most once a day: the cache does not grow without end. */
const UNUSED_FOR_MS = 30 * 24 * 60 * 60 * 1000;
const PRUNE_EVERY_MS = 24 * 60 * 60 * 1000;
/**
 * An entry used is marked as used (its time set to now) only when its mark is older than this: against 30 days
 * the day is nothing, and a rebuild of the bench book no longer sets the time of 40 entries and 80 pages (some
 * 9 ms of a 0.5 s rebuild here).
 */
const TOUCH_EVERY_MS = 24 * 60 * 60 * 1000;

export function createChapterCache(dir: string, now = Date.now()): ChapterCache {
  const stats = { hits: 0, misses: 0, writes: 0 };
  pruneOnceADay(dir, now);
  // The marks are judged against the time of each read: a cache the preview keeps for days stays current.
  const offset = now - Date.now();
  const touchBefore = () => Date.now() + offset - TOUCH_EVERY_MS;
  const fileFor = (key: string) => path.join(dir, 'chapters', key.slice(0, 2), `${key}.json`);
  const artifactFor = (key: string) =>
    path.join(dir, 'artifacts', `${createHash('sha256').update(key).digest('hex')}`);
  const writeAtomic = (file: string, data: string | Uint8Array): boolean => {
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      writeFileSync(temporary, data);
      renameSync(temporary, file);
      return true;
    } catch {
      // A cache that cannot be written (read-only disk, full disk) only costs speed.
      return false;
    }
  };
  return {
    dir,
    stats,
    get(key) {
      const file = fileFor(key);
      const stored = readStamped(file);
      const entry = stored && readEntry(stored.data, key);
      if (entry) {
        stats.hits++;
        if (stored.mtimeMs < touchBefore()) touch(file);
      } else {
        stats.misses++;
      }
      return entry;
    },
    set(key, result) {
      const file = fileFor(key);
      const { tree, ...rest } = result;
      const entry = {
        format: FORMAT,
        key,
        images: result.images.map(imageStamp),
        treeKeys: Object.keys(tree),
        result: rest,
      };
      // JSON never holds a raw line break, so the first one ends the header.
      const text = `${JSON.stringify(entry)}\n${JSON.stringify(tree)}`;
      if (writeAtomic(file, `${sha256(text)}\n${text}`)) stats.writes++;
    },
    getArtifact(key) {
      try {
        // The key is stored in front of the bytes, so a hash collision or a truncated file is never used.
        const stored = readStamped(artifactFor(key));
        if (!stored) return undefined;
        const head = Buffer.from(`${key}\u0000`);
        if (!stored.data.subarray(0, head.length).equals(head)) return undefined;
        if (stored.mtimeMs < touchBefore()) touch(artifactFor(key));
        return stored.data.subarray(head.length);
      } catch {
        return undefined;
      }
    },
    setArtifact(key, bytes) {
      writeAtomic(artifactFor(key), Buffer.concat([Buffer.from(`${key}\u0000`), bytes]));
    },
  };
}

/**
 * A file's bytes and modification time, from one open (the time comes from the same fstat a whole-file read
 * makes anyway); undefined when it cannot be read.
 */
function readStamped(file: string): { data: Buffer; mtimeMs: number } | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const { size, mtimeMs } = fstatSync(fd);
    const data = Buffer.allocUnsafe(size);
    let read = 0;
    while (read < size) {
      const got = readSync(fd, data, read, size - read, read);
      if (got === 0) break;
      read += got;
    }
    return { data: read === size ? data : data.subarray(0, read), mtimeMs };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Marks an entry as used now (its modification time is what pruning looks at). */
function touch(file: string): void {
  try {
    const now = new Date();
    utimesSync(file, now, now);
  } catch {
    // Read-only: the entry may be pruned a little early, which costs one re-processing.
  }
}

function pruneOnceADay(dir: string, now: number): void {
  const marker = path.join(dir, 'pruned');
  try {
    if (now - statSync(marker).mtimeMs < PRUNE_EVERY_MS) return;
  } catch {
    // No marker yet: prune (there is little to look at in a new cache).
  }
  try {
    mkdirSync(dir, { recursive: true });
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || entry.name === 'pruned') continue;
      const file = path.join(entry.parentPath, entry.name);
      if (now - statSync(file).mtimeMs > UNUSED_FOR_MS) rmSync(file, { force: true });
    }
    writeFileSync(marker, '');
    utimesSync(marker, new Date(now), new Date(now));
  } catch {
    // A cache folder that cannot be listed or written is no cache at all; the build goes on without.
  }
}

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');
const NEWLINE = 0x0a;

/**
 * The entry in `stored` (an entry file's bytes) when it is whole: it starts with a digest of the rest, as the
 * characters, anchors and tree digest kept with a tree are used without looking at the tree again (a changed
 * digit would go unseen).
 */
function readEntry(stored: Buffer, key: string): CachedChapterResult | undefined {
  try {
    // Checked and cut as bytes: the tree's line (most of the entry) is decoded only if the tree is opened.
    const body = stored.subarray(65);
    if (stored[64] !== NEWLINE || sha256(body) !== stored.toString('latin1', 0, 64)) return undefined;
    const headerEnd = body.indexOf(NEWLINE);
    if (headerEnd < 0) return undefined;
    const entry = JSON.parse(body.toString('utf8', 0, headerEnd)) as {
      format: number;
      key: string;
      images: string[];
      treeKeys: string[];
      result: Omit<CachedChapterResult, 'tree'>;
    };
    if (entry.format !== FORMAT || entry.key !== key) return undefined;
    const treeKeys = entry.treeKeys;
    if (
      !Array.isArray(treeKeys) ||
      !treeKeys.includes('type') ||
      treeKeys.some((k) => typeof k !== 'string')
    ) {
      return undefined;
    }
    const { meta, headings, images, ...facts } = entry.result;
    // In the order the pipeline's result has: a Chapter is the same object either way.
    const result: CachedChapterResult = {
      meta,
      headings,
      tree: lazyRoot(treeKeys, () => body.toString('utf8', headerEnd + 1)),
      images,
      ...facts,
    };
    if (!Array.isArray(result.images) || !Array.isArray(result.headings)) return undefined;
    if (result.characters !== undefined && !isChapterCharacters(result.characters)) return undefined;
    if (result.treeDigest !== undefined && !isTreeDigest(result.treeDigest)) return undefined;
    if (result.anchors !== undefined && !isTreeAnchors(result.anchors)) return undefined;
    const stamps = result.images.map(imageStamp);
    if (stamps.length !== entry.images.length || stamps.some((stamp, i) => stamp !== entry.images[i])) {
      return undefined;
    }
    return result;
  } catch {
    return undefined;
  }
}

/** An image as the cache remembers it: path, size and modification time (missing: just the path). */
function imageStamp(image: ImageAsset): string {
  try {
    const { size, mtimeMs } = statSync(image.source);
    return `${image.source}\u0000${size}\u0000${mtimeMs}`;
  } catch {
    return `${image.source}\u0000missing`;
  }
}

/** The key of one chapter's entry: a hash over everything the pipeline's result depends on. */
export function chapterCacheKey(parts: {
  text: string;
  file: string;
  chapterList: string;
  bookYaml: string;
  theme: string;
}): string {
  // What every chapter of a book shares is hashed once, and each chapter's key goes on from a copy of that
  // state: the theme's part holds every component's source, hashed forty times over in a rebuild before.
  const shared = [codeFingerprint(), parts.chapterList, parts.bookYaml, parts.theme];
  if (!sharedHash || sharedHash.parts.some((part, index) => part !== shared[index])) {
    const hash = createHash('sha256');
    for (const part of shared) hash.update(part).update('\u0000');
    sharedHash = { parts: shared, hash };
  }
  return sharedHash.hash
    .copy()
    .update(parts.file)
    .update('\u0000')
    .update(parts.text)
    .update('\u0000')
    .digest('hex');
}

let sharedHash: { parts: string[]; hash: Hash } | undefined;

let fingerprint: string | undefined;

/**
 * Imprint's version plus the size and time of each of its own source files, so a changed plugin (in a
 * checkout being edited, or an upgrade) never reads results made by the old code.
 */
export function codeFingerprint(): string {
  if (fingerprint) return fingerprint;
  const codeDir = path.resolve(import.meta.dirname, '..');
  const hash = createHash('sha256').update(IMPRINT_VERSION);
  // The installed dependencies: npm rewrites this file on every install that changes one.
  for (const lock of [
    path.join(IMPRINT_ROOT, 'node_modules', '.package-lock.json'),
    path.join(IMPRINT_ROOT, '..', '.package-lock.json'),
  ]) {
    if (existsSync(lock)) hash.update(`${lock}\u0000${statSync(lock).mtimeMs}\u0000`);
  }
  // Compiled code: scripts/compile.mjs rebuilds the whole of lib/ and stamps it last (a new time in the
  // stamp each time), and an upgrade brings its own, so the stamp stands for every file (statting lib/'s
  // 220 files cost each start 4–7 ms). In src/ (tsx, a checkout being edited), every file counts.
  const stamp = path.join(codeDir, '.compiled');
  if (existsSync(stamp)) {
    fingerprint = hash
      .update(`compiled\u0000${readFileSync(stamp, 'utf8')}\u0000${statSync(stamp).mtimeMs}`)
      .digest('hex');
    return fingerprint;
  }
  for (const entry of readdirSync(codeDir, { recursive: true, withFileTypes: true })) {
    // Type declarations change nothing a build makes.
    if (!entry.isFile() || entry.name.endsWith('.d.ts')) continue;
    const file = path.join(entry.parentPath, entry.name);
    const { size, mtimeMs } = statSync(file);
    hash.update(`${path.relative(codeDir, file)}\u0000${size}\u0000${mtimeMs}\u0000`);
  }
  fingerprint = hash.digest('hex');
  return fingerprint;
}
