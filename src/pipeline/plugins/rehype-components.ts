/**
 * Applies the theme's components. Each `imprint-<name>` element the plugins made (its name and fields in
 * `data.imprintComponent`) is replaced by the theme's `components/<name>.html`, so a designer changes the
 * markup of, say, every pull-quote in every edition by editing one file. The component language is small and HTML-shaped:
 * - `{{field}}` in text or attribute values is the field's value (an attribute left empty is dropped);
 * - `<slot></slot>` is the construct's content; `<slot name="caption">fallback</slot>` a named part;
 * - `data-if="a b"` keeps an element only when one of the fields is set, `data-unless="a b"` only when none is.
 */
import type { ElementContent, Properties, Root, RootContent } from 'hast';
import { visit } from 'unist-util-visit';
import { cloneTree } from '../clone-tree.ts';
import { fromHtml } from '../html-parser.ts';
import type { ComponentFields } from '../imprint-node.ts';

type Fields = Record<string, string | boolean>;
type Slots = Map<string, ElementContent[]>;

const parsed = new Map<string, ElementContent[]>();

export default function rehypeComponents(options: { components: ReadonlyMap<string, string> }) {
  return (tree: Root) => {
    tree.children = expand(tree.children as ElementContent[], options.components) as RootContent[];
  };
}

/** Renders one component with the given fields and slots; exported for outputs that build pages (title page). */
export function renderComponent(source: string, fields: Fields, slots: Slots = new Map()): ElementContent[] {
  return fill(cloneTree(parseComponent(source)), fields, slots);
}

/** `nodes` itself when nothing in it is a component: most lists of children are copied for nothing otherwise. */
function expand(nodes: ElementContent[], components: ReadonlyMap<string, string>): ElementContent[] {
  let out: ElementContent[] | undefined;
  for (let index = 0; index < nodes.length; index++) {
    const node = nodes[index];
    if (node.type !== 'element') {
      out?.push(node);
      continue;
    }
    node.children = expand(node.children, components);
    const component = node.data?.imprintComponent;
    const source =
      component && component.component !== 'field' ? components.get(component.component) : undefined;
    if (!component || !source) {
      out?.push(node);
      continue;
    }
    out ??= nodes.slice(0, index);
    const slots: Slots = new Map([['', []]]);
    for (const child of node.children) {
      const field = child.type === 'element' ? child.data?.imprintComponent : undefined;
      if (child.type === 'element' && field?.component === 'field') {
        slots.set(String(field.fields.name), child.children);
      } else {
        slots.get('')?.push(child);
      }
    }
    // The slots are this construct's own children, and the construct is replaced: they need no copy.
    const rendered = fill(cloneTree(parseComponent(source)), fieldsOf(component.fields), slots, new Set());
    // The construct's place in the manuscript, so diagnostics about the rendered markup point at it.
    for (const element of rendered) {
      if (element.type === 'element' && node.position) element.position = node.position;
    }
    out.push(...rendered);
  }
  return out ?? nodes;
}

function fieldsOf(fields: ComponentFields): Fields {
  return Object.fromEntries(
    Object.entries(fields).filter((entry): entry is [string, string | boolean] => entry[1] !== undefined),
  );
}

/**
 * The templates parsed so far, and parsed ones to take as they are: the chapter cache keeps the theme's between
 * processes (src/book/component-cache.ts), so a rebuild's one edited chapter does not run parse5 cold on each.
 */
export function parsedComponents(): ReadonlyMap<string, ElementContent[]> {
  return parsed;
}

export function rememberParsedComponents(entries: Iterable<[string, ElementContent[]]>): void {
  for (const [source, nodes] of entries) if (!parsed.has(source)) parsed.set(source, nodes);
}

const parsedDocuments = new Map<string, Root>();

/**
 * The theme's document shell (document.html with its fields filled in) parsed as a whole document, once per
 * text: a copy for each page. Kept between processes with the components.
 */
export function parseDocumentTemplate(source: string): Root {
  let tree = parsedDocuments.get(source);
  if (!tree) {
    // A long preview sees a new text each time book.yaml's title changes: the texts are few, but not bounded.
    if (parsedDocuments.size >= 64) parsedDocuments.clear();
    tree = fromHtml(source);
    parsedDocuments.set(source, tree);
  }
  return structuredClone(tree);
}

