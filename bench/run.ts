/**
 * `npm run bench`: each edition's benchmark in turn, PDF first (its peak memory is the process's so far).
 * `npm run bench -- epub` runs only the named sections. A section is a module exporting a function that
 * measures and one that formats the result; add one to SECTIONS.
 */
import { benchCommands, formatCommandsBench } from './commands.bench.ts';
import { benchEpub, formatEpubBench } from './epub.bench.ts';
import { benchHostile, formatHostileBench } from './hostile.bench.ts';
import { benchLayout, formatLayoutBench } from './layout.bench.ts';
import { benchPdf, formatPdfBench } from './pdf.bench.ts';
import { benchPreview, formatPreviewBench } from './preview.bench.ts';
import { benchScale, formatScaleBench } from './scale.bench.ts';
import { benchTypography, formatTypographyBench } from './typography.bench.ts';

interface Section {
  name: string;
  run(): Promise<string>;
}

const SECTIONS: Section[] = [
  { name: 'commands', run: async () => formatCommandsBench(await benchCommands()) },
  { name: 'pdf', run: async () => formatPdfBench(await benchPdf()) },
  { name: 'epub', run: async () => formatEpubBench(await benchEpub()) },
  { name: 'preview', run: async () => formatPreviewBench(await benchPreview()) },
  { name: 'typography', run: async () => formatTypographyBench(await benchTypography()) },
  { name: 'layout', run: async () => formatLayoutBench(await benchLayout()) },
  { name: 'hostile', run: async () => formatHostileBench(benchHostile()) },
  { name: 'scale', run: async () => formatScaleBench(benchScale()) },
];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !SECTIONS.some((section) => section.name === name));
if (unknown.length) {
  process.stderr.write(
    `Unknown bench section ${unknown.join(', ')}; choose from ${SECTIONS.map((s) => s.name).join(', ')}.\n`,
  );
  process.exit(2);
}
for (const section of SECTIONS) {
  if (wanted.length && !wanted.includes(section.name)) continue;
  process.stdout.write(`${await section.run()}\n\n`);
}
