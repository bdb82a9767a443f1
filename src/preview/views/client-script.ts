/**
 * The tag every preview page carries: it loads the preview client and tells it which view and page it is
 * on and which version of that page it shows. The version is the page's content hash, so a client knows
 * from any later state message whether its page is out of date.
 */
import { createHash } from 'node:crypto';
import type { Element } from 'hast';

/** Where the client's own files are served; no book file can have this prefix. */
export const CLIENT_PREFIX = '/__imprint/';
const VERSION_PLACEHOLDER = '__imprint_page_version__';
const STYLESHEET_VERSION_PLACEHOLDER = '__imprint_stylesheet_version__';

export type View = 'screen' | 'epub' | 'print';

export interface PageScript {
  view: View;
  /** The page's key in the preview state: "screen", "epub/<file>", "print". */
  page: string;
  /** The chapter the page shows, when it shows one: the client finds it again if its file is renamed. */
  chapter?: string;
  /** The edition stylesheet the client swaps when only CSS changed. */
  stylesheet?: string;
}

export function clientScript({ view, page, chapter, stylesheet }: PageScript): Element {
  return {
    type: 'element',
    tagName: 'script',
    properties: {
      src: `${CLIENT_PREFIX}preview-client.js`,
      dataView: view,
      dataPage: page,
      dataChapter: chapter,
      dataStylesheet: stylesheet,
      dataVersion: VERSION_PLACEHOLDER,
      dataStylesheetVersion: stylesheet ? STYLESHEET_VERSION_PLACEHOLDER : undefined,
    },
    children: [],
  };
}

/**
 * Fills in the versions. The page's is a hash of the page as rendered (and of `extra`: whatever else it
 * shows, e.g. image dates); the stylesheet's version is written in after hashing, so a change to the
 * stylesheet alone leaves the page's version as it was and clients swap the stylesheet instead of reloading.
 */
export function stampVersion(
  html: string,
  extra = '',
  stylesheetVersion = '',
): { html: string; version: string } {
  const version = createHash('sha1').update(html).update(extra).digest('base64url').slice(0, 16);
  return {
    html: html
      .replace(VERSION_PLACEHOLDER, version)
      .replace(STYLESHEET_VERSION_PLACEHOLDER, stylesheetVersion),
    version,
  };
}
