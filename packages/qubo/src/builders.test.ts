import { describe, expect, it } from 'vitest';
import { bruteForce } from './brute-force.js';
import { energy } from './energy.js';
import { evaluate, repairIndependentSet } from './evaluate.js';
import { graphFromEdges } from './graph.js';
import { cutValue, maxCutQubo } from './max-cut.js';
import { misQubo } from './mis.js';
import { randomBits } from './test-helpers.js';
import type { Graph } from './types.js';

function isIndependent(g: Graph, s: Uint8Array): boolean {
  for (let k = 0; k < g.edges.u.length; k++)
    if (s[g.edges.u[k] as number] === 1 && s[g.edges.v[k] as number] === 1 && g.edges.u[k] !== g.edges.v[k]) return false;
  return true;
}

function randomGraph(n: number, p: number, seed: number, signed = false): Graph {
  const bits = randomBits(n * n * 2, seed);
  const edges: Array<[number, number, number]> = [];
  let k = 0;
  for (let a = 0; a < n; a++)
    for (let b = a + 1; b < n; b++) {
      const r = (bits[k++] as number) + 2 * (bits[k++] as number) + 4 * (bits[(k * 7) % bits.length] as number);
      if (r / 8 < p) edges.push([a, b, signed && (bits[(k * 13) % bits.length] as number) === 1 ? -1 : 1]);
    }
  return graphFromEdges(n, edges);
}

describe('maxCutQubo', () => {
  it('cut from the graph equals −energy for random graphs and states', () => {
    for (let seed = 0; seed < 10; seed++) {
      const g = randomGraph(15, 0.4, seed, seed % 2 === 1);
      const p = maxCutQubo(g);
      for (let k = 0; k < 10; k++) {
        const x = randomBits(g.n, seed * 100 + k);
        const ev = evaluate(p, x);
        expect(ev.cut).toBe(cutValue(g, x));
        expect(ev.cut).toBe(0 - energy(p, x));
        expect(ev.value).toBe(ev.cut);
      }
    }
  });

  it('brute force on K5 gives the max cut 6', () => {
    const edges: Array<[number, number]> = [];
    for (let a = 0; a < 5; a++) for (let b = a + 1; b < 5; b++) edges.push([a, b]);
    expect(-bruteForce(maxCutQubo(graphFromEdges(5, edges))).energy).toBe(6);
  });
});

describe('misQubo and MIS evaluation', () => {
  it('uses Intel’s penalty form and enforces wOff > 2·wDiag', () => {
    const g = graphFromEdges(3, [
      [0, 1],
      [1, 2],
    ]);
    const p = misQubo(g);
    expect(energy(p, Uint8Array.from([1, 0, 1]))).toBe(-2);
    expect(energy(p, Uint8Array.from([1, 1, 0]))).toBe(-2 + 8);
    expect(() => misQubo(g, { wDiag: 1, wOff: 2 })).toThrow(RangeError);
  });

  it('reports an infeasible x and repairs it to a maximal independent set', () => {
    const path = graphFromEdges(3, [
      [0, 1],
      [1, 2],
    ]);
    const ev = evaluate(misQubo(path), Uint8Array.from([1, 1, 1]));
    expect(ev.feasible).toBe(false);
    expect(Array.from(ev.repaired as Uint8Array)).toEqual([1, 0, 1]);
    expect(ev.value).toBe(2);
    const tri = graphFromEdges(3, [
      [0, 1],
      [1, 2],
      [0, 2],
    ]);
    const t = evaluate(misQubo(tri), Uint8Array.from([1, 1, 1]));
    expect(t.feasible).toBe(false);
    expect(t.setSize).toBe(1);
    const ok = evaluate(misQubo(path), Uint8Array.from([1, 0, 1]));
    expect(ok.feasible).toBe(true);
    expect(ok.value).toBe(2);
  });

  it('repair is always independent and maximal, on random graphs and states', () => {
    for (let seed = 0; seed < 20; seed++) {
      const g = randomGraph(25, 0.2, seed);
      const x = randomBits(g.n, seed + 1000);
      const { repaired, feasible } = repairIndependentSet(g, x);
      expect(isIndependent(g, repaired)).toBe(true);
      expect(feasible).toBe(isIndependent(g, x));
      for (let i = 0; i < g.n; i++) {
        if (repaired[i] === 1) continue;
        const s = repaired.slice();
        s[i] = 1;
        expect(isIndependent(g, s)).toBe(false);
      }
    }
  });

  it('the QUBO minimum is a maximum independent set (Petersen graph: α = 4)', () => {
    const outer: Array<[number, number]> = [0, 1, 2, 3, 4].map((i) => [i, (i + 1) % 5]);
    const spokes: Array<[number, number]> = [0, 1, 2, 3, 4].map((i) => [i, i + 5]);
    const inner: Array<[number, number]> = [0, 1, 2, 3, 4].map((i) => [i + 5, ((i + 2) % 5) + 5]);
    const petersen = graphFromEdges(10, [...outer, ...spokes, ...inner]);
    const p = misQubo(petersen);
    const r = bruteForce(p);
    expect(r.energy).toBe(-4);
    expect(evaluate(p, r.x)).toMatchObject({ feasible: true, value: 4 });
  });
});
