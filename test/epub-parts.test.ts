/**
 * The EPUB's parts one at a time: XHTML serialisation, links across files, table alignment, image names,
 * the cover from book.yaml, and the refusal to hand anything but local files to epub-gen-memory.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Element, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { describe, expect, it } from 'vitest';
import { createBookLoader } from '../src/book/load-book.ts';
import type { Chapter } from '../src/book/types.ts';
import { ImprintError } from '../src/diagnostics/diagnostic.ts';
import { checkedCoverFile } from '../src/outputs/epub/cover.ts';
import { epubDocuments } from '../src/outputs/epub/epub-documents.ts';
import { anchorFiles, linkAcrossFiles } from '../src/outputs/epub/links.ts';
import { type PackageMetadata, packageMetadata } from '../src/outputs/epub/metadata.ts';
import { ncxNavPoints } from '../src/outputs/epub/navigation.ts';
import { epubFonts, epubImages } from '../src/outputs/epub/resources.ts';
import { alignCellsWithCss } from '../src/outputs/epub/tables.ts';
import { serializeXhtml } from '../src/outputs/epub/xhtml.ts';
import {
  type EpubParts,
  emptyChapterContent,
  jsZipInternals,
  zipEpub,
} from '../src/outputs/epub/zip-epub.ts';
import { renderEpub } from '../src/outputs/epub.ts';
import { solidPng } from './support/epub-sample-book.ts';
import { readZip } from './support/read-zip.ts';
import { tempManuscript } from './support/temp-manuscript.ts';

const fragment = (html: string): Root => fromHtml(html, { fragment: true });
const body = (xhtml: string) => xhtml.replace(/^<\?xml[^>]*>\n/, '').trim();

describe('serializeXhtml', () => {
  it('writes well-formed XML: closed void elements, valued attributes, escaped values', () => {
    const tree = fragment(
      '<nav hidden epub:type="landmarks"><img src="a.png" alt=""><br><input type="checkbox" checked disabled></nav>',
    );
    expect(body(serializeXhtml(tree))).toBe(
      '<nav hidden="hidden" epub:type="landmarks"><img src="a.png" alt="" /><br /><input type="checkbox" checked="checked" disabled="disabled" /></nav>',
    );
  });

  it('escapes < in attribute values and ]]> in text, and drops characters XML forbids', () => {
    const tree = fragment('<p title="a < b &amp; &quot;c&quot;">x ]]> y\u0001z</p>');
    expect(body(serializeXhtml(tree))).toBe('<p title="a &#x3C; b &#x26; &#x22;c&#x22;">x ]]&#x3E; yz</p>');
  });

  it('leaves a value that looks like an attribute alone', () => {
    const tree = fragment('<a title="x hidden y" href="#a">t</a>');
    expect(body(serializeXhtml(tree))).toBe('<a title="x hidden y" href="#a">t</a>');
  });
});

describe('linkAcrossFiles', () => {
  it('names the file of an id in another chapter, keeps local anchors, unlinks anchors that exist nowhere', () => {
    const one = fragment(
      '<h2 id="one--a">A</h2><a href="#one--a">here</a><a href="#two--b">there</a><a href="#gone">nowhere</a><a href="https://example.org/">out</a>',
    );
    const two = fragment('<h2 id="two--b">B</h2>');
    const anchors = anchorFiles([
      { file: '01-one.xhtml', tree: one },
      { file: '02-two.xhtml', tree: two },
    ]);
    linkAcrossFiles(one, '01-one.xhtml', anchors);
    const hrefs = (
      one.children.filter((node) => node.type === 'element' && node.tagName === 'a') as Element[]
    ).map((a) => a.properties.href);
    expect(hrefs).toEqual(['#one--a', '02-two.xhtml#two--b', undefined, 'https://example.org/']);
  });
});

describe('alignCellsWithCss', () => {
  it('turns GFM column alignment into text-align', () => {
    const tree = fragment(
      '<table><tr><th align="right">a</th><td align="center" style="color: red">b</td><td>c</td></tr></table>',
    );
    alignCellsWithCss(tree);
    expect(body(serializeXhtml(tree))).toBe(
      '<table><tbody><tr><th style="text-align: right">a</th><td style="color: red; text-align: center">b</td><td>c</td></tr></tbody></table>',
    );
  });
});

describe('epubImages', () => {
  const chapter = (images: { href: string; source: string }[]) =>
    ({ images: images.map((image) => ({ ...image, mediaType: 'image/png' })) }) as unknown as Chapter;

  it('gives every image a flat, URL-safe, unique name and a file: URL', () => {
    const images = epubImages([
      chapter([
        { href: 'images/photos/station map.png', source: '/m/images/photos/station map.png' },
        { href: 'images/photos-station-map.PNG', source: '/m/images/photos-station-map.PNG' },
      ]),
      chapter([{ href: 'images/photos/station map.png', source: '/m/images/photos/station map.png' }]),
    ]);
    expect([...images].map(([href, image]) => [href, image.name, image.url])).toEqual([
      [
        'images/photos/station map.png',
        'images/photos-station-map.png',
        'file:///m/images/photos/station%20map.png',
      ],
      [
        'images/photos-station-map.PNG',
        'images/photos-station-map-2.png',
        'file:///m/images/photos-station-map.PNG',
      ],
    ]);
  });

  it('refuses anything but an absolute local path', () => {
    expect(() =>
      epubImages([chapter([{ href: 'images/x.png', source: 'https://example.org/x.png' }])]),
    ).toThrow(/local files/);
  });
});

describe('zipEpub', () => {
  it('never hands a remote URL to epub-gen-memory', async () => {
    const parts = {
      title: 'T',
      lang: 'en',
      css: '',
      documents: [],
      navigation: '',
      images: [{ name: 'images/x.png', url: 'https://example.org/x.png', mediaType: 'image/png' }],
      fonts: [],
      cover: { png: new Uint8Array() },
      templates: { opf: '', ncx: '' },
      templateData: {
        metadata: {} as PackageMetadata,
        ncx: { points: [], depth: 0 },
        tocInSpine: false,
        pageProgression: 'ltr' as const,
        guide: [],
      },
      date: new Date(0),
    };
    await expect(zipEpub(parts)).rejects.toThrow(/non-local resource.*https:\/\/example\.org\/x\.png/);
    await expect(
      zipEpub({ ...parts, images: [], cover: { url: 'http://example.org/cover.jpg' } }),
    ).rejects.toThrow(/non-local/);
  });

  // zipEpub hands JSZip entries it deflated with node's zlib through JSZip's internals (jsZipInternals).
  it('finds the JSZip internals its fast path relies on (a JSZip update that changes them fails here)', () => {
    const internals = jsZipInternals();
    expect(internals, 'JSZip changed: check deflateNatively in src/outputs/epub/zip-epub.ts').toBeDefined();
    expect(typeof internals?.CompressedObject).toBe('function');
    expect(internals?.deflate.magic).toBe('\x08\x00');
  });

  // zipEpub loads epub-gen-memory with its HTML clean-up replaced by emptyChapterContent (loadEpubGen).
  it('gives every chapter the content epub-gen-memory’s own HTML clean-up would (an update that changes it fails here)', () => {
    const main = createRequire(import.meta.url).resolve('epub-gen-memory');
    const cleanUp = createRequire(main).resolve('./util/html-parse');
    const loaded = createRequire(import.meta.url).cache[cleanUp]?.exports as { fixHTML?: unknown };
    expect(loaded?.fixHTML).toBe(emptyChapterContent);
    // The real one, in a process of its own (this one has the replacement in its module cache).
    const real = spawnSync(
      process.execPath,
      [
        '-e',
        `const { fixHTML } = require(${JSON.stringify(cleanUp)});
         const self = { options: { version: 3 }, warn() {}, log() {} };
         process.stdout.write(JSON.stringify(fixHTML.call(self, 0, '', () => '')));`,
      ],
      { encoding: 'utf8' },
    );
    expect(real.stderr).toBe('');
    expect(JSON.parse(real.stdout)).toBe(emptyChapterContent(0, ''));
    expect(() => emptyChapterContent(0, '<p>text</p>')).toThrow(/xhtml/);
  });

  it('refuses JSZip internals of another major or shape, and then packs through JSZip alone', async () => {
    const installed = (id: string) =>
      createRequire(createRequire(import.meta.url).resolve('epub-gen-memory'))(id) as unknown;
    expect(jsZipInternals(installed)).toBeDefined();
    expect(
      jsZipInternals((id) => (id === 'jszip/package.json' ? { version: '4.0.0' } : installed(id))),
    ).toBeUndefined();
    expect(
      jsZipInternals((id) => (id === 'jszip/lib/compressions' ? { DEFLATE: {} } : installed(id))),
    ).toBeUndefined();
    expect(
      jsZipInternals((id) => {
        if (id === 'jszip/lib/zipObject') throw new Error('Cannot find module');
        return installed(id);
      }),
    ).toBeUndefined();

    // The same EPUB both ways: the same entries in the same order, methods and contents.
    const dir = tempManuscript({
      'book.yaml': 'title: Packed\nauthor: A. Writer\n',
      '01-one.md': '# One\n\nText with a [link](#two).\n',
      '02-two.md': '# Two {#two}\n\nMore text.\n',
    });
    const book = createBookLoader()(dir);
    const edition = epubDocuments(book, {});
    const templates = Object.fromEntries(
      (['opf', 'ncx'] as const).map((key) => [
        key,
        readFileSync(
          path.resolve('src/outputs/epub', key === 'opf' ? 'package.opf.ejs' : 'toc.ncx.ejs'),
          'utf8',
        ),
      ]),
    ) as EpubParts['templates'];
    const parts: EpubParts = {
      title: 'Packed',
      lang: book.meta.lang,
      css: edition.stylesheet.text,
      documents: edition.documents.map((document) => ({
        id: document.id,
        filename: document.path,
        title: document.title,
        xhtml: document.render(),
      })),
      navigation: edition.navigation.render(),
      images: edition.images,
      fonts: epubFonts(book.theme.fonts),
      cover: { png: solidPng(60, 90, [10, 20, 30]) },
      templates,
      templateData: {
        metadata: packageMetadata(book, new Date(0)),
        ncx: ncxNavPoints(book, edition.anchors()),
        tocInSpine: edition.tocInSpine,
        pageProgression: 'ltr',
        guide: [],
      },
      date: new Date(0),
    };
    const native = readZip(await zipEpub(parts));
    const publicPath = readZip(await zipEpub(parts, undefined));
    const summary = (entries: ReturnType<typeof readZip>) =>
      entries.map(({ name, method, data }) => ({ name, method, data: data.toString('base64') }));
    expect(native.length).toBeGreaterThan(5);
    expect(native[0]).toMatchObject({ name: 'mimetype', method: 0 });
    expect(native.find((entry) => entry.name.endsWith('.xhtml'))?.method).toBe(8);
    expect(summary(publicPath)).toEqual(summary(native));
  });
});

describe('the cover named in book.yaml', () => {
  const chapter = '# One\n\nText.\n';

  it('is used as it is, without a browser', async () => {
    const png = solidPng(60, 90, [10, 20, 30]);
    const dir = tempManuscript({
      'book.yaml': 'title: Covered\ncover: art/front.png\n',
      '01-one.md': chapter,
      'art/front.png': png,
    });
    const book = createBookLoader()(dir);
    const entries = readZip(
      await renderEpub(book, { buildDate: new Date(0), cover: { file: checkedCoverFile(book) } }),
    );
    expect(entries.find((entry) => entry.name === 'OEBPS/cover.png')?.data.equals(Buffer.from(png))).toBe(
      true,
    );
    expect(entries.find((entry) => entry.name === 'OEBPS/cover.xhtml')?.data.toString()).toContain(
      'src="cover.png"',
    );
  });

  it('is an error when it is missing or not an image every reading system shows', () => {
    for (const [cover, code] of [
      ['art/none.jpg', 'missing-cover'],
      ['art/front.tiff', 'cover-format'],
    ]) {
      const dir = tempManuscript({
        'book.yaml': `title: Covered\ncover: ${cover}\n`,
        '01-one.md': chapter,
        'art/front.tiff': 'x',
      });
      const book = createBookLoader()(dir);
      // A missing cover is found when the book is read; a format no reader shows, when the EPUB is made.
      let diagnostic = book.diagnostics.find((found) => found.severity === 'error');
      if (!diagnostic) {
        try {
          checkedCoverFile(book);
          expect.unreachable();
        } catch (error) {
          expect(error).toBeInstanceOf(ImprintError);
          [diagnostic] = (error as ImprintError).diagnostics;
        }
      }
      expect([diagnostic?.code, diagnostic?.line, path.basename(diagnostic?.file ?? '')]).toEqual([
        code,
        2,
        'book.yaml',
      ]);
    }
  });
});
