/**
 * Packs the EPUB with epub-gen-memory, fed Imprint's finished documents and templates, and without the two
 * things that make its output differ between builds: random image names and the current time on every zip
 * entry. `mimetype` stays the first entry, stored uncompressed, as the OCF container requires.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import path from 'node:path';
import * as zlib from 'node:zlib';
import type { Chapter, Font, Options } from 'epub-gen-memory';
import type { PackageMetadata } from './metadata.ts';
import type { NavPoint } from './navigation.ts';
import type { EpubImage } from './resources.ts';

/** One XHTML file of the EPUB, already serialised. */
export interface EpubDocument {
  /** Manifest id: an XML name ("chapter-1"). */
  id: string;
  /** "01-interview.xhtml" */
  filename: string;
  title: string;
  xhtml: string;
  /** Cover and title page come before the table of contents in the spine. */
  beforeToc?: boolean;
}

export interface EpubParts {
  title: string;
  lang: string;
  css: string;
  documents: EpubDocument[];
  /** The navigation document (OEBPS/toc.xhtml). */
  navigation: string;
  images: EpubImage[];
  fonts: Font[];
  /** A local image as a `file:` URL, or the rendered cover's bytes. */
  cover: { url: string } | { png: Uint8Array };
  /** package.opf.ejs and toc.ncx.ejs, rendered by epub-gen-memory with its own data plus `imprint`. */
  templates: { opf: string; ncx: string };
  /** What the templates read as `imprint`. */
  templateData: PackageTemplateData;
  /** Every zip entry's timestamp. */
  date: Date;
  /** Keeps each document's deflated bytes between builds, under a digest of its text. */
  store?: DeflatedStore;
}

export interface DeflatedStore {
  getArtifact(key: string): Uint8Array | undefined;
  setArtifact(key: string, bytes: Uint8Array): void;
}

export interface PackageTemplateData {
  metadata: PackageMetadata;
  ncx: { points: NavPoint[]; depth: number };
  /** Whether the navigation document is also a page of the book, after the cover and title page. */
  tocInSpine: boolean;
  /** "rtl" makes reading systems turn pages leftwards (Arabic, Hebrew, Persian books). */
  pageProgression: 'ltr' | 'rtl';
  /** EPUB 2 `<guide>` references. */
  guide: { type: string; title: string; href: string }[];
}

const { deflateRawSync } = zlib;
/** zlib.crc32 arrived in node 20.15; JSZip's own (JavaScript) serves before that. */
const zlibCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

/** Already-compressed files are stored: deflating them again costs time and saves nothing. */
const STORED = /\.(woff2?|png|jpe?g|gif|webp)$/i;
/** Zip timestamps cannot say anything earlier (MS-DOS dates start in 1980). */
const ZIP_EPOCH = Date.UTC(1980, 0, 1);

/** The parts of JSZip (epub-gen-memory's copy: `instanceof` must hold) that take deflated bytes as they are. */
export interface JsZipInternals {
  CompressedObject: new (
    compressedSize: number,
    uncompressedSize: number,
    crc32: number,
    compression: unknown,
    data: Uint8Array,
  ) => unknown;
  deflate: { magic: string };
  store: { magic: string };
  crc32(data: Uint8Array): number;
}
interface ZipEntry {
  _data: unknown;
  _dataBinary: boolean;
  options: { compression?: string };
  async(type: 'uint8array'): Promise<Uint8Array>;
}
/** The JSZip major whose internals deflateNatively was written against (3.x: lib/compressedObject …). */
const JSZIP_MAJOR = 3;

/**
 * epub-gen-memory and its JSZip as one file (scripts/compile.mjs: some 130 CommonJS files in one, 35–45 ms
 * less to load), when the compiled code has it; from src/ the package itself.
 */
