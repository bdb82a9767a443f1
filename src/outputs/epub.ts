/**
 * The EPUB 3 edition: dist/<slug>.epub. Its documents (epub/epub-documents.ts: cover, title page, copyright
 * page, navigation, a file per chapter) are packed by epub-gen-memory with Imprint's package templates. The
 * same book and SOURCE_DATE_EPOCH give the same bytes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { textDirection } from '../book/text-direction.ts';
import type { Book } from '../book/types.ts';
import { plainText } from './assemble.ts';
import { writeFileAtomic } from './atomic-write.ts';
import type { DocumentStore } from './document-cache.ts';
import { type CoverSource, checkedCoverFile, coverCacheKey, renderCoverImageInWorker } from './epub/cover.ts';
import { draftEpubChapters, epubDocuments } from './epub/epub-documents.ts';
import { packageMetadata } from './epub/metadata.ts';
import { ncxNavPoints } from './epub/navigation.ts';
import { epubFonts, localFileUrl } from './epub/resources.ts';
import { type PageList, resolvePageList } from './layout/page-list.ts';
import type { PageDraft } from './layout/page-slots.ts';
import type { Output, OutputContext } from './output.ts';

const TEMPLATES = {
  opf: readFileSync(path.join(import.meta.dirname, 'epub', 'package.opf.ejs'), 'utf8'),
  ncx: readFileSync(path.join(import.meta.dirname, 'epub', 'toc.ncx.ejs'), 'utf8'),
};

export interface EpubOptions {
  /** `dcterms:modified` and every zip entry's time. */
  buildDate: Date;
  /** The cover: an image file on disk, or the drawn cover's PNG bytes (awaited only when the zip is made). */
  cover: CoverSource;
  /** Where the print edition's pages begin: page-break markers and a page-list. */
  pageList?: PageList;
  /** Where the chapters' documents are kept between builds (src/outputs/document-cache.ts). */
  store?: DocumentStore;
  /** The chapters' documents made before the page list was known (draftEpubChapters). */
  drafts?: readonly (PageDraft | undefined)[];
}

/** The EPUB's bytes. Reads the images, fonts and cover it names from disk; touches nothing else. */
export async function renderEpub(book: Book, options: EpubOptions): Promise<Uint8Array> {
  const edition = epubDocuments(book, {
    cover: options.cover,
    pageList: options.pageList,
    store: options.store,
    drafts: options.drafts,
  });
  const pages = edition.pages();
  // epub-gen-memory (with JSZip, pako and node-fetch) is loaded only when an EPUB is made: the HTML edition
  // and the preview import this module's neighbours for their file names and would otherwise pay for it.
  const { zipEpub } = await import('./epub/zip-epub.ts');
  return zipEpub({
    title: plainText(book.meta.title, book.meta.lang),
    lang: book.meta.lang,
    css: edition.stylesheet.text,
    documents: edition.documents.map((document) => ({
      id: document.id,
      filename: document.path,
      title: document.title,
      beforeToc: document.beforeToc,
      xhtml: document.render(),
    })),
    navigation: edition.navigation.render(),
    images: edition.images,
    fonts: epubFonts(book.theme.fonts),
    cover:
      'file' in options.cover ? { url: localFileUrl(options.cover.file) } : { png: await options.cover.png },
    templates: TEMPLATES,
    templateData: {
      metadata: packageMetadata(book, options.buildDate, pages.length > 0),
      ncx: ncxNavPoints(book, edition.anchors()),
      tocInSpine: edition.tocInSpine,
      pageProgression: textDirection(book.meta.lang),
      // For reading systems that predate EPUB 3's landmarks.
      guide: edition.landmarks.map(({ type, title, href }) => ({
        type: type === 'bodymatter' ? 'text' : type === 'titlepage' ? 'title-page' : type,
        title,
        href,
      })),
    },
    date: options.buildDate,
    store: options.store,
  });
}

/**
 * The drawn cover, from the cache when the same cover document and font files were drawn before; else drawn
 * in a worker thread while this one makes the documents.
 */
function cachedCoverImage(book: Book, context: OutputContext): Promise<Uint8Array> {
  const key = context.cache && coverCacheKey(book);
  const cached = key ? context.cache?.getArtifact(key) : undefined;
  if (cached) return Promise.resolve(cached);
  const png = renderCoverImageInWorker(book).then((bytes) => {
    if (key) context.cache?.setArtifact(key, bytes);
    return bytes;
  });
  // Awaited later, when the zip is made; a failure until then is not an unhandled rejection.
  png.catch(() => {});
  return png;
}

export const epubOutput: Output = {
  name: 'epub',
  entries: (book) => [`${book.slug}.epub`],
  async build(book, context) {
    const target = path.join(context.outDir, `${book.slug}.epub`);
    const cover: CoverSource = book.meta.cover
      ? { file: checkedCoverFile(book) }
      : { png: cachedCoverImage(book, context) };
    // With a PDF in this run, the chapters are made while Chromium prints and its page list fills them in.
    let drafts: (PageDraft | undefined)[] | undefined;
    if (context.pageList) {
      await context.pageList.browserBusy;
      // epub-gen-memory too, while node waits anyway.
      import('./epub/zip-epub.ts').catch(() => {});
      drafts = await draftEpubChapters(book);
    }
    const pageList = await resolvePageList(book, context, 'EPUB');
    const bytes = await renderEpub(book, {
      buildDate: context.buildDate,
      cover,
      pageList,
      store: context.cache,
      drafts,
    });
    await writeFileAtomic(target, bytes);
    return [target];
  },
};
