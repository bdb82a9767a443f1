/**
 * The parts every edition arranges around the chapters: the document shell, the book's title block and the
 * table of contents, all rendered through the theme's components.
 */
import type { Element, ElementContent, Root } from 'hast';
import { toString as hastToString } from 'hast-util-to-string';
import { toHast } from 'mdast-util-to-hast';
import { textDirection } from '../book/text-direction.ts';
import type { Book, Heading } from '../book/types.ts';
import { joinNames } from '../book/ui-strings.ts';
import { parseDocumentTemplate, renderComponent } from '../pipeline/plugins/rehype-components.ts';
import { inlineMarkdown } from '../pipeline/plugins/remark-title-block.ts';

export function component(
  book: Book,
  name: string,
  fields: Record<string, string | boolean>,
  slots?: Map<string, ElementContent[]>,
) {
  const source = book.theme.components.get(name);
  if (!source) throw new Error(`The theme has no component "${name}".`);
  return renderComponent(source, fields, slots);
}

/**
 * Book and chapter titles are rendered on every page of an edition (head, sidebar, links to neighbours), each
 * time through the Markdown pipeline: the results are kept per text and language, a few thousand at most.
 */
const inlineResults = new Map<string, ElementContent[]>();
const plainResults = new Map<string, string>();
const REMEMBERED = 4096;

function remember<T>(results: Map<string, T>, key: string, make: () => T): T {
  let result = results.get(key);
  if (result === undefined) {
    if (results.size >= REMEMBERED) results.clear();
    result = make();
    results.set(key, result);
  }
  return result;
}

/** Inline Markdown (titles in book.yaml) as hast, with smart quotes: a tree of the caller's own. */
export function inlineHast(text: string, lang?: string): ElementContent[] {
  const children = remember(inlineResults, `${lang ?? ''}\u0000${text}`, () => {
    const root = toHast({ type: 'paragraph', children: inlineMarkdown(text, lang) }) as Element;
    return root.children;
  });
  return structuredClone(children);
}

/** Titles in book.yaml may carry inline Markdown (`*Imprint*`); metadata and <title> want the words alone. */
export function plainText(markdown: string, lang?: string): string {
  return remember(plainResults, `${lang ?? ''}\u0000${markdown}`, () =>
    hastToString({ type: 'root', children: inlineHast(markdown, lang) }),
  );
}

