/**
 * The fields a writer gives a component in a directive's attributes (`:::pullquote{cite="…"}`,
 * `::figure{src="…" fpo}`), one small schema per component. Fields travel in node data, never as HTML
 * attributes, so the sanitiser's rules for attributes (which read `cite` as a URL) do not apply to them:
 * this schema is what checks them. A field that fails its schema is reported and left out; an attribute the
 * component does not have is reported with the closest one it does.
 */
import type { Directives } from 'mdast-util-directive';
import * as v from 'valibot';
import type { VFile } from 'vfile';
import { didYouMean } from '../diagnostics/did-you-mean.ts';
import { report } from './report.ts';

const text = v.pipe(v.string(), v.trim(), v.minLength(1, 'is empty: give it a value in quotes'));

/** `{fpo}` and `{fpo=true}` set a flag, `{fpo=false}` leaves it unset. */
const flag = v.pipe(
  v.picklist(['', 'true', 'false'], 'is a flag: write its name alone, or =true / =false'),
  v.transform((value) => value !== 'false'),
);

/** Template fields end up in attributes such as `href`: only a page, a chapter file or a mail address. */
const link = v.pipe(
  text,
  v.check(
    (value) => !/^[a-z][a-z0-9+.-]*:/i.test(value) || /^(https?|mailto):/i.test(value),
    'must be a web address (https://…), a mailto: address or a chapter file (02-other.md)',
  ),
);

const DIRECTIVE_FIELDS = {
  pullquote: v.object({ cite: v.optional(text) }),
  aside: v.object({ title: v.optional(text) }),
  related: v.object({ label: v.optional(text), href: v.optional(link) }),
  figure: v.object({
    src: v.optional(v.string()),
    alt: v.optional(v.string()),
    credit: v.optional(text),
    fpo: v.optional(flag),
    bleed: v.optional(flag),
  }),
};

type DirectiveComponent = keyof typeof DIRECTIVE_FIELDS;
export type DirectiveFields<Name extends DirectiveComponent> = Partial<
  v.InferOutput<(typeof DIRECTIVE_FIELDS)[Name]>
>;

/** The checked fields of a directive: what passes its component's schema, each failure reported. */
export function directiveFields<Name extends DirectiveComponent>(
  file: VFile,
  directive: Directives,
  component: Name,
): DirectiveFields<Name> {
  const { entries } = DIRECTIVE_FIELDS[component];
  const known = Object.keys(entries);
  const marker = { textDirective: ':', leafDirective: '::', containerDirective: ':::' }[directive.type];
  const written = `${marker}${directive.name}`;
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(directive.attributes ?? {})) {
    if (value === null || value === undefined) continue;
    const schema = (entries as Record<string, v.GenericSchema>)[key];
    if (!schema) {
      const suggestion = didYouMean(key, known);
      report(
        file,
        directive,
        'warning',
        'unknown-attribute',
        `${written} has no attribute "${key}"; it is ignored.`,
        suggestion
          ? `Did you mean "${suggestion}"?`
          : `${written} takes ${known.map((name) => `"${name}"`).join(', ')}.`,
      );
      continue;
    }
    const result = v.safeParse(schema, value);
    if (result.success) fields[key] = result.output;
    else {
      report(
        file,
        directive,
        'error',
        'component-field',
        `The ${key}="${value}" of ${written} ${result.issues[0].message}.`,
        `Fix or remove ${key}; until then ${written} is made without it.`,
      );
    }
  }
  return fields as DirectiveFields<Name>;
}
