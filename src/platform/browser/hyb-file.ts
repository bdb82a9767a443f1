/**
 * Writes a minikin `.hyb` hyphenation dictionary — the binary form Chromium (like Android) reads — from
 * Liang/TeX patterns. The layout follows AOSP frameworks/minikin/doc/hyb_file_format.md and its
 * reference writer tools/mk_hyb_file.py; no npm package writes this format, hence a writer here.
 *
 * File: a 6-word header (magic 0x62ad7968, version 0, offsets of the alphabet, trie and pattern sections,
 * file size), then
 * - alphabet: code point → small code (both cases of a letter share one; 0 = not a letter, `.` = 0);
 * - trie: one 32-bit word per slot, `pattern index << patternShift | link << linkShift | char`; the edge
 *   from node s with code c lives in slot s + c (checked by its char field), node s's pattern in slot s;
 * - patterns: per trie pattern index a word `length << 26 | trailing zeros << 20 | offset` into a byte
 *   pool of levels, right-aligned to the end of the matched letters.
 * All little-endian. Exceptions are patterns on ".word." with levels 11 (break) and 10 (no break), which
 * beat every pattern level (1–9), as mk_hyb_file.py writes them.
 */
import type { TexPatternSet } from './tex-patterns.ts';

const MAGIC = 0x62ad7968;
const BREAK = 11;
const NO_BREAK = 10;

interface TrieNode {
  next: Map<number, TrieNode>;
  /** Right-aligned levels without leading zeros, or undefined for no pattern. */
  result?: number[];
  bfs: number;
  slot: number;
}

/** Bits needed for numbers up to n inclusive (mk_hyb_file.py's num_bits). */
function bitsFor(n: number): number {
  return n > 0 ? Math.floor(Math.log2(n)) + 1 : 0;
}

function trimLeadingZeros(levels: readonly number[]): number[] {
  const first = levels.findIndex((level) => level !== 0);
  return first < 0 ? [] : levels.slice(first);
}

/** The upper-case partner of a lower-case letter when it is one code point (ß → ẞ, as minikin does). */
function upperPartner(letter: string): string | undefined {
  if (letter === 'ß') return 'ẞ';
  const upper = letter.toUpperCase();
  return upper !== letter && [...upper].length === 1 ? upper : undefined;
}

/** The alphabet: `.` is 0, each pattern letter and its capital share a code from 1 up. */
function alphabetOf(set: TexPatternSet): Map<string, number> {
  const letters = new Set<string>();
  for (const { letters: word } of set.patterns)
    for (const letter of word) if (letter !== '.') letters.add(letter);
  for (const word of set.exceptions.keys()) for (const letter of word) letters.add(letter);
  const codes = new Map<string, number>();
  let next = 1;
  for (const letter of [...letters].sort()) {
    if (codes.has(letter)) continue;
    codes.set(letter, next);
    const upper = upperPartner(letter);
    if (upper && !letters.has(upper)) codes.set(upper, next);
    next++;
  }
  return codes;
}

function buildTrie(set: TexPatternSet, codes: Map<string, number>): TrieNode {
  const root: TrieNode = { next: new Map(), bfs: 0, slot: 0 };
  const insert = (word: string, result: number[]) => {
    let node = root;
    for (const letter of word) {
      const code = letter === '.' ? 0 : (codes.get(letter) as number);
      let child = node.next.get(code);
      if (!child) {
        child = { next: new Map(), bfs: 0, slot: 0 };
        node.next.set(code, child);
      }
      node = child;
    }
    node.result = result;
  };
  for (const { letters, levels } of set.patterns) insert(letters, trimLeadingZeros(levels));
  for (const [word, breaks] of set.exceptions) {
    // ".word.": gaps before each inner letter get 10 or 11; the edges stay 0.
    const letters = [...word];
    const levels = [0, 0];
    for (let i = 1; i < letters.length; i++) levels.push(breaks.includes(i) ? BREAK : NO_BREAK);
    levels.push(0, 0);
    insert(`.${word}.`, trimLeadingZeros(levels));
  }
  return root;
}

