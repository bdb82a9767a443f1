/**
 * Font stacks and the glyph check without a browser: which files a book's text picks from the default
 * theme, in which order the CJK faces stand for a language, and the glyph-missing warning.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createChapterCache } from '../src/book/chapter-cache.ts';
import { stackFor } from '../src/book/font-selection.ts';
import { createBookLoader } from '../src/book/load-book.ts';
import { cmapCodePoints } from '../src/templates/font-cmap.ts';
import {
  cmapSource,
  codePointsOf,
  hasCffOutlines,
  postscriptNameOf,
} from '../src/templates/font-coverage.ts';
import { postscriptNameIn } from '../src/templates/font-name.ts';
import { fontTable } from '../src/templates/font-table.ts';
import { inRanges, parseUnicodeRange } from '../src/templates/unicode-range.ts';
import { tempManuscript } from './support/temp-manuscript.ts';

const load = (lang: string, text: string, title = 'A Book') =>
  createBookLoader()(tempManuscript({ 'book.yaml': `title: ${title}\nlang: ${lang}\n`, '01-a.md': text }));

const families = (fonts: { family: string; subset?: string }[]) =>
  [...new Set(fonts.map((font) => `${font.family}/${font.subset}`))].sort();

describe('font selection', () => {
  it('gives a Latin book only the Latin files', () => {
    const book = load('en', '# Hello\n\nPlain *text* with `code`.\n');
    expect(families(book.theme.fonts)).toEqual([
      'Source Code Pro/latin',
      'Source Sans 3/latin',
      'Source Serif 4/latin',
    ]);
    expect(book.theme.fontFaces.length).toBeGreaterThan(1000);
    expect(book.diagnostics.filter((d) => d.code === 'glyph-missing')).toEqual([]);
  });

  it('adds the subsets the text needs, in every family the text may be set in', () => {
    const book = load('ru', '# Глава\n\nТекст, `код ж`.\n');
    const picked = families(book.theme.fonts);
    expect(picked).toContain('Source Serif 4/cyrillic');
    expect(picked).toContain('Source Sans 3/cyrillic');
    expect(picked).toContain('Source Code Pro/cyrillic');
    expect(picked).not.toContain('Source Serif 4/greek');
  });

  it('falls back family by family: Hebrew, Devanagari, emoji and box drawing', () => {
    const book = load('en', '# T\n\nשלום नमस्ते 😀\n\n```\n└── x\n```\n');
    const picked = families(book.theme.fonts).map((entry) => entry.split('/')[0]);
    expect(picked).toEqual(
      expect.arrayContaining(['Noto Serif Hebrew', 'Noto Serif Devanagari', 'Noto Emoji', 'DejaVu Mono']),
    );
    expect(picked).not.toContain('Noto Serif SC');
  });

  it('puts the face made for the language first among the CJK faces', () => {
    const book = load('ja', '# 猫\n\n吾輩は猫である。\n');
    const stack = stackFor(book.theme.stacks.text, book.theme.fontFaces, 'ja');
    expect(stack.filter((family) => /Noto Serif (SC|TC|JP|KR)/.test(family))[0]).toBe('Noto Serif JP');
    expect(
      stackFor(book.theme.stacks.text, book.theme.fontFaces, 'zh-TW').find((f) => / (SC|TC|JP|KR)$/.test(f)),
    ).toBe('Noto Serif TC');
    expect(book.theme.css.print).toMatch(
      /--font-text: 'Source Serif 4', [^;]*'Noto Serif JP', 'Noto Serif SC'/,
    );
    expect(families(book.theme.fonts).some((entry) => entry.startsWith('Noto Serif JP/['))).toBe(true);
  });

  it('warns once per missing character, at its first occurrence, with its Unicode name', () => {
    const book = load('en', '# T\n\nOne \u{E000} here\nand \u{E000} again.\n');
    const missing = book.diagnostics.filter((d) => d.code === 'glyph-missing');
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatchObject({ file: expect.stringMatching(/01-a\.md$/), line: 3, column: 5 });
    expect(missing[0].message).toContain('U+E000');
  });

  it('names the character', () => {
    const book = load('en', '# T\n\nAn ancient sign: 𓀀.\n');
    const [missing] = book.diagnostics.filter((d) => d.code === 'glyph-missing');
    expect(missing.message).toContain('U+13000 EGYPTIAN HIEROGLYPH A001');
    expect(missing).toMatchObject({ line: 3, column: 18 });
  });

  it('offers only static TrueType faces (CFF faces become Type 3 fonts in the PDF)', () => {
    const book = load('en', '# T\n');
    const samples = new Map(book.theme.fontFaces.map((font) => [font.family, font.source]));
    for (const file of samples.values()) expect(hasCffOutlines(file), path.basename(file)).toBe(false);
  });
});

describe('the font choice kept in the cache', () => {
  const counting = () => {
    const entries = new Map<string, Uint8Array>();
    const reads: string[] = [];
    return {
      entries,
      reads,
      getArtifact: (key: string) => {
        reads.push(key);
        return entries.get(key);
      },
      setArtifact: (key: string, bytes: Uint8Array) => void entries.set(key, bytes),
    };
  };
  const cached = (store: ReturnType<typeof counting>, dir: string) =>
    createBookLoader({ cache: { ...createChapterCache(path.join(dir, '.cache')), ...store } })(dir);

  it('gives a rebuild the fonts and stacks a fresh choice gives, without reading the font list', () => {
    const dir = tempManuscript({
      'book.yaml': 'title: A Book\nlang: ru\n',
      '01-a.md': '# Глава\n\nТекст, `код ж`.\n',
    });
    const fresh = createBookLoader()(dir);
    const store = counting();
    const first = cached(store, dir);
    store.reads.length = 0;
    const second = cached(store, dir);
    for (const book of [first, second]) {
      expect(book.theme.fonts).toStrictEqual(fresh.theme.fonts);
      expect(book.theme.css).toStrictEqual(fresh.theme.css);
    }
    // The settings were read, the stored choice used: the 400 KB list of every face was not opened.
    expect(store.reads.some((key) => key.startsWith('font-choice\u0000'))).toBe(true);
    const listRead = store.reads.filter((key) => (store.entries.get(key)?.length ?? 0) > 100_000);
    expect(listRead).toEqual([]);
    // Asked for, it is read then, and is the theme's whole list.
    expect(second.theme.fontFaces).toStrictEqual(fresh.theme.fontFaces);
  });

  it('chooses again when the text brings a character the last choice did not cover', () => {
    const dir = tempManuscript({
      'book.yaml': 'title: A Book\nlang: en\n',
      '01-a.md': '# One\n\nPlain text.\n',
    });
    const store = counting();
    expect(families(cached(store, dir).theme.fonts)).not.toContain('Source Serif 4/greek');
    writeFileSync(path.join(dir, '01-a.md'), '# One\n\nPlain text, and λόγος.\n');
    expect(families(cached(store, dir).theme.fonts)).toContain('Source Serif 4/greek');
  });

  it('keeps no choice that missed a character: the warning comes on every build', () => {
    const dir = tempManuscript({
      'book.yaml': 'title: A Book\nlang: en\n',
      '01-a.md': '# T\n\nOne \u{E000} here.\n',
    });
    const store = counting();
    for (let build = 0; build < 2; build++) {
      const missing = cached(store, dir).diagnostics.filter((d) => d.code === 'glyph-missing');
      expect(missing).toHaveLength(1);
      expect(missing[0]).toMatchObject({ line: 3, column: 5 });
    }
    expect([...store.entries.keys()].some((key) => key.startsWith('font-choice\u0000'))).toBe(false);
  });
});

describe('unicode-range', () => {
  it('reads single points, ranges and wildcards', () => {
    const ranges = parseUnicodeRange('U+0131, U+0000-00FF,U+4??');
    expect(inRanges(ranges, 0x41)).toBe(true);
    expect(inRanges(ranges, 0x131)).toBe(true);
    expect(inRanges(ranges, 0x4ff)).toBe(true);
    expect(inRanges(ranges, 0x500)).toBe(false);
  });
});

describe('character maps kept in a store (the build cache)', () => {
  const fontFile = (file: string) =>
    path.join(import.meta.dirname, '..', 'node_modules', '@fontsource', 'noto-serif-hebrew', 'files', file);
  const keyOf = (file: string) => {
    const { size, mtimeMs } = statSync(file);
    return `cmap\u0000${file}\u0000${size}\u0000${mtimeMs}`;
  };
  const memoryStore = (entries = new Map<string, Uint8Array>()) => ({
    entries,
    getArtifact: (key: string) => entries.get(key),
    setArtifact: (key: string, bytes: Uint8Array) => void entries.set(key, bytes),
  });

  it('stores what it read from the font, under the file, its size and time', () => {
    const file = fontFile('noto-serif-hebrew-hebrew-700-normal.woff2');
    const store = memoryStore();
    expect(codePointsOf(file, store).has(0x05d0)).toBe(true);
    expect([...store.entries.keys()]).toEqual([keyOf(file)]);
  });

  it('takes a stored answer instead of reading the font', () => {
    // A file this process never read; the stored answer is made up, so only the store can have given it.
    const file = fontFile('noto-serif-hebrew-hebrew-600-normal.woff2');
    const store = memoryStore(
      new Map([[keyOf(file), new Uint8Array(Uint32Array.from([0x41, 0x43]).buffer)]]),
    );
    expect([...codePointsOf(file, store)]).toEqual([0x41, 0x42, 0x43]);
  });

  it('reads the same characters from the .woff beside a .woff2 as from the .woff2 itself', () => {
    const fontkit = createRequire(import.meta.url)('fontkit') as {
      openSync(file: string): { characterSet: number[] };
    };
    const files = path.join(import.meta.dirname, '..', 'node_modules', '@fontsource');
    for (const file of [
      path.join(files, 'noto-serif-hebrew', 'files', 'noto-serif-hebrew-hebrew-400-normal.woff2'),
      path.join(files, 'noto-serif', 'files', 'noto-serif-latin-400-italic.woff2'),
      path.join(files, 'noto-serif-jp', 'files', 'noto-serif-jp-0-400-normal.woff2'),
    ]) {
      expect(cmapSource(file)).toBe(file.replace(/\.woff2$/, '.woff'));
      const fromWoff2 = [...new Set(fontkit.openSync(file).characterSet)].sort((a, b) => a - b);
      expect(fromWoff2.length).toBeGreaterThan(50);
      expect([...codePointsOf(file)].sort((a, b) => a - b)).toEqual(fromWoff2);
    }
  });

  it("reads each cmap without fontkit to the same characters as fontkit's characterSet", () => {
    const fontkit = createRequire(import.meta.url)('fontkit') as {
      openSync(file: string): { characterSet: number[] };
    };
    const fontsource = path.join(import.meta.dirname, '..', 'node_modules', '@fontsource');
    const files = ['source-serif-4', 'source-sans-3', 'source-code-pro'].flatMap((family) =>
      readdirSync(path.join(fontsource, family, 'files'))
        .filter((name) => name.endsWith('.woff'))
        .map((name) => path.join(fontsource, family, 'files', name)),
    );
    // A few WOFF2 files too, read with node's Brotli (font-table.ts).
    files.push(...files.slice(0, 4).map((file) => `${file}2`));
    const trueType = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
    if (existsSync(trueType)) files.push(trueType);
    expect(files.length).toBeGreaterThan(100);
    for (const file of files) {
      const mine = cmapCodePoints(file);
      expect(mine, file).toBeDefined();
      const theirs = [...new Set(fontkit.openSync(file).characterSet)].sort((a, b) => a - b);
      expect(theirs.length, file).toBeGreaterThan(0);
      expect(
        [...(mine ?? [])].sort((a, b) => a - b),
        file,
      ).toEqual(theirs);
    }
  }, 60_000);

  it("reads each font's PostScript name without fontkit as fontkit's postscriptName gives it", () => {
    const fontkit = createRequire(import.meta.url)('fontkit') as {
      openSync(file: string): { postscriptName: string };
    };
    const fontsource = path.join(import.meta.dirname, '..', 'node_modules', '@fontsource');
    const woff2 = (family: string) =>
      readdirSync(path.join(fontsource, family, 'files'))
        .filter((name) => name.endsWith('.woff2'))
        .map((name) => path.join(fontsource, family, 'files', name));
    // Every file of the families the default theme sets text in, and a few of every other family it ships.
    const files = [
      ...['source-serif-4', 'source-sans-3', 'source-code-pro'].flatMap(woff2),
      ...readdirSync(fontsource)
        .filter((family) => !family.startsWith('source-'))
        .flatMap((family) => woff2(family).filter((_, index) => index % 40 === 0)),
    ];
    const trueType = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
    if (existsSync(trueType)) files.push(trueType);
    expect(files.length).toBeGreaterThan(250);
    for (const file of files) {
      const name = fontTable(readFileSync(file), 'name');
      expect(name, file).toBeDefined();
      const mine = name && postscriptNameIn(name);
      expect(mine, file).toMatch(/^[\w-]+$/);
      expect(mine, file).toBe(fontkit.openSync(file).postscriptName);
      expect(postscriptNameOf(file)).toBe(mine);
    }
  }, 120_000);

  it('leaves a name fontkit would choose by rules beyond English records to fontkit', () => {
    // A name table with one PostScript name record, in the given platform and language.
    const nameTable = (platform: number, language: number, text: Buffer) => {
      const table = Buffer.alloc(6 + 12 + text.length);
      table.writeUInt16BE(1, 2);
      table.writeUInt16BE(18, 4);
      table.writeUInt16BE(platform, 6);
      table.writeUInt16BE(platform === 3 ? 1 : 0, 8);
      table.writeUInt16BE(language, 10);
      table.writeUInt16BE(6, 12);
      table.writeUInt16BE(text.length, 14);
      text.copy(table, 18);
      return table;
    };
    const utf16 = (text: string) => Buffer.from(text, 'utf16le').swap16();
    expect(postscriptNameIn(nameTable(3, 0x0409, utf16('Face-Bold')))).toBe('Face-Bold');
    expect(postscriptNameIn(nameTable(1, 0, Buffer.from('Face-Bold', 'latin1')))).toBe('Face-Bold');
    expect(postscriptNameIn(nameTable(3, 0x0407, utf16('Face-Bold')))).toBeUndefined();
    expect(postscriptNameIn(nameTable(3, 0x0409, utf16('Fäce')))).toBeUndefined();
  });

  it('names a .woff2 by its own name table: the .woff beside it may name the face differently', () => {
    const file = fontFile('noto-serif-hebrew-hebrew-400-normal.woff2').replace(
      /noto-serif-hebrew([/\\]files[/\\])noto-serif-hebrew-hebrew/,
      'noto-serif-jp$1noto-serif-jp-0',
    );
    expect(postscriptNameOf(file)).toBe('NotoSerifJPExtraLight-Regular');
    expect(postscriptNameOf(file.replace(/\.woff2$/, '.woff'))).toBe('NotoSerifJP-Regular');
  });

  it('reads the font again when the stored answer is damaged, and stores it anew', () => {
    const file = fontFile('noto-serif-hebrew-hebrew-500-normal.woff2');
    const store = memoryStore(new Map([[keyOf(file), new Uint8Array([1, 2, 3])]]));
    expect(codePointsOf(file, store).has(0x05d0)).toBe(true);
    expect(store.entries.get(keyOf(file))?.byteLength).toBeGreaterThan(8);
  });
});