const bundledWriter = path.join(import.meta.dirname, '..', '..', 'vendor', 'epub-writer.cjs');
let writer: { epubGen: typeof import('epub-gen-memory'); jszip: Record<string, unknown> } | undefined;
function bundledEpubWriter(): typeof writer {
  if (!writer && existsSync(bundledWriter)) writer = createRequire(import.meta.url)(bundledWriter);
  return writer;
}

/** Loads a module as epub-gen-memory would, so the JSZip found is its own copy. */
function requireBesideEpubGen(id: string): unknown {
  const bundled = bundledEpubWriter();
  if (bundled) {
    if (!(id in bundled.jszip)) throw new Error(`${id} is not in lib/vendor/epub-writer.cjs.`);
    return bundled.jszip[id];
  }
  return createRequire(createRequire(import.meta.url).resolve('epub-gen-memory'))(id);
}

let jsZip: { found: JsZipInternals | undefined } | undefined;

/**
 * JSZip's internals as deflateNatively uses them, or undefined when the JSZip installed is another major or
 * no longer has their shape (a JSZip update): the EPUB is then deflated by JSZip's public path, slower and
 * the same bytes once inflated. test/epub-parts.test.ts fails when the installed JSZip does not pass.
 */
export function jsZipInternals(
  load: (id: string) => unknown = requireBesideEpubGen,
): JsZipInternals | undefined {
  if (load === requireBesideEpubGen && jsZip) return jsZip.found;
  let found: JsZipInternals | undefined;
  try {
    const version = (load('jszip/package.json') as { version?: unknown }).version;
    const CompressedObject = load('jszip/lib/compressedObject') as JsZipInternals['CompressedObject'];
    const compressions = load('jszip/lib/compressions') as {
      DEFLATE?: { magic?: unknown };
      STORE?: { magic?: unknown };
    };
    const deflate = compressions.DEFLATE;
    const store = compressions.STORE;
    const crc32 = load('jszip/lib/crc32') as JsZipInternals['crc32'];
    const ZipObject = load('jszip/lib/zipObject') as { prototype?: Record<string, unknown> };
    if (
      typeof version === 'string' &&
      Number.parseInt(version, 10) === JSZIP_MAJOR &&
      typeof CompressedObject === 'function' &&
      typeof CompressedObject.prototype?.getCompressedWorker === 'function' &&
      typeof deflate?.magic === 'string' &&
      typeof store?.magic === 'string' &&
      typeof crc32 === 'function' &&
      // The method that writes a CompressedObject of the same compression as it is.
      typeof ZipObject?.prototype?._compressWorker === 'function'
    )
      found = {
        CompressedObject,
        deflate: deflate as { magic: string },
        store: store as { magic: string },
        crc32,
      };
  } catch {
    found = undefined;
  }
  if (load === requireBesideEpubGen) jsZip = { found };
  return found;
}

/** Whether a zip entry has the fields deflateNatively replaces. */
function hasInternalData(entry: object): entry is ZipEntry {
  const candidate = entry as Partial<ZipEntry>;
  return (
    '_data' in candidate &&
    typeof candidate._dataBinary === 'boolean' &&
    typeof candidate.options === 'object' &&
    candidate.options !== null &&
    typeof candidate.async === 'function'
  );
}

/**
 * JSZip deflates with pako, in JavaScript, which in a one-off process runs cold: 0.15–0.85 s for this
 * book's 2.2 MB of documents where node's zlib takes 0.04–0.15 s (same bytes, same level 6). JSZip writes an
 * entry whose data is already a deflated `CompressedObject` as it is (its path for copying entries between
 * zips), so each entry is deflated here and handed over that way; the zip around them is still JSZip's.
 */
async function deflateNatively(
  entry: ZipEntry,
  internals: JsZipInternals,
  store?: DeflatedStore,
): Promise<void> {
  const { CompressedObject, deflate } = internals;
  const content = await entry.async('uint8array');
  const { checksum, deflated } = deflatedEntry(content, internals, store);
  entry._data = new CompressedObject(deflated.length, content.length, checksum, deflate, deflated);
  entry._dataBinary = true;
  entry.options.compression = 'DEFLATE';
}

