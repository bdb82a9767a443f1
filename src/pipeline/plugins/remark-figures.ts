/**
 * Figures and images. An image alone in its paragraph becomes a figure captioned by the image's title;
 * `::figure[caption]{src="…" alt="…" credit="…"}` adds a credit; `fpo` marks a figure whose image is "for
 * position only" (a visible placeholder and a warning); `bleed` makes it a full page that runs into the bleed
 * of the press interior. Every image is checked here, once, for every edition: it must be a local file
 * inside the manuscript folder once symlinks are followed, in a format all editions can show, with alt text.
 * Its bytes are checked when the book is loaded (src/book/book-images.ts).
 */
import path from 'node:path';
import type { Image, Paragraph, PhrasingContent, Root } from 'mdast';
import type { LeafDirective } from 'mdast-util-directive';
import type { Node } from 'unist';
import { SKIP, visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { resolveInside } from '../../book/inside-folder.ts';
import type { ImageAsset } from '../../book/types.ts';
import { leavesTheManuscript } from '../addresses.ts';
import { directiveFields } from '../component-fields.ts';
import { fieldSlot, imprintBlock } from '../imprint-node.ts';
import { report } from '../report.ts';

export const IMAGE_TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
};

export default function remarkFigures() {
  return (tree: Root, file: VFile) => {
    file.data.images ??= [];
    const images = file.data.images;
    const resolve = (node: Node, url: string, alt: string | undefined, placeholder: boolean) => {
      const asset = resolveImage(file, node, url, placeholder);
      if (asset && !images.some((known) => known.source === asset.source)) images.push(asset);
      if (!placeholder && !alt?.trim()) {
        report(
          file,
          node,
          'error',
          'image-alt',
          `The image "${url}" has no alt text.`,
          'Describe what it shows, e.g. ![Paratroopers near the Eiffel Tower](photo.jpg); screen-reader users depend on it.',
        );
      }
      return asset?.href;
    };

    visit(tree, (node, index, parent) => {
      if (!parent || index === undefined) return;
      if (node.type === 'leafDirective' && (node as LeafDirective).name === 'figure') {
        const directive = node as LeafDirective;
        // bleed: a full-page image that runs into the bleed in the press interior (`--format print`).
        const {
          src = '',
          alt,
          credit,
          fpo = false,
          bleed = false,
        } = directiveFields(file, directive, 'figure');
        if (!src && !fpo) {
          report(
            file,
            node,
            'error',
            'figure-src',
            'This figure has no image.',
            'Add src="images/photo.jpg", or mark it fpo.',
          );
        }
        const href = src ? resolve(node, src, alt, fpo) : undefined;
        if (fpo) warnFpo(file, node);
        parent.children.splice(
          index,
          1,
          figure(href, alt ?? '', directive.children, credit, fpo, node, bleed) as never,
        );
        return [SKIP, index + 1];
      }
      if (node.type === 'paragraph') {
        const image = loneImage(node as Paragraph);
        if (image) {
          const href = resolve(image, image.url, image.alt ?? undefined, false);
          const caption: PhrasingContent[] = image.title ? [{ type: 'text', value: image.title }] : [];
          parent.children.splice(
            index,
            1,
            figure(href, image.alt ?? '', caption, undefined, false, node) as never,
          );
          return [SKIP, index + 1];
        }
      }
      if (node.type === 'image') {
        const image = node as Image;
        // An unresolved image is left with no source; rehype-raw-images drops it without a second report,
        // and leaves a resolved one alone.
        image.url = resolve(image, image.url, image.alt ?? undefined, false) ?? '';
        image.data = { ...image.data, hProperties: { ...image.data?.hProperties, dataImprintChecked: true } };
      }
    });
  };
}

