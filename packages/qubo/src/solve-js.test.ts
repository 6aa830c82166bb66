import { describe, expect, it } from 'vitest';
import { bruteForce } from './brute-force.js';
import { energy } from './energy.js';
import { graphFromEdges } from './graph.js';
import { cutValue, maxCutQubo } from './max-cut.js';
import { misQubo } from './mis.js';
import { solve } from './solve.js';
import { activeSolverThreads } from './solve-js.js';
import { randomQubo } from './test-helpers.js';
import type { Graph } from './types.js';

function union(parts: Array<{ edges: Array<[number, number]>; n: number }>): { graph: Graph; offsets: number[] } {
  const offsets: number[] = [];
  const edges: Array<[number, number]> = [];
  let n = 0;
  for (const part of parts) {
    offsets.push(n);
    for (const [u, v] of part.edges) edges.push([u + n, v + n]);
    n += part.n;
  }
  return { graph: graphFromEdges(n, edges), offsets };
}

// engine 'js': the JS reference annealer on worker threads (solve()'s fallback without the native addon).
describe("solve, engine 'js' (worker threads)", () => {
  it('finds the brute-force optimum of random QUBOs with n ≤ 20', async () => {
    for (const seed of [11, 12, 13]) {
      const p = randomQubo(16 + seed - 11, 0.5, seed);
      const r = await solve(p, { engine: 'js', seed, threads: 2, replicas: 4, restarts: false, sweeps: 500 });
      expect(r.energy).toBe(bruteForce(p).energy);
      expect(r.energy).toBe(energy(p, r.x));
      expect(r.evaluation.value).toBe(r.energy);
      expect(r).toMatchObject({ engine: 'js', mode: 'sa', threads: 2, replicas: 4, sweeps: 2000, flipAttempts: 2000 * p.n });
    }
    expect(activeSolverThreads()).toBe(0);
  });

  // One solve per family (thread start-up dominates): the graphs are solved as one disjoint union,
  // whose optimum is the sum of the parts', and each part is checked on its own.
  it('reaches the max cut of an even cycle, K_{3,4} and K_7; cut = −energy', async () => {
    const cycle: Array<[number, number]> = Array.from({ length: 8 }, (_, i) => [i, (i + 1) % 8]);
    const bip: Array<[number, number]> = [];
    for (let a = 0; a < 3; a++) for (let b = 3; b < 7; b++) bip.push([a, b]);
    const k7: Array<[number, number]> = [];
    for (let a = 0; a < 7; a++) for (let b = a + 1; b < 7; b++) k7.push([a, b]);
    const parts = [
      { edges: cycle, n: 8, best: 8 },
      { edges: bip, n: 7, best: 12 },
      { edges: k7, n: 7, best: 12 },
    ];
    const { graph, offsets } = union(parts);
    const r = await solve(maxCutQubo(graph), { engine: 'js', seed: 5, threads: 2, restarts: false, sweeps: 500 });
    expect(r.evaluation.cut).toBe(32);
    expect(cutValue(graph, r.x)).toBe(-r.energy);
    parts.forEach((part, k) => {
      const x = r.x.slice(offsets[k], (offsets[k] as number) + part.n);
      expect(cutValue(graphFromEdges(part.n, part.edges), x)).toBe(part.best);
    });
  });

  it('reaches α on a cycle and the Petersen graph, with a feasible set', async () => {
    const c9: Array<[number, number]> = Array.from({ length: 9 }, (_, i) => [i, (i + 1) % 9]);
    const petersen = [0, 1, 2, 3, 4].flatMap((i) => [
      [i, (i + 1) % 5],
      [i, i + 5],
      [i + 5, ((i + 2) % 5) + 5],
    ]) as Array<[number, number]>;
    const { graph } = union([
      { edges: c9, n: 9 },
      { edges: petersen, n: 10 },
    ]);
    const r = await solve(misQubo(graph), { engine: 'js', seed: 3, threads: 2, restarts: false, sweeps: 500 });
    expect(r.evaluation).toMatchObject({ feasible: true, value: 8, setSize: 8 });
    expect(r.energy).toBe(-8);
  });

  it('is deterministic for a seed and thread count', async () => {
    const p = randomQubo(120, 0.05, 21);
    const a = await solve(p, { engine: 'js', seed: 9, threads: 3, replicas: 5, restarts: false, sweeps: 100 });
    const b = await solve(p, { engine: 'js', seed: 9, threads: 3, replicas: 5, restarts: false, sweeps: 100 });
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    expect(a.energy).toBe(b.energy);
    expect(a.sweeps).toBe(b.sweeps);
  });

  it('merges progress and stops every thread when the signal aborts', async () => {
    const p = randomQubo(400, 0.05, 4);
    const ac = new AbortController();
    const seen: number[] = [];
    const run = solve(p, {
      engine: 'js',
      seed: 1,
      threads: 2,
      sweeps: 10_000_000,
      signal: ac.signal,
      onProgress: (pr) => {
        seen.push(pr.bestEnergy);
        if (seen.length === 3) ac.abort(new Error('cancelled by test'));
      },
    });
    await expect(run).rejects.toThrow('cancelled by test');
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(activeSolverThreads()).toBe(0);
  });

  it('rejects at once when the signal is already aborted, and on bad options', async () => {
    const p = randomQubo(10, 0.5, 1);
    await expect(solve(p, { engine: 'js', signal: AbortSignal.abort(new Error('early')) })).rejects.toThrow('early');
    await expect(solve(p, { engine: 'js', threads: 0 })).rejects.toThrow(RangeError);
    await expect(solve(p, { engine: 'js', restarts: false, sweeps: -1 })).rejects.toThrow(RangeError);
  });

  it('runs sa whatever the mode, and says why it used the JS engine', async () => {
    const p = randomQubo(12, 0.5, 2);
    const r = await solve(p, { engine: 'js', mode: 'tabu', seed: 1, threads: 1, restarts: false, sweeps: 300 });
    expect(r).toMatchObject({ engine: 'js', mode: 'sa', requestedMode: 'tabu', engineReason: 'engine js requested' });
    expect(r.energy).toBe(bruteForce(p).energy);
  });
});
