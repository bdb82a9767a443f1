/**
 * Reads a chapter's YAML front matter into `file.data.meta`: title, kicker, deck, byline, date and the
 * declared speakers. Without a `title:` the chapter's first level-1 heading is its title (and leaves the
 * body, since the title block shows it).
 */
import type { Heading, Root, Yaml } from 'mdast';
import { toString as mdastToString } from 'mdast-util-to-string';
import type { VFile } from 'vfile';
import type { ChapterMeta, Speaker } from '../../book/types.ts';
import { fillString, joinNames, type UiStrings, uiStrings } from '../../book/ui-strings.ts';
import { parseYamlConfig } from '../../config/parse-yaml-config.ts';
import { ChapterMatterSchema } from '../../config/schema.ts';
import { report } from '../report.ts';

export default function remarkChapterMeta(options: { strings?: UiStrings; lang?: string } = {}) {
  const strings = options.strings ?? uiStrings('en');
  const lang = options.lang ?? 'en';
  return (tree: Root, file: VFile) => {
    const yamlNode = tree.children[0]?.type === 'yaml' ? (tree.children[0] as Yaml) : undefined;
    let matter: ReturnType<typeof parseMatter> = {};
    if (yamlNode) {
      tree.children.shift();
      matter = parseMatter(yamlNode, file);
    }
    let title = matter.title;
    if (!title) {
      const index = tree.children.findIndex((node) => node.type === 'heading' && node.depth === 1);
      if (index >= 0) {
        title = mdastToString(tree.children[index] as Heading);
        tree.children.splice(index, 1);
      }
    }
    if (!title) {
      report(
        file,
        tree.children[0],
        'warning',
        'chapter-untitled',
        'This chapter has no title.',
        'Add "title:" to its front matter or start it with a "# Title" heading.',
      );
    }
    const meta: ChapterMeta = {
      title: title ?? file.data.imprint?.chapterId ?? 'Untitled',
      kicker: matter.kicker,
      deck: matter.deck ?? matter.standfirst,
      authors: matter.author ?? [],
      byline:
        matter.byline ??
        (matter.author ? fillString(strings.byline, { names: joinNames(matter.author, lang) }) : undefined),
      date: matter.date,
      speakers: toSpeakers(matter.speakers ?? {}),
    };
    file.data.meta = meta;
  };
}

function parseMatter(node: Yaml, file: VFile) {
  const { value, diagnostics } = parseYamlConfig(
    {
      text: node.value,
      file: file.data.imprint?.displayPath ?? file.path,
      startLine: (node.position?.start.line ?? 1) + 1,
    },
    ChapterMatterSchema,
  );
  file.data.diagnostics ??= [];
  file.data.diagnostics.push(...diagnostics);
  return value ?? {};
}

function toSpeakers(declared: Record<string, string | { name: string; role?: Speaker['role'] }>): Speaker[] {
  return Object.entries(declared).map(([label, entry], index) => {
    const long = typeof entry === 'string' ? { name: entry } : entry;
    return {
      label,
      id: speakerId(label),
      name: long.name,
      role: long.role ?? (index === 0 ? 'interviewer' : 'guest'),
    };
  });
}

export function speakerId(label: string): string {
  return (
    label
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'speaker'
  );
}
