/**
 * Writes a manuscript folder of interview chapters for tests and benchmarks: book.yaml plus one Markdown file
 * per chapter, each a magazine feature (kicker, title, deck, byline) with sections of Q&A turns, pull-quotes
 * and, on request, footnotes, tables and figures. The text is pseudo-random words from a fixed seed, so the
 * same options always write the same files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface GenerateBookOptions {
  /** Number of chapters (default 5). */
  chapters?: number;
  /** `##` sections per chapter (default 2); each holds `turnsPerSection` questions and answers. */
  sectionsPerChapter?: number;
  /** Question-and-answer pairs per section (default 4). */
  turnsPerSection?: number;
  /** Paragraphs in each answer (default 2). */
  paragraphsPerAnswer?: number;
  /** Sentences in each answer paragraph (default 5). */
  sentencesPerParagraph?: number;
  /** A `:pull[…]` pull-quote in every n-th answer; 0 for none (default 3). */
  pullQuoteEvery?: number;
  /** A footnote in the first answer of every section. */
  withFootnotes?: boolean;
  /** A GFM table in every chapter's first section. */
  withTables?: boolean;
  /** An SVG image file and a captioned figure after every chapter's introduction. */
  withFigures?: boolean;
  /** Extra lines for book.yaml, e.g. `{ toc: true, print: { recto: false } }` (written as YAML flow values). */
  book?: Record<string, unknown>;
  /** Varies the words (default 1). */
  seed?: number;
}

export interface GeneratedBook {
  dir: string;
  /** Chapter file names in order. */
  chapterFiles: string[];
  /** The chapter titles in order, as written in the front matter. */
  chapterTitles: string[];
}

const WORDS = (
  'policy security border region market energy treaty alliance council minister capital trade dialogue ' +
  'partner strategy crisis history future economy network pressure reform agency summit sanction argument ' +
  'analysis pipeline industry province embassy mandate consensus question answer decade century interest ' +
  'balance influence coalition frontier harbour railway archive evidence movement generation tradition'
).split(' ');
const NAMES = [
  'Anna Petrova',
  'Marc Delacroix',
  'Jonas Berg',
  'Lucia Ferreira',
  'Tomasz Nowak',
  'Ingrid Holm',
];
const SUBJECTS = ['Energy', 'Borders', 'Trade', 'Security', 'Culture', 'Climate', 'Migration', 'Technology'];

/** mulberry32: a tiny seeded generator, so generated books are the same on every machine. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateBook(dir: string, options: GenerateBookOptions = {}): GeneratedBook {
  const {
    chapters = 5,
    sectionsPerChapter = 2,
    turnsPerSection = 4,
    paragraphsPerAnswer = 2,
    sentencesPerParagraph = 5,
    pullQuoteEvery = 3,
    withFootnotes = false,
    withTables = false,
    withFigures = false,
    book = {},
    seed = 1,
  } = options;
  const next = random(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)];
  const words = (count: number) => Array.from({ length: count }, () => pick(WORDS)).join(' ');
  const sentence = () => {
    const text = words(8 + Math.floor(next() * 14));
    return `${text[0].toUpperCase()}${text.slice(1)}.`;
  };
  const paragraph = (sentences: number) => Array.from({ length: sentences }, sentence).join(' ');

  mkdirSync(dir, { recursive: true });
  const yaml = [
    'title: Conversations on the Continent',
    'subtitle: Generated Interviews',
    'author: Imprint Test Press',
    'publisher: Imprint Test Press',
    'lang: en',
    'date: 2024-05-01',
    'description: Generated interviews for testing and benchmarking Imprint.',
    'keywords: [interviews, generated, test]',
    'rights: © 2024 Imprint Test Press. All rights reserved.',
    ...Object.entries(book).map(([key, value]) => `${key}: ${JSON.stringify(value)}`),
  ];
  writeFileSync(path.join(dir, 'book.yaml'), `${yaml.join('\n')}\n`);
  if (withFigures) {
    mkdirSync(path.join(dir, 'images'), { recursive: true });
    writeFileSync(path.join(dir, 'images', 'figure.svg'), FIGURE_SVG);
  }

  const chapterFiles: string[] = [];
  const chapterTitles: string[] = [];
  const width = String(chapters).length;
  for (let c = 1; c <= chapters; c++) {
    const guest = NAMES[(c - 1) % NAMES.length];
    const initials = guest
      .split(' ')
      .map((part) => part[0])
      .join('.');
    const subject = SUBJECTS[(c - 1) % SUBJECTS.length];
    const title = `Chapter ${c}: ${subject} and the ${pick(WORDS)} of ${pick(WORDS)}`;
    const lines = [
      '---',
      `title: "${title}"`,
      `kicker: Interview ${c}`,
      `deck: ${guest} talks about ${words(6)} and why the ${words(3)} matters now.`,
      `byline: By the Editors`,
      'speakers:',
      '  Q: { name: The Editors, role: interviewer }',
      `  ${initials}.: { name: ${guest}, role: guest }`,
      '---',
      '',
      paragraph(4),
      '',
    ];
    if (withFigures) {
      lines.push(
        `![Diagram for the ${subject.toLowerCase()} chapter, a red disc and a grey square](images/figure.svg "${subject}, in outline.")`,
        '',
      );
    }
    let answer = 0;
    for (let s = 1; s <= sectionsPerChapter; s++) {
      lines.push(`## ${subject} section ${s}: the ${pick(WORDS)}`, '');
      if (withTables && s === 1) {
        lines.push(
          '| Year | Region | Share |',
          '| ---- | ------ | ----: |',
          ...Array.from(
            { length: 4 },
            (_, i) => `| ${2010 + i} | ${pick(WORDS)} | ${Math.floor(next() * 90) + 10} % |`,
          ),
          '',
        );
      }
      for (let t = 1; t <= turnsPerSection; t++) {
        lines.push(`Q: ${sentence().replace(/\.$/, '?')}`, '');
        answer++;
        for (let p = 0; p < paragraphsPerAnswer; p++) {
          let text = paragraph(sentencesPerParagraph);
          if (p === 0 && pullQuoteEvery > 0 && answer % pullQuoteEvery === 0) {
            const lifted = sentence();
            text = `${text} :pull[${lifted}]`;
          }
          if (p === 0 && withFootnotes && t === 1) text += `[^c${c}s${s}]`;
          lines.push(p === 0 ? `${initials}.: ${text}` : text, '');
        }
      }
      if (withFootnotes) lines.push(`[^c${c}s${s}]: ${sentence()}`, '');
    }
    const file = `${String(c).padStart(width, '0')}-interview.md`;
    writeFileSync(path.join(dir, file), lines.join('\n'));
    chapterFiles.push(file);
    chapterTitles.push(title);
  }
  return { dir, chapterFiles, chapterTitles };
}

/** A figure with shapes only: text in an SVG would be set in a system font. */
const FIGURE_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="400" viewBox="0 0 600 400">
<rect width="600" height="400" fill="#e9e4da"/>
<circle cx="200" cy="200" r="120" fill="#8c2a1c" opacity="0.8"/>
<rect x="300" y="90" width="220" height="220" fill="#6a655d" opacity="0.7"/>
</svg>
`;
