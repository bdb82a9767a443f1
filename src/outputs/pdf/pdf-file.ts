/**
 * Just enough of the PDF file format to read and amend what Chromium (Skia) writes: a classic cross-reference
 * table, uncompressed object dictionaries, streams we never need to open. Reading the outline of a 500-page
 * book this way takes milliseconds, where a general PDF library parses (and re-serialises) every object.
 *
 * `PdfFile` reads objects on demand; `rewritePdf` replaces or adds objects and writes one complete new
 * cross-reference table and trailer, blanking the replaced objects so nothing of them is left in the file.
 */

export class PdfName {
  constructor(readonly name: string) {}
}

export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
}

/** A string as its bytes (each char code < 256). */
export class PdfString {
  constructor(readonly bytes: string) {}

  /** The text: UTF-16BE when it starts with a byte-order mark, else PDFDocEncoding (read as Latin-1). */
  text(): string {
    if (this.bytes.startsWith('\u00fe\u00ff')) {
      let text = '';
      for (let i = 2; i + 1 < this.bytes.length; i += 2) {
        text += String.fromCharCode((this.bytes.charCodeAt(i) << 8) | this.bytes.charCodeAt(i + 1));
      }
      return text;
    }
    return this.bytes;
  }
}

export type PdfValue = null | boolean | number | PdfName | PdfRef | PdfString | PdfValue[] | PdfDict;
export type PdfDict = Map<string, PdfValue>;

export class PdfFormatError extends Error {
  constructor(message: string) {
    super(`Unexpected PDF from Chromium: ${message}`);
    this.name = 'PdfFormatError';
  }
}

const WHITESPACE = /[\0\t\n\f\r ]/;
const DELIMITER = /[\0\t\n\f\r ()<>[\]{}/%]/;

/** A parser over the file's bytes as a Latin-1 string (one char per byte). */
class Parser {
  constructor(
    readonly source: string,
    public pos: number,
  ) {}

  private skipSpace() {
    const s = this.source;
    for (;;) {
      while (this.pos < s.length && WHITESPACE.test(s[this.pos])) this.pos++;
      if (s[this.pos] !== '%') return;
      while (this.pos < s.length && s[this.pos] !== '\n' && s[this.pos] !== '\r') this.pos++;
    }
  }

  private word(): string {
    const start = this.pos;
    while (this.pos < this.source.length && !DELIMITER.test(this.source[this.pos])) this.pos++;
    return this.source.slice(start, this.pos);
  }

  expect(keyword: string) {
    this.skipSpace();
    if (!this.source.startsWith(keyword, this.pos)) {
      throw new PdfFormatError(`expected "${keyword}" at byte ${this.pos}`);
    }
    this.pos += keyword.length;
  }

  value(): PdfValue {
    this.skipSpace();
    const s = this.source;
    const c = s[this.pos];
    if (c === '<' && s[this.pos + 1] === '<') {
      this.pos += 2;
      const dict: PdfDict = new Map();
      for (;;) {
        this.skipSpace();
        if (s.startsWith('>>', this.pos)) {
          this.pos += 2;
          return dict;
        }
        const key = this.value();
        if (!(key instanceof PdfName))
          throw new PdfFormatError(`dictionary key expected at byte ${this.pos}`);
        dict.set(key.name, this.value());
      }
    }
    if (c === '<') {
      const end = s.indexOf('>', this.pos);
      const hex = s.slice(this.pos + 1, end).replace(/\s+/g, '');
      this.pos = end + 1;
      let bytes = '';
      for (let i = 0; i < hex.length; i += 2)
        bytes += String.fromCharCode(Number.parseInt(hex.slice(i, i + 2).padEnd(2, '0'), 16));
      return new PdfString(bytes);
    }
    if (c === '[') {
      this.pos++;
      const array: PdfValue[] = [];
      for (;;) {
        this.skipSpace();
        if (s[this.pos] === ']') {
          this.pos++;
          return array;
        }
        array.push(this.value());
      }
    }
    if (c === '(') return this.literalString();
    if (c === '/') {
      this.pos++;
      return new PdfName(
        this.word().replace(/#([0-9a-fA-F]{2})/g, (_, hex: string) =>
          String.fromCharCode(Number.parseInt(hex, 16)),
        ),
      );
    }
    const token = this.word();
    if (token === 'true') return true;
    if (token === 'false') return false;
    if (token === 'null') return null;
    if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(token))
      throw new PdfFormatError(`unknown token "${token}" at byte ${this.pos}`);
    if (/^\d+$/.test(token)) {
      // "12 0 R" is a reference.
      const match = /^\s+(\d+)\s+R(?=[\0\t\n\f\r ()<>[\]{}/%]|$)/.exec(s.slice(this.pos, this.pos + 24));
      if (match) {
        this.pos += match[0].length;
        return new PdfRef(Number(token), Number(match[1]));
      }
    }
    return Number(token);
  }

  private literalString(): PdfString {
    const s = this.source;
    this.pos++;
    let depth = 1;
    let bytes = '';
    while (this.pos < s.length) {
      const c = s[this.pos++];
      if (c === '\\') {
        const next = s[this.pos++];
        const escapes: Record<string, string> = {
          n: '\n',
          r: '\r',
          t: '\t',
          b: '\b',
          f: '\f',
          '(': '(',
          ')': ')',
          '\\': '\\',
        };
        if (next in escapes) bytes += escapes[next];
        else if (/[0-7]/.test(next)) {
          let octal = next;
          while (octal.length < 3 && /[0-7]/.test(s[this.pos])) octal += s[this.pos++];
          bytes += String.fromCharCode(Number.parseInt(octal, 8) & 0xff);
        } else if (next === '\r') {
          if (s[this.pos] === '\n') this.pos++;
        } else if (next !== '\n') bytes += next;
        continue;
      }
      if (c === '(') depth++;
      if (c === ')' && --depth === 0) break;
      bytes += c;
    }
    return new PdfString(bytes);
  }
}

