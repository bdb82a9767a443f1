/** Two chapters with one title make a table of contents, bookmarks and running heads that cannot be told apart. */
import { toString as mdastToString } from 'mdast-util-to-string';
import { type Location, locationAt } from '../chapter-source.ts';
import { normalizeText } from '../pullquote-text.ts';
import type { ChapterSource, CheckRule, Finding } from '../rule.ts';

export const duplicateTitle: CheckRule = {
  code: 'duplicate-title',
  severity: 'warning',
  summary: 'Two chapters have the same title.',
  fix: 'Give each chapter its own title (front matter "title:" or its "# " heading).',
  check({ chapters }) {
    const findings: Finding[] = [];
    const first = new Map<string, ChapterSource>();
    for (const source of chapters) {
      const key = normalizeText(source.chapter.meta.title);
      const earlier = first.get(key);
      if (!earlier) {
        first.set(key, source);
        continue;
      }
      findings.push({
        file: source.file,
        ...titleLocation(source),
        message: `This chapter has the same title as ${earlier.file}: "${source.chapter.meta.title}".`,
      });
    }
    return findings;
  },
};

/** Where the title is written: the front matter's "title:" line, or the first level-1 heading. */
function titleLocation({ mdast, text, chapter }: ChapterSource): Partial<Location> {
  const frontMatter = mdast.children[0]?.type === 'yaml' ? mdast.children[0] : undefined;
  if (frontMatter?.position) {
    const start = frontMatter.position.start.offset ?? 0;
    const end = frontMatter.position.end.offset ?? start;
    const match = /^title\s*:/m.exec(text.slice(start, end));
    if (match) return locationAt(text, start + match.index);
  }
  const heading = mdast.children.find(
    (node) => node.type === 'heading' && node.depth === 1 && mdastToString(node) === chapter.meta.title,
  );
  return { line: heading?.position?.start.line ?? 1, column: heading?.position?.start.column ?? 1 };
}
