/**
 * Nothing reaches the network during a build or a check. A manuscript and a theme full of remote
 * references (images, iframes, <link>s, media, srcset, CSS url() and @import) all point at a local HTTP
 * server, which must see no request at all, while the writer gets clear diagnostics.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintManuscript } from '../src/check/lint.ts';
import { PIXEL_PNG } from './support/manuscript-grammar.ts';
import { tempManuscript } from './support/temp-manuscript.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');
const hits: string[] = [];
let server: Server;
let base = '';
const dirs: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    hits.push(request.url ?? '');
    response.writeHead(200, { 'content-type': 'image/png' });
    response.end(PIXEL_PNG);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Remote references that are warnings or removed by the sanitiser: the build goes on and prints. */
function survivableManuscript(): string {
  const dir = tempManuscript({
    'book.yaml': 'title: Offline\ntheme: remote\n',
    '01-remote.md': [
      '# Remote things',
      '',
      `<iframe src="${base}/iframe"></iframe>`,
      '',
      `<link rel="stylesheet" href="${base}/link.css">`,
      '',
      `<style>@import url(${base}/style-import.css); p { background: url(${base}/style-bg.png) }</style>`,
      '',
      `<p style="background-image: url('${base}/inline-style.png')">Styled text.</p>`,
      '',
      `<video src="${base}/video.mp4" poster="${base}/poster.png"></video>`,
      '',
      `<audio src="${base}/audio.mp3"></audio>`,
      '',
      `<img src="images/pic.png" srcset="${base}/srcset.png 2x" alt="A pixel">`,
      '',
      `<object data="${base}/object.swf"></object> <embed src="${base}/embed.swf">`,
      '',
      `<script src="${base}/script.js"></script>`,
      '',
      `A [link to the web](${base}/link-only) is fine: links are not loaded.`,
      '',
    ].join('\n'),
    'images/pic.png': PIXEL_PNG,
    'templates/remote/screen.css': `@import url("${base}/theme-import.css");\nbody { background: url(${base}/theme-screen.png); }\n`,
    'templates/remote/print.css': `@font-face { font-family: Remote; src: url(${base}/font.woff2); }\nbody { font-family: Remote, serif; }\n`,
    'templates/remote/epub.css': `body { background: url('${base}/theme-epub.png'); }\n`,
  });
  dirs.push(dir);
  return dir;
}

/** Remote images are errors: the build stops before any edition is written. */
function remoteImageManuscript(): string {
  const dir = tempManuscript({
    'book.yaml': 'title: Remote images\n',
    '01-images.md': [
      '# Images',
      '',
      `![A remote image](${base}/markdown.png)`,
      '',
      `::figure[A remote figure]{src="${base}/figure.png" alt="A remote figure"}`,
      '',
      `<img src="${base}/raw.png" alt="A raw remote image">`,
      '',
    ].join('\n'),
  });
  dirs.push(dir);
  return dir;
}

function imprint(...args: string[]) {
  return spawnSync(process.execPath, [path.join(repoRoot, 'bin/imprint.js'), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 240_000,
  });
}

describe('no network', () => {
  it('a build refuses remote images with remote-url errors and fetches nothing', () => {
    const result = imprint(
      'build',
      remoteImageManuscript(),
      '--out',
      path.join(dirs[dirs.length - 1] ?? '', 'dist'),
    );
    expect(result.status).toBe(1);
    const remote = result.stderr.split('\n').filter((line) => line.includes('[remote-url]'));
    expect(remote).toHaveLength(3);
    for (const line of remote) expect(line).toMatch(/01-images\.md:\d+:\d+ {2}error: .*never downloads/);
    expect(hits).toEqual([]);
  });

  it('a build of every edition fetches nothing and says what it removed', { timeout: 240_000 }, () => {
    const dir = survivableManuscript();
    const result = imprint('build', dir, '--out', path.join(dir, 'dist'));
    expect(result.stderr).toMatch(/\[unsafe-html\]/);
    for (const tag of ['iframe', 'link', 'style', 'script', 'object', 'embed']) {
      expect(result.stderr).toContain(`Raw <${tag}> is removed`);
    }
    expect(result.stderr).toContain('An inline style that loads a url() is removed.');
    expect(hits).toEqual([]);
  });

  it('imprint check reports every remote reference and fetches nothing, editions included', {
    timeout: 240_000,
  }, () => {
    const dir = survivableManuscript();
    const remote = lintManuscript(dir).diagnostics.filter((d) => d.code === 'remote-url');
    expect(remote.map((d) => d.message)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('<video> loads'),
        expect.stringContaining('<audio> loads'),
        expect.stringContaining('<img> loads'),
        expect.stringContaining(`"${base}/theme-import.css"`),
        expect.stringContaining(`"${base}/theme-screen.png"`),
        expect.stringContaining(`"${base}/font.woff2"`),
        expect.stringContaining(`"${base}/theme-epub.png"`),
      ]),
    );
    const result = imprint('check', dir, '--format', 'json');
    const report = JSON.parse(result.stdout);
    expect(report.ok).toBe(false);
    expect(
      report.diagnostics.filter((d: { code: string }) => d.code === 'remote-url').length,
    ).toBeGreaterThanOrEqual(7);
    expect(hits).toEqual([]);
  });
});
