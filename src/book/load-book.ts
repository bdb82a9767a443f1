/**
 * Reads a manuscript folder into the resolved Book every edition is made from: book.yaml, the chapters in
 * order, each through the pipeline once, and the theme. A loader keeps each chapter's result while its text,
 * the chapter list and the theme stay the same, so the preview re-processes only what changed.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Root } from 'hast';
import type { DataMap } from 'vfile';
import { parseYamlConfig } from '../config/parse-yaml-config.ts';
import { type BookInput, BookSchema } from '../config/schema.ts';
import { type Diagnostic, hasErrors, ImprintError } from '../diagnostics/diagnostic.ts';
import {
  type ChapterProcessor,
  createChapterProcessor,
  processChapterText,
} from '../pipeline/chapter-processor.ts';
import type { ChapterContext } from '../pipeline/context.ts';
import { loadTheme, themeFontsKey } from '../templates/load-theme.ts';
import { bookCharacters, chapterCharacters, rememberChapterCharacters } from './book-characters.ts';
import { createImageChecker } from './book-images.ts';
import { type ChapterCache, chapterCacheKey, codeFingerprint } from './chapter-cache.ts';
import { isChapterFileName } from './chapter-file-name.ts';
import { chapterIdsFor, slugify } from './chapter-ids.ts';
import { keepParsedComponents, restoreParsedComponents } from './component-cache.ts';
import { chooseFonts } from './font-selection-cache.ts';
import { resolveInside } from './inside-folder.ts';
import { restoreLocaleTexts } from './locale-text.ts';
import { themeWith } from './theme-with.ts';
import { rememberTreeAnchors, treeAnchors } from './tree-anchors.ts';
import { rememberTreeDigest, treeDigest } from './tree-digest.ts';
import type { Book, BookMeta, Chapter } from './types.ts';
import { type UiStrings, uiStrings } from './ui-strings.ts';
import { keepYamlResultCache, restoreYamlResultCache } from './yaml-result-cache.ts';

/** Paths as the writer sees them (from the working folder): asked for several times per chapter per build. */
const displayed = new Map<string, string>();
const display = (file: string) => {
  const key = `${process.cwd()}\u0000${file}`;
  let shown = displayed.get(key);
  if (shown === undefined) {
    if (displayed.size >= 4096) displayed.clear();
    shown = path.relative(process.cwd(), file) || file;
    displayed.set(key, shown);
  }
  return shown;
};

interface CachedChapter {
  key: string;
  chapter: Chapter;
}

export interface BookLoaderOptions {
  /** The on-disk chapter cache (src/book/chapter-cache.ts); without one every chapter is processed. */
  cache?: ChapterCache;
  /**
   * Keep the chapters' new cache entries until `writeCachedChapters` is called, instead of writing each as it
   * is made: a build writes them while Chromium prints, when node has nothing else to do, not between the
   * read and the print document (where they were some 60 ms of a cold PDF build on node's one thread).
   */
  deferCacheWrites?: boolean;
}

