/**
 * What YAML texts read as, remembered by text: a rebuild reads the same book.yaml and mostly the same front
 * matter as the build before, and the `yaml` package cost every command 15–18 ms to load and 5–10 ms, cold,
 * to read one file. The chapter cache keeps these between processes (src/book/yaml-result-cache.ts). Only a
 * text read without an error is kept, and only when its value comes back from JSON as it went in (no
 * `.nan`, `.inf`), so a remembered value is the value a parse gives; diagnostics are made from it as from a
 * fresh one, and their places (which need the parsed document) parse the text when asked for.
 */
import { isDeepStrictEqual } from 'node:util';

const results = new Map<string, string>();
let added: [string, string][] = [];
/** Texts are few (book.yaml, a front matter per chapter) but a long preview sees new ones at each edit. */
const REMEMBERED = 4096;

/** The value `text` read as before (a fresh copy), or undefined. */
export function rememberedYaml(text: string): unknown {
  const json = results.get(text);
  return json === undefined ? undefined : JSON.parse(json);
}

export function rememberYaml(text: string, value: unknown): void {
  if (results.has(text)) return;
  const json = JSON.stringify(value);
  if (json === undefined || !isDeepStrictEqual(JSON.parse(json), value)) return;
  if (results.size >= REMEMBERED) results.clear();
  results.set(text, json);
  added.push([text, json]);
}

/** Every remembered text and its value's JSON. */
export function yamlResults(): ReadonlyMap<string, string> {
  return results;
}

/** Takes in results read elsewhere (the cache, a worker thread). */
export function restoreYamlResults(entries: Iterable<[string, string]>): void {
  for (const [text, json] of entries) if (!results.has(text)) results.set(text, json);
}

/** The results this thread added since the last call (a worker posts them with its chapters). */
export function takeAddedYamlResults(): [string, string][] {
  const taken = added;
  added = [];
  return taken;
}
