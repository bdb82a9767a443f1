import { launchBrowser, openLockedPage } from '/work/main/src/outputs/browser.ts';
import { writeFileSync } from 'node:fs';
const [,, input, output] = process.argv;
const b = await launchBrowser();
try {
  const { page } = await openLockedPage(b, { allowedRoots: ['/tmp/proto', '/work/main/node_modules'] });
  await page.goto('file://' + input);
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true, outline: true, tagged: true, timeout: 0 });
  writeFileSync(output, pdf);
} finally { await b.close(); }
