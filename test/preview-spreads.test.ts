/**
 * The print view's spreads face each other as in the bound book: page 1 alone on the right and 2 left of 3
 * in a left-to-right book; page 1 alone on the left and 3 left of 2 in a right-to-left one. The view page and
 * its stylesheet are the preview's own; the rows are laid out the way the client script builds them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fromHtml } from 'hast-util-from-html';
import { select } from 'hast-util-select';
import type { Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../src/platform/browser/launch-browser.ts';
import { renderPrintView } from '../src/preview/views/preview-page.ts';

const CSS = readFileSync(
  path.join(import.meta.dirname, '..', 'src', 'preview', 'client', 'preview-pages.css'),
  'utf8',
);

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
}, 240_000);

afterAll(async () => {
  await browser?.close();
});

/** Left edge of each page of the view, by page number ("blank" for the empty place beside page 1). */
async function pagePositions(lang: string): Promise<Record<string, number>> {
  const main = select(
    'main',
    fromHtml(
      renderPrintView('Book', lang, { type: 'element', tagName: 'span', properties: {}, children: [] }),
    ),
  );
  const dir = main?.properties.dir ? ` dir="${main.properties.dir}"` : '';
  const page = (label: string) =>
    `<div class="imprint-page" data-label="${label}" style="--page-width: 100px; height: 150px"></div>`;
  const html = `<!doctype html><html><head><style>${CSS}</style></head><body>
    <main class="imprint-spreads"${dir}>
      <div class="imprint-spread">${page('blank')}${page('1')}</div>
      <div class="imprint-spread">${page('2')}${page('3')}</div>
    </main></body></html>`;
  const tab = await browser.newPage();
  try {
    await tab.setViewport({ width: 800, height: 600 });
    await tab.setContent(html);
    return await tab.$$eval('.imprint-page', (pages) =>
      Object.fromEntries(
        pages.map((element) => [
          (element as HTMLElement).dataset.label,
          element.getBoundingClientRect().left,
        ]),
      ),
    );
  } finally {
    await tab.close();
  }
}

describe('the print view', () => {
  it('lays a left-to-right book out with page 1 on the right and 2 left of 3', async () => {
    const x = await pagePositions('en');
    expect(x['1']).toBeGreaterThan(x.blank);
    expect(x['3']).toBeGreaterThan(x['2']);
  });

  it('lays a right-to-left book out with page 1 on the left and 3 left of 2', async () => {
    const x = await pagePositions('ar');
    expect(x['1']).toBeLessThan(x.blank);
    expect(x['3']).toBeLessThan(x['2']);
  });
});
