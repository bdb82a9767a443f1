/**
 * Table cells that hold a number (`1,250`, `−3.5`, `12 %`, `$40`, `١٢٣`) get the class `numeric`, so the
 * theme can set their figures tabular and they line up down the column, while figures in a cell of prose stay
 * as the text sets them. A column aligned right in Markdown (`---:`) is treated as numeric by the CSS too.
 */
import type { Element, Root } from 'hast';
import { toString as textOf } from 'hast-util-to-string';
import { visit } from 'unist-util-visit';

/**
 * An optional sign or currency, digits in any script with group and decimal marks (a space only before a group of
 * three), an optional per cent or currency sign.
 */
const NUMBER =
  /^[-+\u2212\u00b1]?[\p{Sc}]?\s?\p{Nd}(?:[.,'\u066b\u066c]?\p{Nd}|[\s\u066c]\p{Nd}{3})*\s?[%\u2030\u066a]?\s?[\p{Sc}]?$/u;

function isNumeric(text: string): boolean {
  return NUMBER.test(text.trim());
}

export default function rehypeNumericCells() {
  return (tree: Root) => {
    visit(tree, 'element', (cell: Element) => {
      if ((cell.tagName !== 'td' && cell.tagName !== 'th') || !isNumeric(textOf(cell))) return;
      const classes = Array.isArray(cell.properties.className) ? cell.properties.className : [];
      cell.properties.className = [...classes, 'numeric'];
    });
  };
}