function breadthFirst(root: TrieNode): TrieNode[] {
  const order = [root];
  for (let i = 0; i < order.length; i++) {
    const node = order[i] as TrieNode;
    node.bfs = i;
    for (const code of [...node.next.keys()].sort((a, b) => a - b))
      order.push(node.next.get(code) as TrieNode);
  }
  return order;
}

/** Suffix compression: nodes with identical sub-tries become one. Returns each node's representative. */
function deduplicate(order: TrieNode[]): { representative: TrieNode[]; unique: TrieNode[] } {
  const representative = new Array<TrieNode>(order.length);
  const byShape = new Map<string, TrieNode>();
  const unique: TrieNode[] = [];
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i] as TrieNode;
    let shape = node.result ? node.result.join(',') : '';
    for (const code of [...node.next.keys()].sort((a, b) => a - b)) {
      shape += ` ${code}:${(representative[(node.next.get(code) as TrieNode).bfs] as TrieNode).bfs}`;
    }
    const same = byShape.get(shape);
    if (same) representative[i] = same;
    else {
      byShape.set(shape, node);
      representative[i] = node;
      unique.push(node);
    }
  }
  unique.reverse();
  return { representative, unique };
}

/**
 * Liang's packing: each node gets the lowest slot that is free as a node and whose slots at
 * node + code are free for all its edges. Returns the number of slots.
 */
function pack(nodes: TrieNode[], maxCode: number): number {
  const nodeUsed: boolean[] = [];
  const edgeUsed: boolean[] = [];
  // nextFree[i] points at or before the first free edge slot after a used slot i (a union-find with
  // path compression): candidates are only slots that put a node's lowest edge on a free slot, so the
  // dense front of the array costs no scanning.
  const nextFree: number[] = [];
  const firstFreeEdgeFrom = (i: number): number => {
    let free = i;
    while (edgeUsed[free]) free = nextFree[free] ?? free + 1;
    for (let at = i; at !== free; ) {
      const following = nextFree[at] ?? at + 1;
      nextFree[at] = free;
      at = following;
    }
    return free;
  };
  const useEdge = (i: number) => {
    edgeUsed[i] = true;
  };
  let firstFreeNode = 0;
  let size = 0;
  for (const node of nodes) {
    const edges = [...node.next.keys()].sort((a, b) => a - b);
    let slot: number;
    if (edges.length === 0) {
      while (nodeUsed[firstFreeNode]) firstFreeNode++;
      slot = firstFreeNode;
    } else {
      const lowest = edges[0] as number;
      let from = lowest;
      for (;;) {
        slot = firstFreeEdgeFrom(from) - lowest;
        if (!nodeUsed[slot] && edges.every((code) => !edgeUsed[slot + code])) break;
        from = slot + lowest + 1;
      }
      for (const code of edges) useEdge(slot + code);
    }
    nodeUsed[slot] = true;
    node.slot = slot;
    size = Math.max(size, slot);
  }
  return size + maxCode + 1;
}

class ByteWriter {
  private readonly chunks: Uint8Array[] = [];
  length = 0;

  u32(...values: number[]): void {
    this.u32Array(values);
  }

  /** Like u32, for arrays too long to spread into arguments. */
  u32Array(values: readonly number[]): void {
    const bytes = new Uint8Array(values.length * 4);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < values.length; i++) view.setUint32(i * 4, (values[i] as number) >>> 0, true);
    this.push(bytes);
  }

  push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.length += bytes.length;
  }

  padTo4(): void {
    if (this.length % 4 !== 0) this.push(new Uint8Array(4 - (this.length % 4)));
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    return out;
  }
}

function alphabetSection(codes: Map<string, number>): Uint8Array {
  const out = new ByteWriter();
  const points = [...codes].map(([letter, code]) => [letter.codePointAt(0) as number, code] as const);
  points.sort((a, b) => a[0] - b[0]);
  const min = (points[0] as readonly [number, number])[0];
  const max = (points[points.length - 1] as readonly [number, number])[0];
  const maxCode = Math.max(...points.map(([, code]) => code));
  if (max - min < 1024 && maxCode < 256) {
    // Format 0: a byte per code point in [min, max].
    out.u32(0, min, max + 1);
    const table = new Uint8Array(max - min + 1);
    for (const [point, code] of points) table[point - min] = code;
    out.push(table);
  } else {
    // Format 1: sorted `code point << 11 | code` words, for scattered alphabets.
    if (maxCode >= 2048) throw new Error('A .hyb alphabet holds at most 2047 letters.');
    out.u32(1, points.length);
    out.u32Array(points.map(([point, code]) => point * 2048 + code));
  }
  out.padTo4();
  return out.bytes();
}

