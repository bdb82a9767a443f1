/**
 * `imprint preview`'s server: serves the preview site over HTTP on 127.0.0.1, watches the manuscript and the
 * theme, re-reads the book on every save and pushes the new state to the open pages over Server-Sent
 * Events. It only ever answers with pages it rendered, the book's fonts and images, the print view's page
 * images and its own client files; a request for anything else is refused before any file is looked at.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { type Diagnostic, formatDiagnostic, hasErrors } from '../diagnostics/diagnostic.ts';
import { OUTPUTS } from '../outputs/index.ts';
import type { Output } from '../outputs/output.ts';
import { sharedBrowser } from '../platform/browser/shared-browser.ts';
import { type AssetFile, resolveAssetFile } from './book-assets.ts';
import { createEventStream, type EventStream } from './event-stream.ts';
import { redirect, send, sendFile, sendText } from './http-responses.ts';
import { listen } from './listen.ts';
import { type ManuscriptWatcher, watchManuscript } from './manuscript-watcher.ts';
import { pdfToolsMissing } from './pdf-pages.ts';
import {
  createPreviewSite,
  diagnosticsKey,
  NO_BOOK_PAGE,
  type PreviewSite,
  type ReloadResult,
  STYLESHEET_VERSION,
} from './preview-site.ts';
import { type PreviewState, previewState } from './preview-state.ts';
import { createPrintEdition, type PrintEdition } from './print-edition.ts';
import { fromThisSite, hostCheck, sameOrigin, startsWork } from './request-origin.ts';
import { parseRequestPath } from './request-path.ts';
import { SECURITY_HEADERS } from './security-headers.ts';
import { CLIENT_PREFIX, type View } from './views/client-script.ts';
import { EPUB_CONTENTS } from './views/epub-view.ts';

export type { PreviewState };

export const DEFAULT_PORT = 4173;
export const DEFAULT_HOST = '127.0.0.1';

export interface PreviewOptions {
  manuscriptDir: string;
  /** 0 picks any free port. */
  port?: number;
  host?: string;
  /** Fail when the port is taken instead of trying the next ones (a port given on the command line). */
  strictPort?: boolean;
  /**
   * The output that makes the print view's PDF. Default: the registered `pdf` output, if there is one;
   * `null` turns the print view off.
   */
  pdfOutput?: Output | null;
  /** Where the preview tells what happens (URL, reloads, diagnostics); default: nowhere. */
  log?: (line: string) => void;
  /** Where diagnostics go when they change (the terminal); default: through `log`. */
  printDiagnostics?: (diagnostics: readonly Diagnostic[]) => void;
  /** Called after each re-read of the manuscript, once the state has been sent (for the benchmark). */
  onReload?: (result: ReloadResult) => void;
  /** Called after each PDF pass of the print view. */
  onPrintBuilt?: (result: { generation: number; ms: number; failed: boolean }) => void;
}

export interface PreviewServer {
  /** http://host:port/ */
  url: string;
  port: number;
  site: PreviewSite;
  /** Resolves once the file watcher has scanned the manuscript: saves after this are seen. */
  ready: Promise<void>;
  close(): Promise<void>;
}

const CLIENT_FILES: Record<string, string> = {
  'preview-client.js': 'text/javascript; charset=utf-8',
  'preview-client.css': 'text/css; charset=utf-8',
  'preview-pages.css': 'text/css; charset=utf-8',
  'reading-system.css': 'text/css; charset=utf-8',
};
const CLIENT_DIR = path.join(import.meta.dirname, 'client');