export function createBookLoader({ cache: diskCache, deferCacheWrites = false }: BookLoaderOptions = {}) {
  const cache = new Map<string, CachedChapter>();
  const pendingWrites: (() => void)[] = [];
  const checkImages = createImageChecker(diskCache);
  let processorFor: { key: string; processor: ReturnType<typeof createChapterProcessor> } | undefined;

  function* loadSteps(manuscriptDir: string): Generator<ChapterJob[], Book, ProcessedChapter[]> {
    const dir = path.resolve(manuscriptDir);
    const configPath = path.join(dir, 'book.yaml');
    if (!existsSync(configPath)) {
      throw new ImprintError([
        {
          code: 'no-book-yaml',
          severity: 'error',
          message: `${display(dir)} has no book.yaml.`,
          hint: 'Create it with at least a line "title: Your Book".',
          file: display(configPath),
        },
      ]);
    }
    const config = resolveInside(configPath, dir);
    if (!config.ok && config.reason === 'outside') {
      throw new ImprintError([
        {
          code: 'book-yaml-outside',
          severity: 'error',
          message: `${display(configPath)} is a symlink that leads outside the manuscript folder.`,
          hint: 'Copy the file itself into the manuscript folder instead of linking to it.',
          file: display(configPath),
        },
      ]);
    }
    const configSource = decodeTextFile(configPath);
    const configText = withoutUnsafeCharacters(configSource);
    if (diskCache) {
      restoreYamlResultCache(diskCache);
      restoreLocaleTexts(diskCache);
    }
    const parsed = parseYamlConfig({ text: configText, file: display(configPath), startLine: 1 }, BookSchema);
    const diagnostics: Diagnostic[] = [...parsed.diagnostics];
    if (!parsed.value) throw new ImprintError(diagnostics);
    const input = parsed.value;

    const realFiles = chapterFiles(dir, input, parsed.locate, diagnostics);
    if (hasErrors(diagnostics)) throw new ImprintError(diagnostics);
    const files = [...realFiles.keys()];
    if (files.length === 0) {
      throw new ImprintError([
        {
          code: 'empty-book',
          severity: 'error',
          message: 'This book has no chapters.',
          hint: 'Add a Markdown file (e.g. 01-chapter.md) to the manuscript folder or list chapters in book.yaml.',
          file: display(configPath),
        },
      ]);
    }

    const theme = loadTheme(
      input.theme,
      dir,
      parsed.locate(['theme']),
      diskCache && { store: diskCache, fingerprint: codeFingerprint() },
    );
    const strings = uiStrings(input.lang, theme.strings, input.strings);
    const processorKey = [input.lang, JSON.stringify(strings), ...[...theme.components].flat()].join(
      '\u0000',
    );
    if (processorFor?.key !== processorKey) {
      processorFor = {
        key: processorKey,
        processor: createChapterProcessor(theme.components, strings, input.lang),
      };
      cache.clear();
    }
    const chapterIds = chapterIdsFor(files);
    const listKey = [...chapterIds].join('|');
    const themeKey = `${theme.name}\u0000${theme.dir}\u0000${processorKey}`;

    const slots = files.map(
      (file, index): Chapter | { job: ChapterJob; finish: (done: ProcessedChapter) => Chapter } => {
        const chapterPath = path.join(dir, file);
        // The real file, checked to lie inside the manuscript folder, under the name the writer knows.
        const source = decodeTextFile(realFiles.get(file) as string, display(chapterPath));
        const text = withoutUnsafeCharacters(source);
        const key = `${listKey}\n${text}`;
        const cached = cache.get(chapterPath);
        if (cached?.key === key) return { ...cached.chapter, index };
        const id = chapterIds.get(file) as string;
        const diskKey = diskCache
          ? chapterCacheKey({ text, file, chapterList: listKey, bookYaml: configText, theme: themeKey })
          : '';
        const stored = diskCache?.get(diskKey);
        if (stored) {
          const { characters, treeDigest: digest, anchors, ...result } = stored;
          if (characters) rememberChapterCharacters(result.tree, characters);
          if (anchors) rememberTreeAnchors(result.tree, anchors);
          if (digest) rememberTreeDigest(result.tree, digest);
          const chapter: Chapter = { id, index, file, path: chapterPath, source, ...result, diagnostics: [] };
          cache.set(chapterPath, { key, chapter });
          return chapter;
        }
        const job: ChapterJob = {
          text,
          path: chapterPath,
          lang: input.lang,
          strings,
          context: {
            chapterId: id,
            manuscriptDir: dir,
            chapterIds,
            components: theme.components,
            displayPath: display(chapterPath),
          },
        };
        return { job, finish: (done) => finishChapter(done, index) };
        function finishChapter({ tree, data }: ProcessedChapter, index: number): Chapter {
          const chapterDiagnostics = data.diagnostics ?? [];
          if (withoutFrontMatter(text).trim() === '') {
            chapterDiagnostics.push({
              code: 'empty-chapter',
              severity: 'warning',
              message: 'This chapter has no text.',
              hint: 'Write it, or remove it from the book.',
              file: display(chapterPath),
              line: 1,
              column: 1,
            });
          }
          const chapter: Chapter = {
            id,
            index,
            file,
            path: chapterPath,
            source,
            meta: data.meta ?? { title: id, authors: [], speakers: [] },
            headings: data.headings ?? [],
            tree,
            images: data.images ?? [],
            diagnostics: chapterDiagnostics,
          };
          cache.set(chapterPath, { key, chapter });
          if (diskCache && chapterDiagnostics.length === 0) {
            const store = diskCache;
            const write = () =>
              store.set(diskKey, {
                meta: chapter.meta,
                headings: chapter.headings,
                tree,
                images: chapter.images,
                characters: chapterCharacters(tree),
                treeDigest: treeDigest(tree),
                anchors: treeAnchors(tree),
              });
            if (deferCacheWrites) pendingWrites.push(write);
            else write();
          }
          return chapter;
        }
      },
    );
    const jobs = slots.flatMap((slot) => ('job' in slot ? [slot.job] : []));
    // A few chapters are processed in this thread (see chapter-pool.ts): their templates come parsed.
    if (diskCache) restoreParsedComponents(diskCache, theme.components);
    const results = jobs.length > 0 ? yield jobs : [];
    if (diskCache) keepParsedComponents(diskCache, theme.components);
    if (diskCache) keepYamlResultCache(diskCache);
    let next = 0;
    const chapters = slots.map((slot) => ('job' in slot ? slot.finish(results[next++]) : slot));
    for (const cachedPath of cache.keys()) {
      if (!files.some((file) => path.join(dir, file) === cachedPath)) cache.delete(cachedPath);
    }

    diagnostics.push(...chapters.flatMap((chapter) => chapter.diagnostics), ...brokenAnchors(chapters));
    const meta = bookMeta(input, chapters);
    meta.cover = input.cover ? coverFile(input.cover, dir, parsed.locate(['cover']), diagnostics) : undefined;
    const coverUse =
      meta.cover && /\.(jpe?g|png|gif|webp|svg)$/i.test(meta.cover)
        ? [{ source: meta.cover, mediaType: '', where: parsed.locate(['cover']) }]
        : [];
    const images = checkImages([
      ...chapters.flatMap((chapter) =>
        chapter.images.map((image) => ({
          source: image.source,
          mediaType: image.mediaType,
          where: { file: display(chapter.path), line: image.line, column: image.column },
        })),
      ),
      ...coverUse,
    ]);
    diagnostics.push(...images.diagnostics);
    // Editions and the preview read what was checked: the sanitised copy of an SVG.
    const read = (file: string) => images.files.get(file) ?? file;
    if (meta.cover) meta.cover = read(meta.cover);
    const checkedChapters = chapters.map((chapter) =>
      chapter.images.some((image) => read(image.source) !== image.source)
        ? { ...chapter, images: chapter.images.map((image) => ({ ...image, source: read(image.source) })) }
        : chapter,
    );
    const ignored = new Set(meta.ignoredChecks);
    const characters = bookCharacters(chapters, meta, strings, display(configPath), display);
    const selected = chooseFonts({
      allFonts: () => theme.fontFaces,
      stacks: theme.stacks,
      lang: meta.lang,
      characters,
      store: diskCache,
      fontsKey: themeFontsKey(theme),
    });
    diagnostics.push(...selected.diagnostics);
    const { stackCss } = selected;
    return {
      dir,
      config: { file: display(configPath), source: configSource, locate: parsed.locate },
      slug: slugify(meta.title),
      meta,
      theme: themeWith(theme, {
        fonts: selected.fonts,
        css: {
          screen: `${stackCss}\n${theme.css.screen}`,
          print: `${stackCss}\n${theme.css.print}`,
          epub: `${stackCss}\n${theme.css.epub}`,
        },
      }),
      strings,
      chapters: checkedChapters,
      diagnostics: diagnostics.filter((d) => d.severity === 'error' || !ignored.has(d.code)),
    };
  }

  /** Reads the book, processing the chapters that changed here, one after the other. */
  function loadBook(manuscriptDir: string): Book {
    const steps = loadSteps(manuscriptDir);
    let step = steps.next();
    while (!step.done) {
      const processor = processorFor?.processor as ChapterProcessor;
      step = steps.next(
        step.value.map((job) => {
          const { tree, file } = processChapterText(processor, job.text, job.path, job.context);
          return { tree, data: file.data };
        }),
      );
    }
    return step.value;
  }

  /**
   * Reads the book, handing the chapters that changed to `processChapters` (a worker pool,
   * src/book/chapter-pool.ts) all at once; the Book is assembled in order as loadBook does.
   */
  async function loadBookWith(
    manuscriptDir: string,
    processChapters: (jobs: ChapterJob[]) => Promise<ProcessedChapter[]>,
  ): Promise<Book> {
    const steps = loadSteps(manuscriptDir);
    let step = steps.next();
    while (!step.done) step = steps.next(await processChapters(step.value));
    return step.value;
  }

  /** Writes the cache entries kept back by `deferCacheWrites` (none otherwise); safe to call at any time. */
  function writeCachedChapters(): void {
    for (const write of pendingWrites.splice(0)) write();
  }

  return Object.assign(loadBook, { loadBookWith, writeCachedChapters });
}

