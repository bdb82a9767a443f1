/**
 * Every image a book uses, checked once when the book is loaded: raster files decoded in full (a truncated
 * PNG, a text file named .png, a JPEG named .png are errors, not blank boxes), SVG files sanitised
 * (src/book/sanitize-svg.ts) and replaced by their sanitised copy, which is the file every edition and the
 * preview then read. A checker keeps what it found per file while the file's size and time stay the same,
 * so the preview decodes an image again only when it changes. With the build's cache, what sanitising made
 * of an SVG's text is kept there too (by the text's hash and Imprint's code), so a rebuild neither loads the
 * XML parser nor parses the drawings again.
 */
import { createHash } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { codeFingerprint } from './chapter-cache.ts';
import { decodeImagesSync } from './decode-images.ts';
import { type SanitizedSvg, sanitizeSvg } from './sanitize-svg.ts';

export interface ImageUse {
  /** The real file, already checked to be inside the manuscript folder. */
  source: string;
  mediaType: string;
  /** Where it is referred to: a chapter's line, or book.yaml's `cover:`. */
  where: Pick<Diagnostic, 'file' | 'line' | 'column'>;
}

interface Checked {
  key: string;
  /** The file to read instead of the source (a sanitised SVG), or the source itself. */
  file: string;
  /** Why the file cannot be shown. */
  broken?: string;
  /** What sanitising removed, already as diagnostics about the SVG file. */
  findings: Diagnostic[];
}

const FORMAT_OF_TYPE: Record<string, string> = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
};
const display = (file: string) => path.relative(process.cwd(), file) || file;

/** Where sanitised drawings outlive the process: the chapter cache's artifacts. */
export interface SanitizedSvgStore {
  getArtifact(key: string): Uint8Array | undefined;
  setArtifact(key: string, bytes: Uint8Array): void;
}

export function createImageChecker(store?: SanitizedSvgStore) {
  const cache = new Map<string, Checked>();

  /** Checks every use; returns the file each source is read from and the diagnostics, once per problem. */
  return function checkImages(uses: readonly ImageUse[]): {
    files: Map<string, string>;
    diagnostics: Diagnostic[];
  } {
    const keys = new Map<string, string>();
    for (const use of uses) keys.set(use.source, fileKey(use.source));
    const stale = [...keys].filter(([source, key]) => cache.get(source)?.key !== key);
    const raster = stale.filter(([source]) => !/\.svg$/i.test(source));
    const decoded = decodeImagesSync(raster.map(([source]) => source));
    raster.forEach(([source, key], index) => {
      const found = decoded[index];
      const format = found.format === 'jpg' ? 'jpeg' : found.format;
      const expected = FORMAT_OF_TYPE[typeFor(source)];
      const broken =
        found.error !== undefined
          ? `it cannot be decoded (${found.error})`
          : format !== expected
            ? `it is ${format ? `a ${format.toUpperCase()} file` : 'not an image'} named ${path.extname(source)}`
            : undefined;
      cache.set(source, { key, file: source, broken, findings: [] });
    });
    for (const [source, key] of stale.filter(([file]) => /\.svg$/i.test(file))) {
      cache.set(source, { key, ...checkSvg(source, store) });
    }

    const files = new Map<string, string>();
    const diagnostics: Diagnostic[] = [];
    const reportedFindings = new Set<string>();
    for (const use of uses) {
      const checked = cache.get(use.source) as Checked;
      files.set(use.source, checked.file);
      if (checked.broken) {
        diagnostics.push({
          code: 'image-broken',
          severity: 'error',
          message: `The image ${display(use.source)} is damaged: ${checked.broken}.`,
          hint: 'Export it again from the program that made it, or replace the file.',
          ...use.where,
        });
      }
      if (!reportedFindings.has(use.source)) diagnostics.push(...checked.findings);
      reportedFindings.add(use.source);
    }
    for (const source of cache.keys()) if (!keys.has(source)) cache.delete(source);
    return { files, diagnostics };
  };
}

