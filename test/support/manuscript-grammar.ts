/**
 * fast-check arbitraries for whole manuscripts: everything the manuscript language allows (front matter with
 * speakers, interview turns, pull-quotes in both forms, asides, related links, figures including fpo,
 * tables with captions, footnotes, links between chapters, raw HTML with scripts and on* handlers), and what
 * a writer's files can also hold: broken directives and YAML, deep nesting, huge paragraphs, random text
 * and random bytes. Each manuscript says which words must survive into the book and how many pull-quotes
 * it should show, so a property can check the pipeline kept them.
 */
import fc from 'fast-check';

/** A piece of Markdown and what it promises about the book made from it. */
export interface Piece {
  md: string;
  /** Words of the text that must be in the HTML edition. */
  words: string[];
  /** Pull-quotes the piece makes. */
  pulls: number;
  /** False when the piece is broken on purpose: then only "no crash" is promised. */
  valid: boolean;
  /** Footnote texts, in the order of their `[^@]` references in `md`; the chapter numbers and appends them. */
  notes: string[];
}

export interface GeneratedManuscript {
  /** File name (relative to the manuscript folder) → content. */
  files: Record<string, string | Uint8Array>;
  words: string[];
  pulls: number;
  valid: boolean;
}

export interface GrammarOptions {
  /** Most chapters in a book (default 3). */
  maxChapters?: number;
  /** Most blocks in a chapter (default 12). */
  maxBlocks?: number;
  /** Most words in a "huge" paragraph (default 3000). */
  hugeWords?: number;
  /** Deepest nesting of block quotes and lists (default 60). */
  maxNesting?: number;
}

/** A small PNG (1×1), for figures that name images/pic.png. */
export const PIXEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

const ASCII_WORDS = (
  'harbour railway archive evidence movement treaty alliance council summit border market energy policy ' +
  'question answer decade century balance influence frontier reform agency pressure network future'
).split(' ');
const UNICODE_WORDS = [
  'café',
  'naïve',
  'Ørsted',
  'Zürich',
  'Ελλάδα',
  'Москва',
  '東京',
  'smörgåsbord',
  'façade',
];
const CHAPTER_NAMES = ['alpha', 'beta', 'gamma'];
const SPEAKERS = [
  { label: 'Q', yaml: 'Q: Questioner' },
  { label: 'A', yaml: 'A: { name: Answerer, role: guest }' },
  { label: 'RD', yaml: 'RD: Russia Direct' },
  { label: 'A.B.', yaml: '"A.B.": { name: Andrey Bezrukov, role: guest }' },
];

const piece = (md: string, words: string[] = [], pulls = 0, valid = true, notes: string[] = []): Piece => ({
  md,
  words,
  pulls,
  valid,
  notes,
});

/** The same piece with its Markdown rewritten (a prefix, a wrapper): words, pulls and notes stay. */
const reshape = (p: Piece, md: string): Piece => ({ ...p, md });

export function joinPieces(pieces: Piece[], separator = '\n\n'): Piece {
  return {
    md: pieces.map((p) => p.md).join(separator),
    words: pieces.flatMap((p) => p.words),
    pulls: pieces.reduce((sum, p) => sum + p.pulls, 0),
    valid: pieces.every((p) => p.valid),
    notes: pieces.flatMap((p) => p.notes),
  };
}

/** Numbers the `[^@]` references of a chapter and appends their definitions. */
function withFootnotes(body: Piece): Piece {
  let n = 0;
  const md = body.md.replace(/\[\^@\]/g, () => `[^${++n}]`);
  const definitions = body.notes.map((note, index) => `[^${index + 1}]: ${note} note`);
  return {
    ...body,
    md: [md, ...definitions].join('\n\n'),
    words: [...body.words, ...body.notes.flatMap((note) => [note, 'note'])],
    notes: [],
  };
}

const word = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...ASCII_WORDS) },
  { weight: 2, arbitrary: fc.stringMatching(/^[a-z]{2,12}$/) },
  { weight: 1, arbitrary: fc.constantFrom(...UNICODE_WORDS) },
);
const words = (min: number, max: number) => fc.array(word, { minLength: min, maxLength: max });
const plain = (min = 1, max = 8) => words(min, max).map((ws) => piece(ws.join(' '), ws));