/** One chapter for the pipeline: everything processChapterText needs, and the book's language and words. */
export interface ChapterJob {
  text: string;
  path: string;
  lang: string;
  strings: UiStrings;
  context: ChapterContext;
}

/** What the pipeline made of a chapter. */
export interface ProcessedChapter {
  tree: Root;
  data: Partial<Pick<DataMap, 'meta' | 'headings' | 'images' | 'diagnostics'>>;
}

/**
 * Characters that HTML reports as parse errors and XML (so the EPUB) forbids: control characters other than
 * tab and line breaks, and Unicode noncharacters. Invisible in an editor, they come with pasted text.
 */
const NONCHARACTERS = Array.from(
  { length: 17 },
  (_, plane) => `\\u{${plane.toString(16)}fffe}\\u{${plane.toString(16)}ffff}`,
);
export const UNSAFE_CHARACTERS = new RegExp(
  `[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF${NONCHARACTERS.join('')}]`,
  'gu',
);

/**
 * Reads a manuscript file as UTF-8, refusing other encodings rather than printing mojibake. Unsafe
 * characters become U+FFFD (same length, so positions stay right); `imprint check` reports where they were.
 */
export function readTextFile(file: string): string {
  return withoutUnsafeCharacters(decodeTextFile(file));
}

/** Each unsafe character as U+FFFD, keeping the length (and so every position) of the text. */
export function withoutUnsafeCharacters(text: string): string {
  return text.replace(UNSAFE_CHARACTERS, (found) => '\uFFFD'.repeat(found.length));
}

