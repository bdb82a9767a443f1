/** Every edition Imprint can build, in the order `--format` lists them by default. */
import { htmlOutput } from './html.ts';
import type { Output } from './output.ts';

export const OUTPUTS: readonly Output[] = [htmlOutput];

export const FORMAT_NAMES = OUTPUTS.map((output) => output.name);
