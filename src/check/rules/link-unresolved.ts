/**
 * Inside the book a link is `#id` (the pipeline turns Markdown links to chapters into that); any other
 * relative address (a raw HTML <a href="02-next.md">, a related link's href, a link to page.html or a
 * picture) leads nowhere in the PDF and is a broken reference in the EPUB.
 */
import { selectAll } from 'hast-util-select';
import { leavesTheManuscript } from '../../pipeline/addresses.ts';
import { locateSnippet } from '../chapter-source.ts';
import type { CheckRule, Finding } from '../rule.ts';

export const linkUnresolved: CheckRule = {
  code: 'link-unresolved',
  severity: 'warning',
  summary: 'A link to a relative address that is not a chapter of the book (raw HTML, `::related`, a file).',
  fix: 'Link to chapters as Markdown links, [text](02-chapter.md#heading); link to web pages with https://.',
  check({ chapters }) {
    const findings: Finding[] = [];
    for (const { chapter, file, text } of chapters) {
      for (const link of selectAll('a[href]', chapter.tree)) {
        const href = String(link.properties.href);
        if (href === '' || href.startsWith('#') || leavesTheManuscript(href)) continue;
        const reported = chapter.diagnostics.some(
          (d) => d.code === 'missing-chapter' && d.message.includes(`"${href}"`),
        );
        if (reported) continue;
        findings.push({
          file,
          ...locateSnippet(text, link, href),
          message: `The link "${href}" does not lead anywhere in the book.`,
        });
      }
    }
    return findings;
  },
};
