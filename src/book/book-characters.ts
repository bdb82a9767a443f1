/**
 * Every character a book prints, with where it first occurs: chapter text (code apart, as it is set in the
 * code face), book.yaml's fields and the words Imprint adds. Fonts are chosen and checked against it.
 */
import type { Element, Root, RootContent } from 'hast';
import { toString as hastToString } from 'hast-util-to-string';
import { CONTINUATION_MARK } from '../pipeline/plugins/remark-code-blocks.ts';
import type { BookCharacters, CharacterUse } from './font-selection.ts';
import type { BookMeta, Chapter } from './types.ts';
import type { UiStrings } from './ui-strings.ts';

/** Printed around the text by Imprint or its themes whatever the book says: digits, basic punctuation. */
const ALWAYS =
  ' !"#$%&\'()*+,-./0123456789:;<=>?@[\\]^_`{|}~ \u00a0\u2013\u2014\u2018\u2019\u201c\u201d\u2026';

export function bookCharacters(
  chapters: readonly Chapter[],
  meta: BookMeta,
  strings: UiStrings,
  configFile: string,
  display: (file: string) => string,
): BookCharacters {
  const characters: BookCharacters = { text: new Map(), mono: new Map() };
  // Characters of the BMP already in each map, as flags: a map lookup per character of a 20 MB chapter added up.
  const seenIn = new Map<Map<number, CharacterUse>, Uint8Array>();
  const add = (map: Map<number, CharacterUse>, text: string, where: CharacterUse) => {
    let seen = seenIn.get(map);
    if (!seen) {
      seen = new Uint8Array(0x10000);
      seenIn.set(map, seen);
    }
    let line = where.line;
    let column = where.column;
    for (let i = 0; i < text.length; ) {
      const codePoint = text.codePointAt(i) as number;
      const width = codePoint > 0xffff ? 2 : 1;
      if (width === 2 || seen[codePoint] === 0) {
        if (width === 1) seen[codePoint] = 1;
        if (!map.has(codePoint)) map.set(codePoint, { file: where.file, line, column });
      }
      if (codePoint === 10) {
        if (line !== undefined) line++;
        column = column === undefined ? undefined : 1;
      } else if (column !== undefined) column += width;
      i += width;
    }
  };
  add(characters.text, ALWAYS, { file: configFile });
  add(characters.mono, ALWAYS, { file: configFile });
  const metaText = [
    meta.title,
    meta.subtitle,
    ...meta.authors,
    meta.publisher,
    meta.rights,
    meta.description,
    meta.identifier,
    ...Object.values(strings),
  ];
  for (const value of metaText) if (value) add(characters.text, value, { file: configFile });

  for (const chapter of chapters) {
    const file = display(chapter.path);
    const walk = (node: Root | Element, inCode: boolean, at: CharacterUse) => {
      for (const child of node.children as RootContent[]) {
        const start = child.position?.start;
        const here = start ? { file, line: start.line, column: start.column } : at;
        if (child.type === 'text') add(inCode ? characters.mono : characters.text, child.value, here);
        else if (child.type === 'element' && child.tagName === 'pre' && hasLongLine(child)) {
          // The print edition marks where a long code line breaks (src/outputs/pdf/code-lines.ts).
          add(characters.mono, CONTINUATION_MARK, here);
          walk(child, true, here);
        } else if (child.type === 'element')
          walk(child, inCode || child.tagName === 'code' || child.tagName === 'pre', here);
      }
    };
    walk(chapter.tree, false, { file });
  }
  return characters;
}

/** A code line that may not fit across a print page (the narrowest page sizes fit about 40 characters). */
function hasLongLine(pre: Element): boolean {
  return hastToString(pre)
    .split('\n')
    .some((line) => line.length > 40);
}
