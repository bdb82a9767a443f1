/**
 * YAML read once (src/config/yaml-results.ts, src/book/yaml-result-cache.ts): a remembered text gives the value,
 * diagnostics and places a fresh parse gives; a text that does not come back from JSON as it went in, or that
 * cannot be read, is not remembered; and through the CLI a rebuild whose book.yaml and front matter did not
 * change does not load the yaml package, while one whose front matter changed does and shows the change.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseYamlConfig } from '../src/config/parse-yaml-config.ts';
import { BookSchema } from '../src/config/schema.ts';
import { yamlResults } from '../src/config/yaml-results.ts';
import { tempManuscript } from './support/temp-manuscript.ts';

const scratch = () => mkdtempSync(path.join(os.tmpdir(), 'imprint-yaml-results-'));

function parsedTwice(text: string) {
  const source = { text, file: 'book.yaml', startLine: 1 };
  const first = parseYamlConfig(source, BookSchema);
  const remembered = yamlResults().has(text);
  const second = parseYamlConfig(source, BookSchema);
  const place = (parsed: typeof first) => {
    const { file, line, column } = parsed.locate(['lang']);
    return { file, line, column };
  };
  return { first, second, remembered, places: [place(first), place(second)] };
}

describe('YAML read once', () => {
  it('gives a remembered text the value, diagnostics and places of a fresh parse', () => {
    const text = 'title: Twice Read\nsubtitle: "A *second* look"\ntitel: typo\nlang: de\ntoc: sometimes\n';
    const { first, second, remembered, places } = parsedTwice(text);
    expect(remembered).toBe(true);
    expect(first.diagnostics.map((d) => d.code).sort()).toEqual(['invalid-setting', 'unknown-key']);
    expect(second.diagnostics).toEqual(first.diagnostics);
    expect(second.value).toEqual(first.value);
    expect(places[0]).toEqual({ file: 'book.yaml', line: 4, column: 7 });
    expect(places[1]).toEqual(places[0]);

    const good = 'title: Read Again\nauthors: [Ann, Bob]\n';
    const again = parsedTwice(good);
    expect(again.remembered).toBe(true);
    expect(again.first.value?.title).toBe('Read Again');
    expect(again.second.value).toEqual(again.first.value);
    expect(again.second.diagnostics).toEqual([]);
  });

  it('does not remember what JSON would change, nor a text that cannot be read', () => {
    for (const text of ['title: Not a Number\nsubtitle: .nan\n', 'title: "unclosed\n', 'a: &x 1\nb: *y\n']) {
      const { first, second, remembered } = parsedTwice(text);
      expect(remembered, text).toBe(false);
      expect(second.diagnostics, text).toEqual(first.diagnostics);
    }
  });

  it('spares a rebuild the yaml package until a front matter changes', { timeout: 240_000 }, () => {
    const dir = tempManuscript({
      'book.yaml': 'title: Read Once\n',
      '01-one.md': '---\ntitle: One\n---\n\nThe first chapter.\n',
      '02-two.md': '---\ntitle: Two\nkicker: Part two\n---\n\nThe second chapter.\n',
    });
    const cache = scratch();
    const out = scratch();
    const build = () => {
      const result = spawnSync('node', ['bin/imprint.js', 'build', dir, '--out', out, '--format', 'html'], {
        encoding: 'utf8',
        env: { ...process.env, NODE_DEBUG: 'module', IMPRINT_CACHE_DIR: cache },
      });
      expect(result.status, result.stderr).toBe(0);
      return { yamlLoaded: /vendor[\\/]yaml\.cjs/.test(result.stderr) };
    };
    const page = () => readFileSync(path.join(out, 'read-once', 'two.html'), 'utf8');
    expect(build().yamlLoaded).toBe(true);
    writeFileSync(
      path.join(dir, '02-two.md'),
      '---\ntitle: Two\nkicker: Part two\n---\n\nThe second chapter, longer.\n',
    );
    expect(build().yamlLoaded).toBe(false);
    expect(page()).toContain('The second chapter, longer.');
    writeFileSync(
      path.join(dir, '02-two.md'),
      '---\ntitle: Two Renamed\nkicker: Part two\n---\n\nThe second chapter, longer.\n',
    );
    expect(build().yamlLoaded).toBe(true);
    expect(page()).toContain('Two Renamed');
  });
});
