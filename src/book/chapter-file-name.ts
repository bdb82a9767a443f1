/**
 * Which files of the manuscript folder are chapters when book.yaml lists none. Its own module so that
 * chapter-workers.ts, which must load nothing of the pipeline, counts the same files the loader reads.
 */

/** A Markdown file (`.md`, `.markdown`), but not the folder's README. */
export function isChapterFileName(name: string): boolean {
  return /\.(md|markdown)$/i.test(name) && !/^readme\.md$/i.test(name);
}
