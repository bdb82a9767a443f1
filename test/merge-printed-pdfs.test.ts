/**
 * Two halves of a book printed by Chromium in two pages (src/outputs/pdf/merge-printed-pdfs.ts) joined into one
 * file: read back with qpdf, poppler and pdf-lib, page by page, destination by destination, link by link and
 * element by element of the structure tree, and finished as the build finishes it (incremental-save.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  PDFArray,
  type PDFContext,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFNumber,
  type PDFObject,
  PDFRef,
  PDFString,
} from 'pdf-lib';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPrintedPdf } from '../src/outputs/pdf/incremental-save.ts';
import { mergePrintedPdfs } from '../src/outputs/pdf/merge-printed-pdfs.ts';
import { readDestinations } from '../src/outputs/pdf/pdf-destinations.ts';
import { PDF_OPTIONS } from '../src/outputs/pdf/print-to-pdf.ts';
import { launchBrowser } from '../src/platform/browser/launch-browser.ts';
import { pdfInfo, pdfIsWellFormed, pdfPageTexts } from './support/pdf-tools.ts';

const CAFE = 'beta café';
/** Text the renumbering must leave alone: it reads like references, in a string with nested parentheses. */
const ALT = 'see 3 0 R (and (4 0 R)) \\ 5 0 R';
const PIXEL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

