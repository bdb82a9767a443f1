/**
 * Chromium's PDF opened for the finishing and saved as Chromium's bytes plus one incremental update (ISO
 * 32000-1, 7.5.6). pdf-lib reads and writes whole files only: for a 330-page book that is about 12,000
 * objects each way, four in five of them elements of the tagged structure, which the finishing never
 * touches. So pdf-lib is given the file without those elements, the structure's parent tree and the
 * cross-reference table (found through that table, dropped by the bytes), and the save appends, as pdf-lib's
 * own objects serialise them, every object it holds that is not a stream (pages, page tree, annotations,
 * catalog, Info …: what the finishing may have changed) and every object the finishing added, then a cross-reference section for them and a trailer
 * pointing back to Chromium's. Streams are kept as Chromium wrote them: the finishing adds streams, it does
 * not edit one. That is checked, not trusted: each of Chromium's streams is noted when the file is read (the
 * object, its bytes, its dictionary as text), and one that was replaced or changed by the save is written into
 * the update like any changed object. pdf-lib has no incremental save, hence this module.
 *
 * Chromium's Info dictionary carries the time of printing; its old bytes are blanked (same length, so every
 * offset holds), so the same input and build date still give the same file. A PDF that does not end in one
 * classic cross-reference table is read and written whole.
 */
import {
  PDFCrossRefSection,
  PDFDocument,
  PDFNumber,
  type PDFObject,
  PDFRawStream,
  PDFRef,
  PDFStream,
  PDFTrailer,
  PDFTrailerDict,
} from 'pdf-lib';
import { destinationsFromText, type RawDestination } from './pdf-destinations.ts';

export interface PrintedPdf {
  /**
   * The document to finish; when `save` writes an update, without the structure elements, Chromium's fonts
   * and, when they are in `destinations`, its named destinations.
   */
  doc: PDFDocument;
  /** The finished file. */
  save(): Promise<Uint8Array>;
  /** Chromium's `/Dests`, read from the bytes (pdf-destinations.ts) and not given to pdf-lib. */
  destinations?: Map<string, RawDestination>;
}

const LOAD_OPTIONS = {
  updateMetadata: false,
  // Read in one go (pdf-lib otherwise yields to the event loop every few objects).
  parseSpeed: Number.POSITIVE_INFINITY,
} as const;

export async function loadPrintedPdf(bytes: Uint8Array): Promise<PrintedPdf> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const table = classicCrossReferences(buffer);
  if (!table) {
    const doc = await PDFDocument.load(bytes, LOAD_OPTIONS);
    return {
      doc,
      // Without object streams: a third of the time.
      save: () =>
        doc.save({
          addDefaultPage: false,
          updateFieldAppearances: false,
          useObjectStreams: false,
          objectsPerTick: Number.POSITIVE_INFINITY,
        }),
    };
  }
  const { bytes: read, destinations } = bytesPdfLibReads(buffer, table);
  const doc = await PDFDocument.load(read, LOAD_OPTIONS);
  // New objects must not take the numbers of the elements pdf-lib did not see.
  const largestObjectNumber = Math.max(doc.context.largestObjectNumber, table.size - 1);
  doc.context.largestObjectNumber = largestObjectNumber;
  const info = doc.context.trailerInfo.Info;
  const streams = noteStreams(doc);
  return {
    doc,
    destinations,
    save: () =>
      saveIncrementally(doc, {
        bytes: buffer,
        startXref: table.startXref,
        largestObjectNumber,
        info: info instanceof PDFRef ? table.offsets.get(info.objectNumber) : undefined,
        streams,
      }),
  };
}

/** One of Chromium's streams as read: the object itself, its bytes (a view of the file) and its dictionary. */
interface StreamAsRead {
  object: PDFRawStream;
  contents: Uint8Array;
  dict: string;
}

/** Chromium's streams by object number, as the file was read. */
function noteStreams(doc: PDFDocument): Map<number, StreamAsRead> {
  const streams = new Map<number, StreamAsRead>();
  for (const [ref, object] of doc.context.enumerateIndirectObjects()) {
    if (object instanceof PDFRawStream)
      streams.set(ref.objectNumber, { object, contents: object.contents, dict: object.dict.toString() });
  }
  return streams;
}

/** Whether the object under a number of Chromium's is no longer the stream read from the file, unchanged. */
function changedSinceRead(ref: PDFRef, object: PDFObject, streams: Map<number, StreamAsRead>): boolean {
  const read = streams.get(ref.objectNumber);
  return (
    !read ||
    read.object !== object ||
    read.object.contents !== read.contents ||
    read.object.dict.toString() !== read.dict
  );
}

