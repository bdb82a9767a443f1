import { createRequire } from 'node:module';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { launchBrowser, openLockedPage } from '../src/outputs/browser.ts';
const require = createRequire(import.meta.url);
const ace = require('@daisy/ace-core');
const winston = createRequire(require.resolve('@daisy/ace-core'))('winston');
winston.configure({ transports: [new winston.transports.Console({ silent: true })] });
const browser = await launchBrowser();
const t0 = performance.now();
try {
  const tmp = mkdtempSync(path.join(tmpdir(), 'ace-'));
  const runner = {
    concurrency: 2,
    setTimeout() {},
    async launch() {},
    async close() {},
    async run(url: string, scripts: string[], contents: string[], basedir: string) {
      const { page, blockedRequests } = await openLockedPage(browser, { allowedRoots: [basedir] });
      try {
        await page.goto(url);
        for (const content of contents) await page.addScriptTag({ content });
        for (const p of scripts) await page.addScriptTag({ path: p });
        const result = await page.evaluate(() => new Promise((resolve, reject) => {
          (window as any).daisy.ace.run((err: unknown, res: unknown) => (err ? reject(err) : resolve(res)));
        }));
        console.error('blocked', blockedRequests());
        return result;
      } finally { await page.close(); }
    },
  };
  const [, report] = await ace('/tmp/test.epub', { cwd: process.cwd(), tmpdir: path.join(tmp, 'epub'), outdir: path.join(tmp, 'out'), initLogger: false }, runner);
  console.log(JSON.stringify(report['earl:result'] ?? report, null, 0).slice(0, 300));
  console.log(JSON.stringify(report.assertions.slice(0,2), null, 1).slice(0, 5000));
} finally { await browser.close(); console.log('ms', performance.now()-t0); }
