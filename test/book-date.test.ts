/** The book's date in its language, and the cache that spares a rebuild making a date formatter. */
import { afterEach, describe, expect, it, vi } from 'vitest';

type BookDate = typeof import('../src/book/book-date.ts');

/** The module as a new process loads it: nothing formatted yet. */
async function freshModule(): Promise<BookDate> {
  vi.resetModules();
  return import('../src/book/book-date.ts');
}

function memoryStore() {
  const entries = new Map<string, Uint8Array>();
  return {
    entries,
    getArtifact: (key: string) => entries.get(key),
    setArtifact: (key: string, bytes: Uint8Array) => {
      entries.set(key, bytes);
    },
  };
}

const RealDateTimeFormat = Intl.DateTimeFormat;
/** Counts the date formatters made from now on. */
function countFormatters(): { count: number } {
  const made = { count: 0 };
  const counting = function DateTimeFormat(...args: ConstructorParameters<typeof RealDateTimeFormat>) {
    made.count++;
    return new RealDateTimeFormat(...args);
  };
  Intl.DateTimeFormat = counting as unknown as typeof Intl.DateTimeFormat;
  return made;
}

afterEach(() => {
  Intl.DateTimeFormat = RealDateTimeFormat;
});

describe('the book date', () => {
  it('is written as readers of the language write it; anything but a day is kept as written', async () => {
    const { formatBookDate } = await freshModule();
    expect(formatBookDate('2016-04-01', 'en')).toBe('April 1, 2016');
    expect(formatBookDate('2016-04-01', 'de')).toBe('1. April 2016');
    expect(formatBookDate('2016-04-01', 'ru')).toMatch(/^1 апреля 2016/);
    expect(formatBookDate('2016', 'en')).toBe('2016');
    expect(formatBookDate('Spring 2016', 'en')).toBe('Spring 2016');
  });

  it('is formatted once and kept in the store; the next process reads it without making a formatter', async () => {
    const store = memoryStore();
    const first = await freshModule();
    let made = countFormatters();
    first.rememberBookDate(store, '2016-04-01', 'de');
    expect(made.count).toBe(1);
    expect(store.entries.size).toBe(1);
    expect(first.formatBookDate('2016-04-01', 'de')).toBe('1. April 2016');
    expect(made.count).toBe(1);

    const next = await freshModule();
    made = countFormatters();
    next.rememberBookDate(store, '2016-04-01', 'de');
    expect(next.formatBookDate('2016-04-01', 'de')).toBe('1. April 2016');
    expect(made.count).toBe(0);
    // Another language is another entry.
    next.rememberBookDate(store, '2016-04-01', 'en');
    expect(store.entries.size).toBe(2);
    expect(made.count).toBe(1);
  });

  it('formats again and rewrites a damaged entry', async () => {
    const store = memoryStore();
    (await freshModule()).rememberBookDate(store, '2016-04-01', 'en');
    const [key] = store.entries.keys();
    for (const damaged of ['', 'April 1,\n2016']) {
      store.entries.set(key, Buffer.from(damaged));
      const next = await freshModule();
      next.rememberBookDate(store, '2016-04-01', 'en');
      expect(next.formatBookDate('2016-04-01', 'en')).toBe('April 1, 2016');
      expect(Buffer.from(store.entries.get(key) as Uint8Array).toString()).toBe('April 1, 2016');
    }
  });
});
