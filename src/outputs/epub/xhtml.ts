/**
 * EPUB content documents are XHTML: reading systems parse them as XML, where one stray bare attribute or
 * control character makes the whole chapter unreadable. Every XHTML file in the EPUB is the theme's document
 * shell, filled and serialised here.
 */
import type { Element, ElementContent, Root } from 'hast';
import { select } from 'hast-util-select';
import { toHtml } from 'hast-util-to-html';
import { visit } from 'unist-util-visit';
import type { Book } from '../../book/types.ts';
import { shell } from '../assemble.ts';

/** The stylesheet every document links; epub-gen-memory writes it as OEBPS/style.css. */
export const EPUB_STYLESHEET = 'style.css';

export interface XhtmlDocument {
  /** The document's own title (a chapter's title, "Contents", …) for the reading system and screen readers. */
  title: string;
  body: ElementContent[];
  /** `epub:type` of the body, e.g. "cover" or "frontmatter". */
  bodyType?: string;
  /** Classes added to the body after the theme's own (e.g. "cover-page"). */
  bodyClass?: string[];
}

/** One complete XHTML document in the theme's shell, serialised as well-formed XML. */
export function xhtmlDocument(book: Book, document: XhtmlDocument): string {
  const link: Element = {
    type: 'element',
    tagName: 'link',
    properties: { rel: ['stylesheet'], type: 'text/css', href: EPUB_STYLESHEET },
    children: [],
  };
  const tree = shell(book, 'epub', [link], document.body);
  const head = select('head', tree);
  const html = select('html', tree);
  if (html) {
    html.properties = {
      xmlns: 'http://www.w3.org/1999/xhtml',
      'xmlns:epub': 'http://www.idpf.org/2007/ops',
      ...html.properties,
      xmlLang: book.meta.lang,
    };
  }
  const title = select('title', tree);
  if (title) title.children = [{ type: 'text', value: document.title }];
  // A viewport belongs to fixed-layout documents; a reflowable book flows into whatever screen it gets.
  const viewport = select('meta[name=viewport]', tree);
  if (viewport && head) {
    const at = head.children.indexOf(viewport);
    const before = head.children[at - 1];
    // The whitespace that indented it goes too.
    const start = before?.type === 'text' && before.value.trim() === '' ? at - 1 : at;
    head.children.splice(start, at - start + 1);
  }
  const body = select('body', tree);
  if (body) {
    if (document.bodyType) body.properties['epub:type'] = document.bodyType;
    if (document.bodyClass) {
      const own = Array.isArray(body.properties.className) ? body.properties.className : [];
      body.properties.className = [...own, ...document.bodyClass];
    }
  }
  return serializeXhtml(tree);
}

/** Characters XML 1.0 does not allow, not even as character references. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching these control characters is the point.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/**
 * Serialises a hast tree as XHTML: an XML declaration, self-closed void elements, only valued attributes.
 * Characters XML cannot carry are dropped from the tree's text and attribute values in place.
 */
export function serializeXhtml(tree: Root): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${xhtmlMarkup(tree)}\n`;
}

/** serializeXhtml without the XML declaration: a fragment's markup, as it reads inside a document. */
export function xhtmlMarkup(tree: Root): string {
  visit(tree, (node) => {
    if (node.type === 'text') node.value = node.value.replace(NOT_XML, '');
    if (node.type === 'element') {
      for (const [key, value] of Object.entries(node.properties)) {
        if (typeof value === 'string') node.properties[key] = value.replace(NOT_XML, '');
      }
    }
  });
  return wellFormed(toHtml(tree, { closeSelfClosing: true, upperDoctype: true }));
}

/**
 * Makes hast-util-to-html's HTML well-formed XML. It writes boolean attributes bare (`<nav hidden>`) and
 * leaves `<` in attribute values and `]]>` in text as they are; XML allows none of these. It quotes every
 * value with `"` and escapes `"` inside values and `<` in text, so a `<` followed by a letter always starts
 * a tag, and scanning a tag's attributes from the left never looks inside a value.
 */
function wellFormed(html: string): string {
  return html
    .replace(/<[A-Za-z][^\s/>]*(?:\s+[^\s"'=/>]+(?:="[^"]*")?)*\s*\/?>/g, (tag) =>
      tag.replace(/(\s+)([^\s"'=/>]+)(?:="([^"]*)")?/g, (_, space: string, name: string, value?: string) =>
        value === undefined
          ? `${space}${name}="${name}"`
          : `${space}${name}="${value.replace(/</g, '&#x3C;')}"`,
      ),
    )
    .replace(/]]>/g, ']]&#x3E;');
}
