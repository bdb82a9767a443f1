/**
 * Opens the chapter with its title block (kicker, title, deck, byline, date) from the front matter. The
 * fields are inline Markdown, so they get the same smart quotes and emphasis as the text.
 */
import type { PhrasingContent, Root } from 'mdast';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import type { VFile } from 'vfile';
import { fieldSlot, imprintBlock } from '../imprint-node.ts';
import remarkSmartTypography from './remark-smart-typography.ts';

const processors = new Map<string, ReturnType<typeof inlineProcessor>>();
const inlineProcessor = (lang: string) => unified().use(remarkParse).use(remarkSmartTypography, { lang });

/** Inline Markdown (a front matter field, a title in book.yaml) with the quotes of the book's language. */
export function inlineMarkdown(text: string, lang = 'en'): PhrasingContent[] {
  let inline = processors.get(lang);
  if (!inline) {
    inline = inlineProcessor(lang);
    processors.set(lang, inline);
  }
  const tree = inline.runSync(PLAIN.test(text) ? plainParagraph(text) : inline.parse(text)) as Root;
  const first = tree.children[0];
  return first?.type === 'paragraph' ? first.children : [{ type: 'text', value: text }];
}

/**
 * Text that Markdown reads as one paragraph of plain text: it starts with a letter, a quote or a bracket (not
 * a list, heading or block quote), holds no character that can begin inline markup (`* _ ` [ ] < & \` …) and
 * no line break, and ends with no space. Most titles, kickers, decks and bylines are such text; each parse
 * costs micromark's set-up, a tenth of a chapter's reading over its five fields, so these skip it.
 */
const PLAIN = /^["'“‘«„(\p{L}][\p{L}\p{M}\p{N}\p{Zs},.;:!?'"’‘“”«»„‚–—%/()-]*(?<!\p{Zs})$/u;

function plainParagraph(text: string): Root {
  return { type: 'root', children: [{ type: 'paragraph', children: [{ type: 'text', value: text }] }] };
}

export default function remarkTitleBlock(options: { lang?: string } = {}) {
  return (tree: Root, file: VFile) => {
    const meta = file.data.meta;
    if (!meta) return;
    const parts = {
      title: meta.title,
      kicker: meta.kicker,
      deck: meta.deck,
      byline: meta.byline,
      date: meta.date,
    };
    const slots = Object.entries(parts)
      .filter((entry): entry is [string, string] => Boolean(entry[1]))
      .map(([name, text]) => fieldSlot(name, inlineMarkdown(text, options.lang)));
    const fields = Object.fromEntries(
      Object.entries(parts).map(([name, text]) => [name, text ? true : undefined]),
    );
    tree.children.unshift(imprintBlock('title-block', fields, slots as never[]) as never);
  };
}
