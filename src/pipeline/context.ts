/**
 * What a chapter's pipeline knows besides its own text. Plugins read it from `file.data.imprint` and report
 * problems through `file.message`/`file.fail`, so positions always point into the chapter file.
 */

import type { ChapterMeta, Heading, ImageAsset } from '../book/types.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';

export interface ChapterContext {
  chapterId: string;
  /** Absolute path of the manuscript folder. */
  manuscriptDir: string;
  /** Chapter file name relative to the manuscript folder → chapter id, for cross-chapter links. */
  chapterIds: ReadonlyMap<string, string>;
  /** Theme components by name, as HTML source. */
  components: ReadonlyMap<string, string>;
  /** Path as shown in diagnostics. */
  displayPath: string;
}

declare module 'vfile' {
  interface DataMap {
    imprint: ChapterContext;
    meta: ChapterMeta;
    headings: Heading[];
    images: ImageAsset[];
    diagnostics: Diagnostic[];
  }
}
