/**
 * Runs in the page, before the first print: an opening page whose lead figure would push it past one page
 * gets a shorter image, or, when that would leave less than an inch and a half of image, the figure moves
 * to the text. The screen layout measures it: the viewport is as wide as the text block.
 */
export function fitChapterOpenings(limit: number): void {
  for (const opening of document.querySelectorAll('.chapter-opening')) {
    const figure = opening.querySelector(':scope > figure');
    const media = figure?.querySelector('img, .fpo');
    const excess = opening.getBoundingClientRect().height - limit;
    if (!figure || !(media instanceof HTMLElement) || excess <= 0) continue;
    const height = media.getBoundingClientRect().height - excess;
    if (height >= 144) {
      media.style.minHeight = '0';
      media.style.maxHeight = `${Math.floor(height)}px`;
      if (media.tagName === 'IMG') media.style.width = 'auto';
    } else {
      opening.after(figure);
    }
  }
}
