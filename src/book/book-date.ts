/**
 * A book's date as its readers write it ("2016-04-01" → "April 1, 2016", "1. April 2016"), from the runtime's
 * CLDR data (Intl.DateTimeFormat). Making the first formatter of a process costs 22–30 ms (ICU loads its date
 * patterns), in every EPUB and PDF build, for one string: the loader keeps the string in the cache folder
 * (keyed by the runtime's ICU, CLDR and time-zone data), so a rebuild does not make a formatter at all.
 */
import { createHash } from 'node:crypto';

/** Where formatted dates outlive the process: the chapter cache's artifacts. */
export interface DateStore {
  getArtifact(key: string): Uint8Array | undefined;
  setArtifact(key: string, bytes: Uint8Array): void;
}

const formatted = new Map<string, string>();
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

function format(date: string, lang: string): string {
  try {
    return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(
      new Date(`${date}T00:00:00Z`),
    );
  } catch {
    return date;
  }
}

/** "2016-04-01" in the book's language ("April 1, 2016"); a year or anything else as written. */
export function formatBookDate(date: string, lang: string): string {
  if (!ISO_DAY.test(date)) return date;
  const key = `${lang}\u0000${date}`;
  let text = formatted.get(key);
  if (text === undefined) {
    text = format(date, lang);
    formatted.set(key, text);
  }
  return text;
}

const storeKey = (date: string, lang: string) =>
  `book-date\u0000${createHash('sha256')
    .update(
      [
        'imprint-book-date-1',
        process.versions.icu,
        process.versions.unicode,
        process.versions.cldr,
        process.versions.tz,
        lang,
        date,
      ].join('\u0000'),
    )
    .digest('hex')}`;

/** Formats the date once for this process, from the store when it holds it, and keeps it there. */
export function rememberBookDate(store: DateStore, date: string | undefined, lang: string): void {
  if (!date || !ISO_DAY.test(date) || formatted.has(`${lang}\u0000${date}`)) return;
  const key = storeKey(date, lang);
  try {
    const stored = store.getArtifact(key);
    const text = stored && Buffer.from(stored).toString('utf8');
    // Never empty, never a line: anything else is a damaged entry, formatted and stored again.
    if (text && !/[\n\r]/.test(text)) {
      formatted.set(`${lang}\u0000${date}`, text);
      return;
    }
  } catch {
    // Formatted and stored again.
  }
  store.setArtifact(key, Buffer.from(formatBookDate(date, lang), 'utf8'));
}
