/**
 * What raw HTML in a manuscript may contain: GitHub's safe subset, plus the structure and ARIA attributes
 * a book needs and the `imprint-*` elements the pipeline's own plugins create. Ids are already unique per
 * chapter ("<chapter>--<slug>"), so the sanitiser must not prefix them again (that broke footnote links).
 */
import { defaultSchema, type Options } from 'rehype-sanitize';
import { componentTag } from './imprint-node.ts';

/**
 * The components the pipeline's plugins make. Their fields are in node data, which the sanitiser keeps;
 * it allows them no attributes (src/pipeline/component-fields.ts checks what a writer gives them).
 */
const COMPONENT_TAGS = [
  'qna',
  'turn',
  'speaker',
  'pullquote',
  'aside',
  'related',
  'figure',
  'field',
  'title-block',
].map(componentTag);

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
    ...COMPONENT_TAGS,
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