const crc32Of = (content: Uint8Array, internals: JsZipInternals) =>
  zlibCrc32 ? zlibCrc32(content) : internals.crc32(content) >>> 0;

/**
 * A rebuild changes one chapter's document: the others' deflated bytes come from the store, keyed by a digest of
 * the text (a deflate of every document was a tenth of an EPUB rebuild). Stored as a digest of the rest, the
 * checksum and the bytes, so a damaged entry is deflated again rather than packed.
 */
function deflatedEntry(
  content: Uint8Array,
  internals: JsZipInternals,
  store?: DeflatedStore,
): { checksum: number; deflated: Uint8Array } {
  const digest = store && createHash('sha256').update(content).digest('hex');
  const key = digest && `deflated\u0000${process.versions.zlib}\u0000${digest}`;
  const stored = key ? store?.getArtifact(key) : undefined;
  if (stored && stored.length >= 36) {
    const rest = stored.subarray(32);
    if (createHash('sha256').update(rest).digest().equals(stored.subarray(0, 32))) {
      return { checksum: Buffer.from(rest).readUInt32BE(0), deflated: rest.subarray(4) };
    }
  }
  const deflated = deflateRawSync(content, { level: 6 });
  const checksum = crc32Of(content, internals);
  if (key) {
    const rest = Buffer.alloc(4 + deflated.length);
    rest.writeUInt32BE(checksum, 0);
    rest.set(deflated, 4);
    store?.setArtifact(key, Buffer.concat([createHash('sha256').update(rest).digest(), rest]));
  }
  return { checksum, deflated };
}

/** A stored entry (a font, an image) with its checksum from node's zlib: JSZip's own runs in JavaScript. */
async function storeNatively(entry: ZipEntry, internals: JsZipInternals): Promise<void> {
  const { CompressedObject, store } = internals;
  const content = await entry.async('uint8array');
  entry._data = new CompressedObject(
    content.length,
    content.length,
    crc32Of(content, internals),
    store,
    content,
  );
  entry._dataBinary = true;
  entry.options.compression = 'STORE';
}

/**
 * epub-gen-memory without the two parts of it Imprint never runs, which were 40 % of loading it (78 ms →
 * 44 ms in a fresh process, idle): its HTML clean-up (htmlparser2, css-select, domutils, dom-serializer), as
 * every chapter's `content` is empty and its document travels in `xhtml`; and node-fetch, as every resource
 * is a local `file:` URL, which it reads with fs (zipEpub refuses anything else). Both are put in the module
 * cache before the package loads; test/epub-parts.test.ts checks that the real clean-up gives "" for "".
 */
export function loadEpubGen(): typeof import('epub-gen-memory') {
  const bundled = bundledEpubWriter();
  if (bundled) return bundled.epubGen;
  const main = createRequire(import.meta.url).resolve('epub-gen-memory');
  const beside = createRequire(main);
  const preset = (file: string, exports: unknown) => {
    const cache = Module as unknown as { _cache: Record<string, unknown> };
    if (cache._cache[file]) return;
    const module = new Module(file);
    module.filename = file;
    module.loaded = true;
    module.exports = exports;
    cache._cache[file] = module;
  };
  preset(beside.resolve('./util/html-parse'), { fixHTML: emptyChapterContent });
  preset(beside.resolve('node-fetch'), () =>
    Promise.reject(new Error('The EPUB writer reads local files only; a build never touches the network.')),
  );
  return beside(main) as typeof import('epub-gen-memory');
}

/** epub-gen-memory's fixHTML for the only `content` Imprint gives it, "". */
export function emptyChapterContent(_index: number, html: string): string {
  if (html !== '')
    throw new Error('Imprint hands epub-gen-memory its documents in `xhtml`, never `content`.');
  return '';
}

const { EPub } = loadEpubGen();

