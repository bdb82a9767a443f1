/**
 * The YAML texts a build read and their values (src/config/yaml-results.ts), kept in the cache folder: a rebuild
 * reads book.yaml and the edited chapter's front matter (mostly unchanged) without loading the `yaml` package.
 * Keyed by Imprint's code; an entry whose digest does not match its text is ignored and written again. The
 * entry holds the texts of the last builds, at most a few thousand.
 */
import { createHash } from 'node:crypto';
import { restoreYamlResults, yamlResults } from '../config/yaml-results.ts';
import { readJsonArtifact, writeJsonArtifact } from '../platform/json-artifact.ts';
import { codeFingerprint } from './chapter-cache.ts';
import type { ComponentStore } from './component-cache.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** How many texts each store's entry holds, as this process read or wrote it (the API opens a store a build). */
const kept = new WeakMap<ComponentStore, number>();

const yamlCacheKey = () => `yaml\u0000${sha256(codeFingerprint())}`;

/** Puts the stored results where parseYamlConfig looks first; once a store. */
export function restoreYamlResultCache(store: ComponentStore): void {
  if (kept.has(store)) return;
  kept.set(store, 0);
  try {
    const entries = readJsonArtifact(store, yamlCacheKey()) as [string, string][] | undefined;
    const valid =
      Array.isArray(entries) &&
      entries.every(
        (entry) => Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'string',
      );
    if (!valid) return;
    restoreYamlResults(entries);
    kept.set(store, entries.length);
  } catch {
    // Read again, and stored again after.
  }
}

/** Stores every result this process holds when that is more than the entry holds. */
export function keepYamlResultCache(store: ComponentStore): void {
  const entries = [...yamlResults()];
  if (entries.length <= (kept.get(store) ?? 0)) return;
  writeJsonArtifact(store, yamlCacheKey(), entries);
  kept.set(store, entries.length);
}
