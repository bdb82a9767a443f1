/**
 * The finished PDF is Chromium's file plus one incremental update (src/outputs/pdf/incremental-save.ts). A
 * file shaped like Chromium's (one classic cross-reference table, tagged structure elements, an Info
 * dictionary with the time of printing) is made with pdf-lib, finished a little, saved, and read back with
 * qpdf and pdf-lib.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream, PDFRef, rgb } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPrintedPdf } from '../src/outputs/pdf/incremental-save.ts';
import { destinationsFromText, readDestinations } from '../src/outputs/pdf/pdf-destinations.ts';
import { pdfIsWellFormed, pdfObject } from './support/pdf-tools.ts';

const work = mkdtempSync(path.join(tmpdir(), 'imprint-incremental-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A two-page tagged PDF as Chromium writes one; returns its bytes and the structure element's number. */
async function printedLikeChromium(useObjectStreams: boolean) {
  const doc = await PDFDocument.create({ updateMetadata: false });
  // Each page's content is a stream, as in Chromium's file.
  for (const page of [doc.addPage([300, 400]), doc.addPage([300, 400])])
    page.drawRectangle({ x: 10, y: 10, width: 50, height: 50, color: rgb(0, 0, 0) });
  doc.setProducer('Skia/PDF m156');
  doc.setCreationDate(new Date());
  const context = doc.context;
  const root = context.register(context.obj({ Type: 'StructTreeRoot' }));
  // The parent tree as Chromium writes it: per page, the array of the elements its marked content belongs to.
  const pageElements = context.obj([]);
  const pageElementsRef = context.register(pageElements);
  const parentTree = context.register(
    context.obj({ Type: 'ParentTree', Nums: [PDFNumber.of(0), pageElementsRef] }),
  );
  // The highest object number, so that pdf-lib never sees the largest number when it skips the element.
  const element = context.register(
    context.obj({ Type: 'StructElem', S: 'P', P: root, Pg: doc.getPage(0).ref, K: PDFNumber.of(0) }),
  );
  pageElements.push(element);
  const rootDict = context.lookup(root) as PDFDict;
  rootDict.set(PDFName.of('K'), element);
  rootDict.set(PDFName.of('ParentTree'), parentTree);
  doc.getPage(0).node.set(PDFName.of('StructParents'), PDFNumber.of(0));
  doc.catalog.set(PDFName.of('StructTreeRoot'), root);
  // A font as Chromium writes one (a widths array is most of its numbers), and the named destinations: an
  // ASCII id, and one Chromium percent-encoded (written with PDF's #25 for each %).
  const font = context.register(
    context.obj({ Type: 'Font', Subtype: 'CIDFontType2', BaseFont: 'AAAAAA+Serif', W: [0, [500, 600]] }),
  );
  const page = (index: number) => doc.getPage(index).ref;
  const dests = context.register(
    context.obj({
      'chapter-1': [page(0), 'XYZ', 36, 380.25, 0],
      'a--%E6%9D%B1': [page(1), 'XYZ', 40.5, 120, 0],
    }),
  );
  doc.catalog.set(PDFName.of('Dests'), dests);
  return {
    bytes: await doc.save({ useObjectStreams, addDefaultPage: false }),
    element: element.objectNumber,
    parentTree: [parentTree.objectNumber, pageElementsRef.objectNumber],
    font: font.objectNumber,
    dests: dests.objectNumber,
  };
}

async function finish(bytes: Uint8Array) {
  const printed = await loadPrintedPdf(bytes);
  const { doc } = printed;
  doc.setTitle('Finished');
  doc.setCreationDate(new Date(0));
  doc.insertPage(1, [300, 400]);
  doc.getPage(0).setMediaBox(0, 0, 250, 400);
  return printed.save();
}

function write(name: string, bytes: Uint8Array): string {
  const file = path.join(work, name);
  writeFileSync(file, bytes);
  return file;
}