/** The document: the theme's shell with the given head and body content. */
export function shell(book: Book, edition: string, head: ElementContent[], body: ElementContent[]): Root {
  const source = book.theme.shell
    .replace(/\{\{\s*(lang|title|edition)\s*\}\}/g, (_, field: string) =>
      escapeHtml(
        field === 'lang'
          ? book.meta.lang
          : field === 'title'
            ? plainText(book.meta.title, book.meta.lang)
            : edition,
      ),
    )
    // The HTML parser moves a <slot> out of <head> into <body>; a <template> may stand in <head>.
    .replace(
      /<slot\s+name=["']?head["']?\s*(\/>|>\s*<\/slot>)/i,
      '<template data-imprint-slot="head"></template>',
    );
  const tree = parseDocumentTemplate(source);
  const html = tree.children.find(
    (child): child is Element => child.type === 'element' && child.tagName === 'html',
  );
  // Right-to-left books (Arabic, Hebrew, Persian …) run from right to left in every edition.
  if (html && html.properties.dir === undefined && textDirection(book.meta.lang) === 'rtl') {
    html.properties.dir = 'rtl';
  }
  fillSlots(
    tree,
    new Map([
      ['head', head],
      ['', body],
    ]),
  );
  return tree;
}

function fillSlots(node: Root | Element, slots: Map<string, ElementContent[]>) {
  const children: Root['children'] = [];
  for (const child of node.children) {
    if (child.type === 'element' && child.tagName === 'slot') {
      children.push(...(slots.get(String(child.properties.name ?? '')) ?? []));
      continue;
    }
    if (child.type === 'element' && child.tagName === 'template' && child.properties.dataImprintSlot) {
      children.push(...(slots.get(String(child.properties.dataImprintSlot)) ?? []));
      continue;
    }
    if (child.type === 'element') fillSlots(child, slots);
    children.push(child);
  }
  node.children = children as typeof node.children;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The book's own title block: title, subtitle, authors, publisher. */
export function bookTitle(book: Book): ElementContent[] {
  const { title, subtitle, authors, publisher } = book.meta;
  const slots = new Map<string, ElementContent[]>([['title', inlineHast(title, book.meta.lang)]]);
  if (subtitle) slots.set('subtitle', inlineHast(subtitle, book.meta.lang));
  const byline = joinNames(authors, book.meta.lang);
  return component(
    book,
    'book-title',
    // A publisher that is also the author (a magazine, an institution) is named once.
    {
      subtitle: Boolean(subtitle),
      authors: byline,
      publisher: publisher && publisher !== byline ? publisher : '',
    },
    slots,
  );
}

export function wantsToc(book: Book): boolean {
  return book.meta.toc === 'auto' ? book.chapters.length > 1 : book.meta.toc;
}

export interface TocEntry {
  heading: Heading;
  children: TocEntry[];
}

/** The book's headings as a tree: chapters (depth 1) and their sections down to `maxDepth`. */
export function tocTree(book: Book, maxDepth = 2): TocEntry[] {
  const roots: TocEntry[] = [];
  for (const chapter of book.chapters) {
    const stack: TocEntry[] = [];
    for (const heading of chapter.headings) {
      if (heading.depth > maxDepth) continue;
      const entry: TocEntry = { heading, children: [] };
      while (stack.length && stack[stack.length - 1].heading.depth >= heading.depth) stack.pop();
      (stack.length ? stack[stack.length - 1].children : roots).push(entry);
      stack.push(entry);
    }
  }
  return roots;
}

/**
 * The table of contents as nested lists inside the theme's `toc` component. `hrefFor` maps a heading to
 * its link (an anchor in one document, a file and anchor in an EPUB); `extra` adds content after each title
 * (the page number in print).
 */
export function toc(
  book: Book,
  hrefFor: (heading: Heading) => string,
  extra: (heading: Heading) => ElementContent[] = () => [],
): ElementContent[] {
  const list = (entries: TocEntry[]): Element => ({
    type: 'element',
    tagName: 'ol',
    properties: {},
    children: entries.map(
      (entry): Element => ({
        type: 'element',
        tagName: 'li',
        properties: { className: [`toc-level-${entry.heading.depth}`] },
        children: [
          {
            type: 'element',
            tagName: 'a',
            properties: { href: hrefFor(entry.heading) },
            children: [
              {
                type: 'element',
                tagName: 'span',
                properties: { className: ['toc-title'] },
                children: [{ type: 'text', value: entry.heading.text }],
              },
              ...extra(entry.heading),
            ],
          },
          ...(entry.children.length ? [list(entry.children)] : []),
        ],
      }),
    ),
  });
  return component(book, 'toc', { title: book.strings.contents }, new Map([['', [list(tocTree(book))]]]));
}

/**
 * A link to an id the document does not have goes nowhere: it loses its href and stays as plain text (the
 * build has reported it as `missing-anchor`), so no edition carries a dead link.
 */
export function withoutDeadLinks(tree: Root): void {
  const ids = new Set<string>();
  const links: Element[] = [];
  const walk = (node: Root | Element) => {
    for (const child of node.children) {
      if (child.type !== 'element') continue;
      if (typeof child.properties.id === 'string') ids.add(child.properties.id);
      if (
        child.tagName === 'a' &&
        typeof child.properties.href === 'string' &&
        child.properties.href.startsWith('#')
      )
        links.push(child);
      walk(child);
    }
  };
  walk(tree);
  for (const link of links) {
    const href = String(link.properties.href);
    if (href !== '#' && !ids.has(linkTarget(href))) delete link.properties.href;
  }
}

/** The id a `#` href points to (decoded, or as written when it is not valid percent-encoding). */
export function linkTarget(href: string): string {
  const target = href.slice(1);
  try {
    return decodeURIComponent(target);
  } catch {
    return target;
  }
}

/** `epub:type` belongs to EPUB; in text/html it is an invalid attribute, and ARIA roles already say the same. */
export function withoutEpubAttributes(tree: Root) {
  // A plain walk: unist-util-visit's took a tenth of the print document's time.
  const walk = (parent: Root | Element) => {
    for (const node of parent.children) {
      if (node.type !== 'element') continue;
      // `delete` on an object that lacks the key still turns it into a slow dictionary for what follows.
      if ('epub:type' in node.properties) delete node.properties['epub:type'];
      walk(node);
    }
  };
  walk(tree);
}
