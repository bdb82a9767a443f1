/**
 * The contrast of every piece of text in a page against the colour behind it, as Chromium computes them (the
 * WCAG formula over computed colours, backgrounds composited up to the canvas). For tests of colour schemes.
 */
import type { Browser } from 'puppeteer-core';

export interface TextContrast {
  text: string;
  ratio: number;
  colour: string;
}

/** Opens `url` in `scheme` (a phone's 390×844 unless told), adds `css` (a reading system's theme), and measures every text. */
export async function textContrasts(
  browser: Browser,
  url: string,
  scheme: 'light' | 'dark',
  css?: string,
  viewport = { width: 390, height: 844 },
): Promise<TextContrast[]> {
  const page = await browser.newPage();
  try {
    await page.setViewport(viewport);
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
    await page.goto(url);
    if (css) await page.addStyleTag({ content: css });
    return await page.evaluate(() => {
      const parse = (colour: string) => {
        const [r, g, b, a = 1] = (colour.match(/[\d.]+/g) ?? []).map(Number);
        return { r, g, b, a };
      };
      type Rgba = ReturnType<typeof parse>;
      const over = (top: Rgba, bottom: Rgba): Rgba => ({
        r: top.r * top.a + bottom.r * (1 - top.a),
        g: top.g * top.a + bottom.g * (1 - top.a),
        b: top.b * top.a + bottom.b * (1 - top.a),
        a: 1,
      });
      const luminance = ({ r, g, b }: Rgba) => {
        const channel = (value: number) => {
          const c = value / 255;
          return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        };
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
      };
      /** The colour behind an element: its own and its ancestors' backgrounds over the canvas (white). */
      const background = (element: Element): Rgba => {
        const layers: Rgba[] = [];
        for (let node: Element | null = element; node; node = node.parentElement) {
          const colour = parse(getComputedStyle(node).backgroundColor);
          if (colour.a > 0) layers.push(colour);
          if (colour.a >= 1) break;
        }
        return layers
          .reverse()
          .reduce((below, layer) => over(layer, below), { r: 255, g: 255, b: 255, a: 1 });
      };
      const found: { text: string; ratio: number; colour: string }[] = [];
      for (const element of Array.from(document.body.querySelectorAll('*'))) {
        const own = Array.from(element.childNodes)
          .filter((node) => node.nodeType === Node.TEXT_NODE)
          .map((node) => node.textContent ?? '')
          .join('')
          .trim();
        if (!own || !element.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
        const style = getComputedStyle(element);
        const back = background(element);
        const text = over(parse(style.color), back);
        const [light, dark] = [luminance(text), luminance(back)].sort((x, y) => y - x);
        found.push({ text: own.slice(0, 40), ratio: (light + 0.05) / (dark + 0.05), colour: style.color });
      }
      return found;
    });
  } finally {
    await page.close();
  }
}
