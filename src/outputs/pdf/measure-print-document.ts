import type { PrintMeasurements } from './finish-pdf.ts';

/**
 * Runs in the page, before printing: the theme's style of the running heads and folios, and of every contents
 * number, with the placeholder's width and baseline, so the numbers drawn later sit where the text would.
 */
export function measurePrintDocument(): PrintMeasurements {
  const head = document.querySelector('.imprint-page-furniture .running-head');
  const folio = document.querySelector('.imprint-page-furniture .folio');
  if (!head || !folio) throw new Error('The print document has no page furniture samples.');
  const placeholders = [...document.querySelectorAll('.toc-page[id]')];
  // No named functions here: see inspectPrintDocument.
  const [headStyle, folioStyle, ...numberStyles] = [head, folio, ...placeholders].map((element) => {
    const style = getComputedStyle(element);
    return {
      fontFamily: style.fontFamily,
      fontWeight: style.fontWeight,
      fontStyle: style.fontStyle,
      fontSize: style.fontSize,
      color: style.color,
      letterSpacing: style.letterSpacing,
      textTransform: style.textTransform,
    };
  });
  const tocNumbers: PrintMeasurements['tocNumbers'] = {};
  const column = document.body.getBoundingClientRect();
  // Every probe in before any is read, and out after: a read between two changes lays the book out again.
  const boxes = placeholders.map((placeholder) => placeholder.getBoundingClientRect());
  const probes = placeholders.map((placeholder) => {
    const probe = document.createElement('span');
    probe.style.cssText = 'display: inline-block; width: 0; height: 0; vertical-align: baseline;';
    placeholder.append(probe);
    return probe;
  });
  placeholders.forEach((placeholder, index) => {
    tocNumbers[placeholder.id] = {
      style: numberStyles[index],
      width: boxes[index].width,
      fromRight: column.right - boxes[index].right,
      baseline: probes[index].getBoundingClientRect().top - boxes[index].top,
    };
  });
  for (const probe of probes) probe.remove();
  return {
    runningHead: headStyle,
    folio: folioStyle,
    headGap: Number.parseFloat(getComputedStyle(head).marginBottom) || 0,
    tocNumbers,
  };
}
