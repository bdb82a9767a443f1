/**
 * The HTML edition's documents (htmlDocuments) are the edition: `imprint build` writes exactly them and the
 * files they load, and the preview's screen view serves the same bytes, with only its client added to each
 * page's head. For a web book and for `html: { pages: single }`.
 */
import { appendFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build, loadBook } from '../src/index.ts';
import { type HtmlDocuments, htmlDocuments } from '../src/outputs/html.ts';
import { generateBook } from './support/generate-book.ts';
import { get, startPreview } from './support/preview-harness.ts';

/** The preview client's tag, as the screen view adds it to every page's head. */
const CLIENT_TAG = /<script src="\/__imprint\/preview-client\.js"[^>]*><\/script>/g;

interface Edition {
  manuscript: string;
  /** The built edition folder. */
  dir: string;
  documents: HtmlDocuments;
}

async function builtEdition(pages: 'chapters' | 'single'): Promise<Edition> {
  const root = mkdtempSync(path.join(os.tmpdir(), `imprint-html-documents-${pages}-`));
  const manuscript = path.join(root, 'manuscript');
  const generated = generateBook(manuscript, { chapters: 3, withFigures: true, withFootnotes: true });
  appendFileSync(path.join(generated.dir, 'book.yaml'), `\nhtml:\n  pages: ${pages}\n`);
  const out = path.join(root, 'dist');
  const result = await build({ manuscript, out, formats: ['html'] });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const [slug] = readdirSync(out).filter((name) => !name.startsWith('.'));
  const book = await loadBook(manuscript);
  return { manuscript, dir: path.join(out, slug), documents: htmlDocuments(book) };
}

/** Every file of the built edition but Imprint's own marker, by its path inside the edition. */
function builtFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name !== '.imprint-edition')
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

function textDocuments({ pages, stylesheet, scripts }: HtmlDocuments) {
  return [...pages, stylesheet, ...scripts];
}

const editions: Partial<Record<'chapters' | 'single', Edition>> = {};

beforeAll(async () => {
  editions.chapters = await builtEdition('chapters');
  editions.single = await builtEdition('single');
}, 180_000);

describe.each(['chapters', 'single'] as const)('html.pages: %s', (pages) => {
  const edition = () => editions[pages] as Edition;

  it('the build writes exactly the documents and their files', () => {
    const { dir, documents } = edition();
    const listed = [...textDocuments(documents), ...documents.files].map((entry) => entry.path).sort();
    expect(builtFiles(dir)).toEqual(listed);
    expect(documents.pages.length).toBe(pages === 'chapters' ? 4 : 1);
    expect(documents.files.some((file) => file.kind === 'image')).toBe(true);
    expect(documents.files.some((file) => file.kind === 'font')).toBe(true);
    for (const document of textDocuments(documents)) {
      expect(readFileSync(path.join(dir, document.path), 'utf8'), document.path).toBe(document.render());
    }
    for (const file of documents.files) {
      expect(readFileSync(path.join(dir, file.path)).equals(readFileSync(file.source)), file.path).toBe(true);
    }
  });

  it('the preview serves the same documents and files, its client added to each page', async () => {
    const { manuscript, dir, documents } = edition();
    const server = await startPreview(manuscript);
    try {
      for (const document of textDocuments(documents)) {
        const response = await get(`${server.url}screen/${document.path}`);
        expect(response.status, document.path).toBe(200);
        expect(response.type).toBe(document.mediaType);
        const served = response.body.toString('utf8');
        const built = readFileSync(path.join(dir, document.path), 'utf8');
        if (documents.pages.includes(document)) {
          expect(served.match(CLIENT_TAG), document.path).toHaveLength(1);
          expect(served.replace(CLIENT_TAG, ''), document.path).toBe(built);
        } else {
          expect(served, document.path).toBe(built);
        }
      }
      for (const file of documents.files) {
        const response = await get(`${server.url}screen/${file.path}`);
        expect(response.status, file.path).toBe(200);
        expect(response.body.equals(readFileSync(path.join(dir, file.path))), file.path).toBe(true);
      }
      // Where the preview's toolbar sends a reader for each chapter.
      const { chapters } = server.site.book ?? { chapters: [] };
      const hrefs = chapters.map((chapter) => documents.chapterHref(chapter));
      expect(hrefs).toHaveLength(3);
      for (const href of hrefs) {
        if (pages === 'chapters') expect(documents.pages.map((page) => page.path)).toContain(href);
        else expect(readFileSync(path.join(dir, 'index.html'), 'utf8')).toContain(` id="${href.slice(1)}"`);
      }
    } finally {
      await server.close();
    }
  }, 240_000);
});