/** A manuscript file's text exactly as written (byte-order mark removed); not UTF-8 is an ImprintError. */
export function decodeTextFile(file: string, shown = display(file)): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ImprintError([
      {
        code: 'unreadable-file',
        severity: 'error',
        message: `${shown} cannot be read (${code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : code === 'ENOENT' ? 'it does not exist' : code}).`,
        hint: 'Make it a readable text file.',
        file: shown,
      },
    ]);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new ImprintError([
      {
        code: 'not-utf8',
        severity: 'error',
        message: `${shown} is not UTF-8 text.`,
        hint: 'Save it as UTF-8 in your editor (File → Save with Encoding → UTF-8).',
        file: shown,
        line: lineOfFirstInvalidByte(bytes),
        column: 1,
      },
    ]);
  }
}

function lineOfFirstInvalidByte(bytes: Buffer): number {
  let line = 1;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) line++;
    if (bytes[i] >= 0x80) {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(i, Math.min(bytes.length, i + 4)));
      } catch {
        return line;
      }
    }
  }
  return line;
}

let collator: Intl.Collator | undefined;
/**
 * A name's leading number in ASCII digits, without leading zeros: only when no digit of another script follows
 * (the collator reads a run of digits of any script as one number) and it is short enough for the collator to
 * read as one number (it splits a run of more than 254 digits).
 */