interface ChapterContext {
  /** File names of every chapter in the book, this one included. */
  chapterFiles: string[];
  speakers: string[];
}

/** Inline content: emphasis, code, quotes and dashes, links, footnote references, raw inline HTML. */
function inline(context: ChapterContext): fc.Arbitrary<Piece> {
  const link = fc
    .tuple(
      word,
      fc.constantFrom(
        'https://example.com/page',
        'mailto:editor@example.com',
        '#start-here',
        '#no-such-section',
        ...context.chapterFiles,
        ...context.chapterFiles.map((file) => `${file}#start-here`),
      ),
    )
    .map(([w, url]) => piece(`[${w}](${url})`, [w]));
  return fc.oneof(
    { weight: 12, arbitrary: plain() },
    { weight: 2, arbitrary: word.map((w) => piece(`*${w}*`, [w])) },
    { weight: 2, arbitrary: word.map((w) => piece(`**${w}**`, [w])) },
    { weight: 1, arbitrary: word.map((w) => piece(`~~${w}~~`, [w])) },
    { weight: 1, arbitrary: word.map((w) => piece(`\`${w} -- "x"\``, [w])) },
    { weight: 2, arbitrary: plain(1, 4).map((p) => piece(`"${p.md}"`, p.words)) },
    { weight: 1, arbitrary: word.map((w) => piece(`'${w}' -- ${w}... it's`, [w, w, "it's"])) },
    { weight: 3, arbitrary: link },
    { weight: 1, arbitrary: fc.constant(piece('https://example.org/path')) },
    { weight: 2, arbitrary: word.map((w) => piece('[^@]', [], 0, true, [w])) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(word, fc.constantFrom('em', 'span', 'abbr', 'kbd', 'mark', 'sub', 'sup'))
        .map(([w, tag]) => piece(`<${tag}>${w}</${tag}>`, [w])),
    },
    {
      weight: 1,
      arbitrary: word.map((w) => piece(`<span onclick="alert(1)" style="color:red">${w}</span>`, [w])),
    },
    { weight: 1, arbitrary: word.map((w) => piece(`<a href="javascript:alert(1)">${w}</a>`, [w])) },
    { weight: 1, arbitrary: word.map((w) => piece(`${w}  \n${w}`, [w, w])) },
  );
}

/** A run of inline content; `pull` allows `:pull[…]` (paragraphs only). */
function sentence(context: ChapterContext, pull: boolean, max = 10): fc.Arbitrary<Piece> {
  const parts = pull
    ? fc.oneof(
        { weight: 10, arbitrary: inline(context) },
        { weight: 1, arbitrary: plain(1, 6).map((p) => piece(`:pull[${p.md}]`, p.words, 1)) },
      )
    : inline(context);
  return fc.array(parts, { minLength: 1, maxLength: max }).map((pieces) => joinPieces(pieces, ' '));
}

