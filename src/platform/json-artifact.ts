/**
 * A value kept in the cache folder's artifacts as JSON behind a digest of itself (a line of 64 hex digits): the
 * caches of what a process would otherwise make again (parsed templates, YAML results, theme settings, dates
 * and lists) read and write their entries through these. A damaged entry (a digest that does not match its
 * text, text that is not JSON) reads as none; what it holds is then the reader's to check.
 */
import { createHash } from 'node:crypto';

/** Where entries outlive the process: the chapter cache's artifacts. */
export interface ArtifactStore {
  getArtifact(key: string): Uint8Array | undefined;
  setArtifact(key: string, bytes: Uint8Array): void;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The value stored under `key`, or undefined when there is none or it is damaged. */
export function readJsonArtifact(store: ArtifactStore, key: string): unknown {
  try {
    const bytes = store.getArtifact(key);
    if (!bytes) return undefined;
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    const body = text.slice(65);
    if (text[64] !== '\n' || sha256(body) !== text.slice(0, 64)) return undefined;
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/** Stores `value` under `key`, behind its digest. */
export function writeJsonArtifact(store: ArtifactStore, key: string, value: unknown): void {
  const body = JSON.stringify(value);
  store.setArtifact(key, Buffer.from(`${sha256(body)}\n${body}`, 'utf8'));
}
