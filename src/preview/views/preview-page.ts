/**
 * Pages of the preview's own making (not the book's): the print view, whose spreads the client lays out
 * from the preview state, and the page shown while the book cannot be read at all.
 */
import type { Element } from 'hast';
import { toHtml } from 'hast-util-to-html';
import { h } from 'hastscript';
import { textDirection } from '../../book/text-direction.ts';
import { CLIENT_PREFIX } from './client-script.ts';

function page(title: string, lang: string, head: Element[], body: Element[]): string {
  return `<!doctype html>\n${toHtml(
    h('html', { lang }, [
      h('head', [
        h('meta', { charset: 'utf-8' }),
        h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
        h('title', title),
        h('link', { rel: 'stylesheet', href: `${CLIENT_PREFIX}preview-pages.css` }),
        ...head,
      ]),
      h('body', { className: ['imprint-preview-page'] }, body),
    ]),
  )}`;
}

/**
 * The print view: the client fills `#imprint-spreads` with the PDF's pages, two by two. A right-to-left book's
 * spreads run right to left (page 1 alone on the left, then 3 left of 2): the flex rows follow `dir`.
 */
export function renderPrintView(title: string, lang: string, client: Element): string {
  const dir = textDirection(lang) === 'rtl' ? 'rtl' : undefined;
  return page(
    `${title} · print`,
    lang,
    [client],
    [h('main', { id: 'imprint-spreads', className: ['imprint-spreads'], dir, 'aria-label': 'Pages' })],
  );
}

/** Shown in every view while there is no book to show (no book.yaml, no chapters …). */
export function renderNoBook(client: Element): string {
  return page(
    'Imprint preview',
    'en',
    [client],
    [
      h('main', { className: ['imprint-no-book'] }, [
        h('h1', 'The book cannot be shown yet'),
        h('p', 'Fix the problems listed here; the preview updates as soon as the files are saved.'),
      ]),
    ],
  );
}