export interface XrefEntry {
  offset: number;
  gen: number;
  free: boolean;
}

export class PdfFile {
  /** The file as a Latin-1 string, one char per byte. */
  readonly source: string;
  readonly trailer: PdfDict;
  /** Cross-reference entries by object number. */
  readonly xref: XrefEntry[];
  /** Byte offset of the cross-reference table. */
  readonly xrefOffset: number;

  constructor(readonly bytes: Uint8Array) {
    this.source = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    const startxref = this.source.lastIndexOf('startxref');
    if (startxref < 0) throw new PdfFormatError('no startxref');
    this.xrefOffset = Number(/startxref\s+(\d+)/.exec(this.source.slice(startxref))?.[1]);
    const parser = new Parser(this.source, this.xrefOffset);
    parser.expect('xref');
    this.xref = [];
    const lines = /^xref\s+([\s\S]*?)trailer/.exec(this.source.slice(this.xrefOffset));
    if (!lines) throw new PdfFormatError('no classic cross-reference table (an xref stream?)');
    const tokens = lines[1].trim().split(/\s+/);
    for (let i = 0; i < tokens.length; ) {
      const first = Number(tokens[i]);
      const count = Number(tokens[i + 1]);
      i += 2;
      for (let n = 0; n < count; n++, i += 3) {
        this.xref[first + n] = {
          offset: Number(tokens[i]),
          gen: Number(tokens[i + 1]),
          free: tokens[i + 2] === 'f',
        };
      }
    }
    const trailer = new Parser(
      this.source,
      this.source.indexOf('trailer', this.xrefOffset) + 'trailer'.length,
    ).value();
    if (!(trailer instanceof Map)) throw new PdfFormatError('trailer is not a dictionary');
    if (trailer.has('Prev')) throw new PdfFormatError('incremental updates are not supported');
    this.trailer = trailer;
  }

  get size(): number {
    return this.xref.length;
  }

  /** The object `num`, streams as their dictionary only. */
  object(num: number): PdfValue {
    const entry = this.xref[num];
    if (!entry || entry.free) return null;
    const parser = new Parser(this.source, entry.offset);
    parser.expect(String(num));
    parser.expect(String(entry.gen));
    parser.expect('obj');
    return parser.value();
  }

  /** Byte range of object `num`, from "N G obj" to the end of "endobj". */
  objectRange(num: number): [number, number] {
    const start = this.xref[num].offset;
    const end = this.source.indexOf('endobj', start);
    if (end < 0) throw new PdfFormatError(`object ${num} has no endobj`);
    return [start, end + 'endobj'.length];
  }

  resolve(value: PdfValue | undefined): PdfValue {
    return value instanceof PdfRef ? this.object(value.num) : (value ?? null);
  }

  dict(value: PdfValue | undefined): PdfDict {
    const resolved = this.resolve(value);
    if (!(resolved instanceof Map)) throw new PdfFormatError('dictionary expected');
    return resolved;
  }

