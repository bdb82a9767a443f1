/**
 * Two of Chromium's tagged PDFs, the halves of a book printed in two pages at once (print-halves.ts), joined
 * into the one file Chromium would have printed: the first half's pages then the second's, one page tree, one
 * structure tree, one parent tree, one set of named destinations, and the links from one half to the other
 * (printed as `imprint-dest:<id>` URIs, since a half cannot link to what it does not hold) made internal links.
 *
 * The join is byte work on Chromium's own files, as incremental-save.ts reads them: each file ends in one
 * classic cross-reference table, so every object is found, and sliced, by its offset. A 330-page book is some
 * 11,000 objects, four in five of them structure elements; parsing them all with pdf-lib would take a second,
 * so only the few objects that change are parsed (catalogs, page-tree roots, the structure trees' roots and
 * Document elements, parent trees, ID trees, destinations, and the link annotations naming `imprint-dest:`).
 * The first half's other objects are copied as they are. The second half's are renumbered after the first's:
 * native searches find the `N G R` references and parent-tree keys (`/StructParents`, `/StructParent`) of its
 * dictionaries and arrays, stepping over strings, hex strings and comments whole, so that nothing in a string
 * changes, and a stream's data, found by its /Length, is copied as it is.
 * The second half's objects that the first's take the place of (catalog, page-tree root, structure tree root,
 * Document element, parent tree, ID tree, destinations, Info) are not written; references to its page-tree
 * root, structure tree root and Document element go to the first's. The file is written in Chromium's textual
 * form (`<</Type /StructElem\n/S …`), so that incremental-save.ts still recognises what it leaves to the
 * bytes, with one fresh cross-reference table.
 *
 * Anything not shaped as expected (another cross-reference form, an encrypted or updated file, a structure or
 * page tree of another shape) gives undefined: the caller then prints the book whole, which is slower but never
 * wrong. A destination name in both halves (only the shell both print can hold one) keeps the first half's.
 */
import { classicCrossReferences } from './incremental-save.ts';

/** Thrown wherever a file is not shaped as expected; mergePrintedPdfs answers undefined. */
class NotAsExpected extends Error {}

function check(condition: unknown): asserts condition {
  if (!condition) throw new NotAsExpected();
}

