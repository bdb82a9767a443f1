/**
 * The HTML parser is loaded only by a command that parses HTML (src/pipeline/html-parser.ts): a cold build
 * parses the theme's templates, a rebuild takes them (and the document shell) from the cache and loads no
 * parser unless the edited chapter has raw HTML; either way it writes what a build without a cache writes.
 * Run through the CLI, as compiled (lib/vendor/html-parser.cjs is what a rebuild must not load).
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempManuscript } from './support/temp-manuscript.ts';

const scratch = () => mkdtempSync(path.join(os.tmpdir(), 'imprint-html-parser-'));

/** Builds the HTML edition; whether the process loaded the HTML parser (node's module log says). */
function build(dir: string, out: string, cache: string | undefined) {
  const result = spawnSync('node', ['bin/imprint.js', 'build', dir, '--out', out, '--format', 'html'], {
    encoding: 'utf8',
    env: {
      ...process.env,
      NODE_DEBUG: 'module',
      ...(cache ? { IMPRINT_CACHE_DIR: cache } : { IMPRINT_CACHE: '0' }),
    },
  });
  expect(result.status, result.stderr).toBe(0);
  return { parserLoaded: /html-parser\.cjs/.test(result.stderr) };
}

function files(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    found.set(path.relative(dir, file), readFileSync(file, 'utf8'));
  }
  return found;
}

describe('the HTML parser', () => {
  it('is loaded by a cold build, not by a rebuild without raw HTML, and the output is the same', {
    timeout: 240_000,
  }, () => {
    const dir = tempManuscript({
      'book.yaml': 'title: Parsed Once\n',
      '01-one.md': '---\ntitle: One\n---\n\n:::pullquote\nA quote.\n:::\n\nThe first chapter.\n',
      '02-two.md': '---\ntitle: Two\n---\n\nThe second chapter.\n',
    });
    const cache = scratch();
    expect(build(dir, scratch(), cache).parserLoaded).toBe(true);

    appendFileSync(path.join(dir, '02-two.md'), '\nAn added sentence.\n');
    const rebuilt = scratch();
    expect(build(dir, rebuilt, cache).parserLoaded).toBe(false);
    const fresh = scratch();
    build(dir, fresh, undefined);
    expect(files(rebuilt)).toEqual(files(fresh));
    expect([...files(rebuilt).values()].join('')).toContain('An added sentence.');

    appendFileSync(path.join(dir, '02-two.md'), '\n<p class="raw">Raw <em>HTML</em>.</p>\n');
    const withRaw = scratch();
    expect(build(dir, withRaw, cache).parserLoaded).toBe(true);
    const freshWithRaw = scratch();
    build(dir, freshWithRaw, undefined);
    expect(files(withRaw)).toEqual(files(freshWithRaw));
    expect([...files(withRaw).values()].join('')).toContain('<em>HTML</em>');
  });
});
