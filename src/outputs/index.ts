/** Every edition Imprint can build; `--format` builds the reading editions unless told otherwise. */
import { epubOutput } from './epub.ts';
import { htmlOutput } from './html.ts';
import type { Output } from './output.ts';
import { pdfOutput } from './pdf.ts';
import { printOutput } from './print.ts';

/** The reading editions, built by default and checked by `imprint check`, in this order. */
export const OUTPUTS: readonly Output[] = [htmlOutput, pdfOutput, epubOutput];

/** Every edition, the press files (`print`, which needs Ghostscript) included. */
export const ALL_OUTPUTS: readonly Output[] = [...OUTPUTS, printOutput];

export const DEFAULT_FORMATS = OUTPUTS.map((output) => output.name);

export const FORMAT_NAMES = ALL_OUTPUTS.map((output) => output.name);
