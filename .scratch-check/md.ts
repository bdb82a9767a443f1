import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkDirective from 'remark-directive';
import remarkFrontmatter from 'remark-frontmatter';
const p = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm).use(remarkDirective);
const t = p.parse('---\ntitle: x\n---\nHello [^nope] and [^a] and \\[^b].\n\n[^a]: Note.\n\n[^unused]: Never.\n\n# Head :pull[x]\n');
console.log(JSON.stringify(t, (k, v) => k === 'position' ? `${v.start.line}:${v.start.column}-${v.end.offset}` : v, 1));
