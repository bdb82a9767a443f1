/**
 * Each edition's module on its own, for a build that names its editions: `--format html` then compiles no EPUB
 * or PDF code (loading every edition cost a rebuild 10 ms more than loading the one it makes).
 * test/package-api.test.ts keeps these equal to src/outputs/index.ts.
 */
import type { Output } from './output.ts';

export const OUTPUT_MODULES: Readonly<Record<string, () => Promise<Output>>> = {
  html: async () => (await import('./html.ts')).htmlOutput,
  pdf: async () => (await import('./pdf.ts')).pdfOutput,
  epub: async () => (await import('./epub.ts')).epubOutput,
  print: async () => (await import('./print.ts')).printOutput,
};
