/**
 * The print edition: dist/<slug>.pdf, set by Chromium in one print from the same chapter trees as every
 * edition, with the theme's print.css, then finished from the layout facts (blank versos, running heads,
 * contents numbers, bookmarks, metadata). The browser is the build's one, started as soon as this edition
 * begins so it launches while the print document is assembled. A build with errors leaves the previous PDF in
 * place. Where each print page begins goes to the EPUB and HTML editions of the same build and to a cache.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import type { Book } from '../book/types.ts';
import { type Diagnostic, hasErrors } from '../diagnostics/diagnostic.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { type EditionDocument, type EditionFacts, PDF_TYPE } from './edition-document.ts';
import { type PageList, storePageList } from './layout/page-list.ts';
import type { Output } from './output.ts';

/** One printing of the book: the PDF's bytes and what its layout learned. */
export interface PrintedPdf {
  /** Undefined when the diagnostics hold an error. */
  bytes?: Uint8Array;
  diagnostics: Diagnostic[];
  /** Where each chapter begins; no chapters without bytes. */
  facts: EditionFacts;
  /** Where each print page begins, for the EPUB and HTML page-lists. */
  pageList?: PageList;
}

export interface PdfDocuments {
  /** `<slug>.pdf`, printed by Chromium and finished when rendered. */
  document: EditionDocument<Promise<PrintedPdf>>;
}

export interface PdfDocumentOptions {
  /** The browser, launched or launching: the print document is assembled meanwhile. */
  browser: Browser | Promise<Browser>;
  buildDate: Date;
  /** An empty folder for the print document; the caller removes it. */
  workDir: string;
  /** Called when the print document goes to Chromium: node is then idle until the print, for other editions' work. */
  onLoading?: () => void;
  /** Called once Chromium is printing: node waits for it. */
  onPrinting?: () => void;
  /** Called once Chromium has printed: the browser is not used again for this document. */
  onPrinted?: () => void;
}

/** The PDF edition's document, as the HTML and EPUB editions hand out theirs: the build writes it, the preview shows it. */
export function pdfDocuments(book: Book, options: PdfDocumentOptions): PdfDocuments {
  return {
    document: {
      path: `${book.slug}.pdf`,
      mediaType: PDF_TYPE,
      async render() {
        // Loaded when a PDF is made: pdf-lib and the layout code cost an HTML or EPUB build a third of a second.
        const { renderPdf } = await import('./pdf/render-pdf.ts');
        const result = await renderPdf(book, options.browser, {
          buildDate: options.buildDate,
          workDir: options.workDir,
          onLoading: options.onLoading,
          onPrinting: options.onPrinting,
          onPrinted: options.onPrinted,
        });
        const failed = !result.pdf || hasErrors(result.diagnostics);
        return {
          bytes: failed ? undefined : result.pdf,
          diagnostics: result.diagnostics,
          facts: { chapterPages: failed ? {} : (result.chapterPages ?? {}) },
          pageList: failed ? undefined : result.pageList,
        };
      },
    },
  };
}

export const pdfOutput: Output = {
  name: 'pdf',
  entries: (book) => [`${book.slug}.pdf`],
  pageListSource: true,
  usesBrowser: true,
  async build(book, context) {
    const browser = context.browser();
    // Awaited below; until then a failed launch must not count as an unhandled rejection.
    browser.catch(() => {});
    const workDir = await mkdtemp(path.join(context.tempDir ?? os.tmpdir(), 'imprint-pdf-'));
    // A signal ends the process with process.exit(), which skips `finally`: clean up on 'exit' too.
    const removeWorkDir = () => rmSync(workDir, { recursive: true, force: true });
    process.once('exit', removeWorkDir);
    let pageList: PageList | undefined;
    try {
      const { document } = pdfDocuments(book, {
        browser,
        buildDate: context.buildDate,
        workDir,
        onLoading: () => context.pageList?.printing(),
        onPrinting: () => context.waiting?.(),
        // The browser closes while the PDF is finished and written.
        onPrinted: () => context.browserReleased?.(),
      });
      const printed = await document.render();
      for (const diagnostic of printed.diagnostics) context.report(diagnostic);
      if (!printed.bytes) return [];
      pageList = printed.pageList;
      if (pageList) storePageList(pageList);
      // The EPUB and HTML fill in their page markers while the PDF is written.
      context.pageList?.publish(pageList);
      const target = path.join(context.outDir, document.path);
      await writeFileAtomic(target, printed.bytes);
      context.facts?.(printed.facts);
      return [target];
    } finally {
      context.pageList?.publish(pageList);
      process.off('exit', removeWorkDir);
      await rm(workDir, { recursive: true, force: true });
    }
  },
};