export function parsedDocumentTemplates(): ReadonlyMap<string, Root> {
  return parsedDocuments;
}

export function rememberParsedDocumentTemplates(entries: Iterable<[string, Root]>): void {
  for (const [source, tree] of entries) if (!parsedDocuments.has(source)) parsedDocuments.set(source, tree);
}

function parseComponent(source: string): ElementContent[] {
  let nodes = parsed.get(source);
  if (!nodes) {
    const fragment = fromHtml(source.trim(), { fragment: true });
    // Positions in a template are lines of the template, not of the manuscript: drop them.
    visit(fragment, (child) => {
      delete child.position;
    });
    nodes = trim(fragment.children as ElementContent[]);
    parsed.set(source, nodes);
  }
  return nodes;
}

function trim(nodes: ElementContent[]): ElementContent[] {
  return nodes.filter(
    (node) =>
      !(node.type === 'comment') &&
      !(
        node.type === 'text' &&
        node.value.trim() === '' &&
        (node === nodes[0] || node === nodes[nodes.length - 1])
      ),
  );
}

const FIELD = /\{\{\s*([\w-]+)\s*\}\}/g;
const HAS_FIELD = /\{\{\s*[\w-]+\s*\}\}/;

function substitute(text: string, fields: Fields): string {
  return text.replace(FIELD, (_, name: string) => {
    const value = fields[name];
    return value === undefined || value === false ? '' : value === true ? '' : value;
  });
}

function isSet(fields: Fields, name: string): boolean {
  const value = fields[name];
  return value !== undefined && value !== false && value !== '';
}

/**
 * With `used` (slots that belong to the construct being replaced), a slot's content goes in as it is the
 * first time and as a copy after that; copying every time cost a copy of the whole chapter per level of
 * nesting. Without it, slot content may be held elsewhere and is always copied.
 */
function fill(nodes: ElementContent[], fields: Fields, slots: Slots, used?: Set<string>): ElementContent[] {
  const out: ElementContent[] = [];
  for (const node of nodes) {
    if (node.type === 'text') {
      out.push({ ...node, value: substitute(node.value, fields) });
      continue;
    }
    if (node.type !== 'element') {
      out.push(node);
      continue;
    }
    const { dataIf, dataUnless } = node.properties;
    const dropped =
      (typeof dataIf === 'string' && !dataIf.split(/\s+/).some((name) => isSet(fields, name))) ||
      (typeof dataUnless === 'string' && dataUnless.split(/\s+/).some((name) => isSet(fields, name)));
    if (dropped) {
      // Take the dropped element's indentation with it, so the output has no runs of blank lines.
      const previous = out[out.length - 1];
      if (previous?.type === 'text' && previous.value.trim() === '' && previous.value.includes('\n'))
        out.pop();
      continue;
    }
    delete node.properties.dataIf;
    delete node.properties.dataUnless;
    if (node.tagName === 'slot') {
      const name = typeof node.properties.name === 'string' ? node.properties.name : '';
      const content = slots.get(name);
      if (content && content.length > 0) {
        out.push(...(!used || used.has(name) ? cloneTree(content) : content));
        used?.add(name);
      } else {
        out.push(...fill(node.children, fields, slots, used));
      }
      continue;
    }
    node.properties = fillProperties(node.properties, fields);
    node.children = fill(node.children, fields, slots, used);
    out.push(node);
  }
  return out;
}

function fillProperties(properties: Properties, fields: Fields): Properties {
  const filled: Properties = {};
  for (const [key, value] of Object.entries(properties)) {
    if (typeof value === 'string') {
      const text = substitute(value, fields).trim();
      if (text !== '' || !HAS_FIELD.test(value)) filled[key] = text;
    } else if (Array.isArray(value)) {
      const tokens = value.flatMap((token) => substitute(String(token), fields).split(/\s+/)).filter(Boolean);
      if (tokens.length) filled[key] = tokens;
    } else {
      filled[key] = value;
    }
  }
  return filled;
}
