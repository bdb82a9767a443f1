/**
 * The EPUB 3 edition: dist/<slug>.epub. Each chapter tree becomes its own XHTML file (links mapped from `#id`
 * to `file.xhtml#id`, footnotes marked as EPUB notes, table alignment in CSS), behind a cover, a title page
 * and the table of contents; epub-gen-memory packs them with Imprint's package templates. The same book and
 * SOURCE_DATE_EPOCH give the same bytes.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Element, ElementContent } from 'hast';
import { textDirection } from '../book/text-direction.ts';
import type { Book, Chapter } from '../book/types.ts';
import { bookTitle, plainText, wantsToc } from './assemble.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { copyrightPage } from './copyright-page.ts';
import {
  type CoverSource,
  checkedCoverFile,
  coverCacheKey,
  coverImageName,
  renderCoverImageInWorker,
} from './epub/cover.ts';
import { markFootnotes } from './epub/footnotes.ts';
import { anchorFiles, linkAcrossFiles } from './epub/links.ts';
import { packageMetadata } from './epub/metadata.ts';
import { type Landmark, navigationBody, ncxNavPoints } from './epub/navigation.ts';
import {
  type EpubImage,
  epubCss,
  epubFonts,
  epubImages,
  localFileUrl,
  useEpubImages,
} from './epub/resources.ts';
import { alignCellsWithCss } from './epub/tables.ts';
import { xhtmlDocument } from './epub/xhtml.ts';
import type { EpubDocument } from './epub/zip-epub.ts';
import { insertPageBreaks, type PageList, pageBreakId, resolvePageList } from './layout/page-list.ts';
import { placePullQuotes } from './layout/pull-quotes.ts';
import type { Output, OutputContext } from './output.ts';

const TEMPLATES = {
  opf: readFileSync(path.join(import.meta.dirname, 'epub', 'package.opf.ejs'), 'utf8'),
  ncx: readFileSync(path.join(import.meta.dirname, 'epub', 'toc.ncx.ejs'), 'utf8'),
};

const COVER_PAGE = 'cover.xhtml';
const TITLE_PAGE = 'title-page.xhtml';
const COPYRIGHT_PAGE = 'copyright.xhtml';
/** epub-gen-memory's name for the navigation document. */
const NAVIGATION = 'toc.xhtml';

export interface EpubOptions {
  /** `dcterms:modified` and every zip entry's time. */
  buildDate: Date;
  /** The cover: an image file on disk, or the drawn cover's PNG bytes (awaited only when the zip is made). */
  cover: CoverSource;
  /** Where the print edition's pages begin: page-break markers and a page-list. */
  pageList?: PageList;
}

/** "01-interview.xhtml": reading order in the name, and never the name of a file Imprint adds. */
export function chapterFileName(chapter: Chapter, count: number): string {
  return `${String(chapter.index + 1).padStart(Math.max(2, String(count).length), '0')}-${chapter.id}.xhtml`;
}

