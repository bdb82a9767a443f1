/**
 * Draws a filled-in cover template: Satori lays it out and writes its text as outlines from the given font
 * files (so no font of the machine is ever used), and sharp rasterises that SVG to a PNG. Kept apart from
 * the template's reading so a worker thread can draw with nothing else loaded.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { CoverFont } from './cover-fonts.ts';
import type { CoverNode } from './cover-tree.ts';

/** 2:3, the shape bookshops ask for. */
export const COVER_SIZE = { width: 1600, height: 2400 } as const;

export interface CoverDrawing {
  tree: CoverNode;
  fonts: CoverFont[];
}

type Satori = (
  element: CoverNode,
  options: {
    width: number;
    height: number;
    fonts: { name: string; data: Buffer; weight: number; style: string }[];
    onNodeDetected?: (node: { top: number; height: number }) => void;
  },
) => Promise<string>;

const require = createRequire(import.meta.url);

/**
 * The cover as a PNG. The template's `--fit` (1 at first) shrinks until nothing reaches past the bottom
 * edge, as a long title would.
 */
export async function drawCover({ tree, fonts }: CoverDrawing): Promise<Uint8Array> {
  const satori = ((await import('satori')) as unknown as { default: Satori }).default;
  const faces = fonts.map((font) => ({
    name: font.name,
    data: readFileSync(font.source),
    weight: font.weight,
    style: font.style,
  }));
  let fit = 1;
  let svg: string;
  for (;;) {
    let bottom = 0;
    tree.props.style = { '--fit': String(fit) };
    svg = await satori(tree, {
      ...COVER_SIZE,
      fonts: faces,
      onNodeDetected: (node) => {
        bottom = Math.max(bottom, node.top + node.height);
      },
    });
    if (bottom <= COVER_SIZE.height + 0.5 || fit <= 0.3) break;
    // Type set smaller takes fewer lines as well: the height falls about with the square of the size.
    fit = Math.max(0.3, fit * Math.min(0.92, Math.sqrt(COVER_SIZE.height / bottom)));
  }
  const sharp = require('sharp') as typeof import('sharp').default;
  // White where the template paints nothing, as a browser's canvas is.
  return new Uint8Array(await sharp(Buffer.from(svg)).flatten({ background: '#ffffff' }).png().toBuffer());
}
