import { describe, expect, it } from 'vitest';
import { Rng } from './model/rng.js';
import { withRandomCrops } from './train.js';
import { resolveTrainingConfig } from './training-config.js';

describe('random crops (all-position, issue 15)', () => {
  const trains = [Int32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), Int32Array.from([4, 5]), Int32Array.from([7, 8, 9])];
  const base = { user: Int32Array.of(0, 1, 2), start: Int32Array.of(0, 0, 0), end: Int32Array.of(9, 1, 2), count: 3, targets: 12 };

  it('adds `extra` windows per user with at least 3 items, each ending at a random position in [2, n−2], at most maxLen long', () => {
    const out = withRandomCrops(base, trains, 4, 5, new Rng(1));
    expect(out.count).toBe(3 + 4 * 2);
    expect(Array.from(out.user.subarray(0, 3))).toEqual([0, 1, 2]);
    let targets = 12;
    for (let i = 3; i < out.count; i++) {
      const u = out.user[i] as number;
      const n = (trains[u] as Int32Array).length;
      const e = out.end[i] as number;
      expect(u).not.toBe(1);
      expect(e).toBeGreaterThanOrEqual(2);
      expect(e).toBeLessThanOrEqual(Math.max(2, n - 2));
      expect(out.start[i]).toBe(Math.max(0, e - 5));
      targets += e - (out.start[i] as number);
    }
    expect(out.targets).toBe(targets);
    // Drawn from the run's generator: the same seed, the same crops; another epoch, others.
    expect(Array.from(withRandomCrops(base, trains, 4, 5, new Rng(1)).end)).toEqual(Array.from(out.end));
    const rng = new Rng(1);
    const first = withRandomCrops(base, trains, 4, 5, rng);
    const second = withRandomCrops(base, trains, 4, 5, rng);
    expect(Array.from(second.end)).not.toEqual(Array.from(first.end));
  });

  it('is a training setting: default 1, a positive integer', () => {
    expect(resolveTrainingConfig({}).crops).toBe(1);
    expect(resolveTrainingConfig({ crops: 3 }).crops).toBe(3);
    expect(() => resolveTrainingConfig({ crops: 0 })).toThrow(/crops/);
  });
});
