/**
 * Chapter ids come from file names alone ("01-the-interview.md" → "the-interview"), so a chapter's ids do not
 * change when another chapter is edited, and links can be resolved without reading the other chapter.
 */
export function chapterIdsFor(files: readonly string[]): Map<string, string> {
  const ids = new Map<string, string>();
  const used = new Set<string>();
  for (const file of files) {
    const stem = file
      .replace(/\.(md|markdown)$/i, '')
      .split('/')
      .pop() as string;
    const base =
      stem
        .replace(/^\d+[-_.\s]*/, '')
        .toLowerCase()
        .normalize('NFKD')
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '') || 'chapter';
    let id = /^[a-z]/.test(base) ? base : `chapter-${base}`;
    // The web book puts a chapter "index" on chapter-index.html (index.html is its title page): the two ids
    // would share a page.
    const taken = (candidate: string) =>
      used.has(candidate) || (candidate === 'index' && used.has('chapter-index'));
    for (let n = 2; taken(id); n++) id = `${base}-${n}`;
    used.add(id);
    if (id === 'index') used.add('chapter-index');
    ids.set(file, id);
  }
  return ids;
}

export function slugify(text: string): string {
  return (
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60)
      .replace(/-$/, '') || 'book'
  );
}
