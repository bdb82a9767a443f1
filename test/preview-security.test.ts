// What the preview server refuses: every way out of the book's files, sent as raw HTTP requests so that no
// client normalises the path first.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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
    path.join(dir, '02-pictures.md'),
    '# Pictures\n\n![A red square](images/real.png)\n\n![A leak](images/leak.png)\n\n![Through a folder](images/outside-dir/secret.png)\n',
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
    const leak = await rawGet(server.port, '/screen/images/leak.png');
    expect(leak.status).toBe(403);
    expect(leak.body).not.toContain(SECRET);
    expect((await rawGet(server.port, '/epub/images/leak.png')).status).toBe(403);
    const throughFolder = await rawGet(server.port, '/screen/images/outside-dir/secret.png');
    expect(throughFolder.status).toBe(403);
    const real = await get(`${server.url}screen/images/real.png`);
    expect(real.status).toBe(200);
    expect(real.type).toBe('image/png');
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

describe('parseRequestPath', () => {
  it('decodes clean paths into segments', () => {
    expect(parseRequestPath('/screen/images/caf%C3%A9.png?x=1')).toEqual({
      ok: true,
      path: '/screen/images/café.png',
      segments: ['screen', 'images', 'café.png'],
    });
  });
});
