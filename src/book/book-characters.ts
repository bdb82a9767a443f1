/**
 * Every character a book prints, with where it first occurs: chapter text (code apart, as it is set in the
 * code face), book.yaml's fields and the words Imprint adds. Fonts are chosen and checked against it.
 *
 * Each chapter's characters are found once per tree and kept with the chapter in the chapter cache, so a
 * rebuild walks only the chapters it processed (walking all forty trees was a twentieth of an HTML rebuild).
 */
import type { Element, Root, RootContent } from 'hast';
import { toString as hastToString } from 'hast-util-to-string';
import { CONTINUATION_MARK } from '../pipeline/plugins/remark-code-blocks.ts';
import type { BookCharacters, CharacterUse } from './font-selection.ts';
import { treeFact } from './tree-fact.ts';
import type { BookMeta, Chapter } from './types.ts';
import type { UiStrings } from './ui-strings.ts';

/**
 * One chapter's distinct characters in the order they first occur, as flat triples: code point, line,
 * column (0 where the tree has no position). Plain numbers, so the chapter cache stores them as they are.
 */
export interface ChapterCharacters {
  text: number[];
  mono: number[];
}

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
  const addText = (map: Map<number, CharacterUse>, text: string, file: string) => {
    for (const char of text) {
      const codePoint = char.codePointAt(0) as number;
      if (!map.has(codePoint)) map.set(codePoint, { file, line: undefined, column: undefined });
    }
  };
  addText(characters.text, ALWAYS, configFile);
  addText(characters.mono, ALWAYS, configFile);
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
  for (const value of metaText) if (value) addText(characters.text, value, configFile);

  const addFound = (map: Map<number, CharacterUse>, found: readonly number[], file: string) => {
    for (let i = 0; i < found.length; i += 3) {
      if (map.has(found[i])) continue;
      map.set(found[i], {
        file,
        line: found[i + 1] === 0 ? undefined : found[i + 1],
        column: found[i + 2] === 0 ? undefined : found[i + 2],
      });
    }
  };
  for (const chapter of chapters) {
    const found = chapterCharacters(chapter.tree);
    const file = display(chapter.path);
    addFound(characters.text, found.text, file);
    addFound(characters.mono, found.mono, file);
  }
  return characters;
}

const charactersOfTree = treeFact(findCharacters);

/** The characters of a chapter's tree, found on the first call (or given by the chapter cache). */
export const chapterCharacters = charactersOfTree.of;

/** Takes a chapter's characters as the chapter cache kept them with its tree. */
export const rememberChapterCharacters = charactersOfTree.remember;

/** Whether a value read back from the cache has the shape of ChapterCharacters. */
export function isChapterCharacters(value: unknown): value is ChapterCharacters {
  const candidate = value as Partial<ChapterCharacters> | null;
  const triples = (list: unknown) =>
    Array.isArray(list) && list.length % 3 === 0 && list.every((n) => Number.isInteger(n) && n >= 0);
  return (
    typeof candidate === 'object' && candidate !== null && triples(candidate.text) && triples(candidate.mono)
  );
}

function findCharacters(tree: Root): ChapterCharacters {
  const found: ChapterCharacters = { text: [], mono: [] };
  // Characters of the BMP already found, as flags: a set lookup per character of a 20 MB chapter added up.
  const seenText = new Uint8Array(0x10000);
  const seenMono = new Uint8Array(0x10000);
  const seenAstral = { text: new Set<number>(), mono: new Set<number>() };
  const add = (mono: boolean, text: string, line: number, column: number) => {
    const list = mono ? found.mono : found.text;
    const seen = mono ? seenMono : seenText;
    const astral = mono ? seenAstral.mono : seenAstral.text;
    for (let i = 0; i < text.length; ) {
      const codePoint = text.codePointAt(i) as number;
      const width = codePoint > 0xffff ? 2 : 1;
      if (width === 1 ? seen[codePoint] === 0 : !astral.has(codePoint)) {
        if (width === 1) seen[codePoint] = 1;
        else astral.add(codePoint);
        list.push(codePoint, line, column);
      }
      if (codePoint === 10) {
        if (line !== 0) line++;
        if (column !== 0) column = 1;
      } else if (column !== 0) column += width;
      i += width;
    }
  };
  const walk = (node: Root | Element, inCode: boolean, line: number, column: number) => {
    for (const child of node.children as RootContent[]) {
      const start = child.position?.start;
      const here = start ? [start.line, start.column] : [line, column];
      if (child.type === 'text') add(inCode, child.value, here[0], here[1]);
      else if (child.type === 'element' && child.tagName === 'pre' && hasLongLine(child)) {
        // The print edition marks where a long code line breaks (src/outputs/pdf/code-lines.ts).
        add(true, CONTINUATION_MARK, here[0], here[1]);
        walk(child, true, here[0], here[1]);
      } else if (child.type === 'element')
        walk(child, inCode || child.tagName === 'code' || child.tagName === 'pre', here[0], here[1]);
    }
  };
  walk(tree, false, 0, 0);
  return found;
}

/** A code line that may not fit across a print page (the narrowest page sizes fit about 40 characters). */
function hasLongLine(pre: Element): boolean {
  return hastToString(pre)
    .split('\n')
    .some((line) => line.length > 40);
}