function patternSection(results: number[][]): { bytes: Uint8Array; indexOf: Map<string, number> } {
  const entries = [0];
  const indexOf = new Map<string, number>([['', 0]]);
  const pool: number[] = [];
  const poolOffset = new Map<string, number>();
  for (const result of results) {
    const key = result.join(',');
    if (indexOf.has(key)) continue;
    let shift = 0;
    while (shift < result.length && result[result.length - 1 - shift] === 0) shift++;
    const body = result.slice(0, result.length - shift);
    const bodyKey = body.join(',');
    let offset = poolOffset.get(bodyKey);
    if (offset === undefined) {
      offset = pool.length;
      poolOffset.set(bodyKey, offset);
      pool.push(...body);
    }
    if (body.length >= 64 || shift >= 64 || offset >= 1 << 20)
      throw new Error('Pattern too long for a .hyb file.');
    indexOf.set(key, entries.length);
    entries.push(body.length * 2 ** 26 + shift * 2 ** 20 + offset);
  }
  const out = new ByteWriter();
  out.u32(0, entries.length, 16 + 4 * entries.length, pool.length);
  out.u32Array(entries);
  out.push(Uint8Array.from(pool));
  out.padTo4();
  return { bytes: out.bytes(), indexOf };
}

function trieSection(
  unique: TrieNode[],
  representative: TrieNode[],
  slots: number,
  maxCode: number,
  patternIndex: Map<string, number>,
): Uint8Array {
  const linkShift = bitsFor(maxCode);
  const charMask = 2 ** linkShift - 1;
  const patternShift = linkShift + bitsFor(slots - 1);
  const linkMask = 2 ** patternShift - 2 ** linkShift;
  if (bitsFor(patternIndex.size) > 32 - patternShift) throw new Error('Too many patterns for a .hyb trie.');
  const chars = new Array<number>(slots).fill(0);
  const links = new Array<number>(slots).fill(0);
  const patterns = new Array<number>(slots).fill(0);
  for (const node of unique) {
    if (node.result) patterns[node.slot] = patternIndex.get(node.result.join(',')) as number;
    for (const [code, child] of node.next) {
      chars[node.slot + code] = code;
      links[node.slot + code] = (representative[child.bfs] as TrieNode).slot;
    }
  }
  const out = new ByteWriter();
  out.u32(0, charMask, linkShift, linkMask, patternShift, slots);
  const words = new Array<number>(slots);
  for (let i = 0; i < slots; i++) {
    words[i] =
      (patterns[i] as number) * 2 ** patternShift +
      (links[i] as number) * 2 ** linkShift +
      (chars[i] as number);
  }
  out.u32Array(words);
  return out.bytes();
}

/** The `.hyb` file for a pattern set, byte for byte the layout minikin (and so Chromium) maps. */
export function buildHybFile(set: TexPatternSet): Uint8Array {
  const codes = alphabetOf(set);
  const maxCode = Math.max(...codes.values());
  const root = buildTrie(set, codes);
  const order = breadthFirst(root);
  const { representative, unique } = deduplicate(order);
  const slots = pack(unique, maxCode);
  const alphabet = alphabetSection(codes);
  const { bytes: patterns, indexOf } = patternSection(
    order.flatMap((node) => (node.result ? [node.result] : [])),
  );
  const trie = trieSection(unique, representative, slots, maxCode, indexOf);
  const header = new ByteWriter();
  const alphabetOffset = 24;
  const trieOffset = alphabetOffset + alphabet.length;
  const patternOffset = trieOffset + trie.length;
  header.u32(MAGIC, 0, alphabetOffset, trieOffset, patternOffset, patternOffset + patterns.length);
  const file = new ByteWriter();
  file.push(header.bytes());
  file.push(alphabet);
  file.push(trie);
  file.push(patterns);
  return file.bytes();
}