function figure(
  href: string | undefined,
  alt: string,
  caption: PhrasingContent[],
  credit: string | undefined,
  fpo: boolean,
  node: Node,
  bleed = false,
) {
  const slots = caption.length ? [fieldSlot('caption', caption)] : [];
  return imprintBlock(
    'figure',
    { src: href, alt, credit, fpo, caption: caption.length > 0, bleed: bleed ? 'bleed' : undefined },
    slots as never[],
    node.position,
  );
}

function loneImage(paragraph: Paragraph): Image | undefined {
  const meaningful = paragraph.children.filter(
    (child) => !(child.type === 'text' && child.value.trim() === ''),
  );
  return meaningful.length === 1 && meaningful[0].type === 'image' ? meaningful[0] : undefined;
}

function warnFpo(file: VFile, node: Node) {
  report(
    file,
    node,
    'warning',
    'figure-fpo',
    'This figure is marked fpo: a placeholder stands where the image will go.',
    'Replace it with the final image and remove fpo before the book goes to print.',
  );
}

/** Maps a manuscript image reference to a file on disk and the path every edition uses for it. */
export function resolveImage(
  file: VFile,
  node: Node,
  url: string,
  placeholder: boolean,
): ImageAsset | undefined {
  const context = file.data.imprint;
  if (/^file:/i.test(url)) {
    report(
      file,
      node,
      'error',
      'image-outside',
      `The image "${url}" is a file: URL, which only works on this computer.`,
      'Copy it into the manuscript folder (e.g. images/) and refer to it by a relative path.',
    );
    return undefined;
  }
  if (leavesTheManuscript(url)) {
    report(
      file,
      node,
      'error',
      'remote-url',
      `The image "${url}" is not a local file; Imprint never downloads anything during a build.`,
      'Save the image into the manuscript folder and refer to it by its path.',
    );
    return undefined;
  }
  if (!context) return undefined;
  const chapterDir = file.path ? path.dirname(file.path) : context.manuscriptDir;
  const source = path.resolve(chapterDir, safeDecode(url.split(/[?#]/)[0]));
  const relative = path.relative(context.manuscriptDir, source);
  // A book carries its images with it: an absolute path or one that leaves the folder would not travel.
  if (path.isAbsolute(url) || relative.startsWith('..') || path.isAbsolute(relative)) {
    report(
      file,
      node,
      'error',
      'image-outside',
      `The image "${url}" is outside the manuscript folder.`,
      'Copy it into the manuscript folder (e.g. images/) and refer to it by a relative path.',
    );
    return undefined;
  }
  const extension = path.extname(source).toLowerCase();
  const mediaType = IMAGE_TYPES[extension];
  const resolved = resolveInside(source, context.manuscriptDir);
  if (!resolved.ok && resolved.reason === 'outside') {
    report(
      file,
      node,
      'error',
      'image-outside',
      `The image "${url}" leads outside the manuscript folder (through a symlink).`,
      'Copy the image itself into the manuscript folder instead of linking to it.',
    );
    return undefined;
  }
  if (!resolved.ok) {
    if (!placeholder) {
      report(
        file,
        node,
        'error',
        'missing-image',
        resolved.reason === 'not-a-file'
          ? `The image "${url}" is a folder, not a file.`
          : `The image "${url}" does not exist (looked for ${path.relative(process.cwd(), source)}).`,
        'Check the file name, or mark the figure fpo until the image arrives.',
      );
    }
    return undefined;
  }
  if (!mediaType) {
    report(
      file,
      node,
      'error',
      'image-format',
      `The image "${url}" is a ${extension || 'file without extension'}, which not every edition can show.`,
      'Convert it to JPEG, PNG, GIF, WebP or SVG.',
    );
    return undefined;
  }
  // Editions mirror the manuscript folder's layout, so two images with one file name stay two images. The
  // file read is the real one that was checked to be inside the folder.
  const start = node.position?.start;
  return {
    source: resolved.real,
    href: relative.split(path.sep).join('/'),
    mediaType,
    line: start?.line,
    column: start?.column,
  };
}

function safeDecode(url: string): string {
  try {
    return decodeURI(url);
  } catch {
    return url;
  }
}
