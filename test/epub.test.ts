/**
 * The EPUB edition end to end: the seed manuscript and a generated multi-chapter book are built through the
 * real output (cover rendered by Chromium), unzipped and read back, and validated by epubcheck.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Element, Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { selectAll } from 'hast-util-select';
import { toString as hastToString } from 'hast-util-to-string';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBookLoader } from '../src/book/load-book.ts';
import type { Book } from '../src/book/types.ts';
import { runBuild } from '../src/cli/build.runner.ts';
import type { Diagnostic } from '../src/diagnostics/diagnostic.ts';
import { epubOutput } from '../src/outputs/epub.ts';
import type { OutputContext } from '../src/outputs/output.ts';
import { launchBrowser } from '../src/platform/browser/launch-browser.ts';
import { openLockedPage } from '../src/platform/browser/locked-page.ts';
import { checkEpub } from './support/check-epub.ts';
import { epubSampleBook, solidPng } from './support/epub-sample-book.ts';
import { readZip, type ZipEntry } from './support/read-zip.ts';

const SOURCE_DATE_EPOCH = 1_700_000_000;
const buildDate = new Date(SOURCE_DATE_EPOCH * 1000);
const SEED = path.resolve('manuscript');

let browser: Browser;
const temporary: string[] = [];
/** A fresh folder, removed after the tests. */
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  temporary.push(dir);
  return dir;
};

interface Built {
  book: Book;
  file: string;
  bytes: Buffer;
  entries: ZipEntry[];
  reports: Diagnostic[];
}

async function build(manuscriptDir: string, outDir = tempDir('imprint-epub-out-')): Promise<Built> {
  const book = createBookLoader()(manuscriptDir);
  const reports: Diagnostic[] = [];
  const context: OutputContext = {
    outDir,
    browser: async () => browser,
    report: (d) => reports.push(d),
    buildDate,
  };
  const [file] = await epubOutput.build(book, context);
  const bytes = readFileSync(file);
  return { book, file, bytes, entries: readZip(bytes), reports };
}

const OEBPS = 'OEBPS/';
const text = (built: Built, name: string) => {
  const entry = built.entries.find((candidate) => candidate.name === name);
  if (!entry) throw new Error(`${name} is not in the EPUB`);
  return entry.data.toString('utf8');
};
const documents = (built: Built) =>
  built.entries
    .filter((entry) => entry.name.endsWith('.xhtml'))
    .map((entry) => entry.name.slice(OEBPS.length));
const parse = (built: Built, file: string): Root => fromHtml(text(built, OEBPS + file));
const epubTypes = (node: Element) => String(node.properties['epub:type'] ?? '').split(/\s+/);
const ofType = (tree: Root | Element, type: string) =>
  selectAll('*', tree).filter((node) => epubTypes(node).includes(type));
const byId = (tree: Root, id: string) => selectAll('[id]', tree).find((node) => node.properties.id === id);

let seed: Built;
let seedAgain: Built;
let sample: Built;

beforeAll(async () => {
  browser = await launchBrowser();
  const sampleDir = epubSampleBook(3);
  temporary.push(sampleDir);
  [seed, seedAgain, sample] = await Promise.all([build(SEED), build(SEED), build(sampleDir)]);
  // Three builds and a browser launch, beside another file's epubcheck JVMs on two busy cores.
}, 300_000);

