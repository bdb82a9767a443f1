/**
 * "Name:" opening a paragraph reads as an interview turn, but only declared speakers become turns: an
 * undeclared one is printed as plain text in the middle of a Q&A. It is reported in chapters that declare
 * speakers, and elsewhere when the same label opens more than one paragraph.
 */
import type { CheckRule, Finding } from '../rule.ts';
import { openingLabels } from '../speaker-labels.ts';

/** One to four words, each capitalised or an initial: "RD", "A.B.", "Andrey Bezrukov", "Q". */
const LOOKS_LIKE_A_NAME = /^(?:[\p{Lu}\p{N}][\p{L}\p{N}.'’-]*)(?: [\p{Lu}\p{N}][\p{L}\p{N}.'’-]*){0,3}$/u;
/** Openings that are conventions of the manuscript language or of prose, not speakers. */
const NOT_SPEAKERS = new Set([
  'Table',
  'Note',
  'Source',
  'Sources',
  'Update',
  'Correction',
  'Warning',
  'Example',
]);

export const speakerUndeclared: CheckRule = {
  code: 'speaker-undeclared',
  severity: 'warning',
  summary: 'A paragraph opens with a label like "Name:" that is not declared in the chapter\'s `speakers`.',
  fix: "Declare the label under `speakers:` in the chapter's front matter, or reword the opening.",
  check({ chapters }) {
    const findings: Finding[] = [];
    for (const { chapter, file, mdast } of chapters) {
      const declared = new Set(chapter.meta.speakers.flatMap((speaker) => [speaker.label, speaker.name]));
      const candidates = openingLabels(mdast).filter(
        ({ written }) =>
          !declared.has(written) && !NOT_SPEAKERS.has(written) && LOOKS_LIKE_A_NAME.test(written),
      );
      const count = new Map<string, number>();
      for (const { written } of candidates) count.set(written, (count.get(written) ?? 0) + 1);
      const reported = new Set<string>();
      for (const { written, paragraph } of candidates) {
        if (reported.has(written)) continue;
        if (chapter.meta.speakers.length === 0 && (count.get(written) ?? 0) < 2) continue;
        reported.add(written);
        const times = count.get(written) ?? 1;
        findings.push({
          file,
          line: paragraph.position?.start.line,
          column: paragraph.position?.start.column,
          message: `"${written}:" opens ${times === 1 ? 'a paragraph' : `${times} paragraphs`} like a speaker label, but "${written}" is not a declared speaker.`,
        });
      }
    }
    return findings;
  },
};