const LEADING_NUMBER = /^0*([0-9]{1,200})(?![0-9]|\p{Nd})/u;

/**
 * "2-x.md" before "10-x.md": the order of a numeric collator (one collator: localeCompare with options makes
 * one per comparison). Making the collator costs 7 ms, so it is made only when two names it compares do not
 * both begin with different numbers, as chapter files mostly do; between those, a numeric collator's order is
 * that of the numbers (it compares a run of digits as one number, first), which is given here without it.
 */
export function chapterOrder(a: string, b: string): number {
  const numberA = LEADING_NUMBER.exec(a)?.[1];
  const numberB = numberA === undefined ? undefined : LEADING_NUMBER.exec(b)?.[1];
  if (numberA !== undefined && numberB !== undefined && numberA !== numberB) {
    return numberA.length - numberB.length || (numberA < numberB ? -1 : 1);
  }
  collator ??= new Intl.Collator('en', { numeric: true });
  return collator.compare(a, b);
}

/** The chapters in order, each checked to be a file inside the manuscript folder, by name → real path. */
function chapterFiles(
  dir: string,
  input: BookInput,
  locate: (path: readonly PropertyKey[]) => { file: string; line: number; column: number },
  diagnostics: Diagnostic[],
): Map<string, string> {
  const files = new Map<string, string>();
  const checkInside = (file: string, where: Pick<Diagnostic, 'file' | 'line' | 'column'>) => {
    const resolved = resolveInside(path.join(dir, file), dir);
    if (resolved.ok) {
      files.set(file, resolved.real);
    } else if (resolved.reason === 'outside') {
      diagnostics.push({
        code: 'chapter-outside',
        severity: 'error',
        message: `The chapter "${file}" leads outside the manuscript folder (through a symlink).`,
        hint: 'Copy the file itself into the manuscript folder instead of linking to it.',
        ...where,
      });
    } else if (resolved.reason === 'not-a-file') {
      diagnostics.push({
        code: 'chapter-not-a-file',
        severity: 'error',
        message: `The chapter "${file}" is a folder, not a file.`,
        hint: 'List Markdown files as chapters; rename a folder whose name ends in .md.',
        ...where,
      });
    }
    return resolved;
  };
  if (!input.chapters) {
    const listed = readdirSync(dir).filter(isChapterFileName).sort(chapterOrder);
    for (const file of listed) checkInside(file, { file: display(path.join(dir, file)) });
    return files;
  }
  const present = readdirSync(dir).filter((file) => /\.(md|markdown)$/i.test(file));
  input.chapters.forEach((file, index) => {
    const relative = path.relative(dir, path.resolve(dir, file));
    // A manuscript is one folder: what it publishes travels with it, and nothing else on disk is read.
    if (path.isAbsolute(file) || relative.startsWith('..') || path.isAbsolute(relative)) {
      diagnostics.push({
        code: 'chapter-outside',
        severity: 'error',
        message: `The chapter "${file}" is outside the manuscript folder.`,
        hint: 'Move it into the manuscript folder and list it by its file name.',
        ...locate(['chapters', index]),
      });
      return;
    }
    if (checkInside(file, locate(['chapters', index])).ok || existsSync(path.join(dir, file))) return;
    const close = present.find((candidate) =>
      candidate.toLowerCase().includes(file.toLowerCase().replace(/\.md$/, '')),
    );
    diagnostics.push({
      code: 'missing-chapter',
      severity: 'error',
      message: `The chapter "${file}" listed in book.yaml does not exist.`,
      hint: close ? `Did you mean "${close}"?` : `Chapters are files in ${display(dir)}.`,
      ...locate(['chapters', index]),
    });
  });
  return files;
}

/**
 * The cover named in book.yaml, as the real file inside the manuscript folder; undefined (with an error) when
 * it is absolute, outside the folder or missing.
 */
