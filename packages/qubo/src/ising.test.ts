import { describe, expect, it } from 'vitest';
import { bruteForce } from './brute-force.js';
import { energy } from './energy.js';
import { isingEnergy, isingToQubo, spinsOf } from './ising.js';
import { solve } from './solve.js';

/** A frustrated 6-spin problem with fields, a repeated coupling and a constant J_ii. */
const ising = {
  h: { 0: 0.5, 3: -1.25, 5: 2 },
  J: [
    [0, 1, 1],
    [1, 2, -0.75],
    [2, 0, 1],
    [3, 4, 1.5],
    [4, 5, -2],
    [5, 3, 0.5],
    [1, 0, 0.25],
    [2, 2, 3],
  ] as Array<[number, number, number]>,
  offset: 1,
};

describe('Ising input', () => {
  it('converts to a QUBO with the same energy for every one of the 2^n states, the offset kept', () => {
    const q = isingToQubo(ising);
    expect(q.n).toBe(6);
    for (let mask = 0; mask < 64; mask++) {
      const x = Uint8Array.from({ length: 6 }, (_, i) => (mask >> i) & 1);
      expect(energy(q, x)).toBeCloseTo(isingEnergy(ising, spinsOf(x)), 12);
    }
    // The QUBO's brute-force minimum is the Ising brute-force minimum.
    let best = Number.POSITIVE_INFINITY;
    for (let mask = 0; mask < 64; mask++)
      best = Math.min(
        best,
        isingEnergy(
          ising,
          Array.from({ length: 6 }, (_, i) => (((mask >> i) & 1) === 1 ? 1 : -1)),
        ),
      );
    expect(bruteForce(q).energy).toBeCloseTo(best, 12);
  });

  it('takes h as an array, n beyond the named spins, and names bad entries', () => {
    const q = isingToQubo({ n: 4, h: [1, -1], J: [[0, 1, 2]] });
    expect(q.n).toBe(4);
    expect(energy(q, Uint8Array.from([1, 0, 1, 1]))).toBe(isingEnergy({ h: [1, -1], J: [[0, 1, 2]] }, [1, -1, 1, 1]));
    expect(() => isingToQubo({ h: [1], J: [[0, -1, 1]] })).toThrow(/J\[0\]\[1\]/);
    expect(() => isingToQubo({ h: { a: 1 } as unknown as Record<string, number> })).toThrow(/h\.a/);
    expect(() => isingToQubo({ h: [Number.NaN] })).toThrow(/h\[0\]/);
  });
});

describe('sample sets', () => {
  it('keeps the distinct final states of the replicas, best first, counted, up to numReads', async () => {
    // Max-Cut of an 8-cycle as an Ising chain: two ground states (alternating spins), many local minima for short anneals.
    const ring = isingToQubo({ J: Array.from({ length: 8 }, (_, i) => [i, (i + 1) % 8, 1] as [number, number, number]) });
    const r = await solve(ring, { mode: 'sa', sweeps: 8, replicas: 64, restarts: false, seed: 5, numReads: 50, threads: 2, engine: 'native' });
    const s = r.samples;
    expect(s.length).toBeGreaterThan(2);
    expect(s.length).toBeLessThanOrEqual(50);
    expect(s[0]?.energy).toBe(r.energy);
    expect(r.energy).toBe(-8);
    for (let k = 1; k < s.length; k++) expect((s[k] as { energy: number }).energy).toBeGreaterThanOrEqual((s[k - 1] as { energy: number }).energy);
    const keys = new Set(s.map((x) => x.x.join('')));
    expect(keys.size).toBe(s.length);
    for (const x of s) expect(x.energy).toBe(energy(ring, x.x));
    // Every replica's final state is counted once (the best state may be counted once more when no replica ended in it).
    const total = s.reduce((a, x) => a + x.numOccurrences, 0);
    expect(total).toBeLessThanOrEqual(64 + 1);
    const few = await solve(ring, { mode: 'sa', sweeps: 8, replicas: 64, restarts: false, seed: 5, numReads: 2, threads: 2, engine: 'native' });
    expect(few.samples).toHaveLength(2);
    const one = await solve(ring, { mode: 'sa', sweeps: 8, replicas: 64, restarts: false, seed: 5, threads: 2, engine: 'native' });
    expect(one.samples).toEqual([{ x: one.x, energy: one.energy, numOccurrences: 1 }]);
  });
});