function blocks(
  context: ChapterContext,
  depth: number,
  options: Required<GrammarOptions>,
): fc.Arbitrary<Piece> {
  const paragraph = sentence(context, true, 14);
  const heading = fc
    .tuple(fc.integer({ min: 2, max: 6 }), sentence(context, false, 5))
    .map(([level, text]) => piece(`${'#'.repeat(level)} ${text.md}`, text.words));
  const turn = context.speakers.length
    ? fc
        .tuple(fc.constantFrom(...context.speakers), fc.boolean(), paragraph)
        .map(([label, bold, text]) => reshape(text, `${bold ? `**${label}:**` : `${label}:`} ${text.md}`))
    : paragraph;
  const list = fc
    .tuple(fc.boolean(), fc.array(sentence(context, true, 5), { minLength: 1, maxLength: 5 }))
    .map(([ordered, items]) =>
      joinPieces(
        items.map((item, index) => reshape(item, `${ordered ? `${index + 1}.` : '-'} ${item.md}`)),
        '\n',
      ),
    );
  const quote = paragraph.map((p) => reshape(p, `> ${p.md.replace(/\n/g, '\n> ')}`));
  const code = fc
    .tuple(fc.constantFrom('', 'js', 'html'), words(1, 6))
    .map(([lang, ws]) => piece(`\`\`\`${lang}\n${ws.join(' ')} <script>"--"</script>\n\`\`\``, ws));
  const table = fc
    .tuple(fc.array(words(1, 3), { minLength: 2, maxLength: 4 }), fc.option(plain(1, 5)))
    .map(([cells, caption]) => {
      const row = (values: string[]) => `| ${values.join(' | ')} |`;
      const header = row(cells.map((_, i) => `H${i}`));
      const body = row(cells.map((ws) => ws.join(' ')));
      const md = `${header}\n${row(cells.map(() => '---'))}\n${body}${caption ? `\n\nTable: ${caption.md}` : ''}`;
      return piece(md, [...cells.flat(), ...(caption?.words ?? [])]);
    });
  const pullquote = fc
    .tuple(plain(2, 8), fc.option(word))
    .map(([text, cite]) =>
      piece(`:::pullquote${cite ? `{cite="${cite}"}` : ''}\n${text.md}\n:::`, text.words, 1),
    );
  const related = fc
    .tuple(plain(1, 5), fc.constantFrom(undefined, 'https://example.com/story', ...context.chapterFiles))
    .map(([title, href]) =>
      piece(`::related[${title.md}]{label="Recommended"${href ? ` href="${href}"` : ''}}`, title.words),
    );
  const figure = fc.oneof(
    fc
      .tuple(plain(1, 6), word, fc.option(word))
      .map(([caption, alt, credit]) =>
        piece(
          `::figure[${caption.md}]{src="images/pic.png" alt="${alt}"${credit ? ` credit="Photo: ${credit}"` : ''}}`,
          caption.words,
        ),
      ),
    fc
      .tuple(plain(1, 6), word)
      .map(([caption, alt]) => piece(`::figure[${caption.md}]{fpo alt="${alt}"}`, caption.words)),
    fc
      .tuple(word, plain(1, 4))
      .map(([alt, title]) => piece(`![${alt}](images/pic.png "${title.md}")`, title.words)),
  );
  const rawHtml = fc.oneof(
    word.map((w) => piece(`<div class="note" onclick="steal()" onmouseover="x()">\n\n${w}\n\n</div>`, [w])),
    word.map((w) => piece(`<script>document.write("${w}")</script>`)),
    word.map((w) => piece(`<style>p { background: url(https://example.com/${w}.png) }</style>`)),
    word.map((w) => piece(`<iframe src="https://example.com/${w}"></iframe>`)),
    word.map((w) => piece(`<link rel="stylesheet" href="https://example.com/${w}.css">`)),
    word.map((w) => piece(`<p style="background: url('https://example.com/x.png')">${w}</p>`, [w])),
    word.map((w) => piece(`<details><summary>${w}</summary>\n\n${w}\n\n</details>`, [w, w])),
    word.map((w) => piece(`<section id="custom-${w}">${w}</section>`, [w])),
    word.map((w) => piece(`<form action="https://example.com"><input name="${w}"></form>`)),
  );
  const simple = fc.oneof(
    { weight: 10, arbitrary: paragraph },
    { weight: 6, arbitrary: turn },
    { weight: 3, arbitrary: heading },
    { weight: 2, arbitrary: list },
    { weight: 2, arbitrary: quote },
    { weight: 1, arbitrary: code },
    { weight: 2, arbitrary: table },
    { weight: 2, arbitrary: pullquote },
    { weight: 1, arbitrary: related },
    { weight: 2, arbitrary: figure },
    { weight: 2, arbitrary: rawHtml },
    { weight: 1, arbitrary: fc.constant(piece('***')) },
  );
  if (depth <= 0) return simple;
  const inner = fc.array(blocks(context, depth - 1, options), { minLength: 1, maxLength: 3 });
  const aside = fc.tuple(fc.option(plain(1, 4)), fc.boolean(), inner).map(([title, asLabel, content]) => {
    const body = joinPieces(content);
    const fence = ':'.repeat(3 + depth);
    const open = title
      ? asLabel
        ? `${fence}aside[${title.md}]`
        : `${fence}aside{title="${title.md}"}`
      : `${fence}aside`;
    return { ...body, md: `${open}\n${body.md}\n${fence}`, words: [...(title?.words ?? []), ...body.words] };
  });
  return fc.oneof({ weight: 8, arbitrary: simple }, { weight: 1, arbitrary: aside });
}

