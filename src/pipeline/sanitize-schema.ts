/**
 * What raw HTML in a manuscript may contain: GitHub's safe subset, plus the structure and ARIA attributes
 * a book needs and the `imprint-*` elements the pipeline's own plugins create. Ids are already unique per
 * chapter ("<chapter>--<slug>"), so the sanitiser must not prefix them again (that broke footnote links).
 */
import { defaultSchema, type Options } from 'rehype-sanitize';

export const COMPONENT_FIELDS: Record<string, string[]> = {
  'imprint-qna': [],
  'imprint-turn': ['speaker', 'role', 'name'],
  'imprint-speaker': ['label', 'name', 'role', 'speaker'],
  'imprint-pullquote': ['cite'],
  'imprint-aside': ['title'],
  'imprint-related': ['label', 'href'],
  'imprint-figure': ['src', 'alt', 'credit', 'fpo', 'caption', 'bleed'],
  'imprint-field': ['name'],
  'imprint-title-block': ['title', 'kicker', 'deck', 'byline', 'date'],
};

/**
 * GitHub's schema checks `cite` as a URL, which dropped a pull-quote's attribution ("Lord Acton: Letters"
 * reads as a protocol). Nothing loads or follows a `cite`; rehype-unsafe-html removes a javascript: one.
 */
const protocols = Object.fromEntries(
  Object.entries(defaultSchema.protocols ?? {}).filter(([name]) => name !== 'cite'),
);

export const sanitizeSchema: Options = {
  ...defaultSchema,
  protocols,
  clobberPrefix: '',
  clobber: [],
  tagNames: [
    // <picture>/<source> would carry sources past the image checks: rehype-unsafe-html reports them.
    ...(defaultSchema.tagNames ?? []).filter((name) => name !== 'picture' && name !== 'source'),
    ...Object.keys(COMPONENT_FIELDS),
    'section',
    'aside',
    'figure',
    'figcaption',
    'caption',
    'abbr',
    'cite',
    'mark',
    'small',
    'u',
    'span',
    'header',
    'footer',
  ],
  attributes: {
    ...defaultSchema.attributes,
    ...COMPONENT_FIELDS,
    '*': [
      ...(defaultSchema.attributes?.['*'] ?? []),
      'className',
      'id',
      'role',
      'ariaHidden',
      'ariaLabel',
      'lang',
    ],
  },
};
