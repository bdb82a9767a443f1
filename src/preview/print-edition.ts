/**
 * The print view's source: the PDF edition itself, built by the PDF output into the preview's cache folder
 * and shown page by page, so what the author sees breaks exactly where the PDF breaks. A PDF pass takes a
 * while, so builds run in the background, only while someone looks at the print view, and the state always
 * says whether the pages shown are the latest book's.
 */
import { mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'puppeteer-core';
import type { Book } from '../book/types.ts';
import { type Diagnostic, formatLocation, ImprintError } from '../diagnostics/diagnostic.ts';
import { buildDateFromEnvironment, type Output } from '../outputs/output.ts';
import { type PageSize, readPageSizes, renderPagePng } from './pdf-pages.ts';

/** What the print view shows; sent to clients as part of the preview state. */
export interface PrintState {
  /** Why there is no print view at all (no PDF output, tools missing). */
  unavailable?: string;
  /** A PDF pass is running. */
  building: boolean;
  /** The pages shown are the latest book's. */
  current: boolean;
  /** Why the latest book has no pages yet: its errors, or a failed PDF pass. */
  problem?: string;
  /** Which PDF the pages come from; 0 before the first one is done. */
  generation: number;
  /** Size of every page in PDF points. */
  pages: PageSize[];
  /** Chapter id → the page it starts on. */
  chapters: Record<string, number>;
  /** Problems the PDF output reported on the shown generation. */
  diagnostics: Diagnostic[];
  /** How long the shown generation's PDF pass took, in ms. */
  buildMs?: number;
}

export interface PrintEditionOptions {
  /** The PDF output; without it the print view says it is unavailable. */
  output: Output | undefined;
  /** Set when pdfinfo or pdftoppm are missing. */
  toolsMissing?: string;
  cacheDir: string;
  browser(): Promise<Browser>;
  /** Whether anyone looks at the print view now: no one looking, no PDF pass. */
  wanted(): boolean;
  /** Called whenever the state changes. */
  onChange(): void;
  /** Called with each PDF pass's duration and whether it failed. */
  onBuilt?(result: { generation: number; ms: number; failed: boolean }): void;
}

export interface PrintEdition {
  state(): PrintState;
  /** The latest book, or `undefined` with the reason it cannot be printed (its errors). */
  update(latest: { book: Book; version: string } | { blocked: string }): void;
  /** Someone opened the print view: builds the latest book unless it is built or being built. */
  want(): void;
  pdfFile(generation: number): string | undefined;
  /** The page as a PNG file, rendered on first request; undefined for an unknown generation or page. */
  pageImage(generation: number, page: number): Promise<string | undefined>;
  close(): Promise<void>;
}

/** Pages are shown at 96 CSS px per inch; twice that keeps them sharp on high-density screens. */
const PAGE_DPI = 192;
/** At most this many PDF passes at once: a new edit starts at once instead of waiting for an old pass. */
const MAX_PASSES = 2;

interface Generation {
  generation: number;
  version: string;
  dir: string;
  pdf: string;
  pages: PageSize[];
  chapters: Record<string, number>;
  diagnostics: Diagnostic[];
  ms: number;
  images: Map<number, { result: Promise<string>; hurry(): void }>;
}

export function createPrintEdition(options: PrintEditionOptions): PrintEdition {
  const unavailable = options.output
    ? options.toolsMissing
    : 'The PDF edition is not part of this Imprint yet, so there are no pages to show.';
  let latest: { book: Book; version: string } | { blocked: string } | undefined;
  let shown: Generation | undefined;
  let previous: Generation | undefined;
  const running = new Map<number, string>();
  let counter = 0;
  let failure: { version: string; message: string; diagnostics: Diagnostic[] } | undefined;
  let closed = false;
  // What one PDF pass learned for the next (the layout): most saves then need a single print.
  const carryOver = new Map<string, unknown>();
  const rendering = createQueue(Math.max(2, Math.min(4, os.availableParallelism())), () => running.size > 0);
  const live = (entry: Generation) => entry === shown || entry === previous;

  /** The page's PNG, rendered once; background renders fill in the pages nobody asked for yet. */
  function image(entry: Generation, page: number, urgent: boolean): Promise<string> {
    let job = entry.images.get(page);
    if (job) {
      if (urgent) job.hurry();
      return job.result;
    }
    job = rendering.add(async () => {
      if (closed || !live(entry)) throw new Error('This generation is gone.');
      await mkdir(path.join(entry.dir, 'pages'), { recursive: true });
      return renderPagePng(entry.pdf, page, path.join(entry.dir, 'pages', String(page)), PAGE_DPI);
    }, urgent);
    entry.images.set(page, job);
    job.result.catch(() => entry.images.delete(page));
    return job.result;
  }

  function ensureBuilding() {
    if (closed || unavailable || !latest || 'blocked' in latest || !options.wanted()) return;
    const { book, version } = latest;
    if (shown?.version === version || failure?.version === version) return;
    if ([...running.values()].includes(version) || running.size >= MAX_PASSES) return;
    void build(book, version);
  }

  async function build(book: Book, version: string) {
    const generation = ++counter;
    const dir = path.join(options.cacheDir, `print-${generation}`);
    running.set(generation, version);
    options.onChange();
    const diagnostics: Diagnostic[] = [];
    const started = performance.now();
    let failed = false;
    try {
      await mkdir(dir, { recursive: true });
      // Where each chapter begins, as the PDF edition laid it out.
      let chapters: Record<string, number> = {};
      const written = await (options.output as Output).build(book, {
        outDir: dir,
        browser: options.browser,
        report: (diagnostic) => diagnostics.push(diagnostic),
        buildDate: buildDateFromEnvironment(),
        carryOver,
        facts: (facts) => {
          chapters = facts.chapterPages;
        },
      });
      const pdf = written.find((file) => file.endsWith('.pdf'));
      // The PDF output reports its errors and writes nothing.
      if (!pdf) throw new ImprintError(diagnostics.filter((diagnostic) => diagnostic.severity === 'error'));
      const pages = await readPageSizes(pdf);
      const ms = performance.now() - started;
      if (closed) return;
      if (!shown || generation > shown.generation) {
        if (previous) void rm(previous.dir, { recursive: true, force: true });
        previous = shown;
        shown = { generation, version, dir, pdf, pages, chapters, diagnostics, ms, images: new Map() };
        // Render every page in the background, so scrolling finds them ready.
        for (let page = 1; page <= pages.length; page++) image(shown, page, false).catch(() => {});
      } else {
        void rm(dir, { recursive: true, force: true });
      }
    } catch (error) {
      failed = true;
      void rm(dir, { recursive: true, force: true });
      const all = [...diagnostics, ...(error instanceof ImprintError ? error.diagnostics : [])];
      const first = all.find((diagnostic) => diagnostic.severity === 'error');
      failure = {
        version,
        message: first
          ? `The PDF edition has errors: ${first.file ? `${formatLocation(first)}  ` : ''}${first.message}  [${first.code}]`
          : `The PDF pass failed: ${(error as Error).message || 'it wrote no PDF.'}`,
        diagnostics: all,
      };
    } finally {
      running.delete(generation);
      rendering.resume();
      options.onBuilt?.({ generation, ms: performance.now() - started, failed });
      if (!closed) {
        options.onChange();
        ensureBuilding();
      }
    }
  }

  return {
    state() {
      const version = latest && 'version' in latest ? latest.version : undefined;
      const problem =
        latest && 'blocked' in latest
          ? latest.blocked
          : failure && failure.version === version
            ? failure.message
            : undefined;
      return {
        unavailable,
        building: running.size > 0,
        current: Boolean(shown && version !== undefined && shown.version === version),
        problem,
        generation: shown?.generation ?? 0,
        pages: shown?.pages ?? [],
        chapters: shown?.chapters ?? {},
        diagnostics:
          failure && failure.version === version ? failure.diagnostics : (shown?.diagnostics ?? []),
        buildMs: shown ? Math.round(shown.ms) : undefined,
      };
    },
    update(next) {
      latest = next;
      options.onChange();
      ensureBuilding();
    },
    want: ensureBuilding,
    pdfFile(generation) {
      return [shown, previous].find((entry) => entry?.generation === generation)?.pdf;
    },
    async pageImage(generation, page) {
      const entry = [shown, previous].find((candidate) => candidate?.generation === generation);
      if (!entry || !Number.isInteger(page) || page < 1 || page > entry.pages.length) return undefined;
      return image(entry, page, true).catch(() => undefined);
    },
    async close() {
      closed = true;
      rendering.clear();
    },
  };
}

interface Job {
  urgent: boolean;
  start(): void;
}

/**
 * Runs at most `limit` tasks at once. Urgent tasks (a page the reader is looking at) go first; background
 * tasks (pages rendered ahead) run one at a time and wait while `holdBackground()` says so: a PDF pass
 * competing with page renders for two cores took twice as long. A waiting task can be made urgent.
 */
function createQueue(limit: number, holdBackground: () => boolean) {
  let active = 0;
  let activeBackground = 0;
  const waiting: Job[] = [];
  const next = () => {
    for (let i = 0; i < waiting.length && active < limit; ) {
      const job = waiting[i];
      if (!job.urgent && (holdBackground() || activeBackground >= 1)) {
        i++;
        continue;
      }
      waiting.splice(i, 1);
      job.start();
    }
  };
  return {
    add<T>(task: () => Promise<T>, urgent: boolean): { result: Promise<T>; hurry(): void } {
      let job!: Job;
      const result = new Promise<T>((resolve, reject) => {
        job = {
          urgent,
          start() {
            const background = !job.urgent;
            active++;
            if (background) activeBackground++;
            task()
              .then(resolve, reject)
              .finally(() => {
                active--;
                if (background) activeBackground--;
                next();
              });
          },
        };
      });
      if (urgent) waiting.unshift(job);
      else waiting.push(job);
      next();
      return {
        result,
        hurry() {
          const at = waiting.indexOf(job);
          if (at < 0) return;
          job.urgent = true;
          waiting.unshift(...waiting.splice(at, 1));
          next();
        },
      };
    },
    /** Starts what may run now, after `holdBackground()` changed. */
    resume: next,
    clear() {
      waiting.length = 0;
    },
  };
}
