/**
 * Saves the finished PDF as Chromium's bytes plus one incremental update (ISO 32000-1, 7.5.6): the objects
 * the finishing made or may have changed, a cross-reference section for them and a trailer pointing back to
 * Chromium's. pdf-lib can only write a whole file, which for a 330-page book means re-serialising about
 * 12,000 objects, four in five of them the tagged structure's elements, which the finishing never touches;
 * pdf-lib has no incremental save, so this module writes the update with pdf-lib's own objects and
 * cross-reference writer.
 *
 * Written again: every object added after loading, and every object that existed that is not a stream or a
 * structure element (pages, page tree, annotations, catalog, Info …). Streams and structure elements are
 * kept as Chromium wrote them: the finishing adds streams rather than editing one, and never edits the
 * structure tree. Chromium's Info dictionary carries the time of printing; its old bytes are blanked (same
 * length, so every offset holds), so the same input and build date still give the same file.
 */
import {
  PDFCrossRefSection,
  PDFDict,
  type PDFDocument,
  PDFName,
  PDFNumber,
  type PDFObject,
  PDFRef,
  PDFStream,
  PDFTrailer,
  PDFTrailerDict,
} from 'pdf-lib';

/** What the update needs to know of the file as printed, taken right after loading it. */
export interface PrintedFile {
  bytes: Uint8Array;
  /** Object numbers up to this one are Chromium's. */
  largestObjectNumber: number;
  /** Offset of Chromium's cross-reference table. */
  startXref: number;
  /** Chromium's Info dictionary, whose dates are blanked. */
  info?: PDFRef;
}

/**
 * The facts of a freshly loaded PDF an incremental save needs, or undefined when the file does not end in a
 * classic cross-reference table and trailer (then save the whole document instead).
 */
export function printedFile(doc: PDFDocument, bytes: Uint8Array): PrintedFile | undefined {
  const tail = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .subarray(Math.max(0, bytes.byteLength - 2048))
    .toString('latin1');
  const found = /trailer\s*<<[\s\S]*startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (!found) return undefined;
  const startXref = Number(found[1]);
  const table = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .subarray(startXref, startXref + 4)
    .toString('latin1');
  if (table !== 'xref') return undefined;
  const info = doc.context.trailerInfo.Info;
  return {
    bytes,
    largestObjectNumber: doc.context.largestObjectNumber,
    startXref,
    info: info instanceof PDFRef ? info : undefined,
  };
}

const STRUCT_ELEM = PDFName.of('StructElem');

function rewritten(ref: PDFRef, object: PDFObject, printed: PrintedFile): boolean {
  if (ref.objectNumber > printed.largestObjectNumber) return true;
  if (object instanceof PDFStream) return false;
  return !(object instanceof PDFDict && object.get(PDFName.of('Type')) === STRUCT_ELEM);
}

/** The document's bytes: Chromium's file with the finishing appended as one update. */
export async function saveIncrementally(doc: PDFDocument, printed: PrintedFile): Promise<Uint8Array> {
  // Embeds the fonts (their subsets) as a full save would.
  await doc.flush();
  const context = doc.context;
  const objects = context
    .enumerateIndirectObjects()
    .filter(([ref, object]) => rewritten(ref, object, printed));
  const encoder = new TextEncoder();
  const heads = objects.map(([ref]) => encoder.encode(`${ref.objectNumber} ${ref.generationNumber} obj\n`));
  const xref = PDFCrossRefSection.createEmpty();
  // The update starts on a line of its own after Chromium's %%EOF.
  let size = printed.bytes.byteLength + 1;
  objects.forEach(([ref, object], index) => {
    xref.addEntry(ref, size);
    size += heads[index].byteLength + object.sizeInBytes() + '\nendobj\n'.length;
  });
  const xrefOffset = size;
  const trailerDict = PDFTrailerDict.of(
    context.obj({
      Size: context.largestObjectNumber + 1,
      Root: context.trailerInfo.Root,
      Info: context.trailerInfo.Info,
      ID: context.trailerInfo.ID,
      Prev: PDFNumber.of(printed.startXref),
    }),
  );
  const trailer = PDFTrailer.forLastCrossRefSectionOffset(xrefOffset);
  size += xref.sizeInBytes() + 1 + trailerDict.sizeInBytes() + 1 + trailer.sizeInBytes();

  const buffer = new Uint8Array(size);
  buffer.set(printed.bytes, 0);
  if (printed.info) blankObject(buffer, printed, printed.info);
  let offset = printed.bytes.byteLength;
  const text = (value: string) => {
    offset += encoder.encodeInto(value, buffer.subarray(offset)).written;
  };
  text('\n');
  objects.forEach(([, object], index) => {
    buffer.set(heads[index], offset);
    offset += heads[index].byteLength;
    offset += object.copyBytesInto(buffer, offset);
    text('\nendobj\n');
  });
  offset += xref.copyBytesInto(buffer, offset);
  text('\n');
  offset += trailerDict.copyBytesInto(buffer, offset);
  text('\n');
  offset += trailer.copyBytesInto(buffer, offset);
  if (offset !== size) throw new Error(`Incremental save wrote ${offset} of ${size} bytes.`);
  return buffer;
}

/**
 * Replaces the body of object `ref` in Chromium's part of `buffer` with `null` and spaces: the update defines
 * the object anew, and its old bytes (Chromium's time of printing) must not make two builds differ. The object
 * is found through Chromium's cross-reference table.
 */
function blankObject(buffer: Uint8Array, printed: PrintedFile, ref: PDFRef): void {
  const bytes = Buffer.from(buffer.buffer, buffer.byteOffset, printed.bytes.byteLength);
  let at = printed.startXref + 'xref'.length;
  let offset: number | undefined;
  for (;;) {
    const header = /^\s*(\d+) (\d+)[ \t]*\r?\n/.exec(bytes.toString('latin1', at, at + 40));
    if (!header) return;
    const first = Number(header[1]);
    const count = Number(header[2]);
    at += header[0].length;
    if (ref.objectNumber >= first && ref.objectNumber < first + count) {
      offset = Number(
        bytes.toString(
          'latin1',
          at + 20 * (ref.objectNumber - first),
          at + 20 * (ref.objectNumber - first) + 10,
        ),
      );
      break;
    }
    at += 20 * count;
  }
  const head = `${ref.objectNumber} ${ref.generationNumber} obj`;
  if (bytes.toString('latin1', offset, offset + head.length) !== head) return;
  const body = offset + head.length;
  const end = bytes.indexOf('endobj', body, 'latin1');
  if (end < 0) return;
  bytes.fill(0x20, body, end);
  bytes.write(' null', body, 'latin1');
}
