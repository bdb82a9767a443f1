/** A speaker declared in the front matter whose label never opens a turn: a typo in the label, usually. */
import { locationAt } from '../chapter-source.ts';
import type { CheckRule, Finding } from '../rule.ts';
import { openingLabels } from '../speaker-labels.ts';

export const speakerSilent: CheckRule = {
  code: 'speaker-silent',
  severity: 'warning',
  summary: 'A speaker declared in `speakers` never opens a paragraph.',
  fix: 'Check that the turns use the declared label exactly (case and dots included), or remove the speaker.',
  check({ chapters }) {
    const findings: Finding[] = [];
    for (const { chapter, file, mdast, text } of chapters) {
      if (chapter.meta.speakers.length === 0) continue;
      const spoken = new Set(openingLabels(mdast).map(({ written }) => written));
      const frontMatter = mdast.children[0]?.type === 'yaml' ? mdast.children[0] : undefined;
      for (const speaker of chapter.meta.speakers) {
        if (spoken.has(speaker.label) || spoken.has(speaker.name)) continue;
        const declaration = text.indexOf(`${speaker.label}:`, frontMatter?.position?.start.offset ?? 0);
        const where =
          declaration === -1 ? { line: frontMatter?.position?.start.line } : locationAt(text, declaration);
        findings.push({
          file,
          ...where,
          message: `The speaker "${speaker.label}" (${speaker.name}) never speaks in this chapter.`,
        });
      }
    }
    return findings;
  },
};
