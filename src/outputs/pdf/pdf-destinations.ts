/**
 * The layout facts of a Chromium PDF: every element an internal link targets gets a named destination called
 * by its HTML id (`/Dests` in the catalog, or a `/Names` tree after a rewrite), so linking each id that needs
 * a page gives an exact id → page map, whatever the element holds. Read with pdf-lib.
 */
import {
  PDFArray,
  PDFDict,
  type PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  type PDFObject,
  PDFRef,
  PDFString,
} from 'pdf-lib';

export interface Place {
  /** 0-based index of the page in the PDF as printed. */
  page: number;
  /** Chromium's destination point: x from the left of the page area, y as `page height − distance from the top of the page area` (pt). */
  x: number;
  y: number;
}

/** A destination as Chromium wrote it: the page's object number and the point. */
export interface RawDestination {
  page: number;
  x: number;
  y: number;
}

/**
 * `readFromBytes` gives the destinations when pdf-lib was not given Chromium's `/Dests` dictionary
 * (incremental-save.ts reads it from the bytes: parsed by pdf-lib it was a fifth of the file's load).
 */
export function readDestinations(
  doc: PDFDocument,
  readFromBytes?: Map<string, RawDestination>,
): Map<string, Place> {
  if (readFromBytes) {
    const pageIndex = new Map(doc.getPages().map((page, index) => [page.ref.objectNumber, index]));
    const places = new Map<string, Place>();
    for (const [name, { page, x, y }] of readFromBytes) {
      const index = pageIndex.get(page);
      if (index !== undefined) places.set(idOf(name), { page: index, x, y });
    }
    return places;
  }
  const pageIndex = new Map(doc.getPages().map((page, index) => [page.ref.toString(), index]));
  const places = new Map<string, Place>();
  const add = (name: string, value: PDFObject | undefined) => {
    let dest = value instanceof PDFRef ? doc.context.lookup(value) : value;
    if (dest instanceof PDFDict) dest = dest.lookup(PDFName.of('D'));
    if (!(dest instanceof PDFArray)) return;
    const target = dest.get(0);
    const page = target instanceof PDFRef ? pageIndex.get(target.toString()) : undefined;
    if (page === undefined) return;
    const number = (index: number) => {
      const item = dest.lookup(index);
      return item instanceof PDFNumber ? item.asNumber() : 0;
    };
    places.set(name, { page, x: number(2), y: number(3) });
  };
  const dests = doc.catalog.lookup(PDFName.of('Dests'));
  if (dests instanceof PDFDict) {
    for (const [key, value] of dests.entries()) add(idOf(key.decodeText()), value);
  }
  const names = doc.catalog.lookup(PDFName.of('Names'));
  const tree = names instanceof PDFDict ? names.lookup(PDFName.of('Dests')) : undefined;
  const walk = (node: PDFObject | undefined, depth: number) => {
    if (!(node instanceof PDFDict) || depth > 32) return;
    const pairs = node.lookup(PDFName.of('Names'));
    if (pairs instanceof PDFArray) {
      for (let index = 0; index + 1 < pairs.size(); index += 2) {
        const key = pairs.lookup(index);
        if (key instanceof PDFString || key instanceof PDFHexString)
          add(key.decodeText(), pairs.get(index + 1));
      }
    }
    const kids = node.lookup(PDFName.of('Kids'));
    if (kids instanceof PDFArray)
      for (let index = 0; index < kids.size(); index++) walk(kids.lookup(index), depth + 1);
  };
  walk(tree, 0);
  return places;
}

/**
 * The HTML id a destination is named after. Chromium writes the id as a URL fragment: characters outside
 * ASCII percent-encoded ("a--%E6%9D%B1" for "a--東").
 */
function idOf(name: string): string {
  if (!name.includes('%')) return name;
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/** PDF white space (ISO 32000-1, 7.2.2). */
const W = '[\\x00\\t\\n\\f\\r ]';
const OPEN = new RegExp(`^\\d+${W}+\\d+${W}+obj${W}*<<`, 'y');
/** `/name [12 0 R /XYZ x y z]`, as Chromium writes every entry of its `/Dests`. */
const ENTRY = new RegExp(
  `${W}*/([^\\x00\\t\\n\\f\\r ()<>[\\]{}/%]*)${W}*\\[${W}*(\\d+)${W}+0${W}+R${W}*/XYZ${W}+(-?[\\d.]+)${W}+(-?[\\d.]+)${W}+(?:-?[\\d.]+|null)${W}*\\]`,
  'y',
);
const CLOSE = new RegExp(`${W}*>>${W}*endobj${W}*$`, 'y');

/**
 * Chromium's `/Dests` dictionary (the object's text, `N 0 obj << … >> endobj`) as name → destination; undefined
 * unless every entry is one Chromium writes (then pdf-lib reads the object, as any other).
 */
export function destinationsFromText(text: string): Map<string, RawDestination> | undefined {
  OPEN.lastIndex = 0;
  if (!OPEN.exec(text)) return undefined;
  let at = OPEN.lastIndex;
  const destinations = new Map<string, RawDestination>();
  for (;;) {
    ENTRY.lastIndex = at;
    const entry = ENTRY.exec(text);
    if (!entry) break;
    at = ENTRY.lastIndex;
    const [, name = '', page, x, y] = entry;
    // As pdf-lib decodes a name: each #xx is the character of that code.
    const decoded = name.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    );
    const point = { page: Number(page), x: Number(x), y: Number(y) };
    if (destinations.has(decoded) || !Number.isFinite(point.x) || !Number.isFinite(point.y)) return undefined;
    destinations.set(decoded, point);
  }
  CLOSE.lastIndex = at;
  return CLOSE.test(text) ? destinations : undefined;
}
