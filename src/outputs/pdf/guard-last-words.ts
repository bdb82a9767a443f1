/**
 * No break in the last word of a paragraph, kept where it is needed only. hyphenation-rules.ts marks each
 * paragraph's last word; once nothing but the lines moves, a last word Chromium broke across two lines (or two
 * pages) is wrapped in `<span style="hyphens: manual">`, without its soft hyphens, and goes whole to the last
 * line. Chromium 156 with its dictionaries never hyphenates a paragraph's last word by itself (verified in
 * test/guard-last-words.test.ts), so in a build this finds a word only where soft hyphens split it (the
 * fallback without dictionaries, or an author's) or where a future Chromium does. The line before keeps every
 * other word it had (Chromium breaks lines greedily, and only the word that did not fit is hyphenated), so the
 * pages the passes before measured stay as they were; where the whole word and what follows it do not fit on
 * the last line, the paragraph would grow by a line after the pages were made, and the word is left split.
 * Every other last word is left as it is: wrapped, it changed nothing, and a wrapper is an element and two
 * text nodes more in every layout and in the tree Chromium builds for the PDF's tags.
 */

/**
 * Runs in the page, with the chapters laid out as their pages, after the last pass that moves words between
 * lines (measure-lines.ts keeps words whole, and the rest of their paragraph breaks anew) and before the soft
 * hyphens are settled (settle-soft-hyphens.ts, which changes the text). Returns how many words it kept whole.
 * No named functions inside: see inspect-print-document.ts.
 */
export function guardLastWords(): number {
  const range = document.createRange();
  const LETTER = /\p{L}/u;
  const broken: { paragraph: Element; node: Text; start: number; word: string; height: number }[] = [];
  // A method, not a named function (see above).
  const heightOf = {
    /** A paragraph's height, summed over the columns (pages) it is laid out in. */
    paragraph(paragraph: Element) {
      return [...paragraph.getClientRects()].reduce((sum, box) => sum + box.height, 0);
    },
  };
  // Every read first, then every edit: a read after an edit would lay the book out again.
  const marked = [...document.querySelectorAll('[data-last-word]')];
  for (const paragraph of marked) {
    const word = paragraph.getAttribute('data-last-word') ?? '';
    const after = Number(paragraph.getAttribute('data-last-word-after'));
    if (!word || !Number.isInteger(after) || after < 0) continue;
    const texts: Text[] = [];
    const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) texts.push(node as Text);
    let end = texts.reduce((sum, text) => sum + text.data.length, 0) - after;
    let found: { node: Text; start: number } | undefined;
    for (const node of texts) {
      if (end > node.data.length) {
        end -= node.data.length;
        continue;
      }
      if (end >= word.length && node.data.slice(end - word.length, end) === word)
        found = { node, start: end - word.length };
      break;
    }
    // The text changed since it was marked (the contents' numbers are filled in): the word where it is a word
    // with no letter after it in the paragraph, or nowhere.
    for (let at = texts.length - 1; at >= 0 && !found; at--) {
      const node = texts[at] as Text;
      const start = node.data.lastIndexOf(word);
      if (
        start >= 0 &&
        !LETTER.test(node.data.slice(start + word.length)) &&
        !LETTER.test(node.data.charAt(start - 1))
      )
        found = { node, start };
      else if (LETTER.test(node.data)) break;
    }
    if (!found?.node.parentElement) continue;
    // Under `hyphens: none` not even a soft hyphen breaks it.
    if (getComputedStyle(found.node.parentElement).hyphens === 'none') continue;
    range.setStart(found.node, found.start);
    range.setEnd(found.node, found.start + word.length);
    if ([...range.getClientRects()].filter((rect) => rect.width > 0).length > 1)
      broken.push({ paragraph, ...found, word, height: heightOf.paragraph(paragraph) });
  }
  // The marks are spent (and a fallback's mark holds soft hyphens, which the document as printed must not).
  for (const paragraph of marked) {
    paragraph.removeAttribute('data-last-word');
    paragraph.removeAttribute('data-last-word-after');
  }
  // Each in a text node of its own paragraph: one edit does not move another's offsets.
  const kept = broken.map(({ node, start, word }) => {
    range.setStart(node, start);
    range.setEnd(node, start + word.length);
    const keep = document.createElement('span');
    keep.setAttribute('style', 'hyphens: manual');
    // Without its soft hyphens (the fallback's, or an author's): `hyphens: manual` would still break there.
    keep.textContent = word.replaceAll('\u00AD', '');
    range.deleteContents();
    range.insertNode(keep);
    return keep;
  });
  // A paragraph that grew (the whole word and what follows it did not fit on its last line) gets its word back.
  const grown = broken.map(({ paragraph, height }) => heightOf.paragraph(paragraph) > height + 0.5);
  grown.forEach((grew, index) => {
    if (grew) kept[index]?.replaceWith(document.createTextNode(broken[index]?.word ?? ''));
  });
  return grown.filter((grew) => !grew).length;
}
