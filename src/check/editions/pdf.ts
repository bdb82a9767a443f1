/**
 * Checks of the print PDF with poppler-utils and qpdf: it parses, it is tagged, it has an outline, and every
 * font is embedded (a printer substitutes fonts that are not).
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import { plural } from './epubcheck.ts';
import { runTool, ToolMissingError, type ToolResult, toolMissing } from './tools.ts';

export interface PdfFont {
  name: string;
  type: string;
  embedded: boolean;
}

/**
 * `themeFonts`: the PostScript names of the theme's font files; any other font in the PDF came from the
 * system (a character no theme font has), and a Type 3 font is a faked bold or a colour or CFF face.
 */
export async function checkPdf(
  pdfFile: string,
  shownAs: string,
  themeFonts?: ReadonlySet<string>,
): Promise<ToolResult> {
  const diagnostics: Diagnostic[] = [];
  const at = { file: shownAs };
  const missing: string[] = [];
  const tool = async <T>(name: string, what: string, run: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof ToolMissingError)) throw error;
      missing.push(name);
      diagnostics.push({ ...toolMissing(name, what), ...at });
      return undefined;
    }
  };

  const info = await tool('pdfinfo', 'whether the PDF is tagged', () => runTool('pdfinfo', [pdfFile]));
  if (info && info.code !== 0) {
    diagnostics.push({
      code: 'pdf-unreadable',
      severity: 'error',
      message: `pdfinfo cannot read the PDF: ${info.stderr.trim().split('\n')[0]}`,
      hint: 'Report it: a PDF edition that does not parse is a bug.',
      ...at,
    });
    return { tool: 'pdf', status: 'failed', summary: 'unreadable', diagnostics };
  }
  const pages = Number(/^Pages:\s+(\d+)/m.exec(info?.stdout ?? '')?.[1] ?? 0);
  const tagged = /^Tagged:\s+yes/m.test(info?.stdout ?? '');
  if (info && !tagged) {
    diagnostics.push({
      code: 'pdf-untagged',
      severity: 'error',
      message: 'The PDF is not tagged.',
      hint: 'Report it: the PDF edition is always printed tagged.',
      ...at,
    });
  }

  const fontList = await tool('pdffonts', "the PDF's fonts", () => runTool('pdffonts', [pdfFile]));
  const fonts = fontList ? parsePdffonts(fontList.stdout) : [];
  for (const font of fonts.filter((candidate) => !candidate.embedded)) {
    diagnostics.push({
      code: 'pdf-fonts-not-embedded',
      severity: 'error',
      message: `The font ${font.name} (${font.type}) is not embedded in the PDF.`,
      hint: "Use fonts from @fontsource packages named in the theme's theme.yaml.",
      ...at,
    });
  }

  for (const font of fonts) {
    const name = font.name.replace(/^[A-Z]{6}\+/, '');
    if (font.type === 'Type 3') {
      diagnostics.push({
        code: 'pdf-type3-font',
        severity: 'error',
        message: `The PDF holds a Type 3 font (${name}): Chromium's stand-in for a faked bold or italic, a colour emoji or a CFF font.`,
        hint: 'Give the theme every weight and style the book uses (theme.yaml), static TrueType faces only, and monochrome emoji.',
        ...at,
      });
    } else if (themeFonts && !themeFonts.has(name)) {
      diagnostics.push({
        code: 'pdf-foreign-font',
        severity: 'error',
        message: `The PDF uses the font ${name}, which is not one of the theme's fonts (a system font stood in).`,
        hint: 'Look for glyph-missing warnings: a character no theme font has; add a font that covers it to theme.yaml.',
        ...at,
      });
    }
  }

  const outline = await tool('qpdf', "the PDF's outline", () =>
    runTool('qpdf', ['--json', '--json-key=outlines', pdfFile]),
  );
  const entries = outline ? countOutline(outline.stdout) : 0;
  if (outline && entries === 0) {
    diagnostics.push({
      code: 'pdf-no-outline',
      severity: 'error',
      message: 'The PDF has no outline (bookmarks).',
      hint: 'Give the chapters titles and headings; the outline is made from them.',
      ...at,
    });
  }

  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const facts = [
    plural(pages, 'page'),
    fontList
      ? `${fonts.filter((font) => font.embedded).length}/${plural(fonts.length, 'font')} embedded`
      : undefined,
    outline ? plural(entries, 'bookmark') : undefined,
    info ? (tagged ? 'tagged' : 'untagged') : undefined,
  ].filter(Boolean);
  return {
    tool: 'pdf',
    status: errors > 0 ? 'failed' : 'passed',
    summary: `${facts.join(', ')}${missing.length ? ` (${missing.join(', ')} not installed)` : ''}`,
    diagnostics,
  };
}

/**
 * Reads pdffonts' table. A long font name pushes the other columns right, so each row is read from both
 * ends: the name is its first word, then come the type (which may hold spaces) and, counted from the end,
 * the encoding, emb, sub, uni and the object id.
 */
export function parsePdffonts(output: string): PdfFont[] {
  const lines = output.split('\n');
  const ruler = lines.findIndex((line) => /^-+( -+)+\s*$/.test(line));
  if (ruler < 0) return [];
  return lines
    .slice(ruler + 1)
    .map((line) => line.trim().split(/\s+/))
    .filter((words) => words.length >= 8)
    .map((words) => ({
      name: words[0],
      type: words.slice(1, -6).join(' '),
      embedded: words[words.length - 5] === 'yes',
    }));
}

function countOutline(json: string): number {
  const count = (items: { kids?: unknown[] }[]): number =>
    items.reduce((total, item) => total + 1 + count((item.kids ?? []) as { kids?: unknown[] }[]), 0);
  try {
    return count((JSON.parse(json) as { outlines?: { kids?: unknown[] }[] }).outlines ?? []);
  } catch {
    return 0;
  }
}