/** Valid but extreme: deep nesting and huge paragraphs. */
function extreme(options: Required<GrammarOptions>): fc.Arbitrary<Piece> {
  const nesting = fc.integer({ min: 2, max: options.maxNesting });
  return fc.oneof(
    nesting.chain((n) => word.map((w) => piece(`${'> '.repeat(n)}${w}`, [w]))),
    nesting.chain((n) =>
      word.map((w) => piece(Array.from({ length: n }, (_, i) => `${'  '.repeat(i)}- ${w}`).join('\n'), [w])),
    ),
    nesting.map((n) => piece(`${'*'.repeat(n)}deep${'*'.repeat(n)}`, ['deep'])),
    nesting.map((n) => piece(`${'<div>'.repeat(n)}nested${'</div>'.repeat(n)}`, ['nested'])),
    nesting.map((n) => piece(`${'['.repeat(n)}brackets${']'.repeat(n)}`, ['brackets'])),
    fc
      .integer({ min: 100, max: options.hugeWords })
      .chain((n) => fc.array(word, { minLength: n, maxLength: n }).map((ws) => piece(ws.join(' '), ws))),
  );
}

/** What a writer's files can also hold: broken syntax and nonsense the pipeline must survive. */
function broken(): fc.Arbitrary<Piece> {
  return fc.oneof(
    fc
      .constantFrom(
        ':::aside\nnever closed',
        ':::pullquote{cite="unterminated}\nx\n:::',
        '::unknown[lost words]{a=1}',
        '::figure{src=}',
        '::figure[no image]',
        ':pull[unclosed',
        ':::\n:::',
        '::::::::::',
        '{#id .class}',
        '[^]',
        '[^1]: a definition without reference',
        '<!-- a comment',
        '<div',
        '</p></div></section>',
        '<img src="https://example.com/remote.png" onerror="alert(1)">',
        '<img src="missing.png" alt="x">',
        '![](images/pic.png)',
        '<svg onload="alert(1)"><script>alert(2)</script></svg>',
        '<math><mi>x</mi></math>',
        '&#0; &#xD800; &bogus; \u0000 \uFFFF \uD800',
        'Table: a caption without a table',
        '| a |\n|---|\n| :pull[in a cell] |',
        '## :pull[in a heading]',
        '\\',
        '```\nunclosed fence',
      )
      .map((md) => piece(md, [], 0, false)),
    fc.string({ unit: 'grapheme', maxLength: 200 }).map((md) => piece(md, [], 0, false)),
    fc.string({ unit: 'binary', maxLength: 200 }).map((md) => piece(md, [], 0, false)),
  );
}

function frontMatter(speakers: typeof SPEAKERS, hostile: boolean): fc.Arbitrary<Piece> {
  const valid = fc
    .record({
      title: fc.option(plain(1, 6)),
      kicker: fc.option(plain(1, 2)),
      deck: fc.option(plain(3, 12)),
      author: fc.option(word),
    })
    .map(({ title, kicker, deck, author }) => {
      const lines = [
        title && `title: ${JSON.stringify(title.md)}`,
        kicker && `kicker: ${JSON.stringify(kicker.md)}`,
        deck && `deck: ${JSON.stringify(deck.md)}`,
        author && `author: ${JSON.stringify(author)}`,
        speakers.length ? `speakers:\n${speakers.map((s) => `  ${s.yaml}`).join('\n')}` : undefined,
      ].filter(Boolean);
      if (lines.length === 0) return piece('');
      const shown = [title, kicker, deck].flatMap((p) => p?.words ?? []);
      return piece(`---\n${lines.join('\n')}\n---`, author ? [...shown, author] : shown);
    });
  const brokenMatter = fc
    .constantFrom(
      '---\ntitle: [unclosed\n---',
      '---\n- a list\n- not a map\n---',
      '---\ntitle: 42\nspeakers: 5\n---',
      '---\nspeakers:\n  Q: { role: host }\n---',
      '---\ntitel: typo\n---',
      '---\ntitle: a\ntitle: twice\n---',
      '---\n---',
      '---\nnot closed',
    )
    .map((md) => piece(md, [], 0, false));
  return hostile ? fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: brokenMatter }) : valid;
}

