/**
 * Packs the EPUB with epub-gen-memory, fed Imprint's finished documents and templates, and without the two
 * things that make its output differ between builds: random image names and the current time on every zip
 * entry. `mimetype` stays the first entry, stored uncompressed, as the OCF container requires.
 */
import { createRequire } from 'node:module';
import * as zlib from 'node:zlib';
import { type Chapter, EPub, type Font, type Options } from 'epub-gen-memory';
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

/** Loads a module as epub-gen-memory would, so the JSZip found is its own copy. */
function requireBesideEpubGen(id: string): unknown {
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
    const deflate = (load('jszip/lib/compressions') as { DEFLATE?: { magic?: unknown } }).DEFLATE;
    const crc32 = load('jszip/lib/crc32') as JsZipInternals['crc32'];
    const ZipObject = load('jszip/lib/zipObject') as { prototype?: Record<string, unknown> };
    if (
      typeof version === 'string' &&
      Number.parseInt(version, 10) === JSZIP_MAJOR &&
      typeof CompressedObject === 'function' &&
      typeof CompressedObject.prototype?.getCompressedWorker === 'function' &&
      typeof deflate?.magic === 'string' &&
      typeof crc32 === 'function' &&
      // The method that writes a CompressedObject of the same compression as it is.
      typeof ZipObject?.prototype?._compressWorker === 'function'
    )
      found = { CompressedObject, deflate: deflate as { magic: string }, crc32 };
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
async function deflateNatively(entry: ZipEntry, internals: JsZipInternals): Promise<void> {
  const { CompressedObject, deflate, crc32 } = internals;
  const content = await entry.async('uint8array');
  const deflated = deflateRawSync(content, { level: 6 });
  const checksum = zlibCrc32 ? zlibCrc32(content) : crc32(content) >>> 0;
  entry._data = new CompressedObject(deflated.length, content.length, checksum, deflate, deflated);
  entry._dataBinary = true;
  entry.options.compression = 'DEFLATE';
}

class ReproducibleEPub extends EPub {
  readonly #date: Date;
  readonly #internals: JsZipInternals | undefined;

  constructor(
    options: Options,
    content: Chapter[],
    images: EpubImage[],
    date: Date,
    internals: JsZipInternals | undefined,
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
  }

  override async genEpub(): Promise<Buffer> {
    await this.render();
    await Promise.all(
      Object.entries(this.zip.files).map(async ([name, entry]) => {
        entry.date = this.#date;
        if (STORED.test(name)) entry.options.compression = 'STORE';
        else if (!entry.dir && name !== 'mimetype' && this.#internals && hasInternalData(entry))
          await deflateNatively(entry, this.#internals);
      }),
    );
    return this.generateAsync({
      type: 'nodebuffer',
      mimeType: 'application/epub+zip',
      compression: 'DEFLATE',
      // For an entry deflateNatively left (all of them with another JSZip): pako at level 9 took three times
      // as long as at 6.
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
  return new ReproducibleEPub(options, content, parts.images, parts.date, internals).genEpub();
}
