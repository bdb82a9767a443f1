import type { Book } from '../../book/types.ts';
import { plainText } from '../assemble.ts';

export interface PackageMetadata {
  identifier: string;
  title: string;
  titles: { id: string; text: string; type: 'main' | 'subtitle' }[];
  creators: { id: string; name: string }[];
  language: string;
  publisher?: string;
  date?: string;
  description?: string;
  rights?: string;
  subjects: string[];
  /** The print edition the page-list comes from (its identifier), when the EPUB has one. */
  paginationSource?: string;
  /** CCYY-MM-DDThh:mm:ssZ, as EPUB requires. */
  modified: string;
  accessibility: {
    accessModes: string[];
    accessModesSufficient: string[];
    features: string[];
    hazards: string[];
    summary: string;
    conformsTo: string;
  };
}

export function packageMetadata(book: Book, buildDate: Date, printPages = false): PackageMetadata {
  const { meta } = book;
  const title = plainText(meta.title, meta.lang);
  const titles: PackageMetadata['titles'] = [{ id: 'title', text: title, type: 'main' }];
  if (meta.subtitle)
    titles.push({ id: 'subtitle', text: plainText(meta.subtitle, meta.lang), type: 'subtitle' });
  // The navigation document always holds the table of contents, even when it is not a page of the book.
  const features = [
    'structuralNavigation',
    'tableOfContents',
    'readingOrder',
    'displayTransformability',
    'alternativeText',
    ...(printPages ? ['pageBreakMarkers', 'pageNavigation'] : []),
  ];
  return {
    identifier: meta.identifier,
    title,
    titles,
    creators: meta.authors.map((name, index) => ({ id: `creator-${index + 1}`, name })),
    language: meta.lang,
    publisher: meta.publisher,
    date: meta.date,
    description: meta.description,
    rights: meta.rights,
    subjects: meta.keywords,
    // The PDF edition carries the same identifier (its XMP DocumentID).
    paginationSource: printPages ? meta.identifier : undefined,
    modified: `${buildDate.toISOString().slice(0, 19)}Z`,
    accessibility: {
      // Every EPUB has at least one image, its cover.
      accessModes: ['textual', 'visual'],
      // Every image has alt text (the build refuses one without), so the text alone carries the book.
      accessModesSufficient: ['textual', 'textual,visual'],
      features,
      hazards: ['none'],
      summary:
        'This publication follows the EPUB Accessibility 1.1 and WCAG 2.1 Level AA guidelines. Its text can be ' +
        'resized and restyled; chapters and sections are marked up as headings and listed in a navigable table ' +
        'of contents; every image has a text alternative; footnotes link to their notes and back. Pull-quotes, ' +
        'which repeat words from the text, are hidden from screen readers.',
      // No a11y:certifiedBy: naming a certifier is the publisher's statement to make, not the tool's.
      conformsTo: 'EPUB Accessibility 1.1 - WCAG 2.1 Level AA',
    },
  };
}
