/**
 * Files a rebuild takes from the published edition (src/outputs/unchanged-files.ts): the web book's pages and
 * fonts that did not change are hard links to the published ones, what changed is written anew, and the result
 * is what a build without any cache writes. A published file changed by hand, or a damaged record, is written
 * again, never linked.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../src/index.ts';
import { tempManuscript } from './support/temp-manuscript.ts';

const scratch = () => mkdtempSync(path.join(os.tmpdir(), 'imprint-unchanged-'));

/** Every file under `dir`: relative path → [inode, bytes]. */
function files(dir: string): Map<string, { ino: number; nlink: number; bytes: Buffer }> {
  const found = new Map<string, { ino: number; nlink: number; bytes: Buffer }>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const { ino, nlink } = statSync(file);
    found.set(path.relative(dir, file), { ino, nlink, bytes: readFileSync(file) });
  }
  return found;
}

describe('files a rebuild takes from the published edition', () => {
  it('links what did not change, writes what did, and gives what a build without cache gives', {
    timeout: 300_000,
  }, async () => {
    const manuscript = tempManuscript({
      'book.yaml': 'title: Three Talks\n',
      '01-one.md': '# One\n\nThe first talk.\n',
      '02-two.md': '# Two\n\nThe second talk.\n',
      '03-three.md': '# Three\n\nThe third talk.\n',
    });
    const cache = path.join(scratch(), 'cache');
    const out = path.join(scratch(), 'dist');
    const options = { manuscript, formats: ['html'], buildDate: new Date(0) };
    const edition = path.join(out, 'three-talks');
    const cachedBuild = async () => {
      const built = await build({ ...options, out, cache });
      expect(built.ok, JSON.stringify(built.diagnostics)).toBe(true);
      return files(edition);
    };
    const freshBuild = async () => {
      const fresh = path.join(scratch(), 'dist');
      expect((await build({ ...options, out: fresh, cache: false })).ok).toBe(true);
      return files(path.join(fresh, 'three-talks'));
    };
    const sameBytes = (made: Map<string, { bytes: Buffer }>, expected: Map<string, { bytes: Buffer }>) => {
      expect([...made.keys()].sort()).toEqual([...expected.keys()].sort());
      for (const [name, { bytes }] of expected) expect(made.get(name)?.bytes.equals(bytes), name).toBe(true);
    };

    const first = await cachedBuild();
    writeFileSync(path.join(manuscript, '02-two.md'), '# Two\n\nThe second talk, longer.\n');
    const second = await cachedBuild();
    sameBytes(second, await freshBuild());
    const linked = [...second]
      .filter(([name, file]) => first.get(name)?.ino === file.ino)
      .map(([name]) => name);
    // The other chapters' pages, the contents page and the fonts are the published files themselves.
    expect(linked).toEqual(
      expect.arrayContaining(['one.html', 'three.html', 'index.html', 'web-book.js', 'minisearch.js']),
    );
    expect(linked.some((name) => name.startsWith(`fonts${path.sep}`))).toBe(true);
    // The edited chapter's page and the search index (which holds its words) are new files.
    expect(linked).not.toContain('two.html');
    expect(linked).not.toContain('search-index.js');
    // The last edition is gone: each file has one name, the published one.
    for (const [name, file] of second) expect(file.nlink, name).toBe(1);

    // A page changed by hand in the output folder (the same file, written in place) is written anew.
    const page = path.join(edition, 'one.html');
    writeFileSync(page, readFileSync(page, 'utf8').replace('The first talk.', 'Changed by hand.'));
    const third = await cachedBuild();
    expect(third.get('one.html')?.bytes.toString('utf8')).toContain('The first talk.');
    expect(third.get('one.html')?.ino).not.toBe(second.get('one.html')?.ino);
    expect(third.get('three.html')?.ino).toBe(second.get('three.html')?.ino);
    sameBytes(third, await freshBuild());

    // A damaged record: nothing is linked, and the edition is whole.
    const artifacts = path.join(cache, 'artifacts');
    for (const name of readdirSync(artifacts)) {
      const file = path.join(artifacts, name);
      const bytes = readFileSync(file);
      if (!bytes.toString('latin1').startsWith('published-files\u0000')) continue;
      bytes[bytes.length - 3] ^= 1;
      writeFileSync(file, bytes);
    }
    const fourth = await cachedBuild();
    for (const [name, file] of fourth) expect(file.ino, name).not.toBe(third.get(name)?.ino);
    sameBytes(fourth, await freshBuild());
    // And the record written again: the next build links once more.
    expect((await cachedBuild()).get('three.html')?.ino).toBe(fourth.get('three.html')?.ino);
  });
});
