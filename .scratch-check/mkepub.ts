import { EPub } from 'epub-gen-memory';
import { writeFileSync } from 'node:fs';
const epub = await new EPub({ title: 'Test', author: 'Me', description: 'A test book', lang: 'en' }, [
  { title: 'One', content: '<p>Hello <img src="" /> world</p><h3>Skip</h3>' },
]).genEpub();
writeFileSync('/tmp/test.epub', epub);
