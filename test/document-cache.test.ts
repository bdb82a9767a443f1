/**
 * The chapters' documents kept between builds (src/outputs/document-cache.ts): a rebuild with the cache writes
 * exactly what a build without any cache writes (the search index included), after every kind of change that
 * reaches a chapter's page from elsewhere (a neighbour's title, a link's target gone, book.yaml), renders only the
 * documents whose inputs changed, and ignores and rewrites a damaged entry (of a document, or of the EPUB's deflated bytes).
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../src/index.ts';
import { cachedDocument, cachedDocumentContent } from '../src/outputs/document-cache.ts';
import { tempManuscript } from './support/temp-manuscript.ts';

const scratch = () => mkdtempSync(path.join(os.tmpdir(), 'imprint-documents-'));

const chapter = (title: string, body: string) => `# ${title}\n\n${body}\n`;

/** Every file under `dir` by its relative path (the EPUB too: with a fixed date its bytes are fixed). */
function files(dir: string): Map<string, Buffer> {
  const found = new Map<string, Buffer>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    found.set(path.relative(dir, file), readFileSync(file));
  }
  return found;
}

/** The cache's entries of one kind (rendered documents, or the EPUB's deflated ones): file name → bytes. */
function documentEntries(cache: string, kind: 'document' | 'deflated' = 'document'): Map<string, Buffer> {
  const dir = path.join(cache, 'artifacts');
  return new Map(
    readdirSync(dir)
      .map((name) => [name, readFileSync(path.join(dir, name))] as const)
      .filter(([, bytes]) => bytes.toString('latin1').startsWith(`${kind}\u0000`)),
  );
}

