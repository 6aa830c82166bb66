import { energy, parseBqp, parseGset } from '@kiln/qubo';
import { describe, expect, it } from 'vitest';
import { biplanarGraph, denseBqp, type EdgeList, planarEdges, randomGraph, randomGraphEdges, rudyPlanar, signs, toroidalGrid } from './families.js';
import { bqpText, gsetText } from './formats.js';
import { assertSimpleSorted, degrees, isConnected, isStackedTriangulation, isSubgraph } from './graph-checks.js';
import { Xoshiro128 } from './prng.js';

const rng = (seed: number, stream = 0): Xoshiro128 => new Xoshiro128(seed, stream);
const same = (a: EdgeList, b: EdgeList): boolean =>
  a.n === b.n && a.u.length === b.u.length && a.u.every((x, k) => x === b.u[k]) && a.v.every((x, k) => x === b.v[k]);

describe('toroidalGrid', () => {
  it.each([
    [3, 3],
    [8, 100],
    [20, 100],
    [7, 11],
  ])('%i × %i: every degree exactly 4, m = 2n, simple, connected', (h, w) => {
    const g = toroidalGrid(h, w);
    expect(g.n).toBe(h * w);
    expect(g.u.length).toBe(2 * h * w);
    assertSimpleSorted(g);
    expect(degrees(g).every((d) => d === 4)).toBe(true);
    expect(isConnected(g)).toBe(true);
  });

  it('joins r·w + c to its right and lower neighbours with wrap-around (as G11: vertex 1 ~ 2, 8, 9, 793)', () => {
    const g = toroidalGrid(100, 8);
    const nbrs = (x: number): number[] => {
      const out: number[] = [];
      for (let k = 0; k < g.u.length; k++) {
        if (g.u[k] === x) out.push(g.v[k]!);
        if (g.v[k] === x) out.push(g.u[k]!);
      }
      return out.sort((a, b) => a - b);
    };
    expect(nbrs(0).map((x) => x + 1)).toEqual([2, 8, 9, 793]); // 1-based, as in the G11 file
    expect(() => toroidalGrid(2, 10)).toThrow(RangeError);
  });
});

describe('rudyPlanar', () => {
  it.each([3, 4, 5, 50, 800, 2000])('n = %i at density 100 is a stacked triangulation with exactly 3n − 6 edges', (n) => {
    const g = rudyPlanar(n, 100, rng(n));
    assertSimpleSorted(g);
    expect(g.u.length).toBe(3 * n - 6);
    expect(isStackedTriangulation(g)).toBe(true);
    expect(isConnected(g)).toBe(true);
  });

  it.each([800, 2000, 5000])("n = %i at density 99: rudy's edge count, m ≤ 3n − 6, connected, a subgraph of the same seed's triangulation", (n) => {
    const g = rudyPlanar(n, 99, rng(n + 1));
    assertSimpleSorted(g);
    expect(g.u.length).toBe(planarEdges(n, 99));
    expect(g.u.length).toBe(Math.floor(0.99 * 3 * (n - 2)));
    expect(g.u.length).toBeLessThanOrEqual(3 * n - 6);
    expect(isConnected(g)).toBe(true);
    // The triangulation is drawn before any edge is removed, so density 100 from the same seed is its supergraph.
    expect(isSubgraph(g, rudyPlanar(n, 100, rng(n + 1)))).toBe(true);
  });

  it('the certificate rejects a non-planar 3-tree (three vertices on one triangle: K3,3 inside)', () => {
    const bad: EdgeList = { n: 6, u: Int32Array.from([0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2]), v: Int32Array.from([1, 2, 3, 4, 5, 2, 3, 4, 5, 3, 4, 5]) };
    expect(isStackedTriangulation(bad)).toBe(false);
  });

  it('puts the hubs at low labels, as rudy does (vertex k is the k-th inserted)', () => {
    const d = degrees(rudyPlanar(2000, 99, rng(5)));
    const mean = (a: number, b: number): number => d.slice(a, b).reduce((s, x) => s + x, 0) / (b - a);
    expect(mean(0, 200)).toBeGreaterThan(2 * mean(1800, 2000));
  });
});

describe("biplanarGraph (G14–G21's form)", () => {
  it.each([800, 2000])('n = %i: the union of two planar layers drawn in turn, connected, 3n − 6 < m ≤ 2(3n − 6)', (n) => {
    const g = biplanarGraph(n, 99, rng(n + 3));
    assertSimpleSorted(g);
    const r = rng(n + 3);
    const a = rudyPlanar(n, 99, r);
    const b = rudyPlanar(n, 99, r);
    expect(isSubgraph(a, g) && isSubgraph(b, g)).toBe(true);
    expect(g.u.length).toBeLessThanOrEqual(a.u.length + b.u.length);
    expect(g.u.length).toBeGreaterThan(3 * n - 6);
    expect(isConnected(g)).toBe(true);
  });

  it("n = 800 lands on the G-set's edge counts (G14–G17: 4661–4694) and degree-6 mode", () => {
    for (let s = 0; s < 5; s++) {
      const g = biplanarGraph(800, 99, rng(900_000 + s));
      expect(g.u.length).toBeGreaterThan(4600);
      expect(g.u.length).toBeLessThan(4740); // 2 × 2370 less the common edges
      const d = degrees(g);
      const six = d.filter((x) => x === 6).length / 800;
      expect(six).toBeGreaterThan(0.18);
      expect(six).toBeLessThan(0.32);
    }
  });
});