class ReproducibleEPub extends EPub {
  readonly #date: Date;
  readonly #internals: JsZipInternals | undefined;
  readonly #store?: DeflatedStore;

  constructor(
    options: Options,
    content: Chapter[],
    images: EpubImage[],
    date: Date,
    internals: JsZipInternals | undefined,
    store?: DeflatedStore,
  ) {
    super(options, content);
    // Added here, under the names the documents already use, instead of being found by epub-gen-memory's
    // HTML scan, which names each image with a random UUID.
    for (const image of images) {
      const file = image.name.slice('images/'.length);
      const dot = file.lastIndexOf('.');
      this.images.push({
        url: image.url,
        id: file.slice(0, dot),
        extension: file.slice(dot + 1),
        mediaType: image.mediaType,
      });
    }
    this.#date = new Date(Math.max(date.getTime(), ZIP_EPOCH));
    this.#internals = internals;
    this.#store = store;
  }

  override async genEpub(): Promise<Buffer> {
    await this.render();
    await Promise.all(
      Object.entries(this.zip.files).map(async ([name, entry]) => {
        entry.date = this.#date;
        const internals = this.#internals;
        if (STORED.test(name)) {
          if (internals && hasInternalData(entry)) await storeNatively(entry, internals);
          else entry.options.compression = 'STORE';
        } else if (!entry.dir && name !== 'mimetype' && internals && hasInternalData(entry))
          // Only the documents' bytes are kept: the package file carries the build's time, so it is new every build.
          await deflateNatively(entry, internals, name.endsWith('.xhtml') ? this.#store : undefined);
      }),
    );
    return this.generateAsync({
      type: 'nodebuffer',
      mimeType: 'application/epub+zip',
      compression: 'DEFLATE',
      // Only for an entry deflateNatively left (none): pako at level 9 took three times as long as at 6.
      compressionOptions: { level: 6 },
    });
  }
}

/** `internals` defaults to the installed JSZip's (undefined: JSZip deflates every entry itself). */
export async function zipEpub(
  parts: EpubParts,
  internals: JsZipInternals | undefined = jsZipInternals(),
): Promise<Uint8Array> {
  for (const { url } of [...parts.images, ...parts.fonts, ...('url' in parts.cover ? [parts.cover] : [])]) {
    // epub-gen-memory would download an http(s) URL: a build never touches the network.
    if (!url.startsWith('file:')) {
      throw new Error(`Refusing to hand a non-local resource to the EPUB writer: ${url}`);
    }
  }
  const options = {
    title: parts.title,
    lang: parts.lang,
    css: parts.css,
    fonts: parts.fonts,
    cover:
      'url' in parts.cover
        ? parts.cover.url
        : new File([Buffer.from(parts.cover.png)], 'cover.png', { type: 'image/png' }),
    version: 3,
    prependChapterTitles: false,
    // Its chapter template is the finished document; its nav template the finished navigation document.
    chapterXHTML: '<%- xhtml %>',
    tocXHTML: '<%- imprint.navigation %>',
    contentOPF: parts.templates.opf,
    tocNCX: parts.templates.ncx,
    imprint: { ...parts.templateData, navigation: parts.navigation },
    // Local files either load or do not; retrying or waiting longer changes nothing.
    retryTimes: 1,
    fetchTimeout: 60_000,
    ignoreFailedDownloads: false,
    verbose: false,
  } satisfies Options & { imprint: PackageTemplateData & { navigation: string } };
  const content = parts.documents.map((document) => ({
    id: document.id,
    filename: document.filename,
    title: document.title,
    beforeToc: document.beforeToc ?? false,
    // epub-gen-memory sanitises `content` (dropping data-* and empty alt text, renaming images); the documents
    // reach the zip untouched through the `xhtml` field and the chapter template instead.
    content: '',
    xhtml: document.xhtml,
  }));
  return new ReproducibleEPub(options, content, parts.images, parts.date, internals, parts.store).genEpub();
}
