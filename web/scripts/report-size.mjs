// Prints the gzipped size of the JavaScript the browser loads first (the entry chunk and
// its static imports, read from Vite's manifest) and fails above the budget.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET = 100 * 1024;
const dist = new URL('../dist/', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'));

const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

const entries = Object.entries(manifest).filter(([, chunk]) => chunk.isEntry);
const initial = new Set();
const visit = (key) => {
  const chunk = manifest[key];
  if (!chunk || initial.has(chunk.file)) return;
  initial.add(chunk.file);
  for (const dep of chunk.imports ?? []) visit(dep);
};
for (const [key] of entries) visit(key);

const initialJs = [...initial].filter((f) => f.endsWith('.js'));
let total = 0;
console.log('Initial JavaScript (gzipped):');
for (const file of initialJs) {
  const size = gz(file);
  total += size;
  console.log(`  ${file.padEnd(44)} ${kb(size)}`);
}
const css = new Set(entries.flatMap(([, chunk]) => chunk.css ?? []));
for (const file of css) console.log(`  ${file.padEnd(44)} ${kb(gz(file))} (CSS)`);

const lazy = Object.values(manifest)
  .filter((chunk) => chunk.file.endsWith('.js') && !initial.has(chunk.file))
  .map((chunk) => [chunk.file, gz(chunk.file)]);
if (lazy.length > 0) {
  console.log('Lazy chunks (gzipped):');
  for (const [file, size] of lazy) console.log(`  ${file.padEnd(44)} ${kb(size)}`);
}

console.log(`Initial JS total: ${kb(total)} gzipped (budget ${kb(BUDGET)})`);
if (total > BUDGET) {
  console.error(`Initial JavaScript is over budget by ${kb(total - BUDGET)}.`);
  process.exit(1);
}