function typeFor(file: string): string {
  const extension = path.extname(file).toLowerCase();
  return extension === '.jpg' || extension === '.jpeg' ? 'image/jpeg' : `image/${extension.slice(1)}`;
}

function fileKey(file: string): string {
  try {
    const stats = statSync(file);
    return `${stats.size}:${stats.mtimeMs}:${stats.ino}`;
  } catch {
    return 'missing';
  }
}

function checkSvg(source: string, store?: SanitizedSvgStore): Omit<Checked, 'key'> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(source)).replace(/^\uFEFF/, '');
  } catch {
    return { file: source, broken: 'it is not UTF-8 text', findings: [] };
  }
  const result = sanitizedSvg(text, store);
  if (!result.ok) {
    const at = result.line ? ` (line ${result.line})` : '';
    return { file: source, broken: `${result.message}${at}`, findings: [] };
  }
  const findings = result.findings
    .map(
      (finding): Diagnostic => ({
        code: finding.code,
        severity: finding.severity,
        message: `${finding.message}`,
        hint:
          finding.code === 'remote-url'
            ? 'Embed the picture in the SVG, or save it into the manuscript folder and use it as an image of its own.'
            : 'Nothing is needed: the editions use the SVG without it. Export a plain SVG to silence this.',
        file: display(source),
        line: finding.line || undefined,
        column: finding.line ? finding.column : undefined,
      }),
    )
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return { file: writeSanitized(result.svg), findings };
}

function sanitizedSvg(text: string, store?: SanitizedSvgStore): SanitizedSvg {
  if (!store) return sanitizeSvg(text);
  const key = `svg\u0000${codeFingerprint()}\u0000${createHash('sha256').update(text).digest('hex')}`;
  const stored = store.getArtifact(key);
  if (stored) {
    try {
      const result = JSON.parse(Buffer.from(stored).toString('utf8')) as SanitizedSvg;
      if (
        result.ok
          ? typeof result.svg === 'string' && Array.isArray(result.findings)
          : typeof result.message === 'string'
      )
        return result;
    } catch {
      // A damaged entry: sanitise again, and store it anew.
    }
  }
  const result = sanitizeSvg(text);
  store.setArtifact(key, Buffer.from(JSON.stringify(result)));
  return result;
}

let sanitizedDir: string | undefined;

/**
 * Where sanitised SVGs are kept: a folder of this user's in the system's temporary folder, named by content,
 * so each distinct drawing is written once. The folder must be this user's own and closed to others, since
 * editions copy from it; when it is not, the process makes a private one.
 */
function sanitizedFolder(): string {
  if (sanitizedDir && existsSync(sanitizedDir)) return sanitizedDir;
  const shared = path.join(os.tmpdir(), `imprint-${process.getuid?.() ?? 'user'}`, 'svg');
  try {
    mkdirSync(shared, { recursive: true, mode: 0o700 });
    const own = [path.dirname(shared), shared].every((dir) => {
      const stats = lstatSync(dir);
      return (
        stats.isDirectory() &&
        (process.getuid === undefined || stats.uid === process.getuid()) &&
        (stats.mode & 0o022) === 0
      );
    });
    sanitizedDir = own ? shared : mkdtempSync(path.join(os.tmpdir(), 'imprint-svg-'));
  } catch {
    sanitizedDir = mkdtempSync(path.join(os.tmpdir(), 'imprint-svg-'));
  }
  return sanitizedDir;
}

function writeSanitized(svg: string): string {
  const dir = sanitizedFolder();
  const file = path.join(dir, `${createHash('sha256').update(svg).digest('hex').slice(0, 32)}.svg`);
  try {
    if (readFileSync(file, 'utf8') === svg) return file;
  } catch {
    // Not written yet.
  }
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, svg, { mode: 0o644 });
  renameSync(temporary, file);
  return file;
}
