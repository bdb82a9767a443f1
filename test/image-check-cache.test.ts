/**
 * Sanitised SVGs kept in the build's cache: a rebuild takes what sanitising made of the same text from the
 * cache instead of parsing the drawing again, and a damaged entry is sanitised again and rewritten.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createImageChecker } from '../src/book/book-images.ts';
import { tempManuscript } from './support/temp-manuscript.ts';

const DRAWING =
  '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><script>alert(1)</script><rect width="10" height="10"/></svg>';

function memoryStore() {
  const entries = new Map<string, Uint8Array>();
  return {
    entries,
    getArtifact: (key: string) => entries.get(key),
    setArtifact: (key: string, bytes: Uint8Array) => void entries.set(key, bytes),
  };
}

const use = (source: string) => ({
  source,
  mediaType: 'image/svg+xml',
  where: { file: '01-a.md', line: 3, column: 1 },
});

describe('sanitised SVGs in the build cache', () => {
  it('stores the sanitised drawing and its findings, and a new checker takes them from the store', () => {
    const source = path.join(tempManuscript({ 'images/a.svg': DRAWING }), 'images', 'a.svg');
    const store = memoryStore();
    const first = createImageChecker(store)([use(source)]);
    expect(readFileSync(first.files.get(source) as string, 'utf8')).not.toContain('<script');
    expect(first.diagnostics.map((d) => d.code)).toEqual(['svg-unsafe']);
    expect(store.entries.size).toBe(1);

    // A made-up entry under the same key: only the store can have given this drawing.
    const [key] = store.entries.keys();
    const madeUp = '<svg xmlns="http://www.w3.org/2000/svg"><circle r="3"/></svg>';
    store.entries.set(key, Buffer.from(JSON.stringify({ ok: true, svg: madeUp, findings: [] })));
    const second = createImageChecker(store)([use(source)]);
    expect(readFileSync(second.files.get(source) as string, 'utf8')).toBe(madeUp);
    expect(second.diagnostics).toEqual([]);
  });

  it('sanitises again when the entry is damaged, and rewrites it', () => {
    const source = path.join(tempManuscript({ 'images/b.svg': DRAWING }), 'images', 'b.svg');
    const store = memoryStore();
    createImageChecker(store)([use(source)]);
    const [key] = store.entries.keys();
    store.entries.set(key, Buffer.from('{"ok": tr'));
    const again = createImageChecker(store)([use(source)]);
    expect(readFileSync(again.files.get(source) as string, 'utf8')).toContain('<rect');
    expect(again.diagnostics.map((d) => d.code)).toEqual(['svg-unsafe']);
    expect(JSON.parse(Buffer.from(store.entries.get(key) as Uint8Array).toString('utf8')).ok).toBe(true);
  });
});