export interface CrossReferences {
  startXref: number;
  /** The trailer dictionary's text. */
  trailer: string;
  /** The trailer's /Size. */
  size: number;
  /** Object number → offset of each object in use. */
  offsets: Map<number, number>;
}

/** The one cross-reference table a file such as Chromium's ends with, or undefined for any other file. */
export function classicCrossReferences(bytes: Buffer): CrossReferences | undefined {
  const tail = bytes.toString('latin1', Math.max(0, bytes.byteLength - 2048));
  const found = /trailer\s*<<([\s\S]*?)>>\s*startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (!found || /\/(Prev|XRefStm|Encrypt)\b/.test(found[1] ?? '')) return undefined;
  const size = Number(/\/Size\s+(\d+)/.exec(found[1] ?? '')?.[1]);
  const startXref = Number(found[2]);
  if (!Number.isInteger(size) || bytes.toString('latin1', startXref, startXref + 4) !== 'xref')
    return undefined;
  const offsets = new Map<number, number>();
  let at = startXref + 4;
  for (;;) {
    const header = /^\s*(\d+) (\d+)[ \t]*\r?\n/.exec(bytes.toString('latin1', at, at + 40));
    if (!header) break;
    const first = Number(header[1]);
    const count = Number(header[2]);
    at += header[0].length;
    for (let index = 0; index < count; index++, at += 20) {
      const entry = bytes.toString('latin1', at, at + 18);
      if (entry[17] === 'n') offsets.set(first + index, Number(entry.slice(0, 10)));
    }
  }
  return offsets.size ? { startXref, trailer: found[1] ?? '', size, offsets } : undefined;
}

const STRUCTURE_ELEMENT = /^\d+ \d+ obj\s*<<\s*\/Type\s*\/StructElem\b/;
/** Chromium's fonts (their widths are most of the numbers left to parse) and their descriptors. */
const FONT = /^\d+ \d+ obj\s*<<\s*\/Type\s*\/(?:Font|FontDescriptor)\b/;
const PARENT_TREE = /^\d+ \d+ obj\s*<<\s*\/Type\s*\/ParentTree\b/;
const ARRAY_OF_REFERENCES = /^\d+ \d+ obj\s*\[[\d\sR]*\]\s*endobj\s*$/;

/**
 * The file's bytes without what the finishing never reads (pdf-lib reads objects in file order): the structure
 * elements, and the structure's parent tree (Chromium's `/Type /ParentTree`) with the arrays of elements it
 * holds for each page's marked content, a quarter of what was left to parse; Chromium's fonts (the finishing
 * embeds its own); and the catalog's `/Dests`, read here instead (a fifth of the rest: 40 numbers and names
 * for each of 1,400 destinations on the 40-chapter book). Dropped objects stay as Chromium wrote them; what
 * pdf-lib keeps may refer to them.
 */
function bytesPdfLibReads(
  bytes: Buffer,
  table: CrossReferences,
): { bytes: Buffer; destinations?: Map<string, RawDestination> } {
  const starts = [...table.offsets.values()].sort((a, b) => a - b);
  const endOf = new Map(starts.map((start, index) => [start, starts[index + 1] ?? table.startXref]));
  const head = (start: number) => bytes.toString('latin1', start, start + 64);
  const dropped = new Set<number>();
  const objectText = (number: number | undefined) => {
    const start = number === undefined ? undefined : table.offsets.get(number);
    return start === undefined
      ? undefined
      : { start, text: bytes.toString('latin1', start, endOf.get(start)) };
  };
  const catalog = objectText(Number(/\/Root\s+(\d+)\s+0\s+R/.exec(table.trailer)?.[1]));
  const dests = objectText(Number(/\/Dests\s+(\d+)\s+0\s+R/.exec(catalog?.text ?? '')?.[1]));
  const destinations = dests && destinationsFromText(dests.text);
  if (dests && destinations) dropped.add(dests.start);
  for (const start of starts) {
    if (STRUCTURE_ELEMENT.test(head(start)) || FONT.test(head(start))) dropped.add(start);
    else if (PARENT_TREE.test(head(start))) {
      dropped.add(start);
      const tree = bytes.toString('latin1', start, endOf.get(start));
      for (const [, number] of tree.matchAll(/(\d+) \d+ R\b/g)) {
        const offset = table.offsets.get(Number(number));
        if (offset === undefined || dropped.has(offset)) continue;
        const end = endOf.get(offset) ?? offset;
        // Only the plain arrays of references: a dictionary there (an element, a kid of the tree) is left alone.
        if (end - offset < 65536 && ARRAY_OF_REFERENCES.test(bytes.toString('latin1', offset, end)))
          dropped.add(offset);
      }
    }
  }
  const parts: Buffer[] = [bytes.subarray(0, starts[0])];
  for (const start of starts) if (!dropped.has(start)) parts.push(bytes.subarray(start, endOf.get(start)));
  // The trailer without the cross-reference table before it: pdf-lib reads the objects in order and would
  // only parse the table's entries (one per structure element too) to drop them.
  const trailer = bytes.indexOf('trailer', table.startXref, 'latin1');
  parts.push(bytes.subarray(trailer < 0 ? table.startXref : trailer));
  return { bytes: Buffer.concat(parts), destinations };
}

