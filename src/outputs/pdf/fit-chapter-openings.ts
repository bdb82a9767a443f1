/**
 * Runs in the page, before the first print: an opening page whose lead figure would push it past one page
 * gets a shorter image, or, when that would leave less than an inch and a half of image, the figure moves
 * to the text. The screen layout measures it: the viewport is as wide as the text block.
 */
export async function fitChapterOpenings(limit: number): Promise<void> {
  // With the book's fonts: measured while one still loaded, an opening's text was set in a fallback face and the
  // figure came out a line taller or shorter from one build to the next (the seed's first opening: its caption
  // 10.5 pt apart in half of the builds).
  await document.fonts.ready;
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