afterAll(async () => {
  await browser?.close();
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

describe('the EPUB container', () => {
  it('is written to <out>/<slug>.epub', () => {
    expect(path.basename(seed.file)).toBe('russia-europe-and-the-terror-threat.epub');
    expect(readdirSync(path.dirname(seed.file))).toEqual(['russia-europe-and-the-terror-threat.epub']);
    // Built alone, without a PDF of the same content: it says it has no print page numbers.
    expect(seed.reports.map((report) => `${report.severity} ${report.code}`)).toEqual([
      'info page-list-missing',
    ]);
  });

  it('starts with mimetype, stored, without an extra field', () => {
    for (const built of [seed, sample]) {
      const [first] = built.entries;
      expect(first.name).toBe('mimetype');
      expect(first.offset).toBe(0);
      expect(first.method).toBe(0);
      expect(first.extraLength).toBe(0);
      expect(first.data.toString('ascii')).toBe('application/epub+zip');
    }
  });

  it('is byte for byte the same when built twice with one SOURCE_DATE_EPOCH', () => {
    expect(seedAgain.entries.map((entry) => entry.name)).toEqual(seed.entries.map((entry) => entry.name));
    for (const [index, entry] of seed.entries.entries()) {
      expect(seedAgain.entries[index].data.equals(entry.data), entry.name).toBe(true);
    }
    expect(seedAgain.bytes.equals(seed.bytes)).toBe(true);
  });

  it('lists every file in the manifest and has every manifest file', () => {
    for (const built of [seed, sample]) {
      const opf = text(built, `${OEBPS}content.opf`);
      const manifest = [...opf.matchAll(/<item [^>]*href="([^"]+)"/g)].map((match) => OEBPS + match[1]);
      const files = built.entries.map((entry) => entry.name).filter((name) => !name.endsWith('/'));
      expect(new Set(manifest)).toEqual(
        new Set(
          files.filter(
            (name) => !['mimetype', 'META-INF/container.xml', `${OEBPS}content.opf`].includes(name),
          ),
        ),
      );
    }
  });
});

describe('the package document', () => {
  const opf = () => text(seed, `${OEBPS}content.opf`);

  it('carries the book.yaml metadata and a stable identifier', () => {
    const { meta } = seed.book;
    expect(opf()).toContain(`<dc:identifier id="book-id">${meta.identifier}</dc:identifier>`);
    expect(meta.identifier).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(createBookLoader()(SEED).meta.identifier).toBe(meta.identifier);
    expect(text(seed, `${OEBPS}toc.ncx`)).toContain(`<meta name="dtb:uid" content="${meta.identifier}"/>`);
    expect(opf()).toContain('<dc:title id="title">Russia, Europe and the Terror Threat</dc:title>');
    expect(opf()).toContain('<dc:title id="subtitle">An RD Interview with Andrey Bezrukov</dc:title>');
    expect(opf()).toContain('<dc:language>en</dc:language>');
    expect(opf()).toContain('<dc:creator id="creator-1">Russia Direct</dc:creator>');
    expect(opf()).toContain('<dc:date>2016-04-01</dc:date>');
    expect(opf()).toContain('<dc:rights>© 2016 Russia Direct. All rights reserved.</dc:rights>');
    expect(opf()).toMatch(/<dc:description>Andrey Bezrukov, of MGIMO University, on the Brussels/);
  });

  it('dates the modification from SOURCE_DATE_EPOCH', () => {
    expect(opf()).toContain('<meta property="dcterms:modified">2023-11-14T22:13:20Z</meta>');
  });

  it('states its accessibility', () => {
    for (const property of [
      'schema:accessMode',
      'schema:accessModeSufficient',
      'schema:accessibilityFeature',
      'schema:accessibilityHazard',
      'schema:accessibilitySummary',
    ]) {
      expect(opf()).toContain(`<meta property="${property}">`);
    }
    expect(opf()).toContain('>EPUB Accessibility 1.1 - WCAG 2.1 Level AA</meta>');
    expect(opf()).toMatch(/property="dcterms:conformsTo"/);
  });

  it('has a cover image, shown first', () => {
    expect(opf()).toMatch(
      /<item id="cover-image" href="cover.png" media-type="image\/png" properties="cover-image"\/>/,
    );
    const png = seed.entries.find((entry) => entry.name === `${OEBPS}cover.png`)?.data;
    expect(png?.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect([png?.readUInt32BE(16), png?.readUInt32BE(20)]).toEqual([1600, 2400]);
    expect(opf().match(/<itemref idref="([^"]+)"/)?.[1]).toBe('cover');
    const cover = parse(seed, 'cover.xhtml');
    expect(
      selectAll('img', cover).map((img) => [img.properties.src, img.properties.alt, img.properties.role]),
    ).toEqual([['cover.png', 'Cover: Russia, Europe and the Terror Threat', 'doc-cover']]);
  });
});

describe('navigation', () => {
  it('nests sections under their chapters and never lists itself', () => {
    const nav = parse(sample, 'toc.xhtml');
    const [toc] = ofType(nav, 'toc');
    const chapters = selectAll(':scope > ol > li', toc);
    expect(chapters.map((li) => hastToString(selectAll('a', li)[0]))).toEqual(
      sample.book.chapters.map((chapter) => chapter.headings[0].text),
    );
    for (const [index, li] of chapters.entries()) {
      const sections = sample.book.chapters[index].headings.filter((heading) => heading.depth === 2);
      expect(selectAll(':scope > ol > li > a', li).map((a) => hastToString(a))).toEqual(
        sections.map((h) => h.text),
      );
    }
    expect(selectAll('a', toc).some((a) => String(a.properties.href).startsWith('toc.xhtml'))).toBe(false);
    expect(text(sample, `${OEBPS}toc.ncx`)).toMatch(
      /<navPoint id="navpoint-1" playOrder="1">\s*<navLabel>[\s\S]*?<navPoint id="navpoint-2" playOrder="2">/,
    );
  });

  it('has landmarks for the cover, title page, contents and the start of the text', () => {
    const [landmarks] = ofType(parse(sample, 'toc.xhtml'), 'landmarks');
    expect(landmarks.properties.hidden).toBe(true);
    expect(selectAll('a', landmarks).map((a) => [epubTypes(a)[0], a.properties.href])).toEqual([
      ['cover', 'cover.xhtml'],
      ['titlepage', 'title-page.xhtml'],
      ['toc', 'toc.xhtml'],
      ['bodymatter', '01-interview.xhtml'],
    ]);
    // One chapter and `toc: auto`: the contents are not a page of the book.
    expect(text(seed, `${OEBPS}content.opf`)).not.toContain('<itemref idref="nav"/>');
    expect(text(sample, `${OEBPS}content.opf`)).toContain('<itemref idref="nav"/>');
  });

  it('does not repeat chapter titles', () => {
    for (const built of [seed, sample]) {
      for (const chapter of built.book.chapters) {
        const file = documents(built).find((name) => name.endsWith(`-${chapter.id}.xhtml`)) as string;
        const tree = parse(built, file);
        expect(selectAll('h1', tree).map((h1) => hastToString(h1))).toEqual([chapter.headings[0].text]);
        expect(hastToString(selectAll('title', tree)[0])).toBe(chapter.headings[0].text);
      }
      expect(text(built, `${OEBPS}toc.ncx`)).not.toMatch(/<text>\d+\. /);
    }
  });
});

describe('the content documents', () => {
  it('are well-formed XML', async () => {
    const { page } = await openLockedPage(browser, { allowedRoots: [] });
    try {
      for (const built of [seed, sample]) {
        for (const file of documents(built)) {
          const xml = JSON.stringify(text(built, OEBPS + file));
          const errors = await page.evaluate(
            `new DOMParser().parseFromString(${xml}, 'application/xhtml+xml').getElementsByTagName('parsererror').length`,
          );
          expect(errors, file).toBe(0);
        }
      }
    } finally {
      await page.close();
    }
  });

  it('keep the interview semantics of the seed manuscript', () => {
    const chapter = parse(seed, '01-interview.xhtml');
    const [section] = ofType(chapter, 'chapter');
    expect(section.properties.role).toBe('doc-chapter');
    const [qna] = ofType(chapter, 'qna');
    expect(qna.properties.role).toBe('doc-qna');
    const pullquotes = ofType(chapter, 'pullquote');
    expect(pullquotes).toHaveLength(3);
    for (const aside of pullquotes) {
      expect([aside.tagName, aside.properties.role, String(aside.properties.ariaHidden)]).toEqual([
        'aside',
        'doc-pullquote',
        'true',
      ]);
    }
    const [credit] = ofType(chapter, 'credit');
    expect([credit.properties.role, hastToString(credit)]).toEqual(['doc-credit', 'Photo: Reuters']);
    expect(selectAll('b.speaker', chapter).length).toBeGreaterThan(10);
  });

  it('keep asides, figures and aligned tables', () => {
    const notes = parse(sample, '04-field-notes.xhtml');
    expect(ofType(notes, 'sidebar').map((aside) => aside.tagName)).toEqual(['aside']);
    expect(selectAll('img', notes).map((img) => [img.properties.src, img.properties.alt])).toEqual([
      ['images/photos-station-map.png', 'A green square standing in for a map of the stations'],
    ]);
    expect(selectAll('td', notes).map((td) => td.properties.style)).toContain('text-align: right');
    expect(selectAll('[align]', notes)).toEqual([]);
  });

  it('make footnotes EPUB notes that link to their notes and back', () => {
    let notes = 0;
    for (const file of documents(sample)) {
      const tree = parse(sample, file);
      for (const ref of ofType(tree, 'noteref')) {
        notes++;
        expect(ref.properties.role).toBe('doc-noteref');
        const note = byId(tree, String(ref.properties.href).replace(/^#/, '')) as Element;
        expect([note.tagName, epubTypes(note), note.properties.role]).toEqual(['li', ['endnote'], undefined]);
        const back = selectAll('a', note).find((a) => a.properties.role === 'doc-backlink') as Element;
        expect(back.properties.href).toBe(`#${ref.properties.id}`);
      }
      for (const section of ofType(tree, 'endnotes')) expect(section.properties.role).toBe('doc-endnotes');
    }
    // A note per section in three generated chapters, two in the field notes.
    expect(notes).toBe(3 * 2 + 2);
  });

  it('resolve every link, image, stylesheet and NCX entry to a file and id in the EPUB', () => {
    for (const built of [seed, sample]) {
      const names = new Set(built.entries.map((entry) => entry.name));
      const ids = new Map(
        documents(built).map((file) => [
          file,
          new Set(selectAll('[id]', parse(built, file)).map((n) => n.properties.id)),
        ]),
      );
      const check = (from: string, reference: string) => {
        if (/^[a-z][a-z0-9+.-]*:/i.test(reference)) return;
        const [file, fragment] = reference.split('#');
        const target = file === '' ? from : file;
        expect(names.has(OEBPS + target), `${from} → ${reference}`).toBe(true);
        if (fragment !== undefined)
          expect(ids.get(target)?.has(decodeURIComponent(fragment)), `${from} → ${reference}`).toBe(true);
      };
      for (const file of documents(built)) {
        const tree = parse(built, file);
        for (const a of selectAll('a[href]', tree)) check(file, String(a.properties.href));
        for (const img of selectAll('img', tree)) check(file, String(img.properties.src));
        for (const link of selectAll('link[href]', tree)) check(file, String(link.properties.href));
      }
      for (const match of text(built, `${OEBPS}toc.ncx`).matchAll(/<content src="([^"]+)"/g))
        check('toc.ncx', match[1]);
    }
    const notes = parse(sample, '04-field-notes.xhtml');
    expect(selectAll('a[href]', notes).map((a) => a.properties.href)).toContain(
      '01-interview.xhtml#interview',
    );
  });

  it('embed the theme fonts and link them from the stylesheet', () => {
    const css = text(seed, `${OEBPS}style.css`);
    const fonts = seed.entries.filter(
      (entry) => entry.name.startsWith(`${OEBPS}fonts/`) && !entry.name.endsWith('/'),
    );
    expect(fonts.length).toBe(seed.book.theme.fonts.length);
    for (const font of fonts) {
      expect(font.data.subarray(0, 4).toString('ascii')).toBe('wOF2');
      expect(css).toContain(`url('${font.name.slice(OEBPS.length)}')`);
    }
    expect(css).toContain(seed.book.theme.css.epub);
  });
});

describe('validation', () => {
  // The seed is checked beside a 40-chapter book in epub-reader.test.ts.
  it('passes epubcheck with no errors and no warnings, for the generated book', async () => {
    const sampleCheck = await checkEpub(sample.file, 'sample.epub');
    expect(sampleCheck.diagnostics).toEqual([]);
    expect(sampleCheck.status).toBe('passed');
  }, 300_000);
});

describe('a failed build', () => {
  const badInputs: [string, string, (chapter: string) => string | Buffer][] = [
    [
      'an image that does not exist',
      'missing-image',
      (md) => `${md}\n![A photo that never arrived](images/missing.jpg)\n`,
    ],
    ['an image without alt text', 'image-alt', (md) => `${md}\n![](images/station.png)\n`],
    ['a remote image', 'remote-url', (md) => `${md}\n![A photo](https://example.org/photo.jpg)\n`],
    [
      'a chapter that is not UTF-8',
      'not-utf8',
      (md) => Buffer.concat([Buffer.from(md), Buffer.from([0xff, 0xfe, 0x0a])]),
    ],
  ];

  it.each(badInputs)(
    'with %s exits non-zero and leaves the previous EPUB as it was',
    async (_, code, spoil) => {
      const manuscript = tempDir('imprint-epub-broken-');
      cpSync(SEED, manuscript, { recursive: true });
      mkdirSync(path.join(manuscript, 'images'));
      writeFileSync(path.join(manuscript, 'images', 'station.png'), solidPng(4, 4, [0, 0, 0]));
      const first = await build(manuscript);
      const chapter = path.join(manuscript, '01-interview.md');
      writeFileSync(chapter, spoil(readFileSync(chapter, 'utf8')));
      const printed: string[] = [];
      const stderr = process.stderr.write;
      process.stderr.write = (chunk: string | Uint8Array) => printed.push(String(chunk)) > 0;
      let exit: number;
      try {
        exit = await runBuild({
          manuscriptDir: manuscript,
          outDir: path.dirname(first.file),
          formats: ['epub'],
        });
      } finally {
        process.stderr.write = stderr;
      }
      expect(exit).toBe(1);
      expect(printed.join('')).toMatch(new RegExp(`01-interview\\.md:\\d+:\\d+ +error: .*\\[${code}\\]`));
      expect(readdirSync(path.dirname(first.file))).toEqual([path.basename(first.file)]);
      expect(readFileSync(first.file).equals(first.bytes)).toBe(true);
    },
  );
});
