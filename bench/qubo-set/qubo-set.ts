/**
 * Kiln's generated QUBO set (issue 16): which instances exist, with which seeds, and how each
 * file's text is made. The set is this table: the same code always gives byte-identical files.
 *
 * Graphs (Max-Cut, rudy/G-set files in `gset/`), at n = 800, 2,000, 5,000 and 10,000 each:
 *   random-<n>-<D>pct-{p1,pm1}   two densities D per size (the G-set's own where it has one:
 *                                800 → 6 % like G1–G10, 2,000 → 1 % like G22–G31; plus a sparser one)
 *   biplanar-<n>-{p1,pm1}        the union of two rudy planar graphs at density 99 (G14–G21's form)
 *   planar-<n>-pm1               one rudy planar graph at density 99 (planar: m ≤ 3n − 6)
 *   torus-<n>-pm1                the (n/100) × 100 toroidal grid (G11–G13 are 8 × 100)
 * `p1`: every weight +1; `pm1`: each weight ±1 with probability ½. A p1 instance and its pm1
 * twin share the graph (as G1 and G6 do): the structure comes from stream 0 of the seed, the
 * signs from stream 1. Tori with +1 weights are left out: an even torus is bipartite, so its
 * maximum cut is every edge.
 *
 * Dense QUBOs (OR-Library bqp files in `orlib/`): kbqp<n>.txt at n = 500, 1,000 and 2,500 with
 * two problems each (instances kbqp<n>-1 and -2), density 10 %, integer weights uniform over
 * [−100, 100] without 0; the file's objective is maximised, as in Beasley's bqp<n> files. The
 * `k` keeps the names apart from the real OR-Library bqp500/1000/2500, which stay unused here.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BqpMatrix, biplanarGraph, denseBqp, type EdgeList, type GraphWeights, randomGraph, rudyPlanar, signs, toroidalGrid } from './families.js';
import { bqpText, gsetText } from './formats.js';
import { Xoshiro128 } from './prng.js';

export type GraphFamily = 'random' | 'biplanar' | 'planar' | 'torus';

/** One Max-Cut instance: the file gset/<name>.txt. */
export interface GraphSpec {
  kind: 'maxcut';
  name: string;
  family: GraphFamily;
  n: number;
  weights: GraphWeights;
  /** Structure from stream 0, signs from stream 1. */
  seed: number;
  /** random: rudy's -rnd_graph density (% of all pairs); planar, biplanar: rudy's -planar density (% of 3(n−2)). */
  densityPct?: number;
  /** torus: rows × cols. */
  rows?: number;
  cols?: number;
}

/** One bqp file, orlib/<stem>.txt, holding one problem per seed (instances <stem>-1, <stem>-2, …). */
export interface BqpFileSpec {
  kind: 'bqp';
  stem: string;
  n: number;
  densityPct: number;
  maxAbs: number;
  seeds: readonly number[];
}

export const GRAPH_SIZES = [800, 2000, 5000, 10_000] as const;
export const BQP_SIZES = [500, 1000, 2500] as const;

/** The random family's two densities (%) per size: average degrees 48/8, 20/5, 25/5, 20/10. */
export const RANDOM_DENSITIES: Readonly<Record<(typeof GRAPH_SIZES)[number], readonly [number, number]>> = {
  800: [6, 1],
  2000: [1, 0.25],
  5000: [0.5, 0.1],
  10000: [0.2, 0.1],
};

/** rudy's -planar density of every planar and biplanar graph (the G-set's G14–G21 used 99). */
export const PLANAR_DENSITY = 99;
/** Columns of every torus: the G-set's tori have 100 (G11–G13: 8 × 100). */
export const TORUS_COLS = 100;