/** The EPUB's bytes. Reads the images, fonts and cover it names from disk; touches nothing else. */
export async function renderEpub(book: Book, options: EpubOptions): Promise<Uint8Array> {
  const chapters = book.chapters.map((chapter) => ({
    chapter,
    file: chapterFileName(chapter, book.chapters.length),
    tree: structuredClone(chapter.tree),
  }));
  // The print pages: markers in the chapters (before links are mapped, so they count as anchors too).
  const pages: { folio: string; href: string }[] = [];
  for (const { tree } of chapters) placePullQuotes(tree);
  if (options.pageList) {
    for (const { chapter, file, tree } of chapters) {
      for (const folio of insertPageBreaks(tree, chapter.id, options.pageList, true))
        pages.push({ folio, href: `${file}#${pageBreakId(folio)}` });
    }
  }
  const anchors = anchorFiles(chapters);
  const images = epubImages(book.chapters);
  const tocInSpine = wantsToc(book);
  const landmarks: Landmark[] = [
    { type: 'cover', href: COVER_PAGE, title: book.strings.cover },
    { type: 'titlepage', href: TITLE_PAGE, title: book.strings.titlePage },
    ...(tocInSpine ? [{ type: 'toc', href: NAVIGATION, title: book.strings.contents }] : []),
    { type: 'bodymatter', href: chapters[0].file, title: book.strings.startOfContent },
  ];

  const documents: EpubDocument[] = [
    ...frontMatter(book, options.cover),
    ...chapters.map(({ chapter, file, tree }, index): EpubDocument => {
      linkAcrossFiles(tree, file, anchors);
      useEpubImages(tree, images);
      markFootnotes(tree);
      alignCellsWithCss(tree);
      const title =
        chapter.headings.find((heading) => heading.depth === 1)?.text ??
        plainText(chapter.meta.title, book.meta.lang);
      const body = tree.children as ElementContent[];
      return {
        id: `chapter-${index + 1}`,
        filename: file,
        title,
        xhtml: xhtmlDocument(book, { title, body, bodyType: 'bodymatter' }),
      };
    }),
  ];

  // epub-gen-memory (with JSZip, pako and node-fetch) is loaded only when an EPUB is made: the HTML edition
  // and the preview import this module for its file names and would otherwise pay for it.
  const { zipEpub } = await import('./epub/zip-epub.ts');
  return zipEpub({
    title: plainText(book.meta.title, book.meta.lang),
    lang: book.meta.lang,
    css: epubCss(book.theme.fonts, book.theme.css.epub),
    documents,
    navigation: xhtmlDocument(book, {
      title: book.strings.contents,
      bodyClass: ['navigation'],
      body: navigationBody(book, anchors, landmarks, pages),
    }),
    images: [...images.values()] satisfies EpubImage[],
    fonts: epubFonts(book.theme.fonts),
    cover:
      'file' in options.cover ? { url: localFileUrl(options.cover.file) } : { png: await options.cover.png },
    templates: TEMPLATES,
    templateData: {
      metadata: packageMetadata(book, options.buildDate, pages.length > 0),
      ncx: ncxNavPoints(book, anchors),
      tocInSpine,
      pageProgression: textDirection(book.meta.lang),
      // For reading systems that predate EPUB 3's landmarks.
      guide: landmarks.map(({ type, title, href }) => ({
        type: type === 'bodymatter' ? 'text' : type === 'titlepage' ? 'title-page' : type,
        title,
        href,
      })),
    },
    date: options.buildDate,
  });
}

const element = (
  tagName: string,
  properties: Element['properties'],
  children: ElementContent[] = [],
): Element => ({
  type: 'element',
  tagName,
  properties,
  children,
});

/** The cover page, the title page and the copyright page, before the table of contents. */
function frontMatter(book: Book, cover: CoverSource): EpubDocument[] {
  const title = plainText(book.meta.title, book.meta.lang);
  const coverImage = element('img', {
    className: ['cover-image'],
    src: coverImageName(cover),
    alt: `${book.strings.cover}: ${title}`,
    role: 'doc-cover',
  });
  return [
    {
      id: 'cover',
      filename: COVER_PAGE,
      title,
      beforeToc: true,
      xhtml: xhtmlDocument(book, { title, bodyType: 'cover', bodyClass: ['cover-page'], body: [coverImage] }),
    },
    {
      id: 'title-page',
      filename: TITLE_PAGE,
      title,
      beforeToc: true,
      xhtml: xhtmlDocument(book, {
        title,
        bodyType: 'frontmatter',
        bodyClass: ['title-page'],
        body: [element('section', { 'epub:type': 'titlepage' }, bookTitle(book))],
      }),
    },
    {
      id: 'copyright-page',
      filename: COPYRIGHT_PAGE,
      title: book.strings.copyright,
      beforeToc: true,
      xhtml: xhtmlDocument(book, {
        title: book.strings.copyright,
        bodyType: 'frontmatter',
        bodyClass: ['copyright'],
        body: withEpubType(copyrightPage(book), 'copyright-page'),
      }),
    },
  ];
}

/** Marks the component's outer element with an EPUB structural semantic, as the theme cannot know it. */
function withEpubType(content: ElementContent[], type: string): ElementContent[] {
  const outer = content.find((node): node is Element => node.type === 'element');
  if (outer) outer.properties['epub:type'] = type;
  return content;
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
    const pageList = await resolvePageList(book, context, 'EPUB');
    await writeFileAtomic(target, await renderEpub(book, { buildDate: context.buildDate, cover, pageList }));
    return [target];
  },
};