describe('randomGraph', () => {
  it.each([
    [800, 6],
    [800, 1],
    [2000, 0.25],
    [5000, 0.1],
  ])('n = %i at %f percent: exactly round(n(n−1)·D/200) distinct edges, density within rounding', (n, d) => {
    const g = randomGraph(n, d, rng(n));
    assertSimpleSorted(g);
    const m = randomGraphEdges(n, d);
    expect(g.u.length).toBe(m);
    expect(Math.abs((100 * m) / ((n * (n - 1)) / 2) - d)).toBeLessThan(200 / (n * (n - 1)) + 1e-12);
  });

  it("G(800, 6 %) has G1–G10's edge count and a binomial spread of degrees", () => {
    const g = randomGraph(800, 6, rng(11));
    expect(g.u.length).toBe(19_176);
    const d = degrees(g);
    const mean = d.reduce((s, x) => s + x, 0) / 800;
    const variance = d.reduce((s, x) => s + (x - mean) ** 2, 0) / 799;
    expect(mean).toBeCloseTo(47.94, 2);
    expect(variance).toBeGreaterThan(35); // Binomial(799, 0.06): 45
    expect(variance).toBeLessThan(56);
  });

  it('draws the complement above half of all pairs', () => {
    const g = randomGraph(40, 90, rng(3));
    assertSimpleSorted(g);
    expect(g.u.length).toBe(randomGraphEdges(40, 90));
  });
});

describe('signs', () => {
  it("'+1' gives only +1; '±1' only ±1, about half negative", () => {
    expect(signs(5000, '+1', rng(1)).every((w) => w === 1)).toBe(true);
    const w = signs(20_000, '±1', rng(1));
    expect(w.every((x) => x === 1 || x === -1)).toBe(true);
    const negative = w.filter((x) => x === -1).length / w.length;
    expect(Math.abs(negative - 0.5)).toBeLessThan(0.02); // σ ≈ 0.0035
    expect(() => signs(3, 'x' as never, rng(1))).toThrow(RangeError);
  });
});

describe('denseBqp', () => {
  it.each([500, 1000])('n = %i: density ≈ 10 percent of the upper triangle, weights nonzero integers in [−100, 100], both ends reached', (n) => {
    const p = denseBqp(n, 10, 100, rng(n));
    const pairs = (n * (n + 1)) / 2;
    expect(Math.abs(p.q.length / pairs - 0.1)).toBeLessThan(0.003); // σ ≈ 0.0008 at n = 500
    let diagonal = 0;
    const bad: number[] = [];
    for (let k = 0; k < p.q.length; k++) {
      const q = p.q[k]!;
      const inOrder = k === 0 || p.i[k - 1]! < p.i[k]! || (p.i[k - 1] === p.i[k] && p.j[k - 1]! < p.j[k]!);
      if (!(Number.isInteger(q) && q !== 0 && q >= -100 && q <= 100 && p.i[k]! <= p.j[k]! && inOrder)) bad.push(k);
      if (p.i[k] === p.j[k]) diagonal++;
    }
    expect(bad).toEqual([]);
    expect(Math.abs(diagonal / n - 0.1)).toBeLessThan(0.05);
    expect(Math.min(...p.q)).toBe(-100);
    expect(Math.max(...p.q)).toBe(100);
    const mean = p.q.reduce((s, x) => s + x, 0) / p.q.length;
    expect(Math.abs(mean)).toBeLessThan(3); // uniform over ±1..±100: mean 0, σ/√nnz < 0.6
  });
});

describe('the text forms read back with the existing parsers', () => {
  it('gsetText → parseGset gives the same graph and weights', () => {
    const g = biplanarGraph(300, 99, rng(1));
    const w = signs(g.u.length, '±1', rng(1, 1));
    const back = parseGset(gsetText(g, w));
    expect(back.n).toBe(300);
    expect(Array.from(back.edges.u)).toEqual(Array.from(g.u));
    expect(Array.from(back.edges.v)).toEqual(Array.from(g.v));
    expect(Array.from(back.edges.w)).toEqual(Array.from(w));
  });

  it('bqpText → parseBqp: the problems in order, energy = −(Σ q_ii x_i + 2 Σ q_ij x_i x_j)', () => {
    const a = denseBqp(60, 10, 100, rng(1));
    const b = denseBqp(40, 10, 100, rng(2));
    const parsed = parseBqp(bqpText([a, b]));
    expect(parsed.map((p) => [p.index, p.problem.n, p.problem.sense])).toEqual([
      [1, 60, 'max'],
      [2, 40, 'max'],
    ]);
    const r = rng(3);
    for (const [k, m] of [a, b].entries()) {
      for (let t = 0; t < 5; t++) {
        const x = Uint8Array.from({ length: m.n }, () => r.below(2));
        let f = 0;
        for (let e = 0; e < m.q.length; e++) f += (m.i[e] === m.j[e] ? 1 : 2) * m.q[e]! * x[m.i[e]!]! * x[m.j[e]!]!;
        expect(energy(parsed[k]!.problem, x)).toBe(-f);
      }
    }
  });

  it('the generators are deterministic: the same seed gives the same graph, another seed another', () => {
    expect(same(randomGraph(800, 1, rng(5)), randomGraph(800, 1, rng(5)))).toBe(true);
    expect(same(biplanarGraph(800, 99, rng(5)), biplanarGraph(800, 99, rng(5)))).toBe(true);
    expect(same(biplanarGraph(800, 99, rng(5)), biplanarGraph(800, 99, rng(6)))).toBe(false);
    expect(bqpText([denseBqp(100, 10, 100, rng(5))])).toBe(bqpText([denseBqp(100, 10, 100, rng(5))]));
  });
});
