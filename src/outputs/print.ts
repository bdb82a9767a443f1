/**
 * The press files (`--format print`): dist/<slug>.print.pdf, the interior as PDF/X with trim and bleed boxes,
 * and dist/<slug>.cover.pdf, the cover sheet sized for the interior's page count. Not among the default
 * formats: it needs Ghostscript, which the reading editions do not.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { hasErrors } from '../diagnostics/diagnostic.ts';
import { writeFileAtomic } from './atomic-write.ts';
import type { Output } from './output.ts';

export const printOutput: Output = {
  name: 'print',
  entries: (book) => [`${book.slug}.print.pdf`, `${book.slug}.cover.pdf`],
  usesBrowser: true,
  async build(book, context) {
    const browser = context.browser();
    browser.catch(() => {});
    const workDir = await mkdtemp(path.join(context.tempDir ?? os.tmpdir(), 'imprint-press-'));
    const removeWorkDir = () => rmSync(workDir, { recursive: true, force: true });
    process.once('exit', removeWorkDir);
    try {
      // Loaded only for the press files (pdf-lib, bwip-js, Ghostscript's driver).
      const [{ renderPressInterior }, { renderPrintCover }] = await Promise.all([
        import('./press/interior.ts'),
        import('./press/cover.ts'),
      ]);
      const interior = await renderPressInterior(book, browser, { buildDate: context.buildDate, workDir });
      for (const diagnostic of interior.diagnostics) context.report(diagnostic);
      if (!interior.pdf || hasErrors(interior.diagnostics)) return [];
      const cover = await renderPrintCover(book, await browser, interior.pageCount, workDir);
      const interiorFile = path.join(context.outDir, `${book.slug}.print.pdf`);
      const coverFile = path.join(context.outDir, `${book.slug}.cover.pdf`);
      await writeFileAtomic(interiorFile, interior.pdf);
      await writeFileAtomic(coverFile, cover);
      return [interiorFile, coverFile];
    } finally {
      process.off('exit', removeWorkDir);
      await rm(workDir, { recursive: true, force: true });
    }
  },
};
