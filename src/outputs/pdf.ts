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
import { hasErrors } from '../diagnostics/diagnostic.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { storePageList } from './layout/page-list.ts';
import type { Output } from './output.ts';
import type { RenderedPdf } from './pdf/render-pdf.ts';

export const pdfOutput: Output = {
  name: 'pdf',
  entries: (book) => [`${book.slug}.pdf`],
  pageListSource: true,
  usesBrowser: true,
  async build(book, context) {
    const target = path.join(context.outDir, `${book.slug}.pdf`);
    const browser = context.browser();
    // Awaited below; until then a failed launch must not count as an unhandled rejection.
    browser.catch(() => {});
    const workDir = await mkdtemp(path.join(context.tempDir ?? os.tmpdir(), 'imprint-pdf-'));
    // A signal ends the process with process.exit(), which skips `finally`: clean up on 'exit' too.
    const removeWorkDir = () => rmSync(workDir, { recursive: true, force: true });
    process.once('exit', removeWorkDir);
    let pageList: RenderedPdf['pageList'];
    try {
      // Loaded when a PDF is made: pdf-lib and the layout code cost an HTML or EPUB build a third of a second.
      const { renderPdf } = await import('./pdf/render-pdf.ts');
      const result = await renderPdf(book, browser, {
        buildDate: context.buildDate,
        workDir,
        onLoading: () => context.pageList?.printing(),
      });
      for (const diagnostic of result.diagnostics) context.report(diagnostic);
      if (!result.pdf || hasErrors(result.diagnostics)) return [];
      pageList = result.pageList;
      if (pageList) storePageList(pageList);
      await writeFileAtomic(target, result.pdf);
      return [target];
    } finally {
      context.pageList?.publish(pageList);
      process.off('exit', removeWorkDir);
      await rm(workDir, { recursive: true, force: true });
    }
  },
};