describe('the finished PDF', () => {
  it("is Chromium's file with the finishing appended as one update", async () => {
    const { bytes, element, parentTree } = await printedLikeChromium(false);
    const finished = await finish(bytes);
    const file = write('update.pdf', finished);
    expect(pdfIsWellFormed(file)).toBe(true);
    const text = Buffer.from(finished).toString('latin1');
    expect(text.match(/%%EOF/g)).toHaveLength(2);
    expect(pdfObject(file, 'trailer')).toMatch(/\/Prev \d+/);
    // The part before the update is the printed file, but for the old Info dictionary's body.
    const original = Buffer.from(bytes).toString('latin1');
    const kept = text.slice(0, original.length);
    const differing = [...original].filter((char, index) => kept[index] !== char).length;
    expect(differing).toBeGreaterThan(0);
    expect(differing).toBeLessThan(200);
    expect(kept).not.toMatch(/\/CreationDate/);
    // The structure element was never read by pdf-lib, yet it is there, unchanged and under its number.
    expect(pdfObject(file, String(element))).toMatch(/\/S \/P/);
    expect(text.indexOf(`\n${element} 0 obj`, original.length)).toBe(-1);
    // So were the parent tree and the arrays it holds: kept as printed, still found from the structure root.
    const [tree, treeArray] = parentTree;
    for (const number of parentTree) expect(text.indexOf(`\n${number} 0 obj`, original.length)).toBe(-1);
    expect(pdfObject(file, String(tree))).toMatch(new RegExp(`/Nums \\[ ?0 ${treeArray} 0 R ?\\]`));
    expect(pdfObject(file, String(treeArray))).toMatch(new RegExp(`\\[ ?${element} 0 R ?\\]`));
    const reread = await PDFDocument.load(finished, { updateMetadata: false });
    expect(reread.getTitle()).toBe('Finished');
    const structure = reread.catalog.lookup(PDFName.of('StructTreeRoot'), PDFDict);
    expect(structure.lookup(PDFName.of('ParentTree'), PDFDict).lookup(PDFName.of('Nums'))).toBeDefined();
    expect(reread.getCreationDate()?.getTime()).toBe(0);
    expect(reread.getPageCount()).toBe(3);
    expect(reread.getPage(0).getMediaBox().width).toBe(250);
    // A page added by the finishing took a number above every printed object.
    expect(reread.getPage(1).ref.objectNumber).toBeGreaterThan(element);
  });

  it("writes a stream of Chromium's into the update when the finishing replaced or changed it", async () => {
    const { bytes } = await printedLikeChromium(false);
    const printed = await loadPrintedPdf(bytes);
    const { doc } = printed;
    // Two of the printed file's streams (the pages' contents): one replaced, one changed in place.
    const streams = [...doc.context.enumerateIndirectObjects()].filter(
      (entry): entry is [PDFRef, PDFRawStream] => entry[1] instanceof PDFRawStream,
    );
    expect(streams.length).toBeGreaterThanOrEqual(2);
    const [[replaced], [changedRef, changedStream]] = streams;
    doc.context.assign(replaced, doc.context.stream('0 0 m 20 20 l S'));
    changedStream.dict.set(PDFName.of('ImprintEdited'), PDFName.of('Yes'));
    const finished = await printed.save();
    const file = write('edited-streams.pdf', finished);
    expect(pdfIsWellFormed(file)).toBe(true);
    const text = Buffer.from(finished).toString('latin1');
    // Still one update after Chromium's bytes, now holding both streams.
    expect(text.match(/%%EOF/g)).toHaveLength(2);
    const update = text.slice(bytes.byteLength);
    expect(update).toContain(`\n${replaced.objectNumber} 0 obj`);
    expect(update).toContain(`\n${changedRef.objectNumber} 0 obj`);
    expect(pdfObject(file, String(changedRef.objectNumber))).toMatch(/\/ImprintEdited \/Yes/);
    const reread = await PDFDocument.load(finished, { updateMetadata: false });
    const content = reread.context.lookup(replaced);
    expect(content).toBeInstanceOf(PDFRawStream);
    expect(Buffer.from((content as PDFRawStream).contents).toString('latin1')).toBe('0 0 m 20 20 l S');
  });

  it("leaves Chromium's streams out of the update when the finishing only adds", async () => {
    const { bytes } = await printedLikeChromium(false);
    const finished = await finish(bytes);
    const update = Buffer.from(finished).toString('latin1').slice(bytes.byteLength);
    const printed = await PDFDocument.load(bytes, { updateMetadata: false });
    const streams = [...printed.context.enumerateIndirectObjects()]
      .filter(([, object]) => object instanceof PDFRawStream)
      .map(([ref]) => ref.objectNumber);
    expect(streams.length).toBeGreaterThan(0);
    for (const number of streams) expect(update).not.toContain(`\n${number} 0 obj`);
  });

  it('writes an update larger than the room it starts with (a big stream, a big array)', async () => {
    const { bytes } = await printedLikeChromium(false);
    const printed = await loadPrintedPdf(bytes);
    const { doc } = printed;
    const context = doc.context;
    // Each well past the 1 MB the save starts with: a stream (measured before it is written) and a dictionary
    // holding an array (written, found too big, written again once there is room).
    const contents = new Uint8Array(3 << 20).map((_, index) => 65 + (index % 26));
    const stream = context.register(context.stream(contents));
    const numbers = Array.from({ length: 400_000 }, (_, index) => PDFNumber.of(index));
    const big = context.register(context.obj({ Numbers: context.obj(numbers) }));
    doc.catalog.set(PDFName.of('ImprintStream'), stream);
    doc.catalog.set(PDFName.of('ImprintNumbers'), big);
    const finished = await printed.save();
    expect(finished.byteLength).toBeGreaterThan(bytes.byteLength + (3 << 20) + 2_000_000);
    const file = write('big-update.pdf', finished);
    expect(pdfIsWellFormed(file)).toBe(true);
    const reread = await PDFDocument.load(finished, { updateMetadata: false });
    const readStream = reread.catalog.lookup(PDFName.of('ImprintStream'));
    expect(readStream).toBeInstanceOf(PDFRawStream);
    expect(Buffer.from((readStream as PDFRawStream).contents).equals(Buffer.from(contents))).toBe(true);
    const readNumbers = reread.catalog
      .lookup(PDFName.of('ImprintNumbers'), PDFDict)
      .lookup(PDFName.of('Numbers'));
    expect(readNumbers).toBeDefined();
    const array = readNumbers as unknown as { size(): number; get(index: number): PDFNumber };
    expect(array.size()).toBe(400_000);
    expect(array.get(399_999).asNumber()).toBe(399_999);
    expect(reread.getPageCount()).toBe(2);
  });

  it("reads Chromium's destinations from the bytes, as pdf-lib reads them, and leaves its fonts unread", async () => {
    const { bytes, font, dests } = await printedLikeChromium(false);
    const printed = await loadPrintedPdf(bytes);
    const { doc } = printed;
    expect(printed.destinations?.size).toBe(2);
    // Neither object was given to pdf-lib …
    expect(doc.context.lookup(PDFRef.of(font))).toBeUndefined();
    expect(doc.context.lookup(PDFRef.of(dests))).toBeUndefined();
    // … and the places are those pdf-lib finds in the whole file.
    const whole = await PDFDocument.load(bytes, { updateMetadata: false });
    const places = readDestinations(doc, printed.destinations);
    expect(places).toEqual(readDestinations(whole));
    expect(places.get('chapter-1')).toEqual({ page: 0, x: 36, y: 380.25 });
    expect(places.get('a--東')).toEqual({ page: 1, x: 40.5, y: 120 });
    // Both are in the finished file as printed, under their numbers.
    const finished = await printed.save();
    const file = write('unread.pdf', finished);
    expect(pdfIsWellFormed(file)).toBe(true);
    expect(pdfObject(file, String(font))).toMatch(/\/W \[ ?0 \[ ?500 600 ?\] ?\]/);
    expect(pdfObject(file, String(dests))).toMatch(/chapter-1/);
    const text = Buffer.from(finished).toString('latin1');
    for (const number of [font, dests]) expect(text.indexOf(`\n${number} 0 obj`, bytes.length)).toBe(-1);
  });

  it('gives pdf-lib a /Dests it does not know the form of, and reads the places from it', async () => {
    const doc = await PDFDocument.create({ updateMetadata: false });
    doc.addPage([300, 400]);
    const dests = doc.context.register(doc.context.obj({ fitted: [doc.getPage(0).ref, 'Fit'] }));
    doc.catalog.set(PDFName.of('Dests'), dests);
    const bytes = await doc.save({ useObjectStreams: false, addDefaultPage: false });
    const printed = await loadPrintedPdf(bytes);
    expect(printed.destinations).toBeUndefined();
    expect(printed.doc.context.lookup(PDFRef.of(dests.objectNumber))).toBeDefined();
    expect(
      destinationsFromText(`${dests.objectNumber} 0 obj\n<</fitted [3 0 R /Fit]>>\nendobj\n`),
    ).toBeUndefined();
    expect(
      destinationsFromText('7 0 obj\n<</x [3 0 R /XYZ 1 2 0]\n/x [3 0 R /XYZ 1 2 0]>>\nendobj\n'),
    ).toBeUndefined();
    expect(destinationsFromText('7 0 obj\n<</x [3 0 R /XYZ 1 2 null]>>\nendobj\n')).toEqual(
      new Map([['x', { page: 3, x: 1, y: 2 }]]),
    );
  });

  it('gives the same bytes for the same printed file', async () => {
    const { bytes } = await printedLikeChromium(false);
    expect(Buffer.from(await finish(bytes)).equals(Buffer.from(await finish(bytes)))).toBe(true);
  });

  it('is written whole from a file with object streams', async () => {
    const { bytes } = await printedLikeChromium(true);
    const finished = await finish(bytes);
    const file = write('whole.pdf', finished);
    expect(pdfIsWellFormed(file)).toBe(true);
    expect(Buffer.from(finished).toString('latin1').match(/%%EOF/g)).toHaveLength(1);
    const reread = await PDFDocument.load(finished, { updateMetadata: false });
    expect(reread.getTitle()).toBe('Finished');
    expect(reread.getPageCount()).toBe(3);
    // Read whole: even what the finishing left alone is still there.
    expect(reread.getProducer()).toBe('Skia/PDF m156');
  });
});
