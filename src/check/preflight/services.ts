/**
 * What each print-on-demand service asks of the files, as published by the service (README.md, "Sending
 * the book to a printer", names each source). Lengths in inches.
 */

export type ServiceName = 'kdp' | 'ingramspark';

export const SERVICE_NAMES: readonly ServiceName[] = ['kdp', 'ingramspark'];

export interface PrintService {
  name: string;
  /** Trim sizes the service prints, width × height in inches. */
  trimSizes: readonly (readonly [number, number])[];
  /** The least inside margin for a page count (KDP's gutter grows with the page count). */
  minInside(pageCount: number): number;
  /** The least distance from the trim to text on the top, bottom and outer edges of a bleed file. */
  minOutside: number;
  /** Page counts the service binds, when it publishes them. */
  pageRange?: { min: number; max: (paper: 'white' | 'cream' | number) => number };
  /** Most consecutive blank pages allowed, when the service sets a limit. */
  maxBlankRun?: number;
  /** Pages below which there may be no spine text. */
  spineTextMinPages: number;
  /** Largest files accepted, in bytes. */
  maxInteriorBytes?: number;
  maxCoverBytes?: number;
  /** Least effective image resolution (pixels per inch at the placed size). */
  minImagePpi: number;
  /** The PDF/X version the service asks for by default. */
  pdfx: string;
}

const MB = 1024 * 1024;

/** KDP's paperback gutter table (Help: "Set Trim Size, Bleed, and Margins"). */
function kdpInside(pageCount: number): number {
  if (pageCount <= 150) return 0.375;
  if (pageCount <= 300) return 0.5;
  if (pageCount <= 500) return 0.625;
  if (pageCount <= 700) return 0.75;
  return 0.875;
}

export const SERVICES: Record<ServiceName, PrintService> = {
  kdp: {
    name: 'KDP',
    trimSizes: [
      [5, 8],
      [5.06, 7.81],
      [5.25, 8],
      [5.5, 8.5],
      [6, 9],
      [6.14, 9.21],
      [6.69, 9.61],
      [7, 10],
      [7.44, 9.69],
      [7.5, 9.25],
      [8, 10],
      [8.25, 6],
      [8.25, 8.25],
      [8.5, 8.5],
      [8.5, 11],
      [8.27, 11.69],
      [8.25, 11],
    ],
    minInside: kdpInside,
    minOutside: 0.375,
    pageRange: { min: 24, max: (paper) => (paper === 'cream' ? 776 : 828) },
    maxBlankRun: 2,
    spineTextMinPages: 79,
    maxInteriorBytes: 650 * MB,
    maxCoverBytes: 40 * MB,
    minImagePpi: 300,
    pdfx: 'any (KDP asks for no PDF/X version)',
  },
  ingramspark: {
    name: 'IngramSpark',
    trimSizes: [
      [4, 6],
      [4.25, 7],
      [4.37, 7],
      [5, 7],
      [5, 8],
      [5.06, 7.81],
      [5.25, 8],
      [5.5, 8.25],
      [5.5, 8.5],
      [5.83, 8.27],
      [6, 9],
      [6.14, 9.21],
      [6.69, 9.61],
      [7, 10],
      [7.44, 9.69],
      [7.5, 9.25],
      [8, 8],
      [8, 10],
      [8.25, 11],
      [8.27, 11.69],
      [8.5, 8.5],
      [8.5, 11],
    ],
    // "Margins must be a minimum of 0.5 in from final trim size on all sides" (IngramSpark's file checklist).
    minInside: () => 0.5,
    minOutside: 0.5,
    spineTextMinPages: 79,
    minImagePpi: 300,
    pdfx: 'PDF/X-1a:2001',
  },
};

/** The service's trim size within 0.01 in of `width` × `height`, if any. */
export function matchingTrim(service: PrintService, width: number, height: number): boolean {
  return service.trimSizes.some(([w, h]) => Math.abs(w - width) <= 0.01 && Math.abs(h - height) <= 0.01);
}
