/**
 * `imprint preview`: starts the preview server, prints where it is, and runs until Ctrl-C (or SIGTERM/SIGHUP),
 * then closes the server, the file watcher and the browser of the print view before exiting.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { DEFAULT_HOST, DEFAULT_PORT, startPreviewServer } from '../preview/preview-server.ts';
import { printDiagnostics } from './print-diagnostics.ts';

export interface PreviewRunOptions {
  manuscriptDir: string;
  /** Undefined: the default port, or the next free one after it. Given: that port or fail. */
  port?: number;
  host?: string;
  /** Open the preview in the system's default browser. */
  open?: boolean;
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export async function runPreview(options: PreviewRunOptions): Promise<number> {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  let server: Awaited<ReturnType<typeof startPreviewServer>>;
  try {
    server = await startPreviewServer({
      manuscriptDir: options.manuscriptDir,
      port: options.port ?? DEFAULT_PORT,
      strictPort: options.port !== undefined,
      host: options.host ?? DEFAULT_HOST,
      log: out,
      printDiagnostics: (diagnostics) => printDiagnostics(diagnostics),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      process.stderr.write(
        `Cannot listen on ${options.host ?? DEFAULT_HOST}:${options.port ?? DEFAULT_PORT} (${code}). Choose another with --port.\n`,
      );
      return 1;
    }
    throw error;
  }

  const title = server.site.book?.meta.title;
  out(`Imprint preview${title ? ` of "${title}"` : ''}: ${server.url}`);
  out(`  screen ${server.url}screen/   print ${server.url}print/   epub ${server.url}epub/`);
  out(
    `Watching ${path.relative(process.cwd(), path.resolve(options.manuscriptDir)) || '.'} and the theme. Press Ctrl-C to stop.`,
  );
  if (!['127.0.0.1', 'localhost', '::1'].includes(options.host ?? DEFAULT_HOST)) {
    out(`Listening on ${options.host}: anyone who can reach this machine can read the book.`);
  }
  if (options.open) openInSystemBrowser(server.url, out);

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    for (const name of SIGNALS) process.once(name, () => resolve(name));
  });
  // A second Ctrl-C while closing: stop waiting (launchBrowser's exit hook still kills Chromium).
  for (const name of SIGNALS) process.once(name, () => process.exit(130));
  out(`\n${signal === 'SIGINT' ? 'Stopping' : `${signal}: stopping`} the preview…`);
  await server.close();
  return 0;
}

/** Hands the URL to the desktop's opener; the browser it starts belongs to the user and stays open. */
function openInSystemBrowser(url: string, out: (line: string) => void): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { detached: true, stdio: 'ignore' });
    child.on('error', () => out(`Could not open a browser; open ${url} yourself.`));
    child.unref();
  } catch {
    out(`Could not open a browser; open ${url} yourself.`);
  }
}
