/**
 * The theme's component templates and document shell as parsed trees, kept in the cache folder: a rebuild's
 * one edited chapter, the editions' pages and the EPUB's cover would otherwise run parse5, cold, over each
 * template they use (8–15 ms), and load it (18 ms: src/pipeline/html-parser.ts). Keyed by Imprint's code and the templates' text; an entry whose digest does not match its text is
 * ignored and written again, and an entry is written again when a process parsed a template it lacked.
 */
import { createHash } from 'node:crypto';
import type { ElementContent, Root } from 'hast';
import {
  parsedComponents,
  parsedDocumentTemplates,
  rememberParsedComponents,
  rememberParsedDocumentTemplates,
} from '../pipeline/plugins/rehype-components.ts';
import { type ArtifactStore, readJsonArtifact, writeJsonArtifact } from '../platform/json-artifact.ts';
import { codeFingerprint } from './chapter-cache.ts';

export type ComponentStore = ArtifactStore;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** How many templates the entry under each key holds, as this process read or wrote it. */
const kept = new Map<string, number>();

function componentCacheKey(templates: ReadonlyMap<string, string>): string {
  return `components\u0000${sha256(`${codeFingerprint()}\u0000${JSON.stringify([...templates])}`)}`;
}

/** Puts the stored parsed templates where rehype-components looks first. */
export function restoreParsedComponents(store: ComponentStore, templates: ReadonlyMap<string, string>): void {
  const key = componentCacheKey(templates);
  if (kept.has(key)) return;
  kept.set(key, 0);
  try {
    const stored = readJsonArtifact(store, key);
    if (!Array.isArray(stored)) return;
    const [components, documents] = stored as [[string, ElementContent[]][], [string, Root][]];
    const valid =
      Array.isArray(components) &&
      components.every(
        (entry) => Array.isArray(entry) && typeof entry[0] === 'string' && Array.isArray(entry[1]),
      ) &&
      Array.isArray(documents) &&
      documents.every(
        (entry) =>
          Array.isArray(entry) &&
          typeof entry[0] === 'string' &&
          entry[1]?.type === 'root' &&
          Array.isArray(entry[1].children),
      );
    if (!valid) return;
    rememberParsedComponents(components);
    rememberParsedDocumentTemplates(documents);
    kept.set(key, components.length + documents.length);
  } catch {
    // Parsed again, and stored again after.
  }
}

/**
 * Stores every template this process parsed (the theme's components and its cover.html, each under its own
 * text, and the document shells), when that is more than the entry holds.
 */
export function keepParsedComponents(store: ComponentStore, templates: ReadonlyMap<string, string>): void {
  const key = componentCacheKey(templates);
  const components = [...parsedComponents()];
  const documents = [...parsedDocumentTemplates()];
  if (components.length + documents.length <= (kept.get(key) ?? 0)) return;
  writeJsonArtifact(store, key, [components, documents]);
  kept.set(key, components.length + documents.length);
}
