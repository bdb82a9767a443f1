/**
 * No silent shrink: Chromium scales every page of a PDF down when one element reaches past the page box
 * (96.4 % over an 800-page book for 17 px). Before printing, the print document is measured in the page and
 * anything whose right edge passes the text block is wrapped (code) or scaled to fit, with a `wide-block`
 * warning that names the manuscript file and line (or the element's id).
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';

export interface WideBlock {
  file?: string;
  line?: number;
  tag: string;
  id?: string;
  /** How far its right edge reached, from the text block's left edge, in CSS px. */
  right: number;
  fix: 'wrapped' | 'scaled';
  /** The scale it was set at (1 when wrapped). */
  scale: number;
}

/**
 * Runs in the page (no named inner functions: the TypeScript runner would wrap them in a helper that does
 * not exist there). `column` is the text block's width in CSS px. Code blocks whose lines run past it wrap
 * (`white-space: pre-wrap`); any other element whose box ends past it — the outermost one — gets `zoom` so
 * that it ends at the column's edge (images and SVG a max-width instead, keeping their proportions).
 */
export function fitWideBlocks(column: number): WideBlock[] {
  const limit = column + 0.5;
  const origin = document.body.getBoundingClientRect().left;
  const found: [Element, number, WideBlock['fix'], number][] = [];
  for (const pre of document.querySelectorAll('pre')) {
    const box = pre.getBoundingClientRect();
    const right = box.left - origin + Math.max(box.width, pre.scrollWidth);
    if (right <= limit) continue;
    pre.style.whiteSpace = 'pre-wrap';
    pre.style.overflowWrap = 'anywhere';
    found.push([pre, right, 'wrapped', 1]);
  }
  const fixed: Element[] = [];
  for (const element of document.body.querySelectorAll('*')) {
    if (fixed.some((outer) => outer.contains(element))) continue;
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.right - origin <= limit) continue;
    const left = box.left - origin;
    const available = column - Math.max(left, 0);
    const scale = Math.max(0.1, Math.min(1, available / (box.right - origin - Math.max(left, 0))));
    const style = (element as HTMLElement | SVGElement).style;
    if (element.tagName === 'IMG' || element.tagName === 'svg' || element.tagName === 'VIDEO') {
      style.maxWidth = `${Math.floor(available)}px`;
      style.height = 'auto';
    } else {
      style.zoom = String(Math.floor(scale * 1000) / 1000);
    }
    fixed.push(element);
    found.push([element, box.right - origin, 'scaled', scale]);
  }
  return found.map(([element, right, fix, scale]) => ({
    file: element.closest('[data-source-file]')?.getAttribute('data-source-file') ?? undefined,
    line: Number(element.closest('[data-source-line]')?.getAttribute('data-source-line')) || undefined,
    tag: element.tagName.toLowerCase(),
    id: element.closest('[id]')?.id || undefined,
    right,
    fix,
    scale,
  }));
}

/** One `wide-block` warning per manuscript place (tables keep their own `wide-table`). */
export function wideBlockDiagnostics(blocks: readonly WideBlock[], column: number): Diagnostic[] {
  const points = (pixels: number) => Math.round((pixels * 72) / 96);
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const block of blocks) {
    const key = `${block.file}:${block.line ?? block.id}:${block.tag}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const what =
      block.id && block.line === undefined ? `<${block.tag}> in #${block.id}` : `This ${block.tag}`;
    const done =
      block.fix === 'wrapped'
        ? 'its long lines now wrap'
        : `it is set at ${Math.round(block.scale * 100)} % to fit (the rest of the page keeps its size)`;
    diagnostics.push({
      code: 'wide-block',
      severity: 'warning',
      message: `${what} reaches ${points(block.right)} pt across the ${points(column)} pt text block of the PDF: ${done}.`,
      hint: 'Make it narrower (shorter code lines, a smaller image or table), or accept the wrapping or scaling.',
      file: block.file,
      line: block.line,
      column: block.line === undefined ? undefined : 1,
    });
  }
  return diagnostics;
}