function page(body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><style>
    @page { size: 300pt 400pt; margin: 30pt; }
    .page { break-before: page; }
  </style></head><body>${body}</body></html>`;
}

/** Each half links to its own headings (so Chromium names them), and across as print-halves.ts writes it. */
const FIRST = page(`
  <table><tr><th>Alpha head</th></tr><tr><td>alpha cell</td></tr></table>
  <h1 id="alpha-opening">Alpha opening</h1>
  <p>The first page of the first half. <a href="#alpha-second">On to the second page</a>.</p>
  <p><a href="imprint-dest:beta-chapter">Across to the beta chapter</a></p>
  <p><a href="imprint-dest:${encodeURIComponent(CAFE)}">Across to the café</a></p>
  <p><a href="imprint-dest:nowhere-at-all">Across to nowhere</a></p>
  <h2 class="page" id="alpha-second">Alpha second</h2>
  <p>The second page. <a href="#alpha-opening">Back to the opening</a>.</p>
  <h2 class="page" id="alpha-third">Alpha third</h2>
  <p>The third page of the first half.</p>`);

const SECOND = page(`
  <table><tr><th>Beta head</th></tr><tr><td>beta cell</td></tr></table>
  <h1 id="beta-chapter">Beta chapter</h1>
  <p>The first page of the second half. <a href="#beta-chapter">Here</a> and
  <a href="imprint-dest:alpha-opening">back to the alpha opening</a>.</p>
  <p><img src="${PIXEL}" alt="${ALT}" width="20" height="20"></p>
  <h2 class="page" id="${CAFE}">Beta café</h2>
  <p>The second page of the second half. <a href="#${encodeURIComponent(CAFE)}">The café</a>.</p>`);

/** A half without links or tables: Chromium writes it no destinations and no ID tree. */
const PLAIN = page(`
  <h1>Gamma plain</h1><p>A page with nothing to link to.</p>
  <h2 class="page">Gamma second</h2><p>Nor here.</p>`);

let browser: Browser;
let work: string;
const files = { first: '', second: '', merged: '' };
let first: Uint8Array;
let second: Uint8Array;
let plain: Uint8Array;
let merged: Uint8Array;
let firstPages: number;
let secondPages: number;

/** Each half in a browser context of its own, as two renderers number their elements each from the start. */
async function print(html: string): Promise<Uint8Array> {
  const context = await browser.createBrowserContext();
  const tab = await context.newPage();
  await tab.setContent(html);
  const pdf = await tab.pdf(PDF_OPTIONS);
  await context.close();
  return pdf;
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'imprint-merge-'));
  browser = await launchBrowser();
  [first, second, plain] = await Promise.all([print(FIRST), print(SECOND), print(PLAIN)]);
  const joined = mergePrintedPdfs(first, second);
  if (!joined) throw new Error('the halves were not merged');
  merged = joined;
  for (const [name, bytes] of Object.entries({ first, second, merged })) {
    files[name as keyof typeof files] = path.join(work, `${name}.pdf`);
    writeFileSync(files[name as keyof typeof files], bytes);
  }
  firstPages = Number(pdfInfo(files.first).Pages);
  secondPages = Number(pdfInfo(files.second).Pages);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function load(bytes: Uint8Array): Promise<PDFDocument> {
  return PDFDocument.load(bytes, { updateMetadata: false });
}

function dictOf(context: PDFContext, object: PDFObject | undefined): PDFDict | undefined {
  const value = object instanceof PDFRef ? context.lookup(object) : object;
  return value instanceof PDFDict ? value : undefined;
}

function nameOf(dict: PDFDict, key: string): string | undefined {
  const value = dict.get(PDFName.of(key));
  return value instanceof PDFName ? value.decodeText() : undefined;
}

interface Link {
  page: number;
  dest?: string;
  uri?: string;
  structParent?: number;
}

/** Every link annotation with the page it is on. */
function links(doc: PDFDocument): Link[] {
  const found: Link[] = [];
  doc.getPages().forEach((each, index) => {
    const annots = each.node.Annots();
    for (let item = 0; item < (annots?.size() ?? 0); item++) {
      const annot = dictOf(doc.context, annots?.get(item));
      if (!annot || nameOf(annot, 'Subtype') !== 'Link') continue;
      const action = dictOf(doc.context, annot.get(PDFName.of('A')));
      const uri = action?.lookup(PDFName.of('URI'));
      const key = annot.get(PDFName.of('StructParent'));
      found.push({
        page: index,
        dest: nameOf(annot, 'Dest'),
        uri: uri instanceof PDFString ? uri.decodeText() : undefined,
        structParent: key instanceof PDFNumber ? key.asNumber() : undefined,
      });
    }
  });
  return found;
}

describe('mergePrintedPdfs', () => {
  it('writes a well-formed file with the pages of both halves, in order, each with its text', () => {
    expect(firstPages).toBeGreaterThanOrEqual(3);
    expect(secondPages).toBeGreaterThanOrEqual(2);
    expect(pdfIsWellFormed(files.merged)).toBe(true);
    expect(Number(pdfInfo(files.merged).Pages)).toBe(firstPages + secondPages);
    const texts = pdfPageTexts(files.merged, firstPages + secondPages);
    expect(texts).toEqual([
      ...pdfPageTexts(files.first, firstPages),
      ...pdfPageTexts(files.second, secondPages),
    ]);
    expect(texts[firstPages]).toContain('Beta chapter');
  });

  it('names the destinations of both halves, each on its page', async () => {
    const places = readDestinations(await load(merged));
    expect(places.get('alpha-opening')?.page).toBe(0);
    expect(places.get('alpha-second')?.page).toBe(1);
    expect(places.get('beta-chapter')?.page).toBe(firstPages);
    expect(places.get(CAFE)?.page).toBe(firstPages + 1);
  });

  it('makes the links across the halves internal links, and drops one to nowhere', async () => {
    const found = links(await load(merged));
    expect(found.filter((link) => link.uri !== undefined)).toEqual([]);
    // A link broken over two lines is two annotations.
    const targets = (page: number) => [
      ...new Set(found.filter((link) => link.page === page).map((link) => link.dest)),
    ];
    expect(targets(0)).toEqual(['alpha-second', 'beta-chapter', encodeURIComponent(CAFE), undefined]);
    expect(targets(firstPages)).toEqual(['beta-chapter', 'alpha-opening']);
    // The link to nowhere keeps its place in the structure tree.
    expect(found.every((link) => link.structParent !== undefined)).toBe(true);
  });

  it('keeps one structure tree holding every element of both halves', async () => {
    const doc = await load(merged);
    const context = doc.context;
    const root = dictOf(context, doc.catalog.get(PDFName.of('StructTreeRoot')));
    if (!root) throw new Error('no structure tree');
    const elements = new Set<PDFDict>();
    for (const [, object] of context.enumerateIndirectObjects())
      if (object instanceof PDFDict && nameOf(object, 'Type') === 'StructElem') elements.add(object);
    const reached = new Set<PDFDict>();
    const visit = (ref: PDFObject | undefined, parent: PDFDict) => {
      const kids = ref instanceof PDFArray ? ref.asArray() : [ref];
      for (const kid of kids) {
        if (!(kid instanceof PDFRef)) continue;
        const element = dictOf(context, kid);
        if (!element || nameOf(element, 'Type') !== 'StructElem' || reached.has(element)) continue;
        expect(dictOf(context, element.get(PDFName.of('P')))).toBe(parent);
        reached.add(element);
        visit(element.get(PDFName.of('K')), element);
      }
    };
    visit(root.get(PDFName.of('K')), root);
    expect(reached.size).toBe(elements.size);
    const documents = [...elements].filter((element) => nameOf(element, 'S') === 'Document');
    expect(documents).toHaveLength(1);

    // The parent tree: unique keys below /ParentTreeNextKey, one for every page and every link.
    const parentTree = dictOf(context, root.get(PDFName.of('ParentTree')));
    const nums = parentTree?.lookup(PDFName.of('Nums'), PDFArray).asArray() ?? [];
    const keys = nums.filter((_, index) => index % 2 === 0).map((key) => (key as PDFNumber).asNumber());
    expect(new Set(keys).size).toBe(keys.length);
    const nextKey = root.lookup(PDFName.of('ParentTreeNextKey'), PDFNumber).asNumber();
    expect(Math.max(...keys)).toBeLessThan(nextKey);
    for (const each of doc.getPages())
      expect(keys).toContain(each.node.lookup(PDFName.of('StructParents'), PDFNumber).asNumber());
    for (const link of links(doc)) expect(keys).toContain(link.structParent);

    // The ID tree: sorted, unique, each key the /ID of its element (the halves' table header cells).
    const idTree = dictOf(context, root.get(PDFName.of('IDTree')));
    const leaf = dictOf(context, idTree?.lookup(PDFName.of('Kids'), PDFArray).get(0));
    const names = leaf?.lookup(PDFName.of('Names'), PDFArray).asArray() ?? [];
    const ids = names.filter((_, index) => index % 2 === 0).map((key) => (key as PDFString).asString());
    expect(ids.length).toBeGreaterThanOrEqual(2);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    names.forEach((value, index) => {
      if (index % 2 === 0) return;
      const element = dictOf(context, value);
      const id = element?.get(PDFName.of('ID'));
      expect(id instanceof PDFString && id.asString()).toBe(ids[(index - 1) / 2]);
    });
    const limits = leaf?.lookup(PDFName.of('Limits'), PDFArray).asArray() as PDFString[];
    expect(limits.map((limit) => limit.asString())).toEqual([ids[0], ids[ids.length - 1]]);
    // Each renderer numbered its header cell the same: the second's was renamed, and its data cell's /Headers.
    expect(ids.filter((id) => id.startsWith('b-'))).toHaveLength(1);
    const headers = [...elements].flatMap((element) => {
      const attributes = element.lookup(PDFName.of('A'));
      const list = attributes instanceof PDFArray ? attributes.asArray() : [attributes];
      return list.flatMap((each) => {
        const named = dictOf(context, each)?.lookup(PDFName.of('Headers'));
        return named instanceof PDFArray ? named.asArray().map((id) => (id as PDFString).asString()) : [];
      });
    });
    expect(headers.sort()).toEqual([...ids].sort());
  });

  it('copies strings as they are, even one that reads like references', async () => {
    const written = Buffer.from(merged).toString('latin1');
    expect(written).toContain('/Alt (see 3 0 R \\(and \\(4 0 R\\)\\) \\\\ 5 0 R)');
    const doc = await load(merged);
    const alts = [...doc.context.enumerateIndirectObjects()]
      .map(([, object]) => (object instanceof PDFDict ? object.get(PDFName.of('Alt')) : undefined))
      .filter((alt) => alt instanceof PDFString)
      .map((alt) => alt.decodeText());
    expect(alts).toEqual([ALT]);
  });

  it('is a file the finishing reads on its fast path and saves well-formed', async () => {
    const printed = await loadPrintedPdf(merged);
    expect(printed.doc.getPageCount()).toBe(firstPages + secondPages);
    // The structure elements were left to the bytes: the merged objects are in Chromium's form.
    const elements = [...printed.doc.context.enumerateIndirectObjects()].filter(
      ([, object]) => object instanceof PDFDict && nameOf(object, 'Type') === 'StructElem',
    );
    expect(elements).toEqual([]);
    printed.doc.setTitle('Finished');
    const file = path.join(work, 'finished.pdf');
    writeFileSync(file, await printed.save());
    expect(pdfIsWellFormed(file)).toBe(true);
    expect(Number(pdfInfo(file).Pages)).toBe(firstPages + secondPages);
  });

  it('joins a half without destinations or ID tree, first or second', async () => {
    expect(Buffer.from(plain).toString('latin1')).not.toMatch(/\/Dests|\/IDTree/);
    const plainPages = 2;
    const cases = [
      { name: 'plain-first', halves: [plain, second], id: 'beta-chapter', page: plainPages },
      { name: 'plain-second', halves: [first, plain], id: 'alpha-second', page: 1 },
    ] as const;
    for (const { name, halves, id, page } of cases) {
      const joined = mergePrintedPdfs(...halves);
      if (!joined) throw new Error(`${name}: not merged`);
      const file = path.join(work, `${name}.pdf`);
      writeFileSync(file, joined);
      expect(pdfIsWellFormed(file)).toBe(true);
      const pages = halves.map((half) =>
        half === plain ? plainPages : half === first ? firstPages : secondPages,
      );
      expect(Number(pdfInfo(file).Pages)).toBe(pages[0] + pages[1]);
      const doc = await load(joined);
      // Destinations from the half that has them, under the catalog whichever half that was.
      expect(readDestinations(doc).get(id)?.page).toBe(page);
      // The first's links to the second half have nothing to go to now: no URI is left.
      expect(links(doc).filter((link) => link.uri !== undefined)).toEqual([]);
      const root = dictOf(doc.context, doc.catalog.get(PDFName.of('StructTreeRoot')));
      const idTree = dictOf(doc.context, root?.get(PDFName.of('IDTree')));
      const leaf = dictOf(doc.context, idTree?.lookup(PDFName.of('Kids'), PDFArray).get(0));
      const names = leaf?.lookup(PDFName.of('Names'), PDFArray).asArray() ?? [];
      expect(names).toHaveLength(2);
      expect(dictOf(doc.context, names[1])?.get(PDFName.of('ID'))).toEqual(names[0]);
      const finished = path.join(work, `${name}-finished.pdf`);
      writeFileSync(finished, await (await loadPrintedPdf(joined)).save());
      expect(pdfIsWellFormed(finished)).toBe(true);
    }
  });

  it("keeps the first half's destination of a name both halves have", async () => {
    // Only the shell both halves print could give one id twice: the first half's is the whole book's.
    const twice = mergePrintedPdfs(first, first);
    expect(twice).toBeDefined();
    const doc = await PDFDocument.load(twice as Uint8Array, { updateMetadata: false });
    expect(doc.getPageCount()).toBe(2 * firstPages);
    const places = [...readDestinations(doc).values()];
    expect(places.length).toBeGreaterThan(1);
    expect(places.every((place) => place.page < firstPages)).toBe(true);
  });

  it("names the second half's font subsets apart from the first's", () => {
    // Both halves embed subsets of the same face, each renderer tagging its first one AAAAAA+.
    const text = Buffer.from(merged).toString('latin1');
    const names = [...text.matchAll(/\/FontName\s*\/([A-Z]{6}\+[^\s/<>()]+)/g)].map((match) => match[1]);
    expect(names.length).toBeGreaterThan(1);
    expect(new Set(names).size).toBe(names.length);
    // pdffonts agrees: no name twice.
    writeFileSync(path.join(work, 'fonts.pdf'), merged);
    const listed = execFileSync('pdffonts', [path.join(work, 'fonts.pdf')], { encoding: 'utf8' })
      .split('\n')
      .slice(2)
      .map((line) => line.split(/\s+/)[0])
      .filter(Boolean);
    expect(listed.length).toBe(names.length);
    expect(new Set(listed).size).toBe(listed.length);
  });

  it('answers undefined for files not shaped as Chromium writes them', async () => {
    expect(mergePrintedPdfs(first, second.subarray(0, second.length - 40))).toBeUndefined();
    expect(mergePrintedPdfs(new TextEncoder().encode('%PDF-1.4\nnot a pdf\n'), second)).toBeUndefined();
    // Updated (a /Prev), and written by pdf-lib (object streams, no structure tree).
    const updated = await (await loadPrintedPdf(first)).save();
    expect(mergePrintedPdfs(updated, second)).toBeUndefined();
    const made = await PDFDocument.create();
    made.addPage();
    expect(mergePrintedPdfs(first, await made.save())).toBeUndefined();
    expect(mergePrintedPdfs(first, await made.save({ useObjectStreams: false }))).toBeUndefined();
  });
});