function coverFile(
  cover: string,
  dir: string,
  where: Pick<Diagnostic, 'file' | 'line' | 'column'>,
  diagnostics: Diagnostic[],
): string | undefined {
  const resolved = path.isAbsolute(cover)
    ? ({ ok: false, reason: 'outside' } as const)
    : resolveInside(path.resolve(dir, cover), dir);
  if (resolved.ok) return resolved.real;
  diagnostics.push(
    resolved.reason === 'outside'
      ? {
          code: 'cover-outside',
          severity: 'error',
          message: `The cover "${cover}" is outside the manuscript folder.`,
          hint: 'Copy the cover image into the manuscript folder and name it by its relative path.',
          ...where,
        }
      : {
          code: 'missing-cover',
          severity: 'error',
          message: `The cover image "${cover}" does not exist${resolved.reason === 'not-a-file' ? ' as a file' : ''}.`,
          hint: 'Fix the path in book.yaml (relative to the manuscript folder), or remove "cover:" to get a generated cover.',
          ...where,
        },
  );
  return undefined;
}

function withoutFrontMatter(text: string): string {
  return text.replace(/^---\r?\n[\s\S]*?\r?\n---[^\S\r\n]*(\r?\n|$)/, '');
}

/** Links to #ids that no chapter has: reported once the whole book is known. */
function brokenAnchors(chapters: Chapter[]): Diagnostic[] {
  const ids = new Set<string>();
  for (const chapter of chapters) {
    const anchors = treeAnchors(chapter.tree);
    for (const id of anchors.ids) ids.add(id);
    for (const id of anchors.otherIds) ids.add(id);
  }
  const found: Diagnostic[] = [];
  for (const chapter of chapters) {
    for (const link of treeAnchors(chapter.tree).links) {
      const target = decodeURIComponent(link.href.slice(1));
      if (ids.has(target)) continue;
      found.push({
        code: 'missing-anchor',
        severity: 'warning',
        message: `The link "#${target}" points to nothing in the book.`,
        hint: 'Link to a heading as [text](chapter.md#heading-text), with the heading text in lowercase and hyphens.',
        file: display(chapter.path),
        line: link.line,
        column: link.column,
      });
    }
  }
  return found;
}

function bookMeta(input: BookInput, chapters: Chapter[]): BookMeta {
  const authors = input.authors ??
    input.author ?? [...new Set(chapters.flatMap((chapter) => chapter.meta.authors))];
  return {
    title: input.title,
    subtitle: input.subtitle,
    authors,
    lang: input.lang,
    publisher: input.publisher,
    date: input.date,
    identifier: input.identifier ?? derivedIdentifier(input.title, authors),
    rights: input.rights,
    edition: input.edition,
    credits: input.credits ?? [],
    url: input.url,
    description: input.description,
    keywords: input.keywords ?? [],
    toc: input.toc,
    // Checked and resolved by the loader (coverFile).
    cover: undefined,
    print: {
      size: input.print.size,
      margins: {
        top: input.print.margins.top,
        bottom: input.print.margins.bottom,
        inner: input.print.margins.inner,
        outer: input.print.margins.outer,
      },
      hyphenate: input.print.hyphenate,
      recto: input.print.recto,
      color: input.print.color,
      paper: input.print.paper,
      bleed: input.print.bleed,
      marks: input.print.marks,
      back: input.print.back,
    },
    html: { pages: input.html.pages },
    ignoredChecks: input.check.ignore,
  };
}

/** A name-based UUID (RFC 4122 version 5 layout) from title and authors: the same book keeps its identity. */
function derivedIdentifier(title: string, authors: string[]): string {
  const hash = createHash('sha1')
    .update(`imprint:${title}\u0000${authors.join('\u0000')}`)
    .digest('hex');
  const variant = ((Number.parseInt(hash[16], 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${hash.slice(0, 8)}-${hash.slice(8, 12)}-5${hash.slice(13, 16)}-${variant}${hash.slice(17, 20)}-${hash.slice(20, 32)}`;
}
