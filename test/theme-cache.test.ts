/**
 * theme.yaml's settings and resolved fonts kept in the cache folder (src/templates/theme-cache.ts): what a
 * rebuild reads back is the theme a fresh resolve gives, property for property; a damaged entry or a font
 * package that changed is not used.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { themeWith } from '../src/book/theme-with.ts';
import { loadTheme, themeFontsKey } from '../src/templates/load-theme.ts';
import {
  readThemeCache,
  type ThemeStore,
  themeCacheKey,
  writeThemeCache,
} from '../src/templates/theme-cache.ts';
import { tempManuscript } from './support/temp-manuscript.ts';

function memoryStore() {
  const entries = new Map<string, Uint8Array>();
  const counts = { gets: 0, sets: 0 };
  const store: ThemeStore = {
    getArtifact(key) {
      counts.gets++;
      return entries.get(key);
    },
    setArtifact(key, bytes) {
      counts.sets++;
      entries.set(key, bytes);
    },
  };
  return { store, entries, counts };
}

describe('the theme kept in the cache', () => {
  it('gives the default theme a fresh load gives, the same properties in the same order', () => {
    const { store, counts } = memoryStore();
    const cache = { store, fingerprint: 'test' };
    const fresh = loadTheme('default', process.cwd(), {});
    const first = loadTheme('default', process.cwd(), {}, cache);
    // The settings, then the font list: two entries.
    expect(counts).toEqual({ gets: 1, sets: 2 });
    const second = loadTheme('default', process.cwd(), {}, cache);
    // The font list is read only when something asks for it.
    expect(counts).toEqual({ gets: 2, sets: 2 });
    expect(second.fonts.length).toBeGreaterThan(1000);
    expect(counts).toEqual({ gets: 3, sets: 2 });
    // Still plain properties to whoever sets them (the API's Theme type).
    const third = loadTheme('default', process.cwd(), {}, cache);
    expect(themeFontsKey(third)).toBeTypeOf('string');
    // A copy's own value, not the original's; the copy still reads the list lazily.
    const copy = themeWith(third, { name: 'copy' });
    copy.fontFaces = [];
    expect([copy.fontFaces.length, third.fontFaces.length > 1000, copy.fonts.length > 1000]).toEqual([
      0,
      true,
      true,
    ]);
    expect(themeFontsKey(third)).toBeTypeOf('string');
    third.fontFaces = [];
    expect([third.fontFaces.length, third.fonts.length > 1000]).toEqual([0, true]);
    // Fonts set by hand are not the list the key names: no font choice is kept for them.
    expect(themeFontsKey(third)).toBeUndefined();
    for (const theme of [first, second]) {
      expect(theme).toStrictEqual(fresh);
      expect(JSON.stringify(theme.fonts)).toBe(JSON.stringify(fresh.fonts));
      expect(theme.fonts.map((font) => Object.keys(font))).toEqual(
        fresh.fonts.map((font) => Object.keys(font)),
      );
      expect(JSON.stringify(theme.stacks)).toBe(JSON.stringify(fresh.stacks));
      expect(theme.files).toEqual(fresh.files);
    }
  });

  it('ignores a damaged entry and writes it again', () => {
    const { store, entries, counts } = memoryStore();
    const cache = { store, fingerprint: 'test' };
    const fresh = loadTheme('default', process.cwd(), {});
    loadTheme('default', process.cwd(), {}, cache);
    // The font list is written first, then the settings that lead to it.
    const [[listKey, bytes], [settingsKey]] = [...entries];
    const text = Buffer.from(bytes).toString('utf8');
    // One digit of a font's weight changed: valid JSON, but not what was written.
    const at = text.indexOf(',400,');
    entries.set(listKey, Buffer.from(`${text.slice(0, at)},500,${text.slice(at + 5)}`));
    expect(loadTheme('default', process.cwd(), {}, cache)).toStrictEqual(fresh);
    expect(counts.sets).toBe(4);
    entries.set(settingsKey, Buffer.from('not an entry'));
    expect(loadTheme('default', process.cwd(), {}, cache)).toStrictEqual(fresh);
    expect(counts.sets).toBe(6);
    expect(loadTheme('default', process.cwd(), {}, cache)).toStrictEqual(fresh);
    expect(counts.sets).toBe(6);
  });

  it('is not used once a font package changed, moved or is gone', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'imprint-theme-cache-'));
    const themeDir = path.join(root, 'theme');
    mkdirSync(themeDir);
    const install = (modules: string, version: string) => {
      const dir = path.join(modules, '@fontsource', 'fake-face');
      mkdirSync(path.join(dir, 'files'), { recursive: true });
      writeFileSync(
        path.join(dir, 'package.json'),
        JSON.stringify({ name: '@fontsource/fake-face', version }),
      );
      writeFileSync(
        path.join(dir, '400.css'),
        '/* fake-face-latin-400-normal */\n@font-face { src: url(./files/fake-face-latin-400-normal.woff2) format("woff2"); unicode-range: U+0000-00FF; }\n',
      );
      return dir;
    };
    const outer = install(path.join(root, 'node_modules'), '1.0.0');
    const settings = {
      fonts: [
        { package: '@fontsource/fake-face', family: 'Fake', weights: [400], styles: ['normal' as const] },
      ],
      stacks: {},
    };
    const fonts = [
      {
        family: 'Fake',
        weight: 400,
        style: 'normal' as const,
        subset: 'latin',
        unicodeRange: 'U+0000-00FF',
        lang: undefined,
        source: path.join(outer, 'files', 'fake-face-latin-400-normal.woff2'),
        href: 'fonts/fake-face-latin-400-normal.woff2',
      },
    ];
    const { store } = memoryStore();
    const key = themeCacheKey('test', path.join(themeDir, 'theme.yaml'), 'fonts: …');
    writeThemeCache(store, key, themeDir, settings, fonts);
    const stored = readThemeCache(store, key, themeDir);
    expect(stored?.settings).toStrictEqual(settings);
    expect(stored?.families).toEqual(['Fake']);
    expect(stored?.fonts()).toStrictEqual(fonts);
    // Upgraded in place (npm gives every file the same time: the text differs).
    writeFileSync(
      path.join(outer, 'package.json'),
      JSON.stringify({ name: '@fontsource/fake-face', version: '1.0.1' }),
    );
    expect(readThemeCache(store, key, themeDir)).toBeUndefined();
    writeThemeCache(store, key, themeDir, settings, fonts);
    expect(readThemeCache(store, key, themeDir)).toBeDefined();
    // Installed nearer the theme: node would now resolve that one.
    install(path.join(themeDir, 'node_modules'), '1.0.1');
    expect(readThemeCache(store, key, themeDir)).toBeUndefined();
  });
});

