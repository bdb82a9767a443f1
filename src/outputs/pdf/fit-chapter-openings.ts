/**
 * Runs in the page, before the first print: an opening page whose lead figure would push it past one page
 * gets a shorter image, or, when that would leave less than an inch and a half of image, the figure moves
 * to the text. The screen layout measures it: the viewport is as wide as the text block.
 */
export function fitChapterOpenings(limit: number): void {
  // Every opening measured before any is changed: a read after a change lays the book out again, and no
  // opening's change moves another's size.
  const fits = [...document.querySelectorAll('.chapter-opening')].flatMap((opening) => {
    const figure = opening.querySelector(':scope > figure');
    const media = figure?.querySelector('img, .fpo');
    const excess = opening.getBoundingClientRect().height - limit;
    if (!figure || !(media instanceof HTMLElement) || excess <= 0) return [];
    return [{ opening, figure, media, height: media.getBoundingClientRect().height - excess }];
  });
  for (const { opening, figure, media, height } of fits) {
    if (height >= 144) {
      media.style.minHeight = '0';
      media.style.maxHeight = `${Math.floor(height)}px`;
      if (media.tagName === 'IMG') media.style.width = 'auto';
    } else {
      opening.after(figure);
    }
  }
}
