/**
 * The one schema for everything a writer configures: book.yaml and each chapter's front matter.
 * Valibot gives both the TypeScript types and the messages a writer sees.
 */
import * as v from 'valibot';

const text = (what: string) => v.string(`${what} must be text`);
const textList = (what: string) =>
  v.pipe(
    v.union([text(what), v.array(text(what))], `${what} must be text or a list of text`),
    v.transform((value) => (Array.isArray(value) ? value : [value])),
  );
/** YAML turns an unquoted 2016-03-30 into text here (core schema), but a number or a year stays a number. */
const dateText = v.pipe(
  v.union([v.string(), v.number(), v.date()], 'date must be a date such as 2016-03-30'),
  v.transform((value) => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value))),
);
const length = v.pipe(
  v.string('a length must be text such as 0.75in or 18mm'),
  v.regex(/^\d+(\.\d+)?(in|mm|cm|pt|pc|px)$/, 'a length needs a number and a unit, such as 0.75in or 18mm'),
);

export const PrintSchema = v.object({
  /** CSS page size: "6in 9in", "A5", "148mm 210mm". */
  size: v.optional(text('print.size'), '6in 9in'),
  margins: v.optional(
    v.object({
      top: v.optional(length, '0.7in'),
      bottom: v.optional(length, '0.85in'),
      inner: v.optional(length, '0.8in'),
      outer: v.optional(length, '0.6in'),
    }),
    {},
  ),
  hyphenate: v.optional(v.boolean('print.hyphenate must be true or false'), true),
  /** Start every chapter on a right-hand page, as books do. */
  recto: v.optional(v.boolean('print.recto must be true or false'), true),
  /** The press files (`--format print`): false makes every colour grey or black on the black plate only. */
  color: v.optional(v.boolean('print.color must be true or false'), false),
  /** Paper thickness for the spine: white, cream (KDP's calipers) or inches per page, e.g. 0.0025. */
  paper: v.optional(
    v.union(
      [v.picklist(['white', 'cream']), v.pipe(v.number(), v.minValue(0.001), v.maxValue(0.01))],
      'print.paper must be white, cream or the inches per page your printer publishes, such as 0.0025',
    ),
    'white',
  ),
  /** How far images marked to bleed, and the cover, run past the trim. */
  bleed: v.optional(length, '0.125in'),
  /** Crop marks on the press interior; KDP rejects files with them. */
  marks: v.optional(v.boolean('print.marks must be true or false'), false),
  /** Text for the back cover of the print cover. */
  back: v.optional(text('print.back')),
});

export const HtmlSchema = v.object({
  /** "chapters": a web book, one page per chapter with contents, search and next/previous; "single": one file. */
  pages: v.optional(v.picklist(['chapters', 'single'], 'html.pages must be chapters or single'), 'chapters'),
});

export const BookSchema = v.object({
  title: v.pipe(text('title'), v.nonEmpty('title must not be empty')),
  subtitle: v.optional(text('subtitle')),
  author: v.optional(textList('author')),
  authors: v.optional(textList('authors')),
  lang: v.optional(
    v.pipe(
      text('lang'),
      v.regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'lang must be a language tag such as en or en-GB'),
    ),
    'en',
  ),
  publisher: v.optional(text('publisher')),
  date: v.optional(dateText),
  identifier: v.optional(text('identifier')),
  rights: v.optional(text('rights')),
  /** The edition statement for the copyright page: "First edition", "Second printing, revised". */
  edition: v.optional(text('edition')),
  /** Credits for the copyright page: cover design, photographs, translation. */
  credits: v.optional(textList('credits')),
  /** Where the book is published on the web; the HTML edition then carries Open Graph tags. */
  url: v.optional(
    v.pipe(
      text('url'),
      v.regex(
        /^https?:\/\/[^\s]+$/,
        "url must be the book's public address, such as https://example.com/book/",
      ),
    ),
  ),
  description: v.optional(text('description')),
  keywords: v.optional(textList('keywords')),
  chapters: v.optional(v.array(text('each chapters entry'), 'chapters must be a list of file names')),
  theme: v.optional(text('theme'), 'default'),
  /** Table of contents: "auto" gives one to books with more than one chapter. */
  toc: v.optional(v.union([v.boolean(), v.literal('auto')], 'toc must be true, false or auto'), 'auto'),
  cover: v.optional(text('cover')),
  print: v.optional(PrintSchema, {}),
  html: v.optional(HtmlSchema, {}),
  check: v.optional(v.object({ ignore: v.optional(textList('check.ignore'), []) }), {}),
  /** The words Imprint adds, overridden: { contents: Inhalt } or per language { de: { contents: Inhalt } }. */
  strings: v.optional(
    v.record(v.string(), v.union([text('a string'), v.record(v.string(), text('a string'))])),
  ),
});

const SpeakerSchema = v.union(
  [
    text('a speaker'),
    v.object({
      name: text('speaker name'),
      role: v.optional(v.picklist(['interviewer', 'guest'], 'a speaker role is interviewer or guest')),
    }),
  ],
  'a speaker is a name, or { name: …, role: interviewer | guest }',
);

export const ChapterMatterSchema = v.object({
  title: v.optional(text('title')),
  id: v.optional(v.pipe(text('id'), v.regex(/^[a-z0-9][a-z0-9-]*$/, 'id may use a-z, 0-9 and hyphens'))),
  kicker: v.optional(text('kicker')),
  deck: v.optional(text('deck')),
  standfirst: v.optional(text('standfirst')),
  author: v.optional(textList('author')),
  byline: v.optional(text('byline')),
  date: v.optional(dateText),
  speakers: v.optional(v.record(v.string(), SpeakerSchema, 'speakers maps each label to a speaker')),
});

export type BookInput = v.InferOutput<typeof BookSchema>;
export type ChapterMatterInput = v.InferOutput<typeof ChapterMatterSchema>;
export type ThemeInput = v.InferOutput<typeof ThemeSchema>;

export function knownKeys(schema: v.ObjectSchema<v.ObjectEntries, undefined>): string[] {
  return Object.keys(schema.entries);
}

export const ThemeSchema = v.object({
  fonts: v.optional(
    v.array(
      v.object({
        package: text('fonts.package'),
        family: text('fonts.family'),
        weights: v.optional(v.array(v.number('a font weight is a number such as 400')), [400, 700]),
        styles: v.optional(v.array(v.picklist(['normal', 'italic'], 'a font style is normal or italic')), [
          'normal',
          'italic',
        ]),
        /** Every subset of the package when not given: the book's text picks the files it needs. */
        subsets: v.optional(v.array(text('a font subset'))),
        unicodeRange: v.optional(text('fonts.unicodeRange')),
        lang: v.optional(textList('fonts.lang')),
      }),
    ),
    [],
  ),
  /** Families in fallback order; every family of `fonts` that no stack names is added to `text`. */
  stacks: v.optional(
    v.object({
      text: v.optional(v.array(text('a font family'))),
      sans: v.optional(v.array(text('a font family'))),
      mono: v.optional(v.array(text('a font family'))),
    }),
    {},
  ),
  /** The words Imprint adds, per language: { de: { contents: Inhalt } } or, for every language, { contents: … }. */
  strings: v.optional(
    v.record(v.string(), v.union([text('a string'), v.record(v.string(), text('a string'))])),
  ),
});
