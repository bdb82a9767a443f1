/**
 * An SVG file is a program as much as a picture: it may hold scripts, event handlers, HTML in a
 * `<foreignObject>`, links that run code, and references that load files from elsewhere. Every SVG that
 * reaches an edition goes through this allow-list first: the file is parsed by a real XML parser
 * (@xmldom/xmldom, which never expands DTD entities, so no entity bomb and no external entity), and only
 * static drawing elements and presentation attributes are kept. The DOCTYPE is always dropped: epubcheck
 * rejects it, and it is where entities hide.
 */
import { createRequire } from 'node:module';
import type { Element, Node } from '@xmldom/xmldom';

type Xmldom = typeof import('@xmldom/xmldom');
let xmldom: Xmldom | undefined;
/** Loaded on the first SVG, so a book without one (and `imprint --version`) never pays for it. */
function loadXmldom(): Xmldom {
  xmldom ??= createRequire(import.meta.url)('@xmldom/xmldom') as Xmldom;
  return xmldom;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const XLINK_NS = 'http://www.w3.org/1999/xlink';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

/** Static SVG: shapes, text, paint servers, clipping, masking and filters. No script, animation or HTML. */
const ALLOWED_ELEMENTS = new Set([
  'svg',
  'a',
  'circle',
  'clipPath',
  'defs',
  'desc',
  'ellipse',
  'g',
  'image',
  'line',
  'linearGradient',
  'marker',
  'mask',
  'metadata',
  'path',
  'pattern',
  'polygon',
  'polyline',
  'radialGradient',
  'rect',
  'stop',
  'style',
  'switch',
  'symbol',
  'text',
  'textPath',
  'title',
  'tspan',
  'use',
  'view',
  'filter',
  'feBlend',
  'feColorMatrix',
  'feComponentTransfer',
  'feComposite',
  'feConvolveMatrix',
  'feDiffuseLighting',
  'feDisplacementMap',
  'feDistantLight',
  'feDropShadow',
  'feFlood',
  'feFuncA',
  'feFuncB',
  'feFuncG',
  'feFuncR',
  'feGaussianBlur',
  'feMerge',
  'feMergeNode',
  'feMorphology',
  'feOffset',
  'fePointLight',
  'feSpecularLighting',
  'feSpotLight',
  'feTile',
  'feTurbulence',
]);
/** Drawing programs' own bookkeeping (Inkscape, Sodipodi, RDF metadata): dropped without a word. */
const EDITOR_NAMESPACE = /inkscape|sodipodi|rdf-syntax|purl\.org\/dc|creativecommons|adobe\.com/i;
/** Raster images embedded in the SVG itself are fine; an SVG inside an SVG would need sanitising again. */
const EMBEDDED_IMAGE = /^data:image\/(png|jpeg|gif|webp);/i;
const REMOTE = /^\s*(https?:)?\/\//i;
/** `url(#gradient)` stays; `url(anything-else)` would load a file. */
const OUTSIDE_URL = /url\(\s*(?!['"]?#)/i;

export interface SvgFinding {
  severity: 'error' | 'warning';
  code: 'svg-unsafe' | 'remote-url';
  message: string;
  line?: number;
  column?: number;
}

export type SanitizedSvg =
  | { ok: true; svg: string; findings: SvgFinding[] }
  | { ok: false; message: string; line?: number; column?: number };

interface Located {
  lineNumber?: number;
  columnNumber?: number;
}

export function sanitizeSvg(text: string): SanitizedSvg {
  const { DOMParser, XMLSerializer } = loadXmldom();
  let parseError: { message: string; line?: number; column?: number } | undefined;
  const doc = new DOMParser({
    onError: (level, message, context) => {
      if (level === 'warning') return;
      const where = (context as { locator?: Located } | undefined)?.locator;
      parseError ??= { message: firstLine(message), line: where?.lineNumber, column: where?.columnNumber };
      throw new Error(message);
    },
  });
  let document: ReturnType<InstanceType<Xmldom['DOMParser']>['parseFromString']>;
  try {
    document = doc.parseFromString(text, 'image/svg+xml');
  } catch (error) {
    const found = parseError ?? { message: firstLine((error as Error).message) };
    const entity = /entity not found:\s*(&[^;\s]*;?)/i.exec(found.message);
    return {
      ok: false,
      message: entity
        ? `it uses the entity ${entity[1]} from a DOCTYPE, and Imprint never expands DOCTYPE entities`
        : `it is not well-formed XML: ${found.message}`,
      line: found.line,
      column: found.column,
    };
  }
  const root = document.documentElement;
  if (root?.localName !== 'svg' || root.namespaceURI !== SVG_NS) {
    return {
      ok: false,
      message: root
        ? `its root element is <${root.tagName}>${root.localName === 'svg' ? ' without xmlns="http://www.w3.org/2000/svg"' : ''}, not an SVG <svg>`
        : 'it has no root element',
      line: (root as Located | null)?.lineNumber,
    };
  }

  const findings: SvgFinding[] = [];
  const warn = (node: Node, message: string, code: SvgFinding['code'] = 'svg-unsafe') =>
    findings.push({
      severity: code === 'remote-url' ? 'error' : 'warning',
      code,
      message,
      line: (node as Located).lineNumber,
      column: (node as Located).columnNumber,
    });

  for (let child = document.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === child.DOCUMENT_TYPE_NODE) {
      const internal = (child as unknown as { internalSubset?: string }).internalSubset;
      if (internal?.trim()) warn(child, 'Its DOCTYPE declares entities; the DOCTYPE is removed.');
    } else if (child.nodeType === child.PROCESSING_INSTRUCTION_NODE && child.nodeName !== 'xml') {
      warn(child, `The processing instruction <?${child.nodeName} …?> is removed.`);
    }
  }
  cleanElement(root, warn);
  const svg = `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(root)}\n`;
  return { ok: true, svg, findings };
}

type Warn = (node: Node, message: string, code?: SvgFinding['code']) => void;

/** Walks the tree without recursion, so a deeply nested file cannot exhaust the stack. */
function cleanElement(root: Element, warn: Warn): void {
  const stack: Element[] = [root];
  while (stack.length > 0) {
    const element = stack.pop() as Element;
    cleanAttributes(element, warn);
    for (let child = element.firstChild; child; ) {
      const next = child.nextSibling;
      if (child.nodeType === child.ELEMENT_NODE) {
        const kept = keepElement(child as Element, warn);
        if (kept) stack.push(child as Element);
        else element.removeChild(child);
      } else if (
        child.nodeType === child.PROCESSING_INSTRUCTION_NODE ||
        child.nodeType === child.COMMENT_NODE
      ) {
        if (child.nodeType === child.PROCESSING_INSTRUCTION_NODE)
          warn(child, `The processing instruction <?${child.nodeName} …?> is removed.`);
        element.removeChild(child);
      }
      child = next;
    }
  }
}

function keepElement(element: Element, warn: Warn): boolean {
  const name = element.localName ?? element.tagName;
  if (element.namespaceURI !== SVG_NS) {
    if (!EDITOR_NAMESPACE.test(element.namespaceURI ?? ''))
      warn(element, `<${element.tagName}> (not SVG) is removed.`);
    return false;
  }
  if (!ALLOWED_ELEMENTS.has(name)) {
    const why =
      name === 'script'
        ? ': an image cannot run code'
        : name === 'foreignObject'
          ? ': it would put HTML inside the image'
          : /^(animate|set|animateMotion|animateTransform|discard)$/.test(name)
            ? ': a book page does not move'
            : '';
    warn(element, `<${name}> is removed${why}.`);
    return false;
  }
  if (
    name === 'style' &&
    /@import|url\(\s*(?!['"]?#)|expression\(|javascript:/i.test(element.textContent ?? '')
  ) {
    warn(element, 'A <style> that loads files is removed.');
    return false;
  }
  return true;
}

function cleanAttributes(element: Element, warn: Warn): void {
  const name = element.localName;
  for (const attribute of [...Array.from(element.attributes)]) {
    const local = attribute.localName ?? attribute.name;
    const namespace = attribute.namespaceURI;
    const value = attribute.value;
    const remove = () => element.removeAttributeNode(attribute);
    if (namespace === XMLNS_NS || attribute.name === 'xmlns' || attribute.name.startsWith('xmlns:')) {
      continue;
    }
    if (namespace && namespace !== XLINK_NS && namespace !== XML_NS) {
      remove();
      continue;
    }
    if (/^on/i.test(local)) {
      warn(element, `The event handler ${attribute.name} on <${name}> is removed: an image cannot run code.`);
      remove();
    } else if (/^\s*(javascript|vbscript|data:text\/html)/i.test(withoutControls(value))) {
      warn(element, `The script link in ${attribute.name} on <${name}> is removed.`);
      remove();
    } else if (local === 'href') {
      if (value.startsWith('#')) continue;
      if (name === 'a' && /^(https?:|mailto:)/i.test(value)) continue;
      if (name === 'image' && EMBEDDED_IMAGE.test(value)) continue;
      if (REMOTE.test(value)) {
        warn(
          element,
          `<${name}> loads "${value}" from the network; Imprint never downloads anything during a build.`,
          'remote-url',
        );
      } else {
        warn(
          element,
          `The reference "${truncate(value)}" on <${name}> is removed: it points outside the image.`,
        );
      }
      remove();
    } else if (OUTSIDE_URL.test(value)) {
      warn(element, `The ${attribute.name} on <${name}> loads a file; it is removed.`);
      remove();
    }
  }
}

/** Browsers ignore control characters and spaces inside a URL scheme ("java\tscript:"). */
function withoutControls(value: string): string {
  return [...value].filter((character) => character > ' ').join('');
}

function firstLine(message: string): string {
  return message
    .split('\n')[0]
    .replace(/^\[xmldom \w+\]\s*/, '')
    .trim();
}

function truncate(value: string): string {
  return value.length > 60 ? `${value.slice(0, 57)}…` : value;
}