function graphSpecs(): GraphSpec[] {
  const out: GraphSpec[] = [];
  for (const n of GRAPH_SIZES) {
    const [hi, lo] = RANDOM_DENSITIES[n];
    const both = (spec: Omit<GraphSpec, 'kind' | 'weights' | 'name'>, stem: string): void => {
      out.push({ kind: 'maxcut', name: `${stem}-p1`, weights: '+1', ...spec });
      out.push({ kind: 'maxcut', name: `${stem}-pm1`, weights: '±1', ...spec });
    };
    both({ family: 'random', n, seed: n * 100 + 1, densityPct: hi }, `random-${n}-${hi}pct`);
    both({ family: 'random', n, seed: n * 100 + 2, densityPct: lo }, `random-${n}-${lo}pct`);
    both({ family: 'biplanar', n, seed: n * 100 + 3, densityPct: PLANAR_DENSITY }, `biplanar-${n}`);
    out.push({ kind: 'maxcut', name: `planar-${n}-pm1`, family: 'planar', n, weights: '±1', seed: n * 100 + 4, densityPct: PLANAR_DENSITY });
    out.push({ kind: 'maxcut', name: `torus-${n}-pm1`, family: 'torus', n, weights: '±1', seed: n * 100 + 5, rows: n / TORUS_COLS, cols: TORUS_COLS });
  }
  return out;
}

/** Every graph of the set, in a fixed order (by size, then family). */
export const QUBO_SET_GRAPHS: readonly GraphSpec[] = Object.freeze(graphSpecs());

/** Every bqp file of the set. */
export const QUBO_SET_BQP: readonly BqpFileSpec[] = Object.freeze(
  BQP_SIZES.map((n): BqpFileSpec => ({ kind: 'bqp', stem: `kbqp${n}`, n, densityPct: 10, maxAbs: 100, seeds: [n * 100 + 11, n * 100 + 12] })),
);

/** The structure of a graph instance (no weights). */
export function graphStructure(spec: GraphSpec): EdgeList {
  const rng = new Xoshiro128(spec.seed, 0);
  const density = (): number => {
    if (spec.densityPct === undefined) throw new RangeError(`${spec.name}: the ${spec.family} family needs densityPct`);
    return spec.densityPct;
  };
  switch (spec.family) {
    case 'random':
      return randomGraph(spec.n, density(), rng);
    case 'planar':
      return rudyPlanar(spec.n, density(), rng);
    case 'biplanar':
      return biplanarGraph(spec.n, density(), rng);
    case 'torus': {
      if (spec.rows === undefined || spec.cols === undefined || spec.rows * spec.cols !== spec.n)
        throw new RangeError(`${spec.name}: a torus needs rows × cols = n`);
      return toroidalGrid(spec.rows, spec.cols);
    }
  }
}

/** A graph instance with its weights. */
export function buildGraph(spec: GraphSpec): { graph: EdgeList; weights: Int8Array } {
  const graph = graphStructure(spec);
  return { graph, weights: signs(graph.u.length, spec.weights, new Xoshiro128(spec.seed, 1)) };
}

/** The problems of a bqp file, in order. */
export function buildBqp(spec: BqpFileSpec): BqpMatrix[] {
  return spec.seeds.map((seed) => denseBqp(spec.n, spec.densityPct, spec.maxAbs, new Xoshiro128(seed, 0)));
}

/** One file of the set: its path under the set's folder (`gset/…` or `orlib/…`) and how to make its text. */
export interface SetFile {
  path: string;
  spec: GraphSpec | BqpFileSpec;
  text(): string;
}

/** Every file of the set, graphs first. */
export function setFiles(): SetFile[] {
  return [
    ...QUBO_SET_GRAPHS.map((spec) => ({
      path: `gset/${spec.name}.txt`,
      spec,
      text: () => {
        const { graph, weights } = buildGraph(spec);
        return gsetText(graph, weights);
      },
    })),
    ...QUBO_SET_BQP.map((spec) => ({ path: `orlib/${spec.stem}.txt`, spec, text: () => bqpText(buildBqp(spec)) })),
  ];
}

/** The instance names a file holds (bench/qubo.ts's names: the G-set stem, `<bqp stem>-<k>`). */
export function instanceNames(spec: GraphSpec | BqpFileSpec): string[] {
  return spec.kind === 'maxcut' ? [spec.name] : spec.seeds.map((_, k) => `${spec.stem}-${k + 1}`);
}

/** sha256 of a file's text, hex: best-known.json records it so a reference never outlives its instance. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Writes the chosen files (default: all) under `outDir`; returns each path, byte size and sha256. */
export function writeQuboSet(outDir: string, files: readonly SetFile[] = setFiles()): Array<{ path: string; bytes: number; sha256: string }> {
  return files.map((f) => {
    const text = f.text();
    const path = join(outDir, f.path);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
    return { path, bytes: Buffer.byteLength(text), sha256: sha256(text) };
  });
}