describe('the chapters’ documents in the cache', () => {
  it('rebuild only what changed, and as a build without cache would', { timeout: 300_000 }, async () => {
    const manuscript = tempManuscript({
      'book.yaml': 'title: Three Talks\nrights: All rights reserved.\n',
      '01-one.md': chapter('One', 'The first talk. See [the section](03-three.md#a-section).'),
      '02-two.md': chapter('Two', 'The second talk.[^1]\n\n[^1]: A note.'),
      '03-three.md': chapter('Three', 'The third talk.\n\n## A section\n\nMore words.'),
    });
    const cache = path.join(scratch(), 'cache');
    const cachedOut = path.join(scratch(), 'dist');
    const options = { manuscript, formats: ['html', 'epub'], buildDate: new Date(0) };
    /** A build with the cache, then one without any, each into its own folder: their files must agree. */
    const rebuild = async () => {
      const cached = await build({ ...options, out: cachedOut, cache });
      expect(cached.ok, JSON.stringify(cached.diagnostics)).toBe(true);
      const fresh = path.join(scratch(), 'dist');
      expect((await build({ ...options, out: fresh, cache: false })).ok).toBe(true);
      const made = files(cachedOut);
      expect([...made.keys()].sort()).toEqual([...files(fresh).keys()].sort());
      for (const [name, bytes] of files(fresh)) expect(made.get(name)?.equals(bytes), name).toBe(true);
      return made;
    };
    const page = (made: Map<string, Buffer>, name: string) =>
      made.get(path.join('three-talks', name))?.toString('utf8') ?? '';

    const first = await rebuild();
    // One web-book page, one EPUB document and one part of the search index per chapter; the contents page.
    expect(documentEntries(cache).size).toBe(10);

    // A sentence added to one chapter: that chapter's three documents are made again, no other.
    writeFileSync(path.join(manuscript, '02-two.md'), chapter('Two', 'The second talk, longer.'));
    const before = documentEntries(cache);
    const edited = await rebuild();
    const added = [...documentEntries(cache).keys()].filter((name) => !before.has(name));
    expect(added).toHaveLength(3);
    expect(page(edited, 'one.html')).toBe(page(first, 'one.html'));
    expect(page(edited, 'search-index.js')).toContain('The second talk, longer.');
    expect(page(edited, 'search-index.js')).not.toContain('The second talk.');

    // A new title reaches the neighbours' next/previous links and every page's contents.
    writeFileSync(path.join(manuscript, '02-two.md'), chapter('Second Thoughts', 'The second talk, longer.'));
    const retitled = await rebuild();
    for (const name of ['index.html', 'one.html', 'three.html']) {
      expect(page(retitled, name), name).toContain('Second Thoughts');
    }
    expect(page(retitled, 'one.html')).toMatch(/class="chapter-link-title">Second Thoughts</);

    // A link in chapter one leads to an anchor in chapter two; then the anchor goes. Chapter one's text and tree
    // stay the same, and so do every chapter's headings: only where its link leads has changed.
    writeFileSync(
      path.join(manuscript, '02-two.md'),
      chapter('Second Thoughts', 'The second talk, <span id="spot"></span>longer.'),
    );
    writeFileSync(
      path.join(manuscript, '01-one.md'),
      chapter('One', 'The first talk. See [the spot](02-two.md#spot).'),
    );
    const linked = await rebuild();
    expect(page(linked, 'one.html')).toContain('href="two.html#two--spot"');
    writeFileSync(path.join(manuscript, '02-two.md'), chapter('Second Thoughts', 'The second talk, longer.'));
    const moved = await build({ ...options, out: cachedOut, cache });
    expect(moved.diagnostics.map((diagnostic) => diagnostic.code)).toContain('missing-anchor');
    const unlinked = await rebuild();
    expect(page(unlinked, 'one.html')).not.toContain('two.html#two--spot');
    expect(page(unlinked, 'one.html')).toContain('the spot');

    // book.yaml reaches every page (the rights line in the footer).
    writeFileSync(path.join(manuscript, 'book.yaml'), 'title: Three Talks\nrights: Some rights reserved.\n');
    const rights = await rebuild();
    for (const name of ['index.html', 'one.html', 'two.html', 'three.html']) {
      expect(page(rights, name), name).toContain('Some rights reserved.');
    }
  });

  it('ignore a damaged entry and write it again', { timeout: 300_000 }, async () => {
    const manuscript = tempManuscript({
      'book.yaml': 'title: Two Talks\n',
      '01-one.md': chapter('One', 'The first talk.'),
      '02-two.md': chapter('Two', 'The second talk.'),
    });
    const cache = path.join(scratch(), 'cache');
    const out = path.join(scratch(), 'dist');
    const options = { manuscript, out, formats: ['html', 'epub'], buildDate: new Date(0), cache };
    expect((await build(options)).ok).toBe(true);
    const made = files(out);
    const documents = documentEntries(cache);
    expect(documents.size).toBe(7);
    const entries = new Map([...documents, ...documentEntries(cache, 'deflated')]);
    // Two pages and the contents page, two EPUB documents, two parts of the search index; each XHTML file of
    // the EPUB deflated once: cover, title page, copyright page, navigation, two chapters.
    expect(entries.size).toBe(7 + 6);
    for (const [name, bytes] of entries) {
      // The text after the key, the digest and the first bytes of the document: changed, length kept.
      const damaged = Buffer.from(bytes);
      damaged.write('<p>Not what was stored</p>', damaged.length - 40, 'latin1');
      writeFileSync(path.join(cache, 'artifacts', name), damaged);
    }
    // Into another folder: a rebuild into the same one would link the pages it has (unchanged-files.ts) and
    // never open their entries.
    const elsewhere = path.join(scratch(), 'dist');
    expect((await build({ ...options, out: elsewhere })).ok).toBe(true);
    const again = files(elsewhere);
    for (const [name, bytes] of made) expect(again.get(name)?.equals(bytes), name).toBe(true);
    // Each damaged entry was written again as it was first stored.
    const rewritten = new Map([...documentEntries(cache), ...documentEntries(cache, 'deflated')]);
    for (const [name, bytes] of entries) expect(rewritten.get(name)?.equals(bytes), name).toBe(true);
  });

  it('give a build a stored document as the bytes kept, and render a damaged one again', () => {
    const stored = new Map<string, Uint8Array>();
    const store = {
      getArtifact: (key: string) => stored.get(key),
      setArtifact: (key: string, bytes: Uint8Array) => void stored.set(key, bytes),
    };
    const text = '<p>Zürich, “quoted” — and 日本語</p>';
    let renders = 0;
    const render = () => {
      renders++;
      return text;
    };
    expect(cachedDocumentContent(store, 'page', render)).toBe(text);
    const kept = cachedDocumentContent(store, 'page', render);
    // The write takes these bytes as they are: no text decoded only to be encoded again.
    expect(Buffer.isBuffer(kept)).toBe(true);
    expect(Buffer.from(text, 'utf8').equals(kept as Buffer)).toBe(true);
    expect(cachedDocument(store, 'page', render)).toBe(text);
    expect(renders).toBe(1);
    const damaged = Buffer.from(stored.get('page') as Uint8Array);
    damaged[damaged.length - 3] ^= 1;
    stored.set('page', damaged);
    expect(cachedDocumentContent(store, 'page', render)).toBe(text);
    expect(renders).toBe(2);
    expect(Buffer.isBuffer(cachedDocumentContent(store, 'page', render))).toBe(true);
  });
});
