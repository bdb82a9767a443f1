/**
 * Which languages of a book the print edition hyphenates natively in Chromium, and installing their
 * dictionaries into the build's browser before the print document loads.
 */
import type { Element, Root } from 'hast';
import type { Browser } from 'puppeteer-core';
import type { Book } from '../../book/types.ts';
import {
  buildDictionariesAside,
  chromiumDictionaryName,
  hasNativeDictionary,
  provideHyphenation,
} from '../../platform/browser/hyphenation-dictionaries.ts';

const languagesOf = new WeakMap<Book, string[]>();

/** The book's language and every `lang` its chapters set on elements. */
export function bookLanguages(book: Book): string[] {
  const known = languagesOf.get(book);
  if (known) return [...known];
  const langs = new Set([book.meta.lang]);
  // A plain walk: the dictionaries' worker starts once it is done, as the print edition begins.
  const walk = (parent: Root | Element) => {
    for (const node of parent.children) {
      if (node.type !== 'element') continue;
      if (typeof node.properties.lang === 'string' && node.properties.lang) langs.add(node.properties.lang);
      walk(node);
    }
  };
  for (const chapter of book.chapters) walk(chapter.tree);
  languagesOf.set(book, [...langs]);
  return [...langs];
}

/** True when the print edition can rely on Chromium to hyphenate the book's own language. */
export function expectsNativeHyphenation(book: Book): boolean {
  return book.meta.print.hyphenate && hasNativeDictionary(book.meta.lang);
}

/**
 * Adds the dictionaries for every language of `book` to `browser`'s profile. Returns false when the book's
 * own language got none (a browser launched without a hyphenation profile): the caller then falls back to
 * soft hyphens.
 */
export function installBookHyphenation(book: Book, browser: Browser): boolean {
  if (!book.meta.print.hyphenate) return false;
  const missing = provideHyphenation(browser, bookLanguages(book));
  return !missing.includes(book.meta.lang);
}

/**
 * Builds the dictionaries of the book's languages into the cache, in a worker thread, without a browser:
 * started as the print edition begins, so that installing them before the load is only a copy.
 */
export function prepareBookHyphenation(book: Book): Promise<void> {
  if (!book.meta.print.hyphenate) return Promise.resolve();
  return buildDictionariesAside(bookLanguages(book).map(chromiumDictionaryName));
}