describe('the component templates kept parsed', () => {
  const bin = path.resolve(import.meta.dirname, '..', 'bin', 'imprint.js');
  const build = (manuscript: string, out: string, env: NodeJS.ProcessEnv) => {
    const result = spawnSync(process.execPath, [bin, 'build', manuscript, '--out', out, '--format', 'html'], {
      encoding: 'utf8',
      env: { ...process.env, SOURCE_DATE_EPOCH: '0', ...env },
    });
    expect(result.status, result.stderr).toBe(0);
  };
  const files = (dir: string) =>
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => {
        const file = path.join(entry.parentPath, entry.name);
        return [path.relative(dir, file), readFileSync(file, 'utf8')];
      })
      .sort();
  const componentEntry = (cache: string) => {
    const dir = path.join(cache, 'artifacts');
    const found = readdirSync(dir)
      .map((name) => path.join(dir, name))
      .filter((file) => readFileSync(file).subarray(0, 11).toString() === 'components\u0000');
    expect(found).toHaveLength(1);
    return found[0];
  };
  const whole = (file: string) => {
    const text = readFileSync(file, 'utf8').slice('components\u0000'.length + 64 + 1);
    return createHash('sha256').update(text.slice(65)).digest('hex') === text.slice(0, 64);
  };

  it('gives the pages a build without the cache gives, and a damaged entry is written again', {
    timeout: 240_000,
  }, () => {
    const manuscript = tempManuscript({
      'book.yaml': 'title: Kept Templates\nauthors: [Ann Author]\n',
      '01-one.md':
        '---\ntitle: One\n---\n\n:::pullquote{cite="Someone"}\nA quoted line.\n:::\n\n**Q:** A question?\n\n**A:** An answer.\n',
      '02-two.md': '# Two\n\nText.\n',
    });
    const root = mkdtempSync(path.join(os.tmpdir(), 'imprint-components-'));
    const cache = path.join(root, 'cache');
    build(manuscript, path.join(root, 'first'), { IMPRINT_CACHE_DIR: cache });
    const entry = componentEntry(cache);
    expect(whole(entry)).toBe(true);
    // A changed letter in a stored tree's class name: used, it would show in every page.
    const bytes = readFileSync(entry);
    const at = bytes.indexOf('"className":["') + '"className":["'.length;
    expect(at).toBeGreaterThan(100);
    bytes[at] = 'X'.charCodeAt(0);
    writeFileSync(entry, bytes);
    expect(whole(entry)).toBe(false);
    writeFileSync(
      path.join(manuscript, '01-one.md'),
      `${readFileSync(path.join(manuscript, '01-one.md'), 'utf8')}\nMore.\n`,
    );
    build(manuscript, path.join(root, 'cached'), { IMPRINT_CACHE_DIR: cache });
    expect(whole(componentEntry(cache))).toBe(true);
    // And once more, now from the entry written again.
    build(manuscript, path.join(root, 'again'), { IMPRINT_CACHE_DIR: cache });
    build(manuscript, path.join(root, 'fresh'), { IMPRINT_CACHE: '0' });
    const fresh = files(path.join(root, 'fresh'));
    expect(fresh.length).toBeGreaterThan(3);
    expect(files(path.join(root, 'cached'))).toEqual(fresh);
    expect(files(path.join(root, 'again'))).toEqual(fresh);
  });
});
