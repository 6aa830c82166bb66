/**
 * Calibration of the set's graph families against the G-set files they model: edge counts and
 * degree distributions of the shared G-set graphs beside those of the generated families at the
 * same n, over several seeds. Seconds of CPU; prints a table, asserts nothing.
 *
 *   npx tsx bench/qubo-set/calibrate.ts [--data ../shared/data/qubo] [--seeds 20]
 *
 * Columns: m; min / median / max degree; share of vertices of degree 6 (the mode of the G-set's
 * "planar" graphs: 3 + 3 from two stacked triangulations); mean degree of the first and last
 * tenth of the labels (rudy labels planar vertices in insertion order, so hubs have low labels);
 * share of edges with weight −1. Generated rows give the mean over seeds, [min, max] for m.
 * "planar-800 (one layer)" and "biplanar, second layer relabelled" are the rejected
 * alternatives: one planar graph has half G14's edges; relabelling the second layer at random
 * spreads the hubs over all labels, unlike G14–G21.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseGset } from '@kiln/qubo';
import { biplanarGraph, type EdgeList, randomGraph, rudyPlanar, toroidalGrid } from './families.js';
import { Xoshiro128 } from './prng.js';

const { values } = parseArgs({ options: { data: { type: 'string', default: '../shared/data/qubo' }, seeds: { type: 'string', default: '20' } } });
const gsetDir = join(resolve(values.data), 'gset');
const seeds = Number(values.seeds);
if (!existsSync(gsetDir) || !(Number.isInteger(seeds) && seeds >= 1)) {
  console.error(`need --data with a gset/ folder (got ${gsetDir}) and --seeds ≥ 1`);
  process.exit(2);
}

interface Stats {
  m: number;
  minDeg: number;
  medDeg: number;
  maxDeg: number;
  deg6: number;
  firstTenth: number;
  lastTenth: number;
  negative: number;
}

function stats(n: number, u: ArrayLike<number>, v: ArrayLike<number>, w?: ArrayLike<number>): Stats {
  const deg = new Int32Array(n);
  let negative = 0;
  for (let k = 0; k < u.length; k++) {
    deg[u[k]!]!++;
    deg[v[k]!]!++;
    if (w && w[k]! < 0) negative++;
  }
  const sorted = Int32Array.from(deg).sort();
  const tenth = Math.floor(n / 10);
  const mean = (from: number, to: number): number => {
    let s = 0;
    for (let i = from; i < to; i++) s += deg[i]!;
    return s / (to - from);
  };
  return {
    m: u.length,
    minDeg: sorted[0]!,
    medDeg: sorted[Math.floor(n / 2)]!,
    maxDeg: sorted[n - 1]!,
    deg6: deg.filter((d) => d === 6).length / n,
    firstTenth: mean(0, tenth),
    lastTenth: mean(n - tenth, n),
    negative: w ? negative / u.length : 0,
  };
}

const header = ['graph', 'm', 'deg min/med/max', 'deg 6', 'first 10 %', 'last 10 %', 'w = −1'];
const widths = [44, 18, 16, 7, 11, 10, 7];
const row = (cells: string[]): string => cells.map((c, k) => (k === 0 ? c.padEnd(widths[k]!) : c.padStart(widths[k]!))).join(' ');
const show = (name: string, s: Stats[]): void => {
  const avg = (f: (x: Stats) => number): number => s.reduce((a, x) => a + f(x), 0) / s.length;
  const ms = s.map((x) => x.m);
  const m = s.length === 1 ? String(ms[0]) : `${avg((x) => x.m).toFixed(0)} [${Math.min(...ms)}, ${Math.max(...ms)}]`;
  console.log(
    row([
      name,
      m,
      `${avg((x) => x.minDeg).toFixed(0)}/${avg((x) => x.medDeg).toFixed(0)}/${avg((x) => x.maxDeg).toFixed(0)}`,
      avg((x) => x.deg6).toFixed(3),
      avg((x) => x.firstTenth).toFixed(1),
      avg((x) => x.lastTenth).toFixed(1),
      avg((x) => x.negative).toFixed(3),
    ]),
  );
};

const fileStats = (names: string[]): Stats[] =>
  names.map((g) => {
    const graph = parseGset(readFileSync(join(gsetDir, `${g}.txt`), 'utf8'));
    return stats(graph.n, graph.edges.u, graph.edges.v, graph.edges.w);
  });
const generated = (make: (rng: Xoshiro128) => EdgeList): Stats[] =>
  Array.from({ length: seeds }, (_, s) => {
    const g = make(new Xoshiro128(900_000 + s));
    return stats(g.n, g.u, g.v);
  });

/** The union of two rudy planar graphs with the second relabelled by a random permutation (the rejected variant). */
function relabelledUnion(n: number, rng: Xoshiro128): EdgeList {
  const a = rudyPlanar(n, 99, rng);
  const b = rudyPlanar(n, 99, rng);
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  }
  const keys = new Set<number>();
  for (let k = 0; k < a.u.length; k++) keys.add(a.u[k]! * n + a.v[k]!);
  for (let k = 0; k < b.u.length; k++) {
    const x = perm[b.u[k]!]!;
    const y = perm[b.v[k]!]!;
    keys.add(Math.min(x, y) * n + Math.max(x, y));
  }
  const u = new Int32Array(keys.size);
  const v = new Int32Array(keys.size);
  let k = 0;
  for (const key of keys) {
    u[k] = Math.floor(key / n);
    v[k++] = key % n;
  }
  return { n, u, v };
}

const have = (names: string[]): string[] => names.filter((g) => existsSync(join(gsetDir, `${g}.txt`)));
const range = (a: number, b: number): string[] => Array.from({ length: b - a + 1 }, (_, k) => `G${a + k}`);

console.log(`calibration against ${gsetDir}; generated rows: mean over ${seeds} seeds`);
console.log(row(header));
for (const g of have([...range(14, 21)])) show(`${g} (G-set "planar")`, fileStats([g]));
show(
  `biplanar-800: two layers at 99, same labels`,
  generated((r) => biplanarGraph(800, 99, r)),
);
show(
  `biplanar, second layer relabelled (rejected)`,
  generated((r) => relabelledUnion(800, r)),
);
show(
  `planar-800: one layer at 99 (rejected)`,
  generated((r) => rudyPlanar(800, 99, r)),
);
console.log('');
show(`G11–G13 (G-set toroidal)`, fileStats(have(range(11, 13))));
show(`torus 8 × 100`, [stats(800, toroidalGrid(8, 100).u, toroidalGrid(8, 100).v)]);
show(`G1–G5 (G-set random 6 %, +1)`, fileStats(have(range(1, 5))));
show(`G6–G10 (the same graphs, ±1)`, fileStats(have(range(6, 10))));
show(
  `random-800 at 6 %`,
  generated((r) => randomGraph(800, 6, r)),
);
show(`G43–G47 (G-set random n 1000, 2 %)`, fileStats(have(range(43, 47))));
show(
  `random-1000 at 2 %`,
  generated((r) => randomGraph(1000, 2, r)),
);
