/**
 * Fenced code blocks as programming books need them (highlighting and line spans are added by
 * rehype-code-lines, after the sanitiser), with opt-in fence attributes:
 *
 *     ```js {title="Reading the config" numbers start=10 highlight="2,4-5"}
 *
 * - `title` (or `caption`) makes the block a numbered listing, "Listing 3-1. Reading the config", as a
 *   `<figure class="listing">` with an id (`<chapter>--listing-3-1`) that links can point to;
 * - `numbers` (or `linenos`) prints line numbers, from `start` (1 by default);
 * - `highlight` (or `hl`) marks lines, by number within the block.
 */
import type { Element } from 'hast';
import type { Code, Parent, Root } from 'mdast';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';

/** What the print edition sets where it breaks a code line too long for the page (↩). */
export const CONTINUATION_MARK = '\u21a9';

/** A fenced block's language and attributes, by the line its fence opens on. */
export interface CodeBlock {
  language?: string;
  attributes: Map<string, string>;
}

/** vfile's own `Map` (a source map) would shadow the global one inside its module. */
type CodeBlocks = Map<number, CodeBlock>;

declare module 'vfile' {
  interface DataMap {
    codeBlocks: CodeBlocks;
  }
}

export interface CodeBlockOptions {
  /** Word before a listing's number ("Listing", "Listing", "Листинг" …). */
  listingLabel?: string;
}

export default function remarkCodeBlocks(options: CodeBlockOptions = {}) {
  const label = options.listingLabel ?? 'Listing';
  return (tree: Root, file: VFile) => {
    const context = file.data.imprint;
    const chapterNumber = context ? [...context.chapterIds.values()].indexOf(context.chapterId) + 1 : 1;
    let listings = 0;
    file.data.codeBlocks ??= new Map();
    const blocks = file.data.codeBlocks;
    visit(tree, 'code', (node: Code, index, parent: Parent | undefined) => {
      const attributes = parseFenceMeta(node.meta ?? '');
      const language = node.lang ?? undefined;
      // rehype-code-lines finds the block again by its first line, after the sanitiser: the many spans of
      // highlighted code need not go through rehype-raw and rehype-sanitize.
      if (node.position) blocks.set(node.position.start.line, { language, attributes });
      const title = attributes.get('title') ?? attributes.get('caption');
      if (!title || !parent || index === undefined) return;
      const code: Element = {
        type: 'element',
        tagName: 'code',
        properties: { className: language ? [`language-${language}`] : [] },
        children: [{ type: 'text', value: node.value }],
        position: node.position,
      };
      listings++;
      const number = `${chapterNumber}-${listings}`;
      const figure: Element = {
        type: 'element',
        tagName: 'figure',
        properties: {
          className: ['listing'],
          id: context ? `${context.chapterId}--listing-${number}` : `listing-${number}`,
        },
        children: [
          {
            type: 'element',
            tagName: 'figcaption',
            properties: {},
            children: [
              {
                type: 'element',
                tagName: 'span',
                properties: { className: ['listing-number'] },
                children: [{ type: 'text', value: `${label} ${number}.` }],
              },
              { type: 'text', value: ` ${title}` },
            ],
          },
          { type: 'element', tagName: 'pre', properties: {}, children: [code], position: node.position },
        ],
        position: node.position,
      };
      parent.children[index] = {
        type: 'imprintListing',
        data: { hName: 'figure', hProperties: figure.properties, hChildren: figure.children },
        position: node.position,
      } as never;
    });
  };
}

/** `title="A title" numbers start=3 hl=1,3-4`, with or without braces around it. */
export function parseFenceMeta(meta: string): Map<string, string> {
  const attributes = new Map<string, string>();
  const body = meta.trim().replace(/^\{([\s\S]*)\}$/, '$1');
  for (const match of body.matchAll(/([\w-]+)(?:=(?:"([^"]*)"|'([^']*)'|([^\s"'}]+)))?/g)) {
    attributes.set(match[1].toLowerCase(), match[2] ?? match[3] ?? match[4] ?? '');
  }
  return attributes;
}
