/**
 * The HTML parser (parse5, through hast-util-from-html and rehype-raw), loaded when first used. A rebuild
 * takes the theme's templates and document shell parsed from the cache (src/book/component-cache.ts) and
 * most chapters have no raw HTML, so most commands never parse HTML; importing parse5 with the pipeline cost
 * every one of them 18 ms (its 300 kB compiled, its entity tables built). An ES module cannot be imported
 * synchronously in node 20 and the pipeline runs synchronously, so scripts/compile.mjs also bundles the two
 * packages as one CommonJS file, lib/vendor/html-parser.cjs, which `require` loads on the first call. Where
 * that file does not exist (src/ run through tsx or vitest, or a lib/ compiled without esbuild), the
 * packages are imported with this module, as before.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { fromHtml as FromHtml } from 'hast-util-from-html';
import type RehypeRaw from 'rehype-raw';

interface HtmlParser {
  fromHtml: typeof FromHtml;
  rehypeRaw: typeof RehypeRaw;
}

const bundle = path.join(import.meta.dirname, '..', 'vendor', 'html-parser.cjs');

let parser: HtmlParser | undefined = existsSync(bundle)
  ? undefined
  : {
      fromHtml: (await import('hast-util-from-html')).fromHtml,
      rehypeRaw: (await import('rehype-raw')).default,
    };

function htmlParser(): HtmlParser {
  parser ??= createRequire(import.meta.url)(bundle) as HtmlParser;
  return parser;
}

/** hast-util-from-html's `fromHtml`. */
export const fromHtml: typeof FromHtml = (value, options) => htmlParser().fromHtml(value, options);

/** rehype-raw: a transform that parses the tree's raw nodes into it (the whole tree goes through parse5). */
export const rehypeRaw: typeof RehypeRaw = (options) => {
  let transform: ReturnType<typeof RehypeRaw> | undefined;
  return (tree, file) => {
    transform ??= htmlParser().rehypeRaw(options);
    return transform(tree, file);
  };
};
