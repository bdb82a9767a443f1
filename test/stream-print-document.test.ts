/**
 * The print document goes to Chromium in parts as it is made (stream-print-document.ts): the parts make up
 * exactly the document a whole load would read, dead links are settled part by part as the whole document's
 * rule settles them, and a page that took the parts holds the same DOM, images loaded, as a page that loaded the
 * document whole.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Element, Root } from 'hast';
import { toHtml } from 'hast-util-to-html';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBookLoader } from '../src/book/load-book.ts';
import type { Book } from '../src/book/types.ts';
import { loadPrintDocument, openPrintPage } from '../src/outputs/pdf/open-print-page.ts';
import { collectIds, dropDeadLinks, settleAddresses } from '../src/outputs/pdf/part-links.ts';
import { type PrintDocumentSink, renderPrintDocument } from '../src/outputs/pdf/print-document.ts';
import { declaredFaces, streamPrintDocument } from '../src/outputs/pdf/stream-print-document.ts';
import { blankDocumentUrl } from '../src/platform/browser/blank-document.ts';
import { launchBrowser } from '../src/platform/browser/launch-browser.ts';
import { tempManuscript } from './support/temp-manuscript.ts';

/** A 1×1 PNG. */
const TINY_PNG = new Uint8Array(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64',
  ),
);

const options = {
  fontUrl: (font: { source: string }) => pathToFileURL(font.source).href,
  imageUrl: (image: { source: string }) => pathToFileURL(image.source).href,
  nativeHyphenation: false,
};

function book(secondChapterEnd: string): Book {
  const dir = tempManuscript({
    'book.yaml': 'title: Parts\nlang: en\nprint:\n  hyphenate: false\n',
    '01-first.md': [
      '# First chapter',
      '',
      'It points on to [the last words](02-second.md#last-words), to [nothing at all](#nowhere) and to [the notes](notes.txt).',
      '',
      '![A dot](images/dot.png)',
      '',
    ].join('\n'),
    '02-second.md': ['# Second chapter', '', '## Last words', '', secondChapterEnd, ''].join('\n'),
    'images/dot.png': TINY_PNG,
  });
  return createBookLoader()(dir);
}

function recorder() {
  const parts: string[] = [];
  let abandoned = false;
  const sink: PrintDocumentSink = {
    start: (before, after) => parts.push(before, after),
    chapter: (html) => parts.push(html),
    end: (html) => parts.push(html),
    abandon: () => {
      abandoned = true;
    },
  };
  return {
    sink,
    /** The document the parts make: the shell's two halves around the chapters and what follows them. */
    joined: () => [parts[0], ...parts.slice(2), parts[1]].join(''),
    abandoned: () => abandoned,
  };
}

const hrefs = (html: string, text: string) => new RegExp(`<a[^>]*href="#[^"]*"[^>]*>${text}</a>`).test(html);

describe('dropDeadLinks', () => {
  const part = (): Root => ({
    type: 'root',
    children: [
      { type: 'element', tagName: 'p', properties: { id: 'here' }, children: [] },
      ...[
        '#here',
        '#later',
        '#imprint-block-3-1',
        '#nowhere',
        '#',
        'notes.txt',
        '../up.html#x',
        'https://example.org/',
        'mailto:a@example.org',
        '//example.org/',
      ].map((href): Element => ({ type: 'element', tagName: 'a', properties: { href }, children: [] })),
    ],
  });

  it('keeps links to made ids and out of the book, holds back links to coming or print-added ids, and drops the rest', () => {
    const tree = part();
    const made = new Set<string>();
    collectIds(tree, made);
    const unsettled = dropDeadLinks(tree, made, new Set(['later']));
    expect([...made]).toEqual(['here']);
    expect(unsettled.map((link) => link.properties.href)).toEqual(['#later', '#imprint-block-3-1']);
    expect(toHtml(tree)).toBe(
      '<p id="here"></p><a href="#here"></a><a href="#later"></a><a href="#imprint-block-3-1"></a><a></a><a href="#"></a>' +
        // A file beside the print document is in a folder the build removes: no link.
        // An address without a scheme would name a file on that host from a file: document.
        '<a></a><a></a><a href="https://example.org/"></a><a href="mailto:a@example.org"></a><a href="https://example.org/"></a>',
    );
  });
});

describe('settleAddresses', () => {
  it('gives a document made whole the addresses its parts print with', () => {
    const link = (href: string): Element => ({
      type: 'element',
      tagName: 'a',
      properties: { href },
      children: [],
    });
    const tree: Root = {
      type: 'root',
      children: [
        {
          type: 'element',
          tagName: 'nav',
          properties: {},
          children: ['index.html', '', ' notes.txt', '#top', 'https://example.org/', '//example.org/x'].map(
            link,
          ),
        },
      ],
    };
    settleAddresses(tree);
    expect(toHtml(tree)).toBe(
      '<nav><a></a><a></a><a></a><a href="#top"></a><a href="https://example.org/"></a><a href="https://example.org/x"></a></nav>',
    );
  });
});