function chapter(
  chapterFiles: string[],
  hostile: boolean,
  options: Required<GrammarOptions>,
): fc.Arbitrary<Piece> {
  return fc.subarray(SPEAKERS).chain((speakers) => {
    const context: ChapterContext = { chapterFiles, speakers: speakers.map((s) => s.label) };
    const block = fc.oneof(
      { weight: 30, arbitrary: blocks(context, 2, options) },
      { weight: 1, arbitrary: extreme(options) },
      ...(hostile ? [{ weight: 3, arbitrary: broken() }] : []),
    );
    const body = fc.array(block, { minLength: 0, maxLength: options.maxBlocks });
    return fc.tuple(frontMatter(speakers, hostile), body, fc.boolean()).map(([matter, content, heading1]) => {
      const opening = heading1 ? piece('# Opening title', ['opening', 'title']) : piece('');
      return withFootnotes(
        joinPieces([matter, opening, piece('## Start here', ['start', 'here']), ...content]),
      );
    });
  });
}

/** A whole manuscript folder: book.yaml, one to `maxChapters` chapters, images/pic.png. */
export function manuscriptArbitrary(grammar: GrammarOptions = {}): fc.Arbitrary<GeneratedManuscript> {
  const options: Required<GrammarOptions> = {
    maxChapters: grammar.maxChapters ?? 3,
    maxBlocks: grammar.maxBlocks ?? 12,
    hugeWords: grammar.hugeWords ?? 3000,
    maxNesting: grammar.maxNesting ?? 60,
  };
  const bookYaml = (hostile: boolean) =>
    fc.oneof(
      {
        weight: 12,
        arbitrary: fc
          .tuple(
            plain(1, 5),
            fc.constantFrom('en', 'en-GB', 'de'),
            fc.constantFrom('', 'toc: true\n', 'toc: false\n', 'check:\n  ignore: [figure-fpo]\n'),
          )
          .map(([title, lang, extra]) =>
            piece(`title: ${JSON.stringify(title.md)}\nlang: ${lang}\n${extra}`, title.words),
          ),
      },
      {
        weight: hostile ? 2 : 0,
        arbitrary: fc
          .constantFrom(
            'title: [broken',
            'title: ""',
            'titel: typo\n',
            '- a\n- list',
            'title: T\nprint: { size: 7 }',
          )
          .map((md) => piece(md, [], 0, false)),
      },
    );
  // Half the manuscripts are written in the language as documented, half also hold broken pieces.
  return fc
    .tuple(fc.integer({ min: 1, max: options.maxChapters }), fc.boolean())
    .chain(([count, hostile]) => {
      const chapterFiles = CHAPTER_NAMES.slice(0, count).map((name, i) => `0${i + 1}-${name}.md`);
      const randomBytes = hostile
        ? fc.option(fc.uint8Array({ maxLength: 300 }), { freq: 8 })
        : fc.constant(null);
      return fc
        .tuple(
          bookYaml(hostile),
          fc.tuple(...chapterFiles.map(() => chapter(chapterFiles, hostile, options))),
          randomBytes,
        )
        .map(([book, chapters, bytes]): GeneratedManuscript => {
          const files: Record<string, string | Uint8Array> = {
            'book.yaml': book.md,
            'images/pic.png': PIXEL_PNG,
          };
          chapterFiles.forEach((file, index) => {
            files[file] = chapters[index].md;
          });
          // Random bytes replace the last chapter: not UTF-8 more often than not.
          if (bytes) files[chapterFiles[chapterFiles.length - 1]] = bytes;
          const all = joinPieces([book, ...chapters]);
          return { files, words: all.words, pulls: all.pulls, valid: all.valid && !bytes };
        });
    });
}
