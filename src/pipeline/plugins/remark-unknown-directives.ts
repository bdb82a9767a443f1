/**
 * Directives that no plugin claimed. A block directive (`::name` or `:::name`) is a typo or a feature the
 * theme does not have: an error, since its content would vanish. Text such as "ratio 3:2" or "note:this" is
 * parsed as a text directive by accident, so an unknown text directive is put back as the text it was.
 */
import type { Root, Text } from 'mdast';
import type { ContainerDirective, LeafDirective, TextDirective } from 'mdast-util-directive';
import { SKIP, visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { didYouMean } from '../../diagnostics/did-you-mean.ts';
import { report } from '../report.ts';

export const BLOCK_DIRECTIVES = ['pullquote', 'aside', 'related', 'figure'];

export default function remarkUnknownDirectives() {
  return (tree: Root, file: VFile) => {
    visit(tree, (node, index, parent) => {
      if (!parent || index === undefined) return;
      if (node.type === 'containerDirective' || node.type === 'leafDirective') {
        const directive = node as ContainerDirective | LeafDirective;
        const suggestion = didYouMean(directive.name, BLOCK_DIRECTIVES);
        report(
          file,
          node,
          'error',
          'unknown-directive',
          `Unknown directive "${directive.type === 'leafDirective' ? '::' : ':::'}${directive.name}".`,
          suggestion
            ? `Did you mean "${suggestion}"?`
            : `Imprint knows ${BLOCK_DIRECTIVES.join(', ')} (and :pull[…] inside a paragraph).`,
        );
        parent.children.splice(
          index,
          1,
          ...(directive.type === 'containerDirective' ? directive.children : []),
        );
        return [SKIP, index];
      }
      if (node.type === 'textDirective') {
        const directive = node as TextDirective;
        const source = sourceOf(directive, file);
        // With a [label] or {attributes} it was meant as a directive, not an accident of punctuation.
        if (/^:[\w-]+[[{]/.test(source)) {
          report(
            file,
            node,
            'warning',
            'unknown-directive',
            `Unknown inline directive ":${directive.name}"; it is kept as plain text.`,
            didYouMean(directive.name, ['pull'])
              ? 'Did you mean ":pull[…]"?'
              : 'The only inline directive is :pull[…].',
          );
        }
        const text: Text = { type: 'text', value: source, position: node.position };
        parent.children.splice(index, 1, text as never);
        return [SKIP, index + 1];
      }
    });
  };
}

function sourceOf(node: TextDirective, file: VFile): string {
  const start = node.position?.start.offset;
  const end = node.position?.end.offset;
  if (start === undefined || end === undefined) return `:${node.name}`;
  return String(file.value).slice(start, end);
}
