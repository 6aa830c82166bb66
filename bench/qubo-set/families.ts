/**
 * The instance families of Kiln's generated QUBO set, modelled on how the G-set used Rinaldi's
 * graph generator rudy, and on Beasley's OR-Library bqp problems. Pure functions of their
 * arguments and a Xoshiro128 stream: the same arguments and seed give the same graph.
 *
 * Graphs come back as edge lists with 0-based u < v, sorted by (u, v), no repeats, no loops.
 *
 * - randomGraph (rudy -rnd_graph n D s): exactly round(n(n−1)·D/200) distinct edges drawn
 *   uniformly among all pairs (G(n, m)). The G-set's G1–G10 (n 800, D 6), G43–G47 (n 1000, D 2).
 * - rudyPlanar (rudy -planar n D s): a random stacked triangulation (start with the triangle
 *   0-1-2; vertex w+2 goes into a face drawn uniformly from the 2w−1 faces so far, joined to its
 *   three corners; 3n−6 edges), then edges removed uniformly at random, one at a time, while
 *   there are more than D/100 · 3(n−2). Planar by construction; vertex k is the k-th inserted, so
 *   low labels carry the high degrees, as in rudy's files.
 * - biplanarGraph (rudy -planar n D s1 -planar n D s2 +): the union of two rudyPlanar graphs on
 *   the same labels, common edges once. This is what the G-set calls "planar" (G14–G21: m ≈ 5.85n,
 *   about twice the 3n−6 a planar graph can have; see calibrate.ts).
 * - toroidalGrid (rudy -toroidal_grid_2D h w): vertex r·w + c joined to its right and lower
 *   neighbours with wrap-around; 4-regular with 2hw edges when h, w ≥ 3 (G11–G13: 8 × 100).
 * - signs: G-set weights, all +1, or each edge independently +1 or −1 with probability ½
 *   (rudy -random 0 1 s -times 2 -plus -1).
 * - denseBqp: Beasley's bqp form (OR-Library bqp50…bqp2500): every entry of the upper triangle,
 *   diagonal included, is present independently with probability D/100, its value uniform over
 *   the nonzero integers in [−maxAbs, maxAbs]; the file's objective is to maximise
 *   Σ q_ii x_i + 2 Σ_{i<j} q_ij x_i x_j.
 */
import type { Xoshiro128 } from './prng.js';

/** An undirected simple graph: edge k joins u[k] < v[k], edges sorted by (u, v). */
export interface EdgeList {
  n: number;
  u: Int32Array;
  v: Int32Array;
}

/** G-set weights: all +1, or independent ±1. */
export type GraphWeights = '+1' | '±1';

/** The upper triangle (diagonal included) of a bqp matrix: entry k is q[i[k]][j[k]], i ≤ j, sorted by (i, j). */
export interface BqpMatrix {
  n: number;
  i: Int32Array;
  j: Int32Array;
  q: Int32Array;
}

/** Largest n whose pair keys u·n + v stay exact in a double, far above what a text file can hold anyway. */
const MAX_N = 1 << 24;

function assertN(n: number, min: number, what: string): void {
  if (!Number.isInteger(n) || n < min || n > MAX_N) throw new RangeError(`${what}: n must be an integer in [${min}, ${MAX_N}], got ${n}`);
}

function assertPercent(densityPct: number, what: string): void {
  if (!(densityPct >= 0 && densityPct <= 100)) throw new RangeError(`${what}: density must be a percentage in [0, 100], got ${densityPct}`);
}

/** Edges from keys u·n + v (u < v): sorted, as an EdgeList. */
function fromKeys(n: number, keys: Float64Array): EdgeList {
  keys.sort();
  const u = new Int32Array(keys.length);
  const v = new Int32Array(keys.length);
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    u[k] = Math.floor(key / n);
    v[k] = key - u[k]! * n;
  }
  return { n, u, v };
}

/** rudy's edge count for -rnd_graph: the integer closest to n(n−1)·D/200. */
export function randomGraphEdges(n: number, densityPct: number): number {
  return Math.round((n * (n - 1) * densityPct) / 200);
}

/** G(n, m) with m = randomGraphEdges(n, D): distinct pairs drawn uniformly (rejection of repeats). */
export function randomGraph(n: number, densityPct: number, rng: Xoshiro128): EdgeList {
  assertN(n, 2, 'randomGraph');
  assertPercent(densityPct, 'randomGraph');
  const m = randomGraphEdges(n, densityPct);
  const pairs = (n * (n - 1)) / 2;
  // Above half of all pairs, draw the pairs to leave out instead (rejection stays cheap).
  const drawn = m <= pairs / 2 ? m : pairs - m;
  const seen = new Set<number>();
  while (seen.size < drawn) {
    const a = rng.below(n);
    const b = rng.below(n);
    if (a === b) continue;
    seen.add(a < b ? a * n + b : b * n + a);
  }
  const keys = new Float64Array(m);
  if (drawn === m) {
    let k = 0;
    for (const key of seen) keys[k++] = key;
  } else {
    let k = 0;
    for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) if (!seen.has(a * n + b)) keys[k++] = a * n + b;
  }
  return fromKeys(n, keys);
}

