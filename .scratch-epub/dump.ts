import { createBookLoader } from '/work/main/src/book/load-book.ts';
import { toHtml } from 'hast-util-to-html';
const book = createBookLoader()(process.argv[2] ?? '/work/main/manuscript');
console.log(JSON.stringify({...book.meta, print: undefined}, null, 1), book.slug);
for (const c of book.chapters) { console.log(c.id, c.file, JSON.stringify(c.headings), JSON.stringify(c.images), JSON.stringify(c.meta)); console.log(toHtml(c.tree)); }
console.log(book.theme.fonts.length, book.theme.fonts[0]);
console.log(book.diagnostics);
