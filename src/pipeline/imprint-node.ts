/**
 * The intermediate vocabulary between the manuscript and the templates. Plugins turn manuscript constructs
 * into `imprint-<component>` elements whose attributes are the component's fields; the components plugin
 * then replaces each with the theme's HTML for it. Users never write these elements themselves.
 */
import type { BlockContent, DefinitionContent, PhrasingContent } from 'mdast';
import type { Position } from 'unist';

export type ComponentFields = Record<string, string | boolean | undefined>;

export interface ImprintBlock {
  type: 'imprintBlock';
  children: (BlockContent | DefinitionContent | ImprintBlock)[];
  position?: Position;
  data: { hName: string; hProperties: Record<string, string> };
}

export interface ImprintInline {
  type: 'imprintInline';
  children: PhrasingContent[];
  position?: Position;
  data: { hName: string; hProperties: Record<string, string> };
}

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

export const componentTag = (name: string) => `imprint-${name}`;

/**
 * Fields travel as attribute text: the sanitiser drops boolean attributes, so a set flag is "true" and an
 * unset one is left out.
 */
function attributes(fields: ComponentFields): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === true) out[key] = 'true';
    else if (typeof value === 'string') out[key] = value;
  }
  return out;
}

export function imprintBlock(
  name: string,
  fields: ComponentFields,
  children: ImprintBlock['children'],
  position?: Position,
): ImprintBlock {
  return {
    type: 'imprintBlock',
    children,
    position,
    data: { hName: componentTag(name), hProperties: attributes(fields) },
  };
}

export function imprintInline(
  name: string,
  fields: ComponentFields,
  children: PhrasingContent[],
  position?: Position,
): ImprintInline {
  return {
    type: 'imprintInline',
    children,
    position,
    data: { hName: componentTag(name), hProperties: attributes(fields) },
  };
}

/** A named piece of rich content passed to a component, filling its `<slot name="…">`. */
export function fieldSlot(name: string, children: PhrasingContent[]): ImprintInline {
  return imprintInline('field', { name }, children);
}
