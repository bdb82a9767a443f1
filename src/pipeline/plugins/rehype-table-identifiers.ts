/**
 * Long identifiers in table cells (`MulAssignExpression`, `snake_case_name`, `std::vector`, `a.b.c`) may
 * break only where a reader expects: a `<wbr>` goes before each inner capital, after `_`, `.`, `/`, `::` and
 * `-`, so a narrow column wraps "MulAssign/Expression", never "MulAssig/n". A table still wider than the
 * page gets the `wide-table` warning from the print edition.
 */
import type { Element, ElementContent, Root } from 'hast';
import { visit } from 'unist-util-visit';

/** Shorter words fit any column. */
const MIN_LENGTH = 12;
const IDENTIFIER = /[A-Za-z0-9]*(?:[a-z0-9][A-Z]|[_./]|::|-)[\w./:-]*/;
const BREAKS = /(?<=[a-z0-9])(?=[A-Z])|(?<=[_./-]|::)(?=\w)/g;

export default function rehypeTableIdentifiers() {
  return (tree: Root) => {
    visit(tree, 'element', (cell: Element) => {
      if (cell.tagName !== 'td' && cell.tagName !== 'th') return;
      breakIdentifiers(cell);
    });
  };
}

function breakIdentifiers(parent: Element) {
  const children: ElementContent[] = [];
  for (const child of parent.children) {
    if (child.type === 'element') {
      breakIdentifiers(child);
      children.push(child);
      continue;
    }
    if (child.type !== 'text') {
      children.push(child);
      continue;
    }
    for (const [index, word] of child.value.split(/(\s+)/).entries()) {
      if (index % 2 === 1 || word.length < MIN_LENGTH || !IDENTIFIER.test(word)) {
        appendText(children, word);
        continue;
      }
      word.split(BREAKS).forEach((part, at) => {
        if (at > 0) children.push({ type: 'element', tagName: 'wbr', properties: {}, children: [] });
        appendText(children, part);
      });
    }
  }
  parent.children = children as Element['children'];
}

function appendText(children: ElementContent[], value: string) {
  if (!value) return;
  const last = children[children.length - 1];
  if (last?.type === 'text') last.value += value;
  else children.push({ type: 'text', value });
}
