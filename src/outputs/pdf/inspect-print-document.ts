export interface Inspection {
  headings: { id: string; text: string }[];
  failedFonts: { family: string; weight: string; style: string; unicodeRange: string }[];
  brokenImages: Located[];
  wide: (Located & { tag: string; width: number })[];
  column: number;
}

export interface Located {
  src?: string;
  file?: string;
  line?: number;
}

/**
 * Runs in the page. It declares no named functions of its own: the TypeScript runner would wrap them in a
 * naming helper that does not exist in the page.
 */
export async function inspectPrintDocument(): Promise<Inspection> {
  await document.fonts.ready;
  // The print page is hidden (open-print-page.ts), where image.decode() never settles: an image that has
  // finished loading and has no size did not load or does not decode (as decode() would reject).
  const images = [...document.images];
  const broken = images.map((image) => image.complete && image.naturalWidth === 0);
  const column = document.documentElement.clientWidth;
  // Cells may break words anywhere so that nothing runs off the page; a table that needs that is still too
  // wide to read, so tables are measured as if they could not.
  const measuring = document.createElement('style');
  measuring.textContent = 'th, td { overflow-wrap: normal !important; word-break: normal !important; }';
  document.head.append(measuring);
  const located = [...document.querySelectorAll('[data-source-line]')].map((element) => ({
    element,
    file: element.closest('[data-source-file]')?.getAttribute('data-source-file') ?? undefined,
    line: Number(element.closest('[data-source-line]')?.getAttribute('data-source-line')) || undefined,
  }));
  const wide = located.flatMap(({ element, file, line }) => {
    const width = Math.max(element.getBoundingClientRect().width, element.scrollWidth);
    return width > column + 1 ? [{ file, line, tag: element.tagName.toLowerCase(), width }] : [];
  });
  measuring.remove();
  return {
    headings: [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((heading) => ({
      id: heading.id,
      text: heading.textContent ?? '',
    })),
    failedFonts: [...document.fonts]
      .filter((face) => face.status === 'error')
      .map((face) => ({
        family: face.family,
        weight: face.weight,
        style: face.style,
        unicodeRange: face.unicodeRange,
      })),
    brokenImages: images.flatMap((image, index) => {
      if (!broken[index]) return [];
      const place = located.find((candidate) => candidate.element === image);
      return [{ file: place?.file, line: place?.line, src: image.getAttribute('src') ?? '' }];
    }),
    wide,
    column,
  };
}