  catalog(): PdfDict {
    return this.dict(this.trailer.get('Root'));
  }

  /** Object numbers of the pages in order. */
  pageNumbers(): number[] {
    const pages: number[] = [];
    const walk = (ref: PdfValue | undefined, seen: Set<number>) => {
      if (!(ref instanceof PdfRef) || seen.has(ref.num)) return;
      seen.add(ref.num);
      const node = this.dict(ref);
      const kids = node.get('Kids');
      if (Array.isArray(kids)) for (const kid of kids) walk(kid, seen);
      else pages.push(ref.num);
    };
    walk(this.catalog().get('Pages'), new Set());
    return pages;
  }
}

/** PDF syntax for a value. Strings are written as hex, so any bytes are safe. */
export function serialize(value: PdfValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number')
    return Number.isInteger(value) ? String(value) : value.toFixed(6).replace(/\.?0+$/, '');
  if (value instanceof PdfName) {
    return `/${value.name.replace(/[^!-~]|[#()<>[\]{}/%]/g, (c) => `#${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}`;
  }
  if (value instanceof PdfRef) return `${value.num} ${value.gen} R`;
  if (value instanceof PdfString) {
    return `<${[...value.bytes].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('')}>`;
  }
  if (Array.isArray(value)) return `[${value.map(serialize).join(' ')}]`;
  return `<<${[...value].map(([key, item]) => `${serialize(new PdfName(key))} ${serialize(item)}`).join('\n')}>>`;
}

/** A text string: PDFDocEncoding-safe ASCII as is, anything else UTF-16BE with a byte-order mark. */
export function textString(text: string): PdfString {
  if (/^[\x20-\x7e]*$/.test(text)) return new PdfString(text);
  let bytes = '\u00fe\u00ff';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    bytes += String.fromCharCode(code >> 8, code & 0xff);
  }
  return new PdfString(bytes);
}

export interface PdfObjectUpdate {
  num: number;
  /** A dictionary or other value, or a stream (dictionary plus bytes; /Length is set here). */
  value: PdfValue | { dict: PdfDict; stream: Uint8Array };
}

/**
 * The file with `updates` in place of (or in addition to) its objects and `trailer` entries merged into its
 * trailer. Replaced objects are overwritten with spaces; new versions and a complete new cross-reference
 * table follow the old objects, so every offset stays right and the result is one plain revision.
 */
export function rewritePdf(file: PdfFile, updates: PdfObjectUpdate[], trailer: PdfDict): Uint8Array {
  const head = Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.xrefOffset);
  const body = Buffer.from(head);
  const offsets: (XrefEntry | undefined)[] = [...file.xref];
  for (const { num } of updates) {
    if (offsets[num] && !offsets[num]?.free) {
      const [start, end] = file.objectRange(num);
      body.fill(0x20, start, end);
    }
  }
  const chunks: Buffer[] = [body];
  let position = body.length;
  for (const { num, value } of updates) {
    let text: Buffer;
    if (value && typeof value === 'object' && 'stream' in value) {
      const dict = new Map(value.dict);
      dict.set('Length', value.stream.length);
      text = Buffer.concat([
        Buffer.from(`${num} 0 obj\n${serialize(dict)}\nstream\n`, 'latin1'),
        Buffer.from(value.stream),
        Buffer.from('\nendstream\nendobj\n', 'latin1'),
      ]);
    } else {
      text = Buffer.from(`${num} 0 obj\n${serialize(value as PdfValue)}\nendobj\n`, 'latin1');
    }
    offsets[num] = { offset: position, gen: 0, free: false };
    chunks.push(text);
    position += text.length;
  }
  const size = offsets.length;
  const table = ['xref', `0 ${size}`];
  for (let num = 0; num < size; num++) {
    const entry = offsets[num];
    table.push(
      entry && !entry.free
        ? `${String(entry.offset).padStart(10, '0')} ${String(entry.gen).padStart(5, '0')} n `
        : `0000000000 65535 f `,
    );
  }
  const newTrailer = new Map(file.trailer);
  for (const [key, value] of trailer) newTrailer.set(key, value);
  newTrailer.set('Size', size);
  chunks.push(
    Buffer.from(
      `${table.join('\n')}\ntrailer\n${serialize(newTrailer)}\nstartxref\n${position}\n%%EOF\n`,
      'latin1',
    ),
  );
  return new Uint8Array(Buffer.concat(chunks));
}
