// The initial JavaScript budget: what index.html loads before the app can
// answer (its module scripts and their modulepreloads), gzipped, must stay at
// or under BUDGET_KB (200 KB). Lazily loaded chunks are not counted. Run after
// `npm run web:build`; CI fails on a bundle over budget.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const budgetKb = Number(process.env.BUDGET_KB ?? 200);
const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist');
const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
const sources = [
  ...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g),
  ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g),
].map((match) => match[1]);
if (sources.length === 0) {
  console.error('bundle budget: index.html loads no module script; is this a Vite build?');
  process.exit(1);
}
let total = 0;
for (const source of new Set(sources)) {
  const bytes = gzipSync(readFileSync(path.join(dist, source.replace(/^\//, ''))), { level: 9 }).length;
  total += bytes;
  console.log(`  ${source}  ${(bytes / 1024).toFixed(1)} KB gzipped`);
}
const kb = total / 1024;
console.log(`initial JavaScript: ${kb.toFixed(1)} KB gzipped (budget ${budgetKb} KB)`);
if (kb > budgetKb) {
  console.error(`bundle budget exceeded by ${(kb - budgetKb).toFixed(1)} KB`);
  process.exit(1);
}
