/** Every edition Imprint can build, in the order `--format` lists them by default. */
import { epubOutput } from './epub.ts';
import { htmlOutput } from './html.ts';
import type { Output } from './output.ts';
import { pdfOutput } from './pdf.ts';

export const OUTPUTS: readonly Output[] = [htmlOutput, pdfOutput, epubOutput];

export const FORMAT_NAMES = OUTPUTS.map((output) => output.name);
