/**
 * The pipeline requires alt text of Markdown images and figures; an <img> typed as raw HTML needs it just
 * as much, and is reported under the same code.
 */
import type { Element } from 'hast';
import type { Html } from 'mdast';
import { visit } from 'unist-util-visit';
import { parseRawHtml } from '../chapter-source.ts';
import type { CheckRule, Finding } from '../rule.ts';

export const rawImageAlt: CheckRule = {
  code: 'image-alt',
  severity: 'error',
  summary: 'An image or figure without alt text (Markdown, `::figure` or raw HTML `<img>`).',
  fix: 'Describe what the image shows: `![what it shows](photo.jpg)`, or `alt="…"` on `::figure` and `<img>`.',
  check({ chapters }) {
    const findings: Finding[] = [];
    for (const { file, mdast } of chapters) {
      visit(mdast, 'html', (node: Html) => {
        visit(parseRawHtml(node), 'element', (element: Element) => {
          if (element.tagName !== 'img') return;
          const alt = element.properties.alt;
          if (typeof alt === 'string' && alt.trim() !== '') return;
          findings.push({
            file,
            line: element.position?.start.line,
            column: element.position?.start.column,
            message: `The image "${String(element.properties.src ?? '')}" has no alt text.`,
          });
        });
      });
    }
    return findings;
  },
};