interface Update {
  bytes: Buffer;
  startXref: number;
  /** Object numbers up to this one are Chromium's. */
  largestObjectNumber: number;
  /** Offset of Chromium's Info dictionary, whose dates are blanked. */
  info?: number;
  /** Chromium's streams as read, to tell one the finishing changed. */
  streams: Map<number, StreamAsRead>;
}

async function saveIncrementally(doc: PDFDocument, printed: Update): Promise<Uint8Array> {
  // Embeds the fonts (their subsets) as a whole save would.
  await doc.flush();
  const context = doc.context;
  const objects = context
    .enumerateIndirectObjects()
    .filter(
      ([ref, object]) =>
        ref.objectNumber > printed.largestObjectNumber ||
        !(object instanceof PDFStream) ||
        changedSinceRead(ref, object, printed.streams),
    );
  // One pass, each object written once (measuring every object first and then writing it took a third of the
  // save): into room to spare, grown when something does not fit. pdf-lib writes a dictionary, an array, the
  // cross-reference section and the trailer byte by byte, dropping what falls past the end, and returns how many
  // bytes it took, so one that did not fit is written again once there is room; a stream is measured first
  // (which also sets its /Length), since its contents are copied whole.
  let buffer = new Uint8Array(printed.bytes.byteLength + Math.max(1 << 20, printed.bytes.byteLength >> 2));
  buffer.set(printed.bytes, 0);
  if (printed.info !== undefined) blankObject(buffer, printed.info);
  let offset = printed.bytes.byteLength;
  const room = (length: number) => {
    if (offset + length <= buffer.length) return;
    const grown = new Uint8Array(Math.max(buffer.length * 2, offset + length));
    grown.set(buffer.subarray(0, offset));
    buffer = grown;
  };
  const put = (item: { copyBytesInto(buffer: Uint8Array, offset: number): number }) => {
    let written = item.copyBytesInto(buffer, offset);
    if (offset + written > buffer.length) {
      room(written);
      written = item.copyBytesInto(buffer, offset);
    }
    offset += written;
  };
  const text = (value: string) => {
    // ASCII only: one byte a character.
    room(value.length);
    for (let index = 0; index < value.length; index++) buffer[offset++] = value.charCodeAt(index);
  };
  const xref = PDFCrossRefSection.createEmpty();
  // The update starts on a line of its own after Chromium's %%EOF.
  text('\n');
  for (const [ref, object] of objects) {
    xref.addEntry(ref, offset);
    text(`${ref.objectNumber} ${ref.generationNumber} obj\n`);
    if (object instanceof PDFStream) room(object.sizeInBytes());
    put(object);
    text('\nendobj\n');
  }
  const xrefOffset = offset;
  put(xref);
  text('\n');
  put(
    PDFTrailerDict.of(
      context.obj({
        Size: context.largestObjectNumber + 1,
        Root: context.trailerInfo.Root,
        Info: context.trailerInfo.Info,
        ID: context.trailerInfo.ID,
        Prev: PDFNumber.of(printed.startXref),
      }),
    ),
  );
  text('\n');
  put(PDFTrailer.forLastCrossRefSectionOffset(xrefOffset));
  return buffer.slice(0, offset);
}

/** Replaces the body of the object at `offset` with `null` and spaces (the update defines it anew). */
function blankObject(buffer: Uint8Array, offset: number): void {
  const bytes = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const head = /^\d+ \d+ obj/.exec(bytes.toString('latin1', offset, offset + 24));
  if (!head) return;
  const body = offset + head[0].length;
  const end = bytes.indexOf('endobj', body, 'latin1');
  if (end < 0) return;
  bytes.fill(0x20, body, end);
  bytes.write(' null', body, 'latin1');
}
