/**
 * Writes Kiln's generated QUBO set (qubo-set.ts has the table, families.ts the generators):
 *
 *   npm run gen:qubo-set [-- --out DIR] [--only NAME[,NAME…]]
 *
 * Default folder bench/qubo-set/instances (git-ignored, about 22 MB): `gset/<name>.txt` (Max-Cut
 * graphs, rudy/G-set format) and `orlib/kbqp<n>.txt` (bqp format, two problems each), the layout
 * bench/qubo.ts reads (`npm run bench:qubo -- --data bench/qubo-set/instances`; it takes the
 * references from bench/qubo-set/best-known.json beside the folder). The same command always
 * writes byte-identical files; each line printed ends with the file's sha256, which
 * best-known.json records per instance. `--only` takes file stems (`torus-800-pm1`, `kbqp500`).
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setFiles, writeQuboSet } from './qubo-set.js';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: { out: { type: 'string' }, only: { type: 'string' } } });
const outDir = resolve(values.out ?? join(here, 'instances'));

const all = setFiles();
const stem = (path: string): string => path.replace(/^.*\//, '').replace(/\.txt$/, '');
const wanted = values.only
  ?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const unknown = wanted?.filter((w) => !all.some((f) => stem(f.path) === w)) ?? [];
if (unknown.length > 0) {
  console.error(`no such file in the set: ${unknown.join(', ')} (stems: ${all.map((f) => stem(f.path)).join(', ')})`);
  process.exit(2);
}
const chosen = wanted ? all.filter((f) => wanted.includes(stem(f.path))) : all;

const t0 = performance.now();
const written = writeQuboSet(outDir, chosen);
let total = 0;
for (const w of written) {
  total += w.bytes;
  console.log(`${relative(process.cwd(), w.path).padEnd(52)} ${(w.bytes / 1e6).toFixed(2).padStart(7)} MB  sha256 ${w.sha256}`);
}
console.log(
  `${written.length} files, ${(total / 1e6).toFixed(1)} MB in ${relative(process.cwd(), outDir) || '.'} (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
);

// Files of an older version of the set would be read by bench/qubo.ts too: name them.
const known = new Set(all.map((f) => f.path));
for (const dir of ['gset', 'orlib']) {
  if (!existsSync(join(outDir, dir))) continue;
  for (const f of readdirSync(join(outDir, dir)))
    if (!known.has(`${dir}/${f}`)) console.warn(`warning: ${dir}/${f} is not part of the set (left from an older version?)`);
}
