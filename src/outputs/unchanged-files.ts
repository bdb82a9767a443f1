/**
 * Files an edition makes again just as its published copy has them, taken from that copy instead of written:
 * a hard link from the output folder into the staging folder. A rebuild of the bench book's web book after one
 * chapter changed wrote 44 pages it had written before, each read back from the cache, checked and written
 * (some 20 ms of a 0.5 s rebuild here); a link costs a twentieth of a file written.
 *
 * Safe by what it checks: the record (kept in the cache folder, per published folder) holds, for each file,
 * the key of its content (the document cache's key, or a font's or image's source file: its path, inode, size,
 * modification and change times) and the inode, size and
 * modification time the file had once written. A file is linked only when its content key is the same and the
 * published file is still that very file: a change to it (an editor saving it, a copy put in its place) shows in
 * its inode, size or time, and it is written anew. (An edit in place that keeps the size and sets the time back,
 * `touch -r`, would not show; Imprint's output folder is not meant to be edited.) Nothing is ever written through a link (every file the edition
 * does not link is a new file), so the published edition stays byte for byte as it was until the new set
 * replaces it. A file system without hard links, a record missing or damaged: everything is written.
 */
import { type BigIntStats, closeSync, fstatSync, linkSync, lstatSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { ChapterCache } from '../book/chapter-cache.ts';
import { readJsonArtifact, writeJsonArtifact } from '../platform/json-artifact.ts';

type Store = Pick<ChapterCache, 'getArtifact' | 'setArtifact'>;

/**
 * [content key, inode, size, modification time in ns]: the inode and the time as decimal strings of node's
 * bigint stats, so neither loses digits as a number (a file system's 64-bit inodes, nanosecond times).
 */
type FileStamp = [string, string, string, string];

interface Record {
  format: 2;
  files: { [file: string]: FileStamp };
}

const stampOf = (key: string, stats: BigIntStats): FileStamp => [
  key,
  String(stats.ino),
  String(stats.size),
  String(stats.mtimeNs),
];

export interface UnchangedFiles {
  /**
   * Links `file` (a path inside the edition) into `dir` when its published copy has content `key` and is
   * unchanged since it was written; true when it did.
   */
  link(file: string, key: string, dir: string): boolean;
  /** Writes `content` to `file` inside `dir` (a new file), remembering it under `key` when there is one. */
  write(file: string, content: string | Uint8Array, dir: string, key?: string): void;
  /** Remembers `file`, made some other way in `dir`, under `key`. */
  made(file: string, key: string, dir: string): void;
  /** Stores the record for the next build. */
  save(): void;
}

/** The record of what an edition wrote into `publishedDir` (its folder in the output folder), kept in `store`. */
export function unchangedFiles(store: Store | undefined, publishedDir: string | undefined): UnchangedFiles {
  const recordKey = publishedDir && `published-files\u0000${path.resolve(publishedDir)}`;
  const last = store && recordKey ? readRecord(store, recordKey) : undefined;
  const next: Record = { format: 2, files: {} };
  const remember = (file: string, key: string, stats: BigIntStats) => {
    next.files[file] = stampOf(key, stats);
  };
  return {
    link(file, key, dir) {
      const stamp = last?.files[file];
      // A time in whole seconds may come from a file system that keeps no finer one (HFS+, some network
      // mounts), where an edit in the same second as the write would go unseen: such a file is written.
      if (!publishedDir || !stamp || stamp[0] !== key || stamp[3].endsWith('000000000')) return false;
      const published = path.join(publishedDir, file);
      try {
        const stats = lstatSync(published, { bigint: true });
        const now = stampOf(key, stats);
        if (!stats.isFile() || now.some((value, index) => value !== stamp[index])) return false;
        linkSync(published, path.join(dir, file));
      } catch {
        return false;
      }
      next.files[file] = stamp;
      return true;
    },
    write(file, content, dir, key) {
      // `wx`: always a new file, never through a link to the published one.
      const fd = openSync(path.join(dir, file), 'wx');
      try {
        const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
        let written = 0;
        while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
        if (key) remember(file, key, fstatSync(fd, { bigint: true }));
      } finally {
        closeSync(fd);
      }
    },
    made(file, key, dir) {
      try {
        remember(file, key, lstatSync(path.join(dir, file), { bigint: true }));
      } catch {
        // Not remembered: written again next time.
      }
    },
    save() {
      if (store && recordKey) writeJsonArtifact(store, recordKey, next);
    },
  };
}

function readRecord(store: Store, key: string): Record | undefined {
  const record = readJsonArtifact(store, key) as Record | undefined;
  if (record?.format !== 2 || typeof record.files !== 'object' || record.files === null) return undefined;
  for (const stamp of Object.values(record.files)) {
    if (!Array.isArray(stamp) || stamp.length !== 4 || !stamp.every((value) => typeof value === 'string'))
      return undefined;
  }
  return record;
}
