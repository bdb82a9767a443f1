/**
 * The intermediate vocabulary between the manuscript and the templates. Plugins turn manuscript constructs
 * into component nodes that carry the component's name and fields in their data; they pass through
 * remark-rehype and rehype-raw as nodes of their own (so raw HTML cannot open or close them), become
 * `imprint-<component>` elements before the sanitiser (which keeps their data and allows them no
 * attributes), and the components plugin then replaces each with the theme's HTML for it. Users never write
 * these elements themselves: one written as raw HTML is unwrapped (rehype-component-elements.ts).
 */
import type { Element, ElementContent } from 'hast';
import type { BlockContent, Data, DefinitionContent, PhrasingContent } from 'mdast';
import type { Position } from 'unist';

export type ComponentFields = Record<string, string | boolean | undefined>;

export interface ComponentData extends Data {
  component: string;
  fields: ComponentFields;
}

export interface ImprintBlock {
  type: 'imprintBlock';
  children: (BlockContent | DefinitionContent | ImprintBlock)[];
  position?: Position;
  data: ComponentData;
}

export interface ImprintInline {
  type: 'imprintInline';
  children: PhrasingContent[];
  position?: Position;
  data: ComponentData;
}

/** The same nodes after remark-rehype, until rehype-component-elements makes them elements. */
export interface HastComponent {
  type: 'imprintBlock' | 'imprintInline';
  children: ElementContent[];
  position?: Position;
  data: ComponentData;
}

export const COMPONENT_NODE_TYPES = ['imprintBlock', 'imprintInline'] as const;

declare module 'mdast' {
  interface RootContentMap {
    imprintBlock: ImprintBlock;
    imprintInline: ImprintInline;
  }
  interface BlockContentMap {
    imprintBlock: ImprintBlock;
  }
  interface PhrasingContentMap {
    imprintInline: ImprintInline;
  }
}

declare module 'hast' {
  interface ElementData {
    /** Set on `imprint-<component>` elements the pipeline made; the components plugin expands only these. */
    imprintComponent?: ComponentData;
  }
}

export const componentTag = (name: string) => `imprint-${name}`;

/** Unset fields are left out, so a template's `data-if` sees them as unset. */
function defined(fields: ComponentFields): ComponentFields {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

export function imprintBlock(
  name: string,
  fields: ComponentFields,
  children: ImprintBlock['children'],
  position?: Position,
): ImprintBlock {
  return { type: 'imprintBlock', children, position, data: { component: name, fields: defined(fields) } };
}

export function imprintInline(
  name: string,
  fields: ComponentFields,
  children: PhrasingContent[],
  position?: Position,
): ImprintInline {
  return { type: 'imprintInline', children, position, data: { component: name, fields: defined(fields) } };
}

/** A named piece of rich content passed to a component, filling its `<slot name="…">`. */
export function fieldSlot(name: string, children: PhrasingContent[]): ImprintInline {
  return imprintInline('field', { name }, children);
}

/** The element a component becomes before the sanitiser; its fields stay in data. */
export function componentElement(
  data: ComponentData,
  children: ElementContent[],
  position?: Position,
): Element {
  // Some hast utilities declare `ElementData.position` as always present; this element is new.
  const element: Element = {
    type: 'element',
    tagName: componentTag(data.component),
    properties: {},
    children,
    data: { imprintComponent: data } as Element['data'],
  };
  if (position) element.position = position;
  return element;
}
