/** Dates and lists in the book's language, and the cache that spares a rebuild making their formatters. */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';

type LocaleText = typeof import('../src/book/locale-text.ts');

/** The module as a new process loads it: nothing made yet. */
async function freshModule(): Promise<LocaleText> {
  vi.resetModules();
  return import('../src/book/locale-text.ts');
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

const real = { DateTimeFormat: Intl.DateTimeFormat, ListFormat: Intl.ListFormat };
/** Counts the date and list formatters made from now on. */
function countFormatters(): { count: number } {
  const made = { count: 0 };
  Intl.DateTimeFormat = function DateTimeFormat(...args: ConstructorParameters<typeof real.DateTimeFormat>) {
    made.count++;
    return new real.DateTimeFormat(...args);
  } as unknown as typeof Intl.DateTimeFormat;
  (Intl as { ListFormat: unknown }).ListFormat = function ListFormat(
    ...args: ConstructorParameters<typeof real.ListFormat>
  ) {
    made.count++;
    return new real.ListFormat(...args);
  } as unknown as typeof Intl.ListFormat;
  return made;
}

afterEach(() => {
  Intl.DateTimeFormat = real.DateTimeFormat;
  (Intl as { ListFormat: unknown }).ListFormat = real.ListFormat;
});

describe('dates and lists in the book language', () => {
  it('are written as readers of the language write them', async () => {
    const { formatBookDate, formatList } = await freshModule();
    expect(formatBookDate('2016-04-01', 'en')).toBe('April 1, 2016');
    expect(formatBookDate('2016-04-01', 'de')).toBe('1. April 2016');
    expect(formatBookDate('2016-04-01', 'ru')).toMatch(/^1 апреля 2016/);
    // Anything but a day, as written.
    expect(formatBookDate('2016', 'en')).toBe('2016');
    expect(formatBookDate('Spring 2016', 'en')).toBe('Spring 2016');
    expect(formatList(['Ann', 'Bob', 'Cy'], 'en')).toBe('Ann, Bob, and Cy');
    expect(formatList(['Ann', 'Bob', 'Cy'], 'de')).toBe('Ann, Bob und Cy');
    expect(formatList(['Ann'], 'de')).toBe('Ann');
    // A language the runtime cannot name: English.
    expect(formatList(['Ann', 'Bob'], 'not a language')).toBe('Ann and Bob');
  });

  it('are made once and kept in the store; the next process makes no formatter for them', async () => {
    const store = memoryStore();
    const first = await freshModule();
    first.restoreLocaleTexts(store);
    let made = countFormatters();
    expect(first.formatBookDate('2016-04-01', 'de')).toBe('1. April 2016');
    expect(first.formatList(['Ann', 'Bob'], 'de')).toBe('Ann und Bob');
    expect(first.formatBookDate('2016-04-01', 'de')).toBe('1. April 2016');
    expect(made.count).toBe(2);
    first.keepLocaleTexts(store);
    expect(store.entries.size).toBe(1);

    const next = await freshModule();
    next.restoreLocaleTexts(store);
    made = countFormatters();
    expect(next.formatBookDate('2016-04-01', 'de')).toBe('1. April 2016');
    expect(next.formatList(['Ann', 'Bob'], 'de')).toBe('Ann und Bob');
    expect(made.count).toBe(0);
    // Nothing new: the entry is not written again.
    store.entries.clear();
    next.keepLocaleTexts(store);
    expect(store.entries.size).toBe(0);
    // Another language is made, and kept with the rest.
    expect(next.formatBookDate('2016-04-01', 'en')).toBe('April 1, 2016');
    expect(made.count).toBe(1);
    next.keepLocaleTexts(store);
    const kept = Buffer.from([...store.entries.values()][0]).toString();
    expect(kept).toContain('April 1, 2016');
    expect(kept).toContain('Ann und Bob');
  });

  it('are not taken from a store kept under other locale settings', async () => {
    // ICU writes a language it has no data for ('tlh') in the default locale, which these settings decide.
    const saved = process.env.LC_ALL;
    try {
      const store = memoryStore();
      process.env.LC_ALL = 'de_DE.UTF-8';
      const first = await freshModule();
      first.formatList(['Ann', 'Bob'], 'tlh');
      first.keepLocaleTexts(store);
      process.env.LC_ALL = 'en_US.UTF-8';
      const next = await freshModule();
      next.restoreLocaleTexts(store);
      const made = countFormatters();
      next.formatList(['Ann', 'Bob'], 'tlh');
      expect(made.count).toBe(1);
      // Under the settings it was kept under, it is taken.
      process.env.LC_ALL = 'de_DE.UTF-8';
      const again = await freshModule();
      again.restoreLocaleTexts(store);
      again.formatList(['Ann', 'Bob'], 'tlh');
      expect(made.count).toBe(1);
    } finally {
      if (saved === undefined) delete process.env.LC_ALL;
      else process.env.LC_ALL = saved;
    }
  });

  it('are made again from a damaged entry, which is then written whole', async () => {
    const store = memoryStore();
    const first = await freshModule();
    first.formatBookDate('2016-04-01', 'en');
    first.keepLocaleTexts(store);
    const [key, whole] = [...store.entries][0];
    const text = Buffer.from(whole).toString();
    for (const damaged of [
      '',
      text.slice(0, -5),
      text.replace('April 1, 2016', 'April 2, 2016'),
      // A digest that matches a body of the wrong shape.
      (() => {
        const body = JSON.stringify({ date: 'April 2, 2016' });
        return `${createHash('sha256').update(body).digest('hex')}\n${body}`;
      })(),
    ]) {
      store.entries.set(key, Buffer.from(damaged));
      const next = await freshModule();
      next.restoreLocaleTexts(store);
      const made = countFormatters();
      expect(next.formatBookDate('2016-04-01', 'en')).toBe('April 1, 2016');
      expect(made.count).toBe(1);
      next.keepLocaleTexts(store);
      expect(Buffer.from(store.entries.get(key) as Uint8Array).toString()).toBe(text);
    }
  });
});
