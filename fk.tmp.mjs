import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
let s = cpu(); let w = performance.now();
const fontkit = require('fontkit');
console.log('require fontkit cpu', (cpu() - s).toFixed(0), 'wall', (performance.now() - w).toFixed(0));
const files = process.argv.slice(2);
s = cpu(); w = performance.now();
for (const f of files) { const font = fontkit.openSync(f); font.characterSet.length; }
console.log(files.length, 'cmaps cpu', (cpu() - s).toFixed(0), 'wall', (performance.now() - w).toFixed(0));
