/**
 * Smart quotes, apostrophes, dashes and ellipses in the book's language (the language's quotation marks from
 * CLDR), set straight on the mdast text: each paragraph, heading, table cell and directive label is one run
 * (src/pipeline/smart-punctuation.ts), so a quotation that crosses *emphasis* or a link pairs up, and each
 * run starts afresh. Code, inline code and raw HTML are never changed.
 *
 * Written here rather than taken from remark-smartypants, which turns every block into a natural-language
 * (retext) tree and back: a third of the time it takes to read a chapter, with English closing quotes as
 * apostrophes and no way to say what a quote beside inline code or a line break is.
 */
import type { Nodes, Root, Text } from 'mdast';
import {
  BREAK,
  CODE,
  type PunctuationRules,
  punctuationRules,
  type RunPart,
  smartenRun,
} from '../smart-punctuation.ts';

export interface SmartTypographyOptions {
  /** BCP 47 tag of the book's language (book.yaml `lang`). */
  lang?: string;
}

/** Nodes whose phrasing content is one run of text: a quote opened in one never closes in another. */
const RUNS = new Set(['paragraph', 'heading', 'tableCell', 'leafDirective']);
/** Nodes whose text is written as it is. */
const VERBATIM = new Set(['code', 'inlineCode', 'html', 'yaml']);

export default function remarkSmartTypography(options: SmartTypographyOptions = {}) {
  const rules = punctuationRules(options.lang ?? 'en');
  return (tree: Root) => {
    // A loop rather than recursion: the block structure may nest deeply.
    const pending: Nodes[] = [tree];
    for (let node = pending.pop(); node; node = pending.pop()) {
      if (RUNS.has(node.type)) smartenPhrasing(node, rules);
      else if (node.type === 'text') node.value = smartenRun([node.value], rules)[0];
      else if ('children' in node && !VERBATIM.has(node.type)) {
        // One by one: a spread of a 20 MB chapter's blocks would pass the engine's argument limit.
        for (const child of node.children as Nodes[]) pending.push(child);
      }
    }
  };
}

/** Smartens the text inside `block` as one run, in document order. */
function smartenPhrasing(block: Nodes, rules: PunctuationRules): void {
  const parts: RunPart[] = [];
  const texts: Text[] = [];
  const stack: { children: Nodes[]; next: number }[] = [
    { children: 'children' in block ? (block.children as Nodes[]) : [], next: 0 },
  ];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const node = top.children[top.next++];
    if (!node) {
      stack.pop();
      continue;
    }
    if (node.type === 'text') {
      parts.push(node.value);
      texts.push(node);
    } else if (node.type === 'inlineCode') parts.push(CODE);
    else if (node.type === 'break') parts.push(BREAK);
    else if ('children' in node && !VERBATIM.has(node.type)) {
      stack.push({ children: node.children as Nodes[], next: 0 });
    }
  }
  if (texts.length === 0) return;
  const smartened = smartenRun(parts, rules);
  let text = 0;
  parts.forEach((part, index) => {
    if (typeof part === 'string') texts[text++].value = smartened[index];
  });
}
