/** Where Imprint itself is installed, and its version: for its own templates, and for "Creator" lines. */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const IMPRINT_ROOT = path.resolve(import.meta.dirname, '..');

export const IMPRINT_VERSION = (
  JSON.parse(readFileSync(path.join(IMPRINT_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;