export async function startPreviewServer(options: PreviewOptions): Promise<PreviewServer> {
  const manuscriptDir = path.resolve(options.manuscriptDir);
  const host = options.host ?? DEFAULT_HOST;
  const log = options.log ?? (() => {});
  const showDiagnostics =
    options.printDiagnostics ?? ((found) => log(found.map(formatDiagnostic).join('\n')));
  const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'imprint-preview-'));

  // Every PDF pass of the print view uses it; launched again if it crashed. The preview closes it itself on
  // Ctrl-C (preview.runner.ts), so launchBrowser's own signal handlers stay off.
  const browser = sharedBrowser({ handleSignals: false, relaunch: true });

  const pdfOutput =
    options.pdfOutput === undefined
      ? OUTPUTS.find((output) => output.name === 'pdf')
      : (options.pdfOutput ?? undefined);

  const site = createPreviewSite(manuscriptDir, (error) =>
    log(`preview: reading the book failed: ${(error as Error)?.stack ?? error}`),
  );
  let broadcastQueued = false;
  const stream: EventStream = createEventStream((view) => {
    if (view === 'print') print.want();
  });
  const print: PrintEdition = createPrintEdition({
    output: pdfOutput,
    toolsMissing: pdfOutput ? await pdfToolsMissing() : undefined,
    cacheDir,
    browser: browser.get,
    wanted: () => stream.watching('print') > 0,
    onChange: () => {
      if (broadcastQueued) return;
      broadcastQueued = true;
      queueMicrotask(() => {
        broadcastQueued = false;
        stream.broadcast('state', JSON.stringify(state()));
      });
    },
    onBuilt: (result) => {
      if (result.failed) log(`print view: ${print.state().problem ?? 'the PDF pass failed.'}`);
      else log(`print view: PDF pass ${result.generation} took ${Math.round(result.ms)} ms`);
      options.onPrintBuilt?.(result);
    },
  });

  const state = (): PreviewState => previewState(site, print.state());

  function updatePrint(): void {
    if (!site.book || site.printVersion === undefined) {
      print.update({ blocked: 'There is no book to print yet.' });
    } else if (hasErrors(site.diagnostics)) {
      print.update({ blocked: 'The book has errors; fix them to update the pages.' });
    } else {
      print.update({ book: site.book, version: site.printVersion });
    }
  }

  let shownDiagnostics = '';
  function reportDiagnostics(): void {
    const key = diagnosticsKey(site.diagnostics);
    if (key === shownDiagnostics) return;
    const hadErrors = /\berror:/.test(shownDiagnostics);
    shownDiagnostics = key;
    if (site.diagnostics.length) showDiagnostics(site.diagnostics);
    if (hadErrors && !hasErrors(site.diagnostics)) log('The errors are fixed.');
  }

  // The first read happens before the server listens, so the first page is already the book.
  site.reload();
  reportDiagnostics();
  updatePrint();

  let watcher: ManuscriptWatcher | undefined;
  const onFilesChanged = (files: string[]) => {
    const result = site.reload();
    watcher?.watchAlso(site.watchPaths());
    updatePrint();
    stream.broadcast('state', JSON.stringify(state()));
    reportDiagnostics();
    const names = files.map((file) => path.relative(manuscriptDir, file) || path.basename(file)).join(', ');
    const what = [
      ...new Set(result.pages.map((page) => (page === NO_BOOK_PAGE ? 'screen' : page.split('/')[0]))),
      ...result.stylesheets.map((view) => `${view} stylesheet`),
    ];
    if (what.length) log(`${clock()} ${names} → ${what.join(', ')} updated in ${Math.round(result.ms)} ms`);
    options.onReload?.(result);
  };
  const allowedHost = hostCheck(host);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!allowedHost(req.headers.host)) return sendText(res, 403, 'Forbidden host.');
    // A page on another site may not drive the preview: the browser names that page in Origin (fetch,
    // EventSource) or says so in Sec-Fetch-Site (also for <img>). Only the preview's own pages start work.
    if (!sameOrigin(req.headers.origin, req.headers.host)) return sendText(res, 403, 'Forbidden origin.');
    if (startsWork(req.url) && !fromThisSite(req)) return sendText(res, 403, 'Forbidden origin.');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendText(res, 405, 'Method not allowed.');
    }
    const target = parseRequestPath(req.url);
    if (!target.ok)
      return sendText(res, target.status, target.status === 403 ? 'Forbidden.' : 'Bad request.');
    const { path: urlPath, segments } = target;
    const [top, ...rest] = segments;
    const restPath = rest.join('/');

    if (urlPath === '/') return redirect(res, '/screen/');
    if (urlPath === '/favicon.ico') {
      res.writeHead(204, SECURITY_HEADERS);
      res.end();
      return;
    }
    if (segments.length === 1 && (top === 'screen' || top === 'epub' || top === 'print')) {
      return redirect(res, `/${top}/`);
    }
    if (`/${top}/` === CLIENT_PREFIX) {
      if (restPath === 'events') {
        const view = new URLSearchParams((req.url ?? '').split('?')[1] ?? '').get('view') ?? '';
        return stream.connect(req, res, view, JSON.stringify(state()));
      }
      const type = Object.hasOwn(CLIENT_FILES, restPath) ? CLIENT_FILES[restPath] : undefined;
      if (!type) return sendText(res, 404, 'Not found.');
      return send(req, res, 200, await readFile(path.join(CLIENT_DIR, restPath)), type);
    }

    if (!site.book) {
      if (rest.length <= 1 && (restPath === '' || restPath.endsWith('.html')))
        return sendPage(req, res, NO_BOOK_PAGE);
      return sendText(res, 404, 'Not found.');
    }
    if (top === 'screen') {
      if (restPath === '' || restPath === 'index.html') return sendPage(req, res, 'screen');
      if (rest.length === 1 && site.pages.has(`screen/${restPath}`))
        return sendPage(req, res, `screen/${restPath}`);
      if (restPath === site.stylesheets.get('screen')?.name) return sendStylesheet(req, res, 'screen');
      const script = rest.length === 1 ? site.screenScripts.get(restPath) : undefined;
      if (script)
        return send(req, res, 200, script.render(), script.mediaType, {
          'Cache-Control': 'no-cache',
        });
      return sendAsset(req, res, site.assets.get('screen')?.get(restPath));
    }
    if (top === 'epub') {
      const file = restPath === '' ? EPUB_CONTENTS : restPath;
      if (rest.length === 1 && site.pages.has(`epub/${file}`)) return sendPage(req, res, `epub/${file}`);
      if (restPath === site.stylesheets.get('epub')?.name) return sendStylesheet(req, res, 'epub');
      return sendAsset(req, res, site.assets.get('epub')?.get(restPath));
    }
    if (top === 'print') {
      if (restPath === '' || restPath === 'index.html') return sendPage(req, res, 'print');
      const image = /^pages\/(\d{1,9})\/(\d{1,9})\.png$/.exec(restPath);
      if (image) {
        const file = await print.pageImage(Number(image[1]), Number(image[2]));
        if (!file) return sendText(res, 404, 'Not found.');
        return sendFile(req, res, file, 'image/png', 'private, max-age=31536000, immutable');
      }
      const pdf = /^(\d{1,9})\/[^/]+\.pdf$/.exec(restPath);
      const file = pdf ? print.pdfFile(Number(pdf[1])) : undefined;
      if (file) return sendFile(req, res, file, 'application/pdf', 'no-cache');
    }
    return sendText(res, 404, 'Not found.');
  }

  function sendPage(req: IncomingMessage, res: ServerResponse, key: string): void {
    const page = site.pages.get(key);
    if (!page) {
      sendText(res, 404, 'Not found.');
      return;
    }
    const stylesheet = page.view ? (site.stylesheets.get(page.view)?.version ?? '') : '';
    send(req, res, 200, page.render().replace(STYLESHEET_VERSION, stylesheet), page.type, {
      'Cache-Control': 'no-store',
    });
  }

  function sendStylesheet(req: IncomingMessage, res: ServerResponse, view: View): void {
    const sheet = site.stylesheets.get(view);
    if (!sheet) {
      sendText(res, 404, 'Not found.');
      return;
    }
    send(req, res, 200, sheet.text, 'text/css; charset=utf-8', {
      'Cache-Control': 'no-cache',
      ETag: `"${sheet.version}"`,
    });
  }

  async function sendAsset(
    req: IncomingMessage,
    res: ServerResponse,
    asset: AssetFile | undefined,
  ): Promise<void> {
    if (!asset) return sendText(res, 404, 'Not found.');
    const resolved = await resolveAssetFile(asset, manuscriptDir);
    if (!resolved.ok)
      return sendText(res, resolved.status, resolved.status === 403 ? 'Forbidden.' : 'Not found.');
    const etag = `"${resolved.size.toString(36)}-${Math.round(resolved.mtimeMs).toString(36)}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { ETag: etag, ...SECURITY_HEADERS });
      res.end();
      return;
    }
    sendFile(req, res, resolved.file, asset.mediaType, 'no-cache', { ETag: etag });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`preview: ${req.method} ${req.url} failed: ${(error as Error)?.stack ?? error}`);
      if (!res.headersSent) sendText(res, 500, 'The preview failed to answer; see the terminal.');
      else res.destroy();
    });
  });
  let port: number;
  try {
    port = await listen(server, options.port ?? DEFAULT_PORT, host, options.strictPort ?? false);
  } catch (error) {
    await print.close();
    stream.close();
    await rm(cacheDir, { recursive: true, force: true });
    throw error;
  }
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
  const fileWatcher = watchManuscript(manuscriptDir, onFilesChanged, {
    onError: (error) => log(`The file watcher reported: ${(error as Error).message}`),
  });
  watcher = fileWatcher;
  fileWatcher.watchAlso(site.watchPaths());

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    site,
    ready: fileWatcher.ready,
    close() {
      closing ??= (async () => {
        await print.close();
        await fileWatcher.close();
        stream.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await browser.close();
        await rm(cacheDir, { recursive: true, force: true, maxRetries: 3 });
      })();
      return closing;
    },
  };
}

function clock(): string {
  return new Date().toTimeString().slice(0, 8);
}