/** rudy's edge count for -planar: the largest integer ≤ D/100 · 3(n−2). */
export function planarEdges(n: number, densityPct: number): number {
  return Math.floor((densityPct * 3 * (n - 2)) / 100);
}

/** rudy's random planar graph (see the header): a stacked triangulation thinned to planarEdges(n, D) edges. */
export function rudyPlanar(n: number, densityPct: number, rng: Xoshiro128): EdgeList {
  assertN(n, 3, 'rudyPlanar');
  assertPercent(densityPct, 'rudyPlanar');
  const maxEdges = 3 * (n - 2);
  const eu = new Int32Array(maxEdges);
  const ev = new Int32Array(maxEdges);
  const faces = new Int32Array(3 * (2 * n - 5));
  let count = 0;
  const edge = (a: number, b: number): void => {
    eu[count] = a;
    ev[count++] = b;
  };
  faces.set([0, 1, 2], 0);
  edge(0, 1);
  edge(0, 2);
  edge(1, 2);
  for (let w = 1; w <= n - 3; w++) {
    const f = rng.below(2 * w - 1);
    const a = faces[3 * f]!;
    const b = faces[3 * f + 1]!;
    const c = faces[3 * f + 2]!;
    const d = w + 2;
    edge(a, d);
    edge(b, d);
    edge(c, d);
    faces[3 * f + 2] = d; // (a, b, d)
    faces.set([a, c, d], 3 * (2 * w - 1));
    faces.set([b, c, d], 3 * (2 * w));
  }
  const keep = planarEdges(n, densityPct);
  while (count > keep) {
    const e = rng.below(count);
    count--;
    eu[e] = eu[count]!;
    ev[e] = ev[count]!;
  }
  const keys = new Float64Array(count);
  for (let k = 0; k < count; k++) keys[k] = Math.min(eu[k]!, ev[k]!) * n + Math.max(eu[k]!, ev[k]!);
  return fromKeys(n, keys);
}

/** The union of `layers` rudyPlanar graphs drawn one after another from `rng` on the same labels; common edges once. */
export function biplanarGraph(n: number, densityPct: number, rng: Xoshiro128, layers = 2): EdgeList {
  if (!Number.isInteger(layers) || layers < 1) throw new RangeError(`biplanarGraph: layers must be a positive integer, got ${layers}`);
  const keys = new Set<number>();
  for (let l = 0; l < layers; l++) {
    const g = rudyPlanar(n, densityPct, rng);
    for (let k = 0; k < g.u.length; k++) keys.add(g.u[k]! * n + g.v[k]!);
  }
  return fromKeys(n, Float64Array.from(keys));
}

/** The h × w toroidal grid: vertex r·w + c joined to r·w + (c+1 mod w) and ((r+1 mod h)·w + c). */
export function toroidalGrid(h: number, w: number): EdgeList {
  if (!Number.isInteger(h) || !Number.isInteger(w) || h < 3 || w < 3) throw new RangeError(`toroidalGrid: h and w must be integers ≥ 3, got ${h} × ${w}`);
  const n = h * w;
  assertN(n, 9, 'toroidalGrid');
  const keys = new Float64Array(2 * n);
  let k = 0;
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      const x = r * w + c;
      for (const y of [r * w + ((c + 1) % w), ((r + 1) % h) * w + c]) keys[k++] = Math.min(x, y) * n + Math.max(x, y);
    }
  }
  return fromKeys(n, keys);
}

/** One weight per edge: all +1, or each +1 / −1 with probability ½ from `rng`. */
export function signs(m: number, weights: GraphWeights, rng: Xoshiro128): Int8Array {
  const w = new Int8Array(m).fill(1);
  if (weights === '±1') for (let k = 0; k < m; k++) w[k] = rng.below(2) === 0 ? 1 : -1;
  else if (weights !== '+1') throw new RangeError(`weights must be '+1' or '±1', got ${String(weights)}`);
  return w;
}

/** Beasley's dense bqp (see the header): each upper-triangle entry present with probability D/100, nonzero, uniform in [−maxAbs, maxAbs]. */
export function denseBqp(n: number, densityPct: number, maxAbs: number, rng: Xoshiro128): BqpMatrix {
  assertN(n, 1, 'denseBqp');
  assertPercent(densityPct, 'denseBqp');
  if (!Number.isInteger(maxAbs) || maxAbs < 1) throw new RangeError(`denseBqp: maxAbs must be a positive integer, got ${maxAbs}`);
  const p = densityPct / 100;
  const ii: number[] = [];
  const jj: number[] = [];
  const qq: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      if (!rng.chance(p)) continue;
      const r = rng.below(2 * maxAbs); // 0..2·maxAbs−1 → −maxAbs..−1, 1..maxAbs
      ii.push(i);
      jj.push(j);
      qq.push(r < maxAbs ? r - maxAbs : r - maxAbs + 1);
    }
  }
  return { n, i: Int32Array.from(ii), j: Int32Array.from(jj), q: Int32Array.from(qq) };
}
