/**
 * Files an edition makes again just as its published copy has them, taken from that copy instead of written:
 * a hard link from the output folder into the staging folder. A rebuild of the bench book's web book after one
 * chapter changed wrote 44 pages it had written before, each read back from the cache, checked and written
 * (some 20 ms of a 0.5 s rebuild here); a link costs a twentieth of a file written.
 *
 * Safe by what it checks: the record (kept in the cache folder, per published folder) holds, for each file,
 * the key of its content (the document cache's key, or a font's source, size and time) and the inode, size and
 * modification time the file had once written. A file is linked only when its content key is the same and the
 * published file is still that very file: any change to it (an editor, a copy put in its place) shows in its
 * inode, size or time, and it is written anew. Nothing is ever written through a link (every file the edition
 * does not link is a new file), so the published edition stays byte for byte as it was until the new set
 * replaces it. A file system without hard links, a record missing or damaged: everything is written.
 */
import { closeSync, fstatSync, linkSync, lstatSync, openSync, type Stats, writeSync } from 'node:fs';
import path from 'node:path';
import type { ChapterCache } from '../book/chapter-cache.ts';
import { readJsonArtifact, writeJsonArtifact } from '../platform/json-artifact.ts';

type Store = Pick<ChapterCache, 'getArtifact' | 'setArtifact'>;

/** [content key, inode, size, modification time in ms] */
type FileStamp = [string, number, number, number];

interface Record {
  format: 1;
  files: { [file: string]: FileStamp };
}

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
  const next: Record = { format: 1, files: {} };
  const remember = (file: string, key: string, stats: Stats) => {
    next.files[file] = [key, stats.ino, stats.size, stats.mtimeMs];
  };
  return {
    link(file, key, dir) {
      const stamp = last?.files[file];
      if (!publishedDir || !stamp || stamp[0] !== key) return false;
      const published = path.join(publishedDir, file);
      try {
        const stats = lstatSync(published);
        if (
          !stats.isFile() ||
          stats.ino !== stamp[1] ||
          stats.size !== stamp[2] ||
          stats.mtimeMs !== stamp[3]
        )
          return false;
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
        if (key) remember(file, key, fstatSync(fd));
      } finally {
        closeSync(fd);
      }
    },
    made(file, key, dir) {
      try {
        remember(file, key, lstatSync(path.join(dir, file)));
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
  if (record?.format !== 1 || typeof record.files !== 'object' || record.files === null) return undefined;
  for (const stamp of Object.values(record.files)) {
    if (
      !Array.isArray(stamp) ||
      typeof stamp[0] !== 'string' ||
      !stamp.slice(1).every((value) => typeof value === 'number')
    )
      return undefined;
  }
  return record;
}
