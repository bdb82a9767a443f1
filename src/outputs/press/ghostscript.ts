/**
 * Ghostscript's pdfwrite turns a Chromium PDF into a PDF/X-3:2002 press file: colour converted to the
 * output profile (DeviceGray for a black-and-white book, DeviceCMYK for colour), transparency flattened
 * (PDF/X-3 is PDF 1.3, which has none), every font embedded, no outline, no annotations, and an output
 * intent that embeds the ICC profile. Verified with Debian 12's gs 10.00: `-dPDFX` writes
 * `/GTS_PDFXVersion (PDF/X-3:2002)`; `-dPDFX=1`, `=3` and `=4` stop with "rangecheck in .putdeviceprops".
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runTool, ToolMissingError } from '../../check/editions/tools.ts';
import { ImprintError } from '../../diagnostics/diagnostic.ts';

/** The ICC profiles Debian's libgs-common installs with Ghostscript (Artifex's SWOP CMYK and its grey). */
const ICC_DIRS = ['/usr/share/color/icc/ghostscript'];
export const OUTPUT_PROFILES = {
  cmyk: { file: 'default_cmyk.icc', condition: 'SWOP (Artifex CMYK SWOP Profile)' },
  gray: { file: 'default_gray.icc', condition: 'Grey (Artifex default grey profile)' },
} as const;

export interface PressConversion {
  /** true: CMYK through the profile; false: grey on the black plate only, text solid black. */
  color: boolean;
  title: string;
  /** A folder for the PDF/X definition file; the caller removes it. */
  workDir: string;
}

/** Where the output profile is: gs's own iccprofiles folder first, then Debian's shared copy. */
export async function findOutputProfile(color: boolean): Promise<string> {
  const { file } = OUTPUT_PROFILES[color ? 'cmyk' : 'gray'];
  const version = (await ghostscript(['--version'])).stdout.trim();
  const candidates = [path.join('/usr/share/ghostscript', version, 'iccprofiles'), ...ICC_DIRS].map((dir) =>
    path.join(dir, file),
  );
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found)
    throw ghostscriptProblem(
      `Ghostscript's ICC profile ${file} is missing (looked in ${candidates.join(', ')}).`,
    );
  return found;
}

/** Converts `input` to the PDF/X press file `output`. */
export async function convertToPdfx(input: string, output: string, options: PressConversion): Promise<void> {
  const profile = await findOutputProfile(options.color);
  const definition = path.join(options.workDir, 'pdfx-def.ps');
  await writeFile(definition, pdfxDefinition(profile, options));
  const strategy = options.color ? 'CMYK' : 'Gray';
  const written = `${output}.gs.pdf`;
  const result = await ghostscript([
    '-q',
    '-dBATCH',
    '-dNOPAUSE',
    `--permit-file-read=${profile}`,
    '-sDEVICE=pdfwrite',
    '-dPDFX',
    `-sColorConversionStrategy=${strategy}`,
    `-sProcessColorModel=Device${strategy}`,
    // Black-and-white books: text solid black (one plate, no screen), whatever grey or colour it was set in.
    ...(options.color ? [] : ['-dBlackText']),
    '-dEmbedAllFonts=true',
    '-dNO_PDFMARK_OUTLINES',
    '-dPreserveAnnots=false',
    '-dShowAnnots=false',
    '-dAutoRotatePages=/None',
    '-dDetectDuplicateImages=true',
    `-sOutputFile=${written}`,
    definition,
    input,
  ]);
  if (result.code !== 0 || !existsSync(written)) {
    throw ghostscriptProblem(
      `Ghostscript could not make the press file: ${(result.stderr || result.stdout).trim().split('\n').slice(-3).join(' ')}`,
    );
  }
  // pdfwrite gives every stream an indirect /Length; pdf-lib (the next step) then finds a stream's end by
  // searching for "endstream" and keeps a stray end-of-line byte, which qpdf --check reports. qpdf rewrites
  // the file with direct lengths and changes nothing else (header, info, output intent stay).
  const rewritten = await runTool('qpdf', [written, output]);
  if (rewritten.code !== 0 && rewritten.code !== 3) {
    throw ghostscriptProblem(`qpdf could not rewrite the press file: ${rewritten.stderr.trim()}`);
  }
}

/**
 * The PostScript prologue that makes pdfwrite write PDF/X: the document's title and trapping state, the
 * ICC profile as a stream, and the catalog's /OutputIntents naming it (after gs's lib/PDFX_def.ps).
 */
export function pdfxDefinition(profile: string, options: Pick<PressConversion, 'color' | 'title'>): string {
  const { condition } = OUTPUT_PROFILES[options.color ? 'cmyk' : 'gray'];
  return `%!
[ /GTS_PDFXVersion (PDF/X-3:2002) /Title ${postscriptText(options.title)} /Trapped /False /DOCINFO pdfmark
[ /_objdef {icc_PDFX} /type /stream /OBJ pdfmark
[ {icc_PDFX} << /N ${options.color ? 4 : 1} >> /PUT pdfmark
[ {icc_PDFX} ${postscriptText(profile)} (r) file /PUT pdfmark
[ /_objdef {OutputIntent_PDFX} /type /dict /OBJ pdfmark
[ {OutputIntent_PDFX} <<
  /Type /OutputIntent
  /S /GTS_PDFX
  /OutputCondition ${postscriptText(condition)}
  /OutputConditionIdentifier (Custom)
  /Info ${postscriptText(condition)}
  /RegistryName (http://www.color.org)
  /DestOutputProfile {icc_PDFX}
>> /PUT pdfmark
[ {Catalog} << /OutputIntents [ {OutputIntent_PDFX} ] >> /PUT pdfmark
`;
}

/** A PostScript string: plain ASCII as (…), anything else as UTF-16BE hex with a byte-order mark. */
function postscriptText(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return `(${text.replace(/[\\()]/g, (c) => `\\${c}`)})`;
  const hex = [...text]
    .flatMap((char) => {
      const code = char.codePointAt(0) as number;
      if (code <= 0xffff) return [code];
      const offset = code - 0x10000;
      return [0xd800 + (offset >> 10), 0xdc00 + (offset & 0x3ff)];
    })
    .map((unit) => unit.toString(16).padStart(4, '0'))
    .join('');
  return `<feff${hex}>`;
}

async function ghostscript(args: string[]) {
  try {
    return await runTool('gs', args, 600_000);
  } catch (error) {
    if (error instanceof ToolMissingError) {
      throw ghostscriptProblem('Ghostscript (gs) is not installed; the press files need it.');
    }
    throw error;
  }
}

function ghostscriptProblem(message: string): ImprintError {
  return new ImprintError([
    {
      code: 'press-ghostscript',
      severity: 'error',
      message,
      hint: 'Install Ghostscript: sudo apt-get install -y ghostscript (npm install as root does it).',
    },
  ]);
}
