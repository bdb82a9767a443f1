/**
 * Words the runtime's CLDR data writes in the book's language: a date ("2016-04-01" → "April 1, 2016",
 * "1. April 2016") and a list ("Ann, Bob and Cy"). The first formatter of each kind a process makes costs
 * ICU's data: 22–30 ms for a date, 6–11 ms for a list, in every EPUB and PDF build, for a few strings. Each
 * text is made once per process, and the build's cache keeps them (keyed by the runtime's ICU, CLDR, Unicode
 * and time-zone data and by the locale settings ICU falls back on for a language it has no data for), so a
 * rebuild makes no formatter at all. A damaged entry is ignored and written again.
 */
import { createHash } from 'node:crypto';
import { type ArtifactStore, readJsonArtifact, writeJsonArtifact } from '../platform/json-artifact.ts';

/** Where the texts outlive the process: the chapter cache's artifacts. */
export type LocaleTextStore = ArtifactStore;

/** Texts by what they were made from (JSON of [kind, lang, input]). */
const texts = new Map<string, string>();
/** A process (a long preview) meets a few new texts an edit at most; the table starts over past this. */
const KEPT = 4096;
let added = false;

function remembered(kind: string, lang: string, input: unknown, make: () => string): string {
  const key = JSON.stringify([kind, lang, input]);
  let text = texts.get(key);
  if (text === undefined) {
    text = make();
    if (texts.size >= KEPT) texts.clear();
    texts.set(key, text);
    added = true;
  }
  return text;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** "2016-04-01" in the book's language ("April 1, 2016"); a year or anything else as written. */
export function formatBookDate(date: string, lang: string): string {
  if (!ISO_DAY.test(date)) return date;
  return remembered('date', lang, date, () => {
    try {
      return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(
        new Date(`${date}T00:00:00Z`),
      );
    } catch {
      return date;
    }
  });
}

/** "Ann, Bob and Cy" in the book's language; in English for a language the runtime does not know. */
export function formatList(items: readonly string[], lang: string): string {
  // A list of one is that item in every language.
  if (items.length === 1) return items[0];
  return remembered('list', lang, items, () => {
    try {
      return new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' }).format(items);
    } catch {
      return new Intl.ListFormat('en', { style: 'long', type: 'conjunction' }).format(items);
    }
  });
}

const storeKey = () =>
  `locale-text\u0000${createHash('sha256')
    .update(
      [
        'imprint-locale-text-1',
        process.versions.icu,
        process.versions.unicode,
        process.versions.cldr,
        process.versions.tz,
        process.env.NODE_ICU_DATA,
        // ICU writes a language it has no data for in the process's default locale, which these decide.
        process.env.LC_ALL,
        process.env.LC_MESSAGES,
        process.env.LC_CTYPE,
        process.env.LANG,
      ].join('\u0000'),
    )
    .digest('hex')}`;

const restored = new WeakSet<LocaleTextStore>();

/** Takes in the texts a store keeps; once a store. */
export function restoreLocaleTexts(store: LocaleTextStore): void {
  if (restored.has(store)) return;
  restored.add(store);
  try {
    const entries = readJsonArtifact(store, storeKey());
    if (!Array.isArray(entries)) return;
    for (const entry of entries) {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'string') return;
    }
    for (const [key, value] of entries as [string, string][]) if (!texts.has(key)) texts.set(key, value);
  } catch {
    // Made again, and kept again after.
  }
}

/** Keeps every text this process holds, when it made one the store did not give it. */
export function keepLocaleTexts(store: LocaleTextStore): void {
  if (!added) return;
  writeJsonArtifact(store, storeKey(), [...texts]);
  added = false;
}
