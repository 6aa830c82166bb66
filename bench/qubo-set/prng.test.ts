import { describe, expect, it } from 'vitest';
import { Xoshiro128 } from './prng.js';

describe('Xoshiro128', () => {
  it('is xoshiro128**: the reference outputs from the state (1, 2, 3, 4)', () => {
    const g = Xoshiro128.fromState([1, 2, 3, 4]);
    const out = Array.from({ length: 10 }, () => g.nextU32());
    expect(out).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804]);
  });

  it('gives the pinned stream for a seed (changing it would change every instance of the set)', () => {
    const a = new Xoshiro128(1);
    expect(Array.from({ length: 5 }, () => a.nextU32())).toEqual([3988220327, 408401388, 1282041630, 4110219323, 3138396023]);
    const b = new Xoshiro128(1, 1);
    expect(Array.from({ length: 3 }, () => b.nextU32())).toEqual([1020478236, 1858488894, 2767960690]);
  });

  it('repeats for the same (seed, stream) and differs between streams', () => {
    const draw = (seed: number, stream: number): number[] => {
      const g = new Xoshiro128(seed, stream);
      return Array.from({ length: 8 }, () => g.nextU32());
    };
    expect(draw(42, 0)).toEqual(draw(42, 0));
    expect(draw(42, 0)).not.toEqual(draw(42, 1));
    expect(draw(42, 0)).not.toEqual(draw(43, 0));
  });

  it('below(k) stays in [0, k) and hits every value about equally often', () => {
    const g = new Xoshiro128(7);
    const counts = new Array<number>(6).fill(0);
    for (let t = 0; t < 60_000; t++) counts[g.below(6)]!++;
    expect(counts.length).toBe(6); // nothing fell outside 0..5
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500); // σ ≈ 91
    expect(g.below(1)).toBe(0);
    expect(() => g.below(0)).toThrow(RangeError);
    expect(() => g.below(2 ** 32 + 1)).toThrow(RangeError);
  });

  it('between(lo, hi) covers both ends; chance(p) has the asked rate and chance(0) / chance(1) are certain', () => {
    const g = new Xoshiro128(9);
    const seen = new Set<number>();
    for (let t = 0; t < 2000; t++) seen.add(g.between(-3, 3));
    expect([...seen].sort((a, b) => a - b)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
    let hits = 0;
    for (let t = 0; t < 100_000; t++) if (g.chance(0.1)) hits++;
    expect(Math.abs(hits - 10_000)).toBeLessThan(500); // σ ≈ 95
    for (let t = 0; t < 100; t++) {
      expect(g.chance(0)).toBe(false);
      expect(g.chance(1)).toBe(true);
    }
  });

  it('rejects seeds outside uint32', () => {
    expect(() => new Xoshiro128(-1)).toThrow(RangeError);
    expect(() => new Xoshiro128(2 ** 32)).toThrow(RangeError);
    expect(() => new Xoshiro128(1.5)).toThrow(RangeError);
    expect(() => Xoshiro128.fromState([0, 0, 0, 0])).toThrow(RangeError);
  });
});
