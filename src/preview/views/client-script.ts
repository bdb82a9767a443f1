/**
 * The tag every preview page carries: it loads the preview client and tells it which view and page it is
 * on, which version of that page it shows, and which version of the edition stylesheet it loaded. A later
 * state message then tells the client whether to reload or only swap the stylesheet.
 */
import type { Element } from 'hast';

/** Where the client's own files are served; no book file can have this prefix. */
export const CLIENT_PREFIX = '/__imprint/';

export type View = 'screen' | 'epub' | 'print';

export interface PageScript {
  view: View;
  /** The page's key in the preview state: "screen", "epub/<file>", "print". */
  page: string;
  version: string;
  /** The chapter the page shows, when it shows one: the client finds it again if its file is renamed. */
  chapter?: string;
  /** The edition stylesheet the client swaps when only CSS changed, and its version. */
  stylesheet?: { name: string; version: string };
}

export function clientScript({ view, page, version, chapter, stylesheet }: PageScript): Element {
  return {
    type: 'element',
    tagName: 'script',
    properties: {
      src: `${CLIENT_PREFIX}preview-client.js`,
      dataView: view,
      dataPage: page,
      dataChapter: chapter,
      dataVersion: version,
      dataStylesheet: stylesheet?.name,
      dataStylesheetVersion: stylesheet?.version,
    },
    children: [],
  };
}
