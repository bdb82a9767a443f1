/**
 * What the head of every HTML edition page tells browsers, search engines and link previews: description,
 * author, and — when book.yaml gives the book's public `url` — a canonical address and Open Graph tags.
 */
import type { Element } from 'hast';
import { h } from 'hastscript';
import type { Book } from '../../book/types.ts';
import { plainText } from '../assemble.ts';

export interface PageFacts {
  /** The page's file in the edition folder ("index.html", "interview.html"). */
  file: string;
  /** The page's own title, when it is not the book's (a chapter's). */
  title?: string;
  /** The page's own description (a chapter's deck); the book's description otherwise. */
  description?: string;
}

export function pageHead(book: Book, page: PageFacts): Element[] {
  const { meta } = book;
  const description = page.description ?? meta.description;
  const head: Element[] = [];
  if (description) head.push(h('meta', { name: 'description', content: description }));
  if (meta.authors.length) head.push(h('meta', { name: 'author', content: meta.authors.join(', ') }));
  if (meta.keywords.length) head.push(h('meta', { name: 'keywords', content: meta.keywords.join(', ') }));
  if (meta.url) {
    const base = meta.url.endsWith('/') ? meta.url : `${meta.url}/`;
    const url = page.file === 'index.html' ? base : new URL(page.file, base).href;
    const bookTitle = plainText(meta.title);
    head.push(
      h('link', { rel: ['canonical'], href: url }),
      h('meta', { property: 'og:type', content: page.title ? 'article' : 'book' }),
      h('meta', { property: 'og:title', content: page.title ?? bookTitle }),
      h('meta', { property: 'og:site_name', content: bookTitle }),
      h('meta', { property: 'og:url', content: url }),
      h('meta', { property: 'og:locale', content: meta.lang.replace('-', '_') }),
    );
    if (description) head.push(h('meta', { property: 'og:description', content: description }));
    for (const author of meta.authors) head.push(h('meta', { property: 'book:author', content: author }));
  }
  return head;
}
