// What the preview server refuses: every way out of the book's files, sent as raw HTTP requests so that no
// client normalises the path first.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRequestPath } from '../src/preview/request-path.ts';
import { solidPng } from './support/epub-sample-book.ts';
import { copyOfSeed, get, rawGet, startPreview } from './support/preview-harness.ts';

const SECRET = 'top secret, never to be served';
let dir: string;
let outside: string;
let server: Awaited<ReturnType<typeof startPreview>>;

beforeAll(async () => {
  dir = copyOfSeed();
  outside = mkdtempSync(path.join(os.tmpdir(), 'imprint-preview-outside-'));
  writeFileSync(path.join(outside, 'secret.png'), SECRET);
  mkdirSync(path.join(dir, 'images'));
  writeFileSync(path.join(dir, 'images/real.png'), solidPng(4, 4, [200, 10, 10]));
  // A symlink out of the manuscript, used by the chapter, and one that nothing uses.
  symlinkSync(path.join(outside, 'secret.png'), path.join(dir, 'images/leak.png'));
  symlinkSync(path.join(outside, 'secret.png'), path.join(dir, 'images/unused.png'));
  symlinkSync(outside, path.join(dir, 'images/outside-dir'));
  writeFileSync(
    path.join(dir, 'images/drawing.svg'),
    '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><script>alert(1)</script><rect width="4" height="4"/></svg>',
  );
  writeFileSync(
    path.join(dir, '02-pictures.md'),
    '# Pictures\n\n![A red square](images/real.png)\n\n![A leak](images/leak.png)\n\n![Through a folder](images/outside-dir/secret.png)\n\n![A drawing](images/drawing.svg)\n',
  );
  server = await startPreview(dir);
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe('preview server path safety', () => {
  it.each([
    ['/../../../../etc/passwd', 403],
    ['/screen/../book.yaml', 403],
    ['/screen/%2e%2e/%2e%2e/etc/passwd', 403],
    ['/screen/%2E%2E/book.yaml', 403],
    ['/screen/.%2e/book.yaml', 403],
    ['/screen/..%2f..%2fbook.yaml', 403],
    ['/screen/images/..%5c..%5cbook.yaml', 403],
    ['/screen/..\\book.yaml', 403],
    ['/screen/./screen.css', 403],
    ['//etc/passwd', 403],
    ['/screen/%00', 403],
    ['/etc/passwd', 404],
    ['/screen//etc/passwd', 404],
    ['/screen/book.yaml', 404],
    ['/screen/01-interview.md', 404],
    ['/epub/book.yaml', 404],
    ['/print/book.yaml', 404],
    ['/__imprint/../book.yaml', 403],
    ['/__imprint/preview-server.ts', 404],
    ['/screen/images/unused.png', 404],
    ['/screen/%', 400],
    ['http://127.0.0.1/etc/passwd', 400],
  ])('GET %s → %i', async (target, status) => {
    const response = await rawGet(server.port, target);
    expect(response.status).toBe(status);
    expect(response.body).not.toContain(SECRET);
    expect(response.body).not.toContain('root:');
  });

  it('refuses images whose symlinks lead out of the manuscript, and serves the real one', async () => {
    // The book refuses them when it is read (image-outside), so the preview does not know them at all.
    expect(server.site.diagnostics.filter((d) => d.code === 'image-outside')).toHaveLength(2);
    const leak = await rawGet(server.port, '/screen/images/leak.png');
    expect(leak.status).toBe(404);
    expect(leak.body).not.toContain(SECRET);
    expect((await rawGet(server.port, '/epub/images/leak.png')).status).toBe(404);
    const throughFolder = await rawGet(server.port, '/screen/images/outside-dir/secret.png');
    expect(throughFolder.status).toBe(404);
    const real = await get(`${server.url}screen/images/real.png`);
    expect(real.status).toBe(200);
    expect(real.type).toBe('image/png');
  });

  it('serves the sanitised SVG, with the Content-Security-Policy of the pages', async () => {
    const svg = await rawGet(server.port, '/screen/images/drawing.svg');
    expect(svg.status).toBe(200);
    expect(svg.body).toContain('<rect width="4" height="4"/>');
    expect(svg.body).not.toContain('<script');
    expect(svg.head).toMatch(/^Content-Security-Policy: default-src 'self';.*script-src 'self'/im);
    for (const target of ['/screen/', '/screen/screen.css', '/__imprint/preview-client.js', '/nothing']) {
      const response = await rawGet(server.port, target);
      expect(response.head, target).toMatch(/^Content-Security-Policy: /im);
    }
  });

  it('answers a foreign Origin with 403 and starts nothing, the event stream included', async () => {
    const foreign = { Origin: 'http://evil.example' };
    for (const target of [
      '/__imprint/events?view=print',
      '/screen/',
      '/print/pages/1/1.png',
      '/print/1/book.pdf',
    ]) {
      const response = await rawGet(server.port, target, undefined, foreign);
      expect(response.status, target).toBe(403);
    }
    // An <img> or a link from another site carries no Origin, but the browser says where it came from.
    for (const site of ['cross-site', 'same-site']) {
      const response = await rawGet(server.port, '/print/pages/1/1.png', undefined, {
        'Sec-Fetch-Site': site,
      });
      expect(response.status, site).toBe(403);
      const events = await rawGet(server.port, '/__imprint/events?view=print', undefined, {
        'Sec-Fetch-Site': site,
      });
      expect(events.status, site).toBe(403);
    }
    expect(server.site.book).toBeDefined();
  });

  it("streams its own pages' events, with the policy, and no stack trace or 'imprint' as a place", async () => {
    const own = { Origin: `http://127.0.0.1:${server.port}`, 'Sec-Fetch-Site': 'same-origin' };
    const stream = await firstEvent(server.port, '/__imprint/events?view=screen', own);
    expect(stream.head).toMatch(/^HTTP\/1\.1 200/);
    expect(stream.head).toMatch(/^Content-Security-Policy: /im);
    const state = JSON.parse(stream.data) as {
      errors: { location: string; message: string; code: string }[];
    };
    expect(state.errors.map((error) => error.code)).toContain('image-outside');
    for (const error of state.errors) {
      expect(error.location).toMatch(/02-pictures\.md:\d+:\d+$/);
      expect(error.message).not.toMatch(/\n\s+at |imprint:/);
    }
  });

  it('lists no directories', async () => {
    for (const target of [
      '/screen/images/',
      '/screen/images',
      '/screen/fonts/',
      '/epub/images/',
      '/__imprint/',
      '/print/pages/',
    ]) {
      const response = await rawGet(server.port, target);
      expect(response.status, target).toBe(404);
    }
  });

  it('answers only to local host names (no DNS rebinding)', async () => {
    expect((await rawGet(server.port, '/screen/', 'evil.example:80')).status).toBe(403);
    expect((await rawGet(server.port, '/screen/', `localhost:${server.port}`)).status).toBe(200);
  });

  it('allows only GET and HEAD', async () => {
    const response = await new Promise<number>((resolve, reject) => {
      import('node:http').then(({ request }) =>
        request(`${server.url}screen/`, { method: 'POST' }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
          .on('error', reject)
          .end(),
      );
    });
    expect(response).toBe(405);
  });

  it('binds to 127.0.0.1 by default', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });
});

/** Opens the event stream on a raw socket and returns the response head and the first event's data. */
function firstEvent(
  port: number,
  target: string,
  headers: Record<string, string>,
): Promise<{ head: string; data: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      const extra = Object.entries(headers)
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('');
      socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${extra}\r\n`);
    });
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      received += chunk;
      const event = /event: state\n((?:data: .*\n)+)\n/.exec(received);
      if (!event) return;
      socket.destroy();
      resolve({
        head: received.slice(0, received.indexOf('\r\n\r\n')),
        data: event[1]
          .split('\n')
          .filter(Boolean)
          .map((line) => line.slice('data: '.length))
          .join('\n'),
      });
    });
    socket.on('error', reject);
  });
}

describe('parseRequestPath', () => {
  it('decodes clean paths into segments', () => {
    expect(parseRequestPath('/screen/images/caf%C3%A9.png?x=1')).toEqual({
      ok: true,
      path: '/screen/images/café.png',
      segments: ['screen', 'images', 'café.png'],
    });
  });
});