/** One PDF: all pages of `first`, then all pages of `second`; undefined when they cannot be joined safely. */
export function mergePrintedPdfs(first: Uint8Array, second: Uint8Array): Uint8Array | undefined {
  try {
    return merge(readObjects(first), readObjects(second));
  } catch (error) {
    if (error instanceof NotAsExpected) return undefined;
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Objects by their cross-reference table.

interface PrintedPdf {
  bytes: Buffer;
  /** The same, one character a byte: for native searches and comparisons, and cheap slices. */
  text: string;
  /** The trailer's /Size: object numbers are below it. */
  size: number;
  root: number;
  info?: number;
  /** Offset of each object in use by its number, -1 for a number not in use. */
  start: Float64Array;
  /** Where each object's slice ends: the next object's offset, or the cross-reference table's. */
  end: Float64Array;
  /** The numbers in use in file order. */
  order: number[];
}

function readObjects(input: Uint8Array): PrintedPdf {
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  // The one classic cross-reference table Chromium ends its file with, read as the finishing reads it.
  const table = classicCrossReferences(bytes);
  check(table);
  const { size, startXref, trailer } = table;
  const root = Number(/\/Root\s+(\d+)\s+0\s+R/.exec(trailer)?.[1]);
  const info = /\/Info\s+(\d+)\s+0\s+R/.exec(trailer)?.[1];
  // A /Size past one object every ten bytes is no PDF (and would only make the tables below huge).
  check(Number.isInteger(size) && size <= bytes.byteLength / 10 + 1 && Number.isInteger(root));
  check(startXref < bytes.byteLength);
  const start = new Float64Array(size).fill(-1);
  for (const [number, offset] of table.offsets) {
    // Every object's generation is checked with its header (headerEnd): Chromium writes generation 0 only.
    check(number > 0 && number < size && offset >= 0 && offset < startXref);
    start[number] = offset;
  }
  const order = [...table.offsets.keys()].sort((x, y) => start[x] - start[y]);
  const end = new Float64Array(size).fill(-1);
  for (let index = 0; index < order.length; index++) {
    end[order[index]] = index + 1 < order.length ? start[order[index + 1]] : startXref;
    // Objects apart, before the table: two entries sharing an offset would make a slice of nothing.
    check(end[order[index]] > start[order[index]]);
  }
  check(start[order[0]] > 0);
  const text = bytes.toString('latin1');
  const pdf = {
    bytes,
    text,
    size,
    root,
    info: info === undefined ? undefined : Number(info),
    start,
    end,
    order,
  };
  for (const number of order) headerEnd(pdf, number);
  check(pdf.start[root] >= 0 && (pdf.info === undefined || pdf.start[pdf.info] >= 0));
  return pdf;
}

/** The offset after an object's `N 0 obj` (as Chromium writes it), checked to be that object's. */
function headerEnd(pdf: PrintedPdf, number: number): number {
  const header = `${number} 0 obj`;
  const start = pdf.start[number];
  check(pdf.text.startsWith(header, start) && start + header.length <= pdf.end[number]);
  return start + header.length;
}

/** The object holding byte `offset`. */
function objectAt(pdf: PrintedPdf, offset: number): number {
  let low = 0;
  let high = pdf.order.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (pdf.start[pdf.order[middle]] <= offset) low = middle;
    else high = middle - 1;
  }
  return pdf.order[low];
}

// ---------------------------------------------------------------------------------------------------------
// Tokens.

type Kind = 'number' | 'name' | 'string' | 'hex' | '<<' | '>>' | '[' | ']' | 'keyword' | 'end';

const WHITESPACE = new Uint8Array(256);
for (const byte of [0, 9, 10, 12, 13, 32]) WHITESPACE[byte] = 1;
const DELIMITER = new Uint8Array(256);
for (const character of '()<>[]{}/%') DELIMITER[character.charCodeAt(0)] = 1;
const REGULAR = WHITESPACE.map((space, byte) => (space || DELIMITER[byte] ? 0 : 1));

/** PDF's whitespace (ISO 32000-1, 7.2.2), not JavaScript's `\s`: that takes the latin1 byte 0xA0 for one. */
const W = '[\\x00\\t\\n\\f\\r ]';
/** Before and after a token: whitespace, a delimiter, or the start or end of the text. */
const BEFORE = '(?<![^\\x00\\t\\n\\f\\r ()<>[\\]{}/%])';
const AFTER = '(?![^\\x00\\t\\n\\f\\r ()<>[\\]{}/%])';

/** PDF's tokens (ISO 32000-1, 7.2) between two offsets, one at a time, without copying anything. */
class Lexer {
  kind: Kind = 'end';
  start = 0;
  end = 0;

  readonly bytes: Uint8Array;
  readonly text: string;

  constructor(
    pdf: PrintedPdf,
    public at: number,
    readonly limit: number,
  ) {
    this.bytes = pdf.bytes;
    this.text = pdf.text;
  }

  next(): Kind {
    const { bytes, limit } = this;
    let at = this.at;
    for (;;) {
      while (at < limit && WHITESPACE[bytes[at]]) at++;
      if (at >= limit || bytes[at] !== 0x25) break;
      while (at < limit && bytes[at] !== 0x0a && bytes[at] !== 0x0d) at++;
    }
    this.start = at;
    if (at >= limit) this.kind = 'end';
    else {
      const byte = bytes[at];
      if (byte === 0x2f) {
        at++;
        while (at < limit && REGULAR[bytes[at]]) at++;
        this.kind = 'name';
      } else if (byte === 0x28) {
        at = endOfLiteralString(bytes, at, limit);
        this.kind = 'string';
      } else if (byte === 0x3c && bytes[at + 1] === 0x3c) {
        at += 2;
        this.kind = '<<';
      } else if (byte === 0x3c) {
        const close = bytes.indexOf(0x3e, at);
        check(close > 0 && close < limit);
        at = close + 1;
        this.kind = 'hex';
      } else if (byte === 0x3e) {
        check(bytes[at + 1] === 0x3e);
        at += 2;
        this.kind = '>>';
      } else if (byte === 0x5b || byte === 0x5d) {
        at++;
        this.kind = byte === 0x5b ? '[' : ']';
      } else {
        // `)`, `{` and `}` have no place in a dictionary or an array outside a string.
        check(REGULAR[byte]);
        while (at < limit && REGULAR[bytes[at]]) at++;
        this.kind =
          (byte >= 0x30 && byte <= 0x39) || byte === 0x2b || byte === 0x2d || byte === 0x2e
            ? 'number'
            : 'keyword';
      }
    }
    this.end = this.at = at;
    return this.kind;
  }
}

/** The offset after the literal string opening at `at`: parentheses nest, a backslash escapes the next byte. */
function endOfLiteralString(bytes: Uint8Array, at: number, limit: number): number {
  let depth = 0;
  for (let index = at; index < limit; index++) {
    const byte = bytes[index];
    if (byte === 0x5c) index++;
    else if (byte === 0x28) depth++;
    else if (byte === 0x29 && --depth === 0) return index + 1;
  }
  throw new NotAsExpected();
}

/** The unsigned integer a token spells, or -1. */
function integerAt(bytes: Uint8Array, start: number, end: number): number {
  if (end <= start || end - start > 15) return -1;
  let value = 0;
  for (let index = start; index < end; index++) {
    const digit = bytes[index] - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** Whether the token at start…end of `text` is `token`. */
function tokenIs(text: string, start: number, end: number, token: string): boolean {
  return end - start === token.length && text.startsWith(token, start);
}

const ESCAPES: Record<string, number> = { n: 0x0a, r: 0x0d, t: 0x09, b: 0x08, f: 0x0c };

/** The bytes a literal or hex string token stands for, as a latin1 string (one character a byte). */
function stringValue(text: string, start: number, end: number): string {
  const raw = text.slice(start + 1, end - 1);
  if (text.charCodeAt(start) === 0x3c) {
    const digits = raw.replace(/\s+/g, '');
    let value = '';
    for (let index = 0; index < digits.length; index += 2)
      value += String.fromCharCode(Number.parseInt(digits.slice(index, index + 2).padEnd(2, '0'), 16));
    return value;
  }
  return raw.replace(/\r\n?/g, '\n').replace(/\\([0-7]{1,3}|\n|[\s\S])/g, (_, escaped: string) => {
    if (escaped === '\n') return '';
    if (/^[0-7]/.test(escaped)) return String.fromCharCode(Number.parseInt(escaped, 8) & 0xff);
    const code = ESCAPES[escaped];
    return code === undefined ? escaped : String.fromCharCode(code);
  });
}

/** A literal string token for a latin1 string: parentheses and backslash escaped, unprintable bytes in octal. */
function literalString(value: string): string {
  let text = '(';
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code === 0x28 || code === 0x29 || code === 0x5c) text += `\\${value[index]}`;
    else if (code < 0x20 || code > 0x7e) text += `\\${code.toString(8).padStart(3, '0')}`;
    else text += value[index];
  }
  return `${text})`;
}

/** A name token's bytes without the slash and with its `#xx` escapes undone, as a latin1 string. */
function nameValue(token: string): string {
  return token
    .slice(1)
    .replace(/#([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

// ---------------------------------------------------------------------------------------------------------
// The few objects read whole.

type Value = Dict | Items | Ref | Other;
interface Dict {
  kind: 'dict';
  /** By key token (`/Type`), in the order written. */
  entries: Map<string, Entry>;
  start: number;
  end: number;
}
interface Entry {
  keyStart: number;
  value: Value;
}
interface Items {
  kind: 'array';
  items: Value[];
  start: number;
  end: number;
}
interface Ref {
  kind: 'ref';
  number: number;
  start: number;
  end: number;
}
/** A number, name, string or keyword: kept as its bytes. */
interface Other {
  kind: 'other';
  token: Kind;
  start: number;
  end: number;
}

function parseObject(pdf: PrintedPdf, number: number): Value {
  const lexer = new Lexer(pdf, headerEnd(pdf, number), pdf.end[number]);
  return parseValue(lexer, lexer.next(), 0);
}

function parseValue(lexer: Lexer, kind: Kind, depth: number): Value {
  const start = lexer.start;
  // Chromium nests a few levels; deeper is another writer's file (and would only exhaust the stack).
  check(depth < 32);
  if (kind === '<<') {
    const entries = new Map<string, Entry>();
    while (lexer.next() !== '>>') {
      check(lexer.kind === 'name');
      const key = lexer.text.slice(lexer.start, lexer.end);
      const keyStart = lexer.start;
      check(!entries.has(key));
      entries.set(key, { keyStart, value: parseValue(lexer, lexer.next(), depth + 1) });
    }
    return { kind: 'dict', entries, start, end: lexer.end };
  }
  if (kind === '[') {
    const items: Value[] = [];
    while (lexer.next() !== ']') items.push(parseValue(lexer, lexer.kind, depth + 1));
    return { kind: 'array', items, start, end: lexer.end };
  }
  check(kind !== 'end' && kind !== '>>' && kind !== ']');
  if (kind === 'number') {
    const number = integerAt(lexer.bytes, lexer.start, lexer.end);
    const ref = number >= 0 && referenceAfter(lexer);
    if (ref) return { kind: 'ref', number, start, end: lexer.end };
  } else if (kind === 'keyword') {
    // A bare `R`, or `stream`, `endobj` where a value belongs: nothing Chromium writes.
    const text = lexer.text.slice(lexer.start, lexer.end);
    check(text === 'true' || text === 'false' || text === 'null');
  }
  return { kind: 'other', token: kind, start, end: lexer.end };
}

/** Whether ` 0 R` follows the number just read (then read), else the lexer is left where it was. */
function referenceAfter(lexer: Lexer): boolean {
  const { at, kind, start, end } = lexer;
  if (lexer.next() === 'number') {
    const generation = integerAt(lexer.bytes, lexer.start, lexer.end);
    if (lexer.next() === 'keyword' && tokenIs(lexer.text, lexer.start, lexer.end, 'R')) {
      check(generation === 0);
      return true;
    }
  }
  Object.assign(lexer, { at, kind, start, end });
  return false;
}

/** A dictionary object, checked to hold only `keys` when given. */
function dictAt(pdf: PrintedPdf, number: number, keys?: readonly string[]): Dict {
  check(number > 0 && number < pdf.size && pdf.start[number] >= 0);
  const value = parseObject(pdf, number);
  check(value.kind === 'dict');
  if (keys) for (const key of value.entries.keys()) check(keys.includes(key));
  return value;
}

function get(dict: Dict, key: string): Value | undefined {
  return dict.entries.get(key)?.value;
}

function refIn(dict: Dict, key: string): number {
  const value = get(dict, key);
  check(value?.kind === 'ref');
  return value.number;
}

function optionalRefIn(dict: Dict, key: string): number | undefined {
  return dict.entries.has(key) ? refIn(dict, key) : undefined;
}

/** An array of references, or one reference as an array of one. */
function refsIn(dict: Dict, key: string): number[] {
  const value = get(dict, key);
  if (value === undefined) return [];
  if (value.kind === 'ref') return [value.number];
  check(value.kind === 'array');
  return value.items.map((item) => {
    check(item.kind === 'ref');
    return item.number;
  });
}

function tokenIn(pdf: PrintedPdf, dict: Dict, key: string): string | undefined {
  const value = get(dict, key);
  return value?.kind === 'other' ? pdf.text.slice(value.start, value.end) : undefined;
}

function integerIn(pdf: PrintedPdf, dict: Dict, key: string): number {
  const value = get(dict, key);
  check(value?.kind === 'other' && value.token === 'number');
  const number = integerAt(pdf.bytes, value.start, value.end);
  check(number >= 0);
  return number;
}

/** A value written back in Chromium's form, its references renumbered by `ref`. */
function valueText(pdf: PrintedPdf, value: Value, ref: (number: number) => number): string {
  if (value.kind === 'ref') return `${ref(value.number)} 0 R`;
  if (value.kind === 'array') return `[${value.items.map((item) => valueText(pdf, item, ref)).join(' ')}]`;
  if (value.kind === 'dict') return dictText(pdf, value, ref, {});
  return pdf.text.slice(value.start, value.end);
}

/** A dictionary written back with some entries replaced (or added at the end) by `changes`' text. */
function dictText(
  pdf: PrintedPdf,
  dict: Dict,
  ref: (number: number) => number,
  changes: Record<string, string>,
): string {
  const entries = [...dict.entries].map(
    ([key, entry]) => `${key} ${changes[key] ?? valueText(pdf, entry.value, ref)}`,
  );
  for (const [key, text] of Object.entries(changes))
    if (!dict.entries.has(key)) entries.push(`${key} ${text}`);
  return `<<${entries.join('\n')}>>`;
}

const same = (number: number) => number;

function references(numbers: number[]): string {
  return `[${numbers.map((number) => `${number} 0 R`).join(' ')}]`;
}

// ---------------------------------------------------------------------------------------------------------
// What each half holds of what the join makes one.

interface Tops {
  catalog: Dict;
  pages: number;
  pagesDict: Dict;
  pageKids: number[];
  pageCount: number;
  dests?: number;
  /** Name token → the destination's page and the rest of its array (`/XYZ x y z`). */
  destinations: Map<string, [page: number, rest: string]>;
  structTreeRoot: number;
  structTreeRootDict: Dict;
  document: number;
  documentDict: Dict;
  documentKids: number[];
  parentTree: number;
  nums: [key: number, ref: number][];
  nextKey: number;
  idTree?: IdTree;
}

interface IdTree {
  root: number;
  /** The first node under the root holding names; none when the root holds them. */
  leaf?: number;
  /** Every node, the root first. */
  nodes: number[];
  /** Key (latin1) → element. */
  ids: [key: string, ref: number][];
}

// Only what Chromium writes: a key of another meaning (an outline, page labels, inherited page attributes,
// role maps …) would be lost or wrong for one half.
const CATALOG_KEYS = [
  '/Type',
  '/Pages',
  '/Dests',
  '/MarkInfo',
  '/StructTreeRoot',
  '/ViewerPreferences',
  '/Lang',
];
const PAGES_KEYS = ['/Type', '/Count', '/Kids'];
const STRUCT_TREE_ROOT_KEYS = ['/Type', '/K', '/ParentTreeNextKey', '/ParentTree', '/IDTree'];
const DOCUMENT_KEYS = ['/Type', '/S', '/Lang', '/P', '/K'];
const NAME_TREE_KEYS = ['/Kids', '/Names', '/Limits'];

function readTops(pdf: PrintedPdf): Tops {
  const catalog = dictAt(pdf, pdf.root, CATALOG_KEYS);
  check(tokenIn(pdf, catalog, '/Type') === '/Catalog');
  const pages = refIn(catalog, '/Pages');
  const pagesDict = dictAt(pdf, pages, PAGES_KEYS);
  check(tokenIn(pdf, pagesDict, '/Type') === '/Pages');
  const dests = optionalRefIn(catalog, '/Dests');
  const structTreeRoot = refIn(catalog, '/StructTreeRoot');
  const structTreeRootDict = dictAt(pdf, structTreeRoot, STRUCT_TREE_ROOT_KEYS);
  check(tokenIn(pdf, structTreeRootDict, '/Type') === '/StructTreeRoot');
  const document = refIn(structTreeRootDict, '/K');
  const documentDict = dictAt(pdf, document, DOCUMENT_KEYS);
  check(tokenIn(pdf, documentDict, '/S') === '/Document' && refIn(documentDict, '/P') === structTreeRoot);
  const parentTree = refIn(structTreeRootDict, '/ParentTree');
  const nextKey = integerIn(pdf, structTreeRootDict, '/ParentTreeNextKey');
  const idTree = optionalRefIn(structTreeRootDict, '/IDTree');
  return {
    catalog,
    pages,
    pagesDict,
    pageKids: refsIn(pagesDict, '/Kids'),
    pageCount: integerIn(pdf, pagesDict, '/Count'),
    dests,
    destinations: dests === undefined ? new Map() : readDests(pdf, dests),
    structTreeRoot,
    structTreeRootDict,
    document,
    documentDict,
    documentKids: refsIn(documentDict, '/K'),
    parentTree,
    nums: readNums(pdf, parentTree, nextKey),
    nextKey,
    idTree: idTree === undefined ? undefined : readIdTree(pdf, idTree),
  };
}

/**
 * The parent tree's pairs, its keys checked to lie below /ParentTreeNextKey (the second's go after). Read by
 * native searches, as Chromium writes it (`<</Type /ParentTree\n/Nums [0 5362 0 R 1 5363 0 R …]>>`): one pair
 * for each page and link, the largest array but one in the file.
 */
function readNums(pdf: PrintedPdf, number: number, nextKey: number): [number, number][] {
  const pairs: [number, number][] = [];
  PARENT_TREE.lastIndex = headerEnd(pdf, number);
  check(PARENT_TREE.test(pdf.text));
  let at = PARENT_TREE.lastIndex;
  for (let pair = match(NUMS_PAIR, pdf.text, at); pair; pair = match(NUMS_PAIR, pdf.text, at)) {
    const key = Number(pair[1]);
    check(key < nextKey);
    pairs.push([key, Number(pair[2])]);
    at = NUMS_PAIR.lastIndex;
  }
  check(match(CLOSE_ARRAY_DICT, pdf.text, at));
  return pairs;
}

const PARENT_TREE = new RegExp(`${W}*<<${W}*/Type${W}*/ParentTree${W}*/Nums${W}*\\[`, 'y');
const NUMS_PAIR = new RegExp(`${W}*(\\d+)${W}+(\\d+)${W}+0${W}+R${AFTER}`, 'y');
const CLOSE_ARRAY_DICT = new RegExp(`${W}*\\]${W}*>>${W}*endobj`, 'y');

/** A sticky search at `at`. */
function match(pattern: RegExp, text: string, at: number): RegExpExecArray | null {
  pattern.lastIndex = at;
  return pattern.exec(text);
}

/**
 * The named destinations, as Chromium writes them (`<</id [11 0 R /XYZ 311.25 413.25 0]\n…>>`), read by
 * native searches: a book has one or two for every heading, figure and note.
 */
function readDests(pdf: PrintedPdf, number: number): Map<string, [number, string]> {
  const destinations = new Map<string, [number, string]>();
  let at = headerEnd(pdf, number);
  check(match(OPEN_DICT, pdf.text, at));
  at = OPEN_DICT.lastIndex;
  for (let entry = match(DEST, pdf.text, at); entry; entry = match(DEST, pdf.text, at)) {
    check(!destinations.has(entry[1]));
    destinations.set(entry[1], [Number(entry[2]), entry[3]]);
    at = DEST.lastIndex;
  }
  check(match(CLOSE_DICT, pdf.text, at));
  return destinations;
}

const OPEN_DICT = new RegExp(`${W}*<<`, 'y');
const DEST = new RegExp(
  `${W}*(/[^\\x00\\t\\n\\f\\r ()<>[\\]{}/%]*)${W}*\\[${W}*(\\d+)${W}+0${W}+R([^()<>[\\]{}%]*)\\]`,
  'y',
);
const CLOSE_DICT = new RegExp(`${W}*>>${W}*endobj`, 'y');

function readIdTree(pdf: PrintedPdf, root: number): IdTree {
  const tree: IdTree = { root, nodes: [], ids: [] };
  const visit = (number: number, depth: number) => {
    check(depth < 16 && !tree.nodes.includes(number));
    tree.nodes.push(number);
    const node = dictAt(pdf, number, NAME_TREE_KEYS);
    for (const kid of refsIn(node, '/Kids')) visit(kid, depth + 1);
    const names = get(node, '/Names');
    if (names === undefined) return;
    if (number !== root) tree.leaf ??= number;
    check(names.kind === 'array' && names.items.length % 2 === 0);
    for (let index = 0; index < names.items.length; index += 2) {
      const key = names.items[index];
      const value = names.items[index + 1];
      check(key.kind === 'other' && (key.token === 'string' || key.token === 'hex') && value.kind === 'ref');
      tree.ids.push([stringValue(pdf.text, key.start, key.end), value.number]);
    }
  };
  visit(root, 0);
  return tree;
}

// ---------------------------------------------------------------------------------------------------------
// The join.

/** A change to an object's bytes: start…end becomes `text`. */
interface Edit {
  start: number;
  end: number;
  text: string;
}

/** How the second half's objects change. */
interface Renumbering {
  /** Second's number → merged number, -1 for an object not written and not referred to. */
  map: Int32Array;
  structParentShift: number;
  /** The second's IDs (latin1) that the first holds too → their new names. */
  renamedIds: Map<string, string>;
}

function merge(a: PrintedPdf, b: PrintedPdf): Uint8Array {
  const first = readTops(a);
  const second = readTops(b);
  const renamedIds = renameCollidingIds(first.idTree, second.idTree);
  const dropped = new Set([b.root, second.pages, second.structTreeRoot, second.document, second.parentTree]);
  if (b.info !== undefined) dropped.add(b.info);
  if (first.dests !== undefined && second.dests !== undefined) dropped.add(second.dests);
  // The merged ID tree takes the first's root and leaf, or the second's when the first has none.
  const idSlots = first.idTree ?? second.idTree;
  for (const node of second.idTree?.nodes ?? [])
    if (first.idTree || (node !== idSlots?.root && node !== idSlots?.leaf)) dropped.add(node);
  const droppedFirst = new Set(
    (first.idTree?.nodes ?? []).filter((node) => node !== first.idTree?.root && node !== first.idTree?.leaf),
  );
  const map = new Int32Array(b.size).fill(-1);
  let size = a.size;
  for (let number = 1; number < b.size; number++)
    if (b.start[number] >= 0 && !dropped.has(number)) map[number] = size++;
  map[second.pages] = first.pages;
  map[second.structTreeRoot] = first.structTreeRoot;
  map[second.document] = first.document;
  const plan: Renumbering = { map, structParentShift: first.nextKey, renamedIds };
  const ref = (number: number) => {
    check(number > 0 && number < map.length && map[number] >= 0);
    return map[number];
  };

  const replaced = new Map<number, string>();
  replaced.set(
    first.pages,
    dictText(a, first.pagesDict, same, {
      '/Count': String(first.pageCount + second.pageCount),
      '/Kids': references([...first.pageKids, ...second.pageKids.map(ref)]),
    }),
  );
  replaced.set(
    first.document,
    dictText(a, first.documentDict, same, {
      '/K': references([...first.documentKids, ...second.documentKids.map(ref)]),
    }),
  );
  const nums = [...first.nums, ...second.nums.map(([key, value]) => [key + first.nextKey, ref(value)])];
  replaced.set(
    first.parentTree,
    `<</Type /ParentTree\n/Nums [${nums.map(([key, value]) => `${key} ${value} 0 R`).join(' ')}]>>`,
  );
  const idTree = idSlots && mergedIdTree(first.idTree, second.idTree, renamedIds, ref, replaced);
  replaced.set(
    first.structTreeRoot,
    dictText(a, first.structTreeRootDict, same, {
      '/ParentTreeNextKey': String(first.nextKey + second.nextKey),
      ...(idTree === undefined ? {} : { '/IDTree': `${idTree} 0 R` }),
    }),
  );
  const dests = mergedDests(first, second, ref);
  if (dests) {
    replaced.set(dests.slot, dests.text);
    if (first.dests === undefined)
      replaced.set(a.root, dictText(a, first.catalog, same, { '/Dests': `${dests.slot} 0 R` }));
  }
  const destinations = dests?.byId ?? new Map<string, string>();
  return write({
    a,
    b,
    size,
    plan,
    replaced,
    droppedFirst,
    linksFirst: linkEdits(a, destinations),
    linksSecond: linkEdits(b, destinations),
  });
}

/**
 * Each renderer numbers the IDs of its own elements (`node00000562`), so the halves may use the same one for
 * different elements: the second's is renamed then, in its ID tree and in its elements (`/ID`, and the table
 * cells' `/Headers` naming it), rather than dropped, which would leave a table header cell without its ID.
 */
function renameCollidingIds(first?: IdTree, second?: IdTree): Map<string, string> {
  const renamed = new Map<string, string>();
  if (!first || !second) return renamed;
  const firstKeys = new Set(first.ids.map(([key]) => key));
  const taken = new Set([...firstKeys, ...second.ids.map(([key]) => key)]);
  for (const [key] of second.ids) {
    if (!firstKeys.has(key) || renamed.has(key)) continue;
    let name = `b-${key}`;
    while (taken.has(name)) name = `b-${name}`;
    taken.add(name);
    renamed.set(key, name);
  }
  return renamed;
}

/** Writes the merged ID tree into `replaced` (a root and one sorted leaf, as Chromium writes it); its root. */
function mergedIdTree(
  first: IdTree | undefined,
  second: IdTree | undefined,
  renamed: Map<string, string>,
  ref: (number: number) => number,
  replaced: Map<number, string>,
): number | undefined {
  const ids = [
    ...(first?.ids ?? []),
    ...(second?.ids ?? []).map(([key, value]): [string, number] => [renamed.get(key) ?? key, ref(value)]),
  ];
  // Name-tree keys are ordered by their bytes: latin1 strings compare so.
  ids.sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  const names = `/Names [${ids.map(([key, value]) => `${literalString(key)} ${value} 0 R`).join(' ')}]`;
  const root = first ? first.root : second && ref(second.root);
  const leaf = first ? first.leaf : second?.leaf === undefined ? undefined : ref(second.leaf);
  if (root === undefined) return undefined;
  if (leaf === undefined || ids.length === 0) {
    replaced.set(root, `<<${names}>>`);
    return root;
  }
  const limits = `/Limits [${literalString(ids[0][0])} ${literalString(ids[ids.length - 1][0])}]`;
  replaced.set(root, `<</Kids [${leaf} 0 R]>>`);
  replaced.set(leaf, `<<${limits}\n${names}>>`);
  return root;
}

interface Destinations {
  /** The merged number of the destinations' dictionary. */
  slot: number;
  text: string;
  /** HTML id → the name token of its destination. */
  byId: Map<string, string>;
}

/** Both halves' named destinations in one dictionary. */
function mergedDests(first: Tops, second: Tops, ref: (number: number) => number): Destinations | undefined {
  const slot = first.dests ?? (second.dests === undefined ? undefined : ref(second.dests));
  if (slot === undefined) return undefined;
  const entries = new Map<string, string>();
  for (const [key, [page, rest]] of first.destinations) entries.set(key, `[${page} 0 R${rest}]`);
  // A name in both halves is an element of the shell both print (the chapters are in one half only): the
  // first half's, where the whole book's is.
  for (const [key, [page, rest]] of second.destinations) {
    if (!entries.has(key)) entries.set(key, `[${ref(page)} 0 R${rest}]`);
  }
  const byId = new Map<string, string>();
  for (const key of entries.keys()) {
    // Most names are ids as they are: decoded only when escaped or not ASCII.
    const id = /[#%\x80-\xff]/.test(key) ? decodedId(nameValue(key)) : key.slice(1);
    if (!byId.has(id)) byId.set(id, key);
  }
  return { slot, text: `<<${[...entries].map(([key, value]) => `${key} ${value}`).join('\n')}>>`, byId };
}

/**
 * An id as a link names it: Chromium names a destination by the link's URL fragment (percent-encoded UTF-8)
 * and print-halves.ts writes `imprint-dest:` + encodeURIComponent(id); both decode to the HTML id.
 */
function decodedId(latin1: string): string {
  const text = Buffer.from(latin1, 'latin1').toString('utf8');
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const LINK_PREFIX = 'imprint-dest:';

/** The edits that make each `imprint-dest:` link of a file an internal link, by object number. */
function linkEdits(pdf: PrintedPdf, destinations: Map<string, string>): Map<number, Edit> {
  const edits = new Map<number, Edit>();
  const prefix = Buffer.from(LINK_PREFIX, 'latin1');
  for (let at = pdf.bytes.indexOf(prefix); at >= 0; ) {
    const number = objectAt(pdf, at);
    const edit = edits.has(number) ? undefined : linkEdit(pdf, number, destinations);
    if (edit) edits.set(number, edit);
    at = pdf.bytes.indexOf(prefix, at + prefix.length);
  }
  return edits;
}

/**
 * A link annotation's `/A <</S /URI /URI (imprint-dest:…)>>` as `/Dest /name`; when no destination has that
 * id, the action is taken out: a link to nothing rather than to a URI no reader can open.
 */
function linkEdit(pdf: PrintedPdf, number: number, destinations: Map<string, string>): Edit | undefined {
  const annotation = parseObject(pdf, number);
  if (annotation.kind !== 'dict') return undefined;
  if (tokenIn(pdf, annotation, '/Subtype') !== '/Link' || annotation.entries.has('/Dest')) return undefined;
  const action = annotation.entries.get('/A');
  if (action?.value.kind !== 'dict' || tokenIn(pdf, action.value, '/S') !== '/URI') return undefined;
  const uri = get(action.value, '/URI');
  if (uri?.kind !== 'other' || (uri.token !== 'string' && uri.token !== 'hex')) return undefined;
  const target = stringValue(pdf.text, uri.start, uri.end);
  if (!target.startsWith(LINK_PREFIX)) return undefined;
  const name = destinations.get(decodedId(target.slice(LINK_PREFIX.length)));
  if (name) return { start: action.keyStart, end: action.value.end, text: `/Dest ${name}` };
  let start = action.keyStart;
  while (start > 0 && WHITESPACE[pdf.bytes[start - 1]]) start--;
  return { start, end: action.value.end, text: '' };
}

// ---------------------------------------------------------------------------------------------------------
// The second half's objects renumbered.

/**
 * What the renumbering of the second's objects stops at, each found by one native search: a reference (1, 2);
 * a page's or a link's parent-tree key (3); the stream, whose /Length Chromium writes last (4); the key of an
 * ID, which may be renamed; a string, a hex string or a comment, stepped over whole so that nothing in one is
 * taken for a reference (or `<<`); the end of the object (5). Faster than a scanner reading every byte in
 * JavaScript, above all on the first run, which is the only one a build makes.
 */
const SCAN = new RegExp(
  [
    `${BEFORE}(\\d+)${W}+(\\d+)${W}+R${AFTER}`,
    `/StructParents?${W}+(\\d+)${AFTER}`,
    `/Length${W}+(\\d+)${W}*>>${W}*stream\\r?\\n`,
    `/(?:ID|Headers)${AFTER}`,
    '[(<%]',
    `${BEFORE}(endobj|stream)${AFTER}`,
    `/(?:BaseFont|FontName)${W}*/([A-Z]{5})([A-Z])\\+`,
  ].join('|'),
  'g',
);
const INDIRECT = new RegExp(`${W}+\\d+${W}+R${AFTER}`, 'y');

/**
 * One of the second's objects as the merged file's `merged`: its references renumbered, its parent-tree key
 * moved past the first's, its IDs renamed where the first has them, and a link's action (`link`) replaced.
 * Everything else, strings and stream data above all, is copied as it is.
 */
function writeRenumbered(
  writer: Writer,
  pdf: PrintedPdf,
  number: number,
  merged: number,
  plan: Renumbering,
  link: Edit | undefined,
): void {
  const { text } = pdf;
  const end = pdf.end[number];
  let copied = headerEnd(pdf, number);
  writer.text(`${merged} 0 obj`);
  const put = (start: number, stop: number, replacement: string) => {
    writer.slice(pdf, copied, start);
    writer.text(replacement);
    copied = stop;
  };
  let linkDone = !link;
  SCAN.lastIndex = copied;
  for (;;) {
    const match = SCAN.exec(text);
    check(match && match.index < end);
    const at = match.index;
    if (link && !linkDone && at >= link.start) {
      put(link.start, link.end, link.text);
      linkDone = true;
      if (at < link.end) {
        SCAN.lastIndex = link.end;
        continue;
      }
    }
    if (match[1] !== undefined) {
      check(match[2] === '0');
      const target = Number(match[1]);
      const mapped = target < plan.map.length ? plan.map[target] : -1;
      check(mapped > 0);
      put(at, at + match[1].length, String(mapped));
    } else if (match[3] !== undefined) {
      // An indirect parent-tree key is not Chromium's.
      INDIRECT.lastIndex = SCAN.lastIndex;
      check(!INDIRECT.test(text));
      put(
        SCAN.lastIndex - match[3].length,
        SCAN.lastIndex,
        String(Number(match[3]) + plan.structParentShift),
      );
    } else if (match[4] !== undefined) {
      checkStream(pdf, number, SCAN.lastIndex, Number(match[4]));
      break;
    } else if (match[5] !== undefined) {
      check(match[5] === 'endobj');
      break;
    } else if (match[6] !== undefined) {
      // Each renderer tags its font subsets AAAAAA+, BAAAAA+ … in the order it embeds them, so both halves may
      // name different subsets of a face alike (GAAAAA+SourceSerif4-Bold): a printer's RIP takes fonts of one
      // name for one font. The second's tags end in the next letter; the first's never get past AAAAA.
      const last = SCAN.lastIndex - 2;
      put(last, last + 1, String.fromCharCode(((match[7].charCodeAt(0) - 0x41 + 1) % 26) + 0x41));
    } else SCAN.lastIndex = skipped(pdf, at, end, plan, put);
  }
  writer.slice(pdf, copied, end);
}

/** Where the search goes on after a string, a hex string, a comment, `<<`, or an ID's key and value. */
function skipped(
  pdf: PrintedPdf,
  at: number,
  end: number,
  plan: Renumbering,
  put: (start: number, stop: number, replacement: string) => void,
): number {
  const { bytes } = pdf;
  const byte = bytes[at];
  if (byte === 0x28) return endOfLiteralString(bytes, at, end);
  if (byte === 0x3c && bytes[at + 1] === 0x3c) return at + 2;
  const lexer = new Lexer(pdf, at, end);
  if (byte === 0x3c) {
    check(lexer.next() === 'hex');
    return lexer.end;
  }
  if (byte === 0x25) {
    let after = at;
    while (after < end && bytes[after] !== 0x0a && bytes[after] !== 0x0d) after++;
    return after;
  }
  // `/ID (…)` or `/Headers [(…) …]`: strings naming IDs.
  lexer.next();
  if (plan.renamedIds.size === 0) return lexer.end;
  const rename = () => {
    check(lexer.kind === 'string' || lexer.kind === 'hex');
    const renamed = plan.renamedIds.get(stringValue(lexer.text, lexer.start, lexer.end));
    if (renamed !== undefined) put(lexer.start, lexer.end, literalString(renamed));
  };
  if (lexer.next() === '[') while (lexer.next() !== ']') rename();
  else rename();
  return lexer.end;
}

/** Checks that a stream's data, `length` bytes from `data`, ends at `endstream`. */
function checkStream(pdf: PrintedPdf, number: number, data: number, length: number): void {
  const { bytes } = pdf;
  let after = data + length;
  while (after < pdf.end[number] && WHITESPACE[bytes[after]]) after++;
  check(pdf.text.startsWith('endstream', after));
}

// ---------------------------------------------------------------------------------------------------------
// The file.

interface Output {
  a: PrintedPdf;
  b: PrintedPdf;
  /** The merged /Size. */
  size: number;
  plan: Renumbering;
  /** New text of objects, by merged number. */
  replaced: Map<number, string>;
  droppedFirst: Set<number>;
  linksFirst: Map<number, Edit>;
  linksSecond: Map<number, Edit>;
}

function write(output: Output): Uint8Array {
  const { a, b, size, plan, replaced } = output;
  // About what the file takes: both halves less the objects not written, plus the new table.
  const writer = new Writer(a.bytes.byteLength + b.bytes.byteLength + 65536);
  const offsets = new Float64Array(size).fill(-1);
  // Chromium's header and binary comment line.
  writer.slice(a, 0, a.start[a.order[0]]);
  // The first's objects that do not change are copied in runs, as they lie in the file.
  let run = a.start[a.order[0]];
  let runEnd = run;
  for (const number of a.order) {
    const text = replaced.get(number);
    const link = output.linksFirst.get(number);
    if (text === undefined && !link && !output.droppedFirst.has(number)) {
      offsets[number] = writer.length + runEnd - run;
      runEnd = a.end[number];
      continue;
    }
    writer.slice(a, run, runEnd);
    run = runEnd = a.end[number];
    if (output.droppedFirst.has(number)) continue;
    offsets[number] = writer.length;
    if (text !== undefined) writer.object(number, text);
    else writeEdited(writer, a, number, number, link ? [link] : []);
  }
  writer.slice(a, run, runEnd);
  for (const number of b.order) {
    const merged = plan.map[number];
    if (merged < a.size) continue;
    offsets[merged] = writer.length;
    const body = replaced.get(merged);
    if (body !== undefined) writer.object(merged, body);
    else writeRenumbered(writer, b, number, merged, plan, output.linksSecond.get(number));
  }
  return writer.result(crossReferences(offsets, a, writer.length));
}

/** An object of a half as `merged`, with `edits` (in order) made to it. */
function writeEdited(writer: Writer, pdf: PrintedPdf, number: number, merged: number, edits: Edit[]): void {
  writer.text(`${merged} 0 obj`);
  let at = headerEnd(pdf, number);
  for (const edit of edits) {
    writer.slice(pdf, at, edit.start);
    writer.text(edit.text);
    at = edit.end;
  }
  writer.slice(pdf, at, pdf.end[number]);
}

/** The cross-reference table and trailer for a file whose objects end at `start`. */
function crossReferences(offsets: Float64Array, a: PrintedPdf, start: number): Buffer {
  const size = offsets.length;
  const head = `xref\n0 ${size}\n`;
  const info = a.info === undefined ? '' : `\n/Info ${a.info} 0 R`;
  const trailer = `trailer\n<</Size ${size}\n/Root ${a.root} 0 R${info}>>\nstartxref\n${start}\n%%EOF\n`;
  const table = Buffer.allocUnsafe(head.length + size * 20 + trailer.length);
  table.write(head, 0, 'latin1');
  // Numbers not written (the first's unused, its ID tree's other nodes) are free, each naming the next.
  let nextFree = 0;
  const next = new Int32Array(size);
  for (let number = size - 1; number >= 0; number--) {
    if (offsets[number] >= 0) continue;
    next[number] = nextFree;
    nextFree = number;
  }
  for (let number = 0, at = head.length; number < size; number++, at += 20) {
    if (offsets[number] >= 0) writeEntry(table, at, offsets[number], 0, 0x6e);
    else writeEntry(table, at, next[number], number === 0 ? 65535 : 1, 0x66);
  }
  table.write(trailer, head.length + size * 20, 'latin1');
  return table;
}

/** A cross-reference entry, `nnnnnnnnnn ggggg n \n`. */
function writeEntry(table: Buffer, at: number, field: number, generation: number, type: number): void {
  for (let index = 9, value = field; index >= 0; index--, value = Math.floor(value / 10))
    table[at + index] = 0x30 + (value % 10);
  for (let index = 15, value = generation; index >= 11; index--, value = Math.floor(value / 10))
    table[at + index] = 0x30 + (value % 10);
  table[at + 10] = table[at + 16] = table[at + 18] = 0x20;
  table[at + 17] = type;
  table[at + 19] = 0x0a;
}

/** The merged file's bytes, in a buffer grown as needed. */
class Writer {
  private buffer: Buffer;
  length = 0;

  constructor(capacity: number) {
    this.buffer = Buffer.allocUnsafe(capacity);
  }

  private room(length: number): void {
    if (this.length + length <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + length));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }

  /** Bytes of a half. Most pieces are a few bytes between two references: copied here, not by a call. */
  slice(pdf: PrintedPdf, start: number, end: number): void {
    if (end <= start) return;
    this.room(end - start);
    if (end - start > 64) {
      this.length += pdf.bytes.copy(this.buffer, this.length, start, end);
      return;
    }
    const { buffer } = this;
    const { bytes } = pdf;
    for (let index = start; index < end; index++) buffer[this.length++] = bytes[index];
  }

  /** ASCII, or latin1 as names and strings are read: one byte a character. */
  text(value: string): void {
    this.room(value.length);
    const { buffer } = this;
    for (let index = 0; index < value.length; index++) buffer[this.length++] = value.charCodeAt(index);
  }

  /** An object in Chromium's layout. */
  object(number: number, body: string): void {
    this.text(`${number} 0 obj\n${body}\nendobj\n`);
  }

  /** The file, ending in `tail`. */
  result(tail: Buffer): Uint8Array {
    this.room(tail.byteLength);
    tail.copy(this.buffer, this.length);
    // The room to spare is small (see write): not worth a copy.
    return this.buffer.subarray(0, this.length + tail.byteLength);
  }
}
