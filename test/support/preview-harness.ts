/** Starting a preview server and a browser page on it in tests, against throw-away copies of manuscripts. */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import type { Output } from '../../src/outputs/output.ts';
import {
  type PreviewOptions,
  type PreviewServer,
  startPreviewServer,
} from '../../src/preview/preview-server.ts';

/** A temporary copy of the seed manuscript (manuscript/). */
export function copyOfSeed(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'imprint-preview-seed-'));
  cpSync(path.resolve('manuscript'), dir, { recursive: true });
  return dir;
}

/** Starts a quiet preview server on a free port; its log lines are collected in `log`. */
export async function startPreview(
  manuscriptDir: string,
  options: Partial<PreviewOptions> & { pdfOutput?: Output | null } = {},
): Promise<PreviewServer & { log: string[] }> {
  const log: string[] = [];
  const server = await startPreviewServer({
    manuscriptDir,
    port: 0,
    pdfOutput: null,
    log: (line) => log.push(line),
    ...options,
  });
  await server.ready;
  return Object.assign(server, { log });
}

/** Opens `url` and waits until the preview client has its first state (the toolbar is drawn). */
export async function openPreview(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewport({ width: 1200, height: 800 });
  await page.goto(url, { waitUntil: 'load' });
  await waitForClient(page);
  return page;
}

export async function waitForClient(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    document.querySelector('imprint-preview-bar')?.shadowRoot?.querySelector('nav'),
  );
}

/**
 * Polls `check` in the page from node until it returns true. Unlike page.waitForFunction this survives the
 * page reloading itself in the middle (verified: waitForFunction sometimes misses a result that arrives with
 * a reload).
 */
export async function waitInPage(page: Page, check: () => unknown, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const done = await page.evaluate(check).catch(() => false);
    if (done) return;
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${check.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Rewrites a file through `edit` as an editor would save it. */
export function editFile(file: string, edit: (text: string) => string): void {
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
}

/** Clicks the `index`-th element matching `selector` in the preview toolbar. */
export async function clickInToolbar(page: Page, selector: string, index = 0): Promise<void> {
  await page.evaluate(
    (selector, index) => {
      const bar = document.querySelector('imprint-preview-bar')?.shadowRoot;
      const target = bar?.querySelectorAll<HTMLElement>(selector)[index];
      if (!target) throw new Error(`No ${selector} #${index} in the toolbar.`);
      target.click();
    },
    selector,
    index,
  );
}

/** The text of the error overlay, or '' when there is none. */
export function overlayText(page: Page): Promise<string> {
  return page.evaluate(() => document.querySelector('imprint-error-overlay')?.shadowRoot?.textContent ?? '');
}

/**
 * Sends `GET <target>` exactly as written (no URL normalisation, unlike fetch) and returns the status and
 * body.
 */
export function rawGet(
  port: number,
  target: string,
  host = `127.0.0.1:${port}`,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; head: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      const extra = Object.entries(headers)
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('');
      socket.write(`GET ${target} HTTP/1.1\r\nHost: ${host}\r\n${extra}Connection: close\r\n\r\n`);
    });
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk) => {
      data += chunk;
    });
    socket.on('end', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0);
      const end = data.indexOf('\r\n\r\n');
      resolve({ status, body: data.slice(end + 4), head: data.slice(0, end) });
    });
    socket.on('error', reject);
  });
}

/** GET through node's http client (for responses with bodies worth reading). */
export function get(url: string): Promise<{ status: number; type: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers['content-type'] ?? ''),
          body: Buffer.concat(chunks),
        }),
      );
    })
      .on('error', reject)
      .end();
  });
}
