import { describe, expect, it } from 'vitest';
import { bruteForce } from './brute-force.js';
import { energy } from './energy.js';
import { graphFromEdges } from './graph.js';
import { cutValue, maxCutQubo } from './max-cut.js';
import { misQubo } from './mis.js';
import { activeSolverThreads, solve } from './solve.js';
import { randomQubo } from './test-helpers.js';

describe('solve (worker threads)', () => {
  it('finds the brute-force optimum of random QUBOs with n ≤ 20', async () => {
    for (const seed of [11, 12, 13]) {
      const p = randomQubo(16 + seed - 11, 0.5, seed);
      const r = await solve(p, { seed, threads: 2, replicas: 4, sweeps: 500 });
      expect(r.energy).toBe(bruteForce(p).energy);
      expect(r.energy).toBe(energy(p, r.x));
      expect(r.evaluation.value).toBe(r.energy);
      expect(r).toMatchObject({ mode: 'sa', threads: 2, replicas: 4, sweeps: 2000, flipAttempts: 2000 * p.n });
    }
    expect(activeSolverThreads()).toBe(0);
  });

  it('reaches the max cut of an even cycle, K_{3,4} and K_7; cut = −energy', async () => {
    const cycle = graphFromEdges(8, Array.from({ length: 8 }, (_, i) => [i, (i + 1) % 8] as [number, number]));
    const bip: Array<[number, number]> = [];
    for (let a = 0; a < 3; a++) for (let b = 3; b < 7; b++) bip.push([a, b]);
    const k7: Array<[number, number]> = [];
    for (let a = 0; a < 7; a++) for (let b = a + 1; b < 7; b++) k7.push([a, b]);
    for (const [g, best] of [[cycle, 8], [graphFromEdges(7, bip), 12], [graphFromEdges(7, k7), 12]] as const) {
      const r = await solve(maxCutQubo(g), { seed: 5, threads: 2, sweeps: 200 });
      expect(r.evaluation.cut).toBe(best);
      expect(cutValue(g, r.x)).toBe(-r.energy);
    }
  });

  it('reaches α on a cycle and the Petersen graph, with a feasible set', async () => {
    const c9 = graphFromEdges(9, Array.from({ length: 9 }, (_, i) => [i, (i + 1) % 9] as [number, number]));
    const petersen = graphFromEdges(10, [0, 1, 2, 3, 4].flatMap((i) => [[i, (i + 1) % 5], [i, i + 5], [i + 5, ((i + 2) % 5) + 5]] as Array<[number, number]>));
    for (const [g, alpha] of [[c9, 4], [petersen, 4]] as const) {
      const r = await solve(misQubo(g), { seed: 3, threads: 2, sweeps: 300 });
      expect(r.evaluation).toMatchObject({ feasible: true, value: alpha, setSize: alpha });
      expect(r.energy).toBe(-alpha);
    }
  });

  it('is deterministic for a seed and thread count', async () => {
    const p = randomQubo(120, 0.05, 21);
    const a = await solve(p, { seed: 9, threads: 3, replicas: 5, sweeps: 100 });
    const b = await solve(p, { seed: 9, threads: 3, replicas: 5, sweeps: 100 });
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    expect(a.energy).toBe(b.energy);
    expect(a.sweeps).toBe(b.sweeps);
  });

  it('merges progress and stops every thread when the signal aborts', async () => {
    const p = randomQubo(400, 0.05, 4);
    const ac = new AbortController();
    const seen: number[] = [];
    const run = solve(p, {
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
    await expect(solve(p, { signal: AbortSignal.abort(new Error('early')) })).rejects.toThrow('early');
    await expect(solve(p, { threads: 0 })).rejects.toThrow(RangeError);
    await expect(solve(p, { sweeps: -1 })).rejects.toThrow(RangeError);
  });
});