describe('declaredFaces', () => {
  it('names each face as a CSS font with a character of its range, so loading it loads that face', () => {
    const face = (unicodeRange?: string) => ({
      family: 'Serif "Book"',
      weight: 700,
      style: 'italic' as const,
      unicodeRange,
      source: '/fonts/a.woff2',
      href: 'fonts/a.woff2',
    });
    expect(declaredFaces([face('U+0000-00FF, U+0131'), face('U+0302-0303,U+0305'), face()])).toEqual([
      { font: 'italic 700 16px "Serif \\"Book\\""', text: '!' },
      { font: 'italic 700 16px "Serif \\"Book\\""', text: '\u0302' },
      { font: 'italic 700 16px "Serif \\"Book\\""', text: 'a' },
    ]);
  });
});

describe('renderPrintDocument in parts', () => {
  it('sends parts that make up the whole document, links settled as in one piece', async () => {
    const printed = book('The end.');
    const parts = recorder();
    const document = await renderPrintDocument(printed, options, parts.sink);
    expect(parts.abandoned()).toBe(false);
    expect(parts.joined()).toBe(document.html);
    // The link to a later chapter's heading keeps its target; the one to no id loses it.
    expect(hrefs(document.html, 'the last words')).toBe(true);
    expect(document.html).toContain('<a>nothing at all</a>');
    // A file beside the print document would be in a folder the build removes.
    expect(document.html).toContain('<a>the notes</a>');
    // Without a sink, the same document.
    expect((await renderPrintDocument(printed, options)).html).toBe(document.html);
  });

  it('abandons the parts when a held-back link finds no id after all, and makes the document whole', async () => {
    // Manuscript links are named within their chapter, so only a plugin or a theme can point at an id the
    // print adds to blocks: one that names a block no chapter has.
    const printed = book('The end.');
    const section = printed.chapters[1].tree.children.find((node) => node.type === 'element') as Element;
    section.children.push({
      type: 'element',
      tagName: 'a',
      properties: { href: '#imprint-block-9-9' },
      children: [{ type: 'text', value: 'a block that is not there' }],
    });
    const parts = recorder();
    const document = await renderPrintDocument(printed, options, parts.sink);
    expect(parts.abandoned()).toBe(true);
    expect(document.html).toContain('<a>a block that is not there</a>');
    expect(hrefs(document.html, 'the last words')).toBe(true);
    expect(document.html).toContain('<a>the notes</a>');
  });
});

