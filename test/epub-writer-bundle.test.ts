/**
 * The compiled CLI packs the EPUB with lib/vendor/epub-writer.cjs (epub-gen-memory and its JSZip as one file,
 * scripts/compile.mjs) instead of the package's 130-odd files: it must write the very bytes the package does
 * (an API build from src/, which loads the package), so the JSZip internals it deflates with were found in it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../src/index.ts';
import { tempManuscript } from './support/temp-manuscript.ts';

const scratch = () => mkdtempSync(path.join(os.tmpdir(), 'imprint-epub-writer-'));

describe('the EPUB writer as one file', () => {
  it('writes what the package writes, without loading the package', { timeout: 240_000 }, async () => {
    const dir = tempManuscript({
      'book.yaml': 'title: Packed Once\nauthors: [A. Writer]\n',
      '01-one.md': '---\ntitle: One\n---\n\nThe first chapter, "quoted".\n',
      '02-two.md': '---\ntitle: Two\n---\n\nThe second chapter.[^1]\n\n[^1]: A note.\n',
    });
    const cliOut = scratch();
    const result = spawnSync('node', ['bin/imprint.js', 'build', dir, '--out', cliOut, '--format', 'epub'], {
      encoding: 'utf8',
      env: { ...process.env, NODE_DEBUG: 'module', IMPRINT_CACHE: '0', SOURCE_DATE_EPOCH: '0' },
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/vendor[\\/]epub-writer\.cjs/);
    expect(result.stderr).not.toMatch(/node_modules[\\/]jszip[\\/]/);

    const apiOut = scratch();
    const api = await build({
      manuscript: dir,
      out: apiOut,
      formats: ['epub'],
      cache: false,
      buildDate: new Date(0),
    });
    expect(api.ok).toBe(true);
    const epub = (out: string) => {
      const name = readdirSync(out).find((file) => file.endsWith('.epub'));
      return readFileSync(path.join(out, name ?? 'missing.epub'));
    };
    const bundled = epub(cliOut);
    expect(bundled.length).toBeGreaterThan(1000);
    expect(bundled.equals(epub(apiOut))).toBe(true);
  });
});
