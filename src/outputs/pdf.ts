/**
 * The print edition: dist/<slug>.pdf, set by Chromium from the same chapter trees as every edition, with
 * the theme's print.css, contents page numbers and recto chapter openings from a second pass, and document
 * metadata. The browser is the build's one, started as soon as this edition begins so it launches while the
 * print document is assembled. A build with errors leaves the previous PDF in place.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { hasErrors } from '../diagnostics/diagnostic.ts';
import { writeFileAtomic } from './atomic-write.ts';
import type { Output } from './output.ts';
import type { PageLayout } from './pdf/pagination.ts';
import { renderPdf } from './pdf/render-pdf.ts';

export const pdfOutput: Output = {
  name: 'pdf',
  entries: (book) => [`${book.slug}.pdf`],
  async build(book, context) {
    const target = path.join(context.outDir, `${book.slug}.pdf`);
    const browser = context.browser();
    // Awaited below; until then a failed launch must not count as an unhandled rejection.
    browser.catch(() => {});
    const workDir = await mkdtemp(path.join(context.tempDir ?? os.tmpdir(), 'imprint-pdf-'));
    // A signal ends the process with process.exit(), which skips `finally`: clean up on 'exit' too.
    const removeWorkDir = () => rmSync(workDir, { recursive: true, force: true });
    process.once('exit', removeWorkDir);
    try {
      // The preview builds one book again and again: starting from the last layout, most edits need one print.
      const layoutKey = `pdf-layout:${book.dir}`;
      const result = await renderPdf(book, browser, {
        buildDate: context.buildDate,
        workDir,
        initialLayout: context.carryOver?.get(layoutKey) as PageLayout | undefined,
      });
      if (result.layout) context.carryOver?.set(layoutKey, result.layout);
      for (const diagnostic of result.diagnostics) context.report(diagnostic);
      if (!result.pdf || hasErrors(result.diagnostics)) return [];
      await writeFileAtomic(target, result.pdf);
      return [target];
    } finally {
      process.off('exit', removeWorkDir);
      await rm(workDir, { recursive: true, force: true });
    }
  },
};