describe('streamPrintDocument', () => {
  let browser: Browser;
  let work: string;
  beforeAll(async () => {
    browser = await launchBrowser();
    work = mkdtempSync(path.join(tmpdir(), 'imprint-stream-'));
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('leaves the page with the DOM of the whole document loaded at once, its image loaded', {
    timeout: 120_000,
  }, async () => {
    const printed = book('The end.');
    const roots = [
      work,
      path.join(printed.dir, 'images'),
      ...printed.theme.fonts.map((f) => path.dirname(f.source)),
    ];
    const block = { width: 400, height: 600 };
    const streamed = await openPrintPage(browser, roots, block);
    const whole = await openPrintPage(browser, roots, block);
    try {
      const stream = streamPrintDocument(
        Promise.resolve({ page: streamed.page, take: true }),
        path.join(work, 'shell.html'),
      );
      const document = await renderPrintDocument(printed, options, stream.sink);
      expect(await stream.done).toBe('loaded');
      writeFileSync(path.join(work, 'whole.html'), document.html);
      expect(await loadPrintDocument(whole.page, path.join(work, 'whole.html'))).toBe(true);
      const dom = () => globalThis.document.documentElement.outerHTML;
      const image = () => {
        const img = globalThis.document.querySelector('img');
        return img ? { complete: img.complete, width: img.naturalWidth } : undefined;
      };
      expect(await streamed.page.evaluate(dom)).toBe(await whole.page.evaluate(dom));
      expect(await streamed.page.evaluate(image)).toEqual({ complete: true, width: 1 });
      expect(streamed.failed.size).toBe(0);
      // The shell went into the page's blank document (blank-document.ts), not a navigation to the file.
      expect(streamed.page.url()).toBe(blankDocumentUrl(browser));
      expect(await streamed.page.evaluate(() => globalThis.document.compatMode)).toBe('CSS1Compat');
    } finally {
      await streamed.page.close();
      await whole.page.close();
    }
  });

  it('leaves a document whose parts bring images by style to be loaded whole, not one that names url(', {
    timeout: 120_000,
  }, async () => {
    const outcome = async (parts: string[], name: string) => {
      const locked = await openPrintPage(browser, [work], { width: 400, height: 600 });
      try {
        const stream = streamPrintDocument(
          Promise.resolve({ page: locked.page, take: true }),
          path.join(work, name),
        );
        stream.sink.start('<!doctype html><html><head></head><body>', '</body></html>');
        for (const part of parts) stream.sink.chapter(part);
        stream.sink.end('');
        return await stream.done;
      } finally {
        await locked.page.close();
      }
    };
    const named = '<p>Plain, though it names <code>background: url(dot.png)</code>.</p>';
    expect(await outcome([named], 'named.html')).toBe('loaded');
    // An image named relative to the document would be looked for in Chromium's profile, not beside the shell.
    expect(await outcome(['<p><img src="dot.png" alt=""></p>'], 'relative.html')).toBe('not-streamed');
    // A relative link loads nothing: it streams.
    expect(await outcome(['<p><a href="notes.txt">Notes</a></p>'], 'link.html')).toBe('loaded');
    expect(
      await outcome(['<p><a href="#here">Here</a>, <img src="data:," alt=""></p>'], 'absolute.html'),
    ).toBe('loaded');
    expect(
      await outcome([named, '<p style="background-image: url(dot.png)">Styled.</p>'], 'styled.html'),
    ).toBe('not-streamed');
  });

  it('puts a shell into the blank document only when it is the same document there as navigated to', {
    timeout: 120_000,
  }, async () => {
    const shells = {
      adopted: [
        '<!doctype html><html lang="de" class="print"><head><title>T</title><style>p{color:red}</style></head><body data-x="1">',
        '<p>After.</p></body></html>',
      ],
      // A script would run only in a navigated document, and a document without a doctype is in quirks mode.
      script: [
        '<!doctype html><html><head><script>document.title = "ran"</script></head><body>',
        '</body></html>',
      ],
      quirks: ['<html><head></head><body>', '</body></html>'],
      comment: ['<!doctype html><!-- before --><html><head></head><body>', '</body></html>'],
      // Parsed without scripting, DOMParser reads noscript's content as markup.
      noscript: ['<!doctype html><html><head></head><body><noscript><p>x</p></noscript>', '</body></html>'],
      // Relative to the document: beside the shell's file when navigated to, in Chromium's profile if put in.
      relative: ['<!doctype html><html><head></head><body><img src="missing.png" alt="">', '</body></html>'],
      // An image named by CSS, which the load event of a navigated shell waits for.
      styled: [
        '<!doctype html><html><head><style>body { background: url(data:image/png;base64,iVBORw0KGgo=) }</style></head><body>',
        '</body></html>',
      ],
      refresh: [
        '<!doctype html><html><head><meta content="60" http-equiv="refresh"></head><body>',
        '</body></html>',
      ],
    };
    const dom = () => `${globalThis.document.compatMode} ${globalThis.document.documentElement.outerHTML}`;
    for (const [name, [before, after]] of Object.entries(shells)) {
      const locked = await openPrintPage(browser, [work], { width: 400, height: 600 });
      const whole = await openPrintPage(browser, [work], { width: 400, height: 600 });
      try {
        expect(locked.page.url()).toBe(blankDocumentUrl(browser));
        const stream = streamPrintDocument(
          Promise.resolve({ page: locked.page, take: true }),
          path.join(work, `${name}.html`),
        );
        stream.sink.start(before, after);
        stream.sink.chapter('<section class="print-chapter"><p>A chapter.</p></section>');
        stream.sink.end('<div hidden>End.</div>');
        expect(await stream.done).toBe('loaded');
        writeFileSync(
          path.join(work, `${name}-whole.html`),
          `${before}<section class="print-chapter"><p>A chapter.</p></section><div hidden>End.</div>${after}`,
        );
        expect(await loadPrintDocument(whole.page, path.join(work, `${name}-whole.html`))).toBe(true);
        expect(await locked.page.evaluate(dom), name).toBe(await whole.page.evaluate(dom));
        // Put in, the shell is in the blank document, UTF-8 as Imprint's shells declare themselves.
        if (name === 'adopted')
          expect(await locked.page.evaluate(() => globalThis.document.characterSet)).toBe('UTF-8');
        expect(locked.page.url(), name).toBe(
          name === 'adopted'
            ? blankDocumentUrl(browser)
            : pathToFileURL(path.join(work, `${name}.html`)).href,
        );
      } finally {
        await locked.page.close();
        await whole.page.close();
      }
    }
  });

  it('does not take the parts when the page says so, and lets the caller load the document whole', {
    timeout: 120_000,
  }, async () => {
    const printed = book('The end.');
    const page = await browser.newPage();
    try {
      const stream = streamPrintDocument(Promise.resolve({ page, take: false }), path.join(work, 'no.html'));
      await renderPrintDocument(printed, options, stream.sink);
      expect(await stream.done).toBe('not-streamed');
      expect(await page.evaluate(() => globalThis.document.body?.childElementCount ?? 0)).toBe(0);
    } finally {
      await page.close();
    }
  });
});
