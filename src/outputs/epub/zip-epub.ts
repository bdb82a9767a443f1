/**
 * Packs the EPUB with epub-gen-memory, fed Imprint's finished documents and templates, and without the two
 * things that make its output differ between builds: random image names and the current time on every zip
 * entry. `mimetype` stays the first entry, stored uncompressed, as the OCF container requires.
 */
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

/** Already-compressed files are stored: deflating them again costs time and saves nothing. */
const STORED = /\.(woff2?|png|jpe?g|gif|webp)$/i;
/** Zip timestamps cannot say anything earlier (MS-DOS dates start in 1980). */
const ZIP_EPOCH = Date.UTC(1980, 0, 1);

class ReproducibleEPub extends EPub {
  readonly #date: Date;

  constructor(options: Options, content: Chapter[], images: EpubImage[], date: Date) {
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
  }

  override async genEpub(): Promise<Buffer> {
    await this.render();
    for (const [name, entry] of Object.entries(this.zip.files)) {
      entry.date = this.#date;
      if (STORED.test(name)) entry.options.compression = 'STORE';
    }
    return this.generateAsync({
      type: 'nodebuffer',
      mimeType: 'application/epub+zip',
      compression: 'DEFLATE',
      // pako (JavaScript) at level 9 took three times as long as at 6 for 145 bytes less on a 40-chapter book.
      compressionOptions: { level: 6 },
    });
  }
}

export async function zipEpub(parts: EpubParts): Promise<Uint8Array> {
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
  return new ReproducibleEPub(options, content, parts.images, parts.date).genEpub();
}
