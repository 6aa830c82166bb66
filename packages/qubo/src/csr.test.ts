import { describe, expect, it } from 'vitest';
import { bruteForce } from './brute-force.js';
import { toCsr } from './csr.js';
import { energy } from './energy.js';
import { applyFlip, localFields } from './local-fields.js';
import { deriveSeed, nextU32, seedState } from './rng.js';
import { randomBits, randomQubo } from './test-helpers.js';

describe('toCsr and energy', () => {
  it('CSR energy equals term-list energy on many random problems and states', () => {
    for (let seed = 0; seed < 30; seed++) {
      const p = randomQubo(5 + (seed % 25), 0.3, seed);
      const csr = toCsr(p);
      for (let k = 0; k < 20; k++) {
        const x = randomBits(p.n, deriveSeed(seed, k));
        expect(energy(csr, x)).toBe(energy(p, x));
      }
    }
  });

  it('rejects hand-built problems with bad indices or weights', () => {
    const bad = (i: number, w: number) => ({
      n: 2,
      terms: { i: Int32Array.of(i), j: Int32Array.of(1), w: Float64Array.of(w) },
      offset: 0,
      kind: 'qubo' as const,
      sense: 'min' as const,
    });
    expect(() => toCsr(bad(2, 1))).toThrow(expect.objectContaining({ code: 'KILN_ERR_QUBO_INDEX' }));
    expect(() => toCsr(bad(0, Number.NaN))).toThrow(expect.objectContaining({ code: 'KILN_ERR_QUBO_NONFINITE' }));
  });

  it('is exactly symmetric with ascending columns and no zero entries', () => {
    const p = randomQubo(40, 0.4, 7);
    const csr = toCsr(p);
    const at = (i: number, j: number): number => {
      for (let k = csr.rowPtr[i] as number; k < (csr.rowPtr[i + 1] as number); k++) if (csr.col[k] === j) return csr.val[k] as number;
      return 0;
    };
    for (let i = 0; i < csr.n; i++) {
      for (let k = csr.rowPtr[i] as number; k < (csr.rowPtr[i + 1] as number); k++) {
        const j = csr.col[k] as number;
        expect(j).not.toBe(i);
        expect(csr.val[k]).not.toBe(0);
        if (k > (csr.rowPtr[i] as number)) expect(j).toBeGreaterThan(csr.col[k - 1] as number);
        expect(at(j, i)).toBe(csr.val[k]);
      }
    }
  });

  it('incremental local-field updates match a full recompute after random flips', () => {
    for (let seed = 0; seed < 10; seed++) {
      const p = randomQubo(30, 0.3, 100 + seed);
      const csr = toCsr(p);
      const x = randomBits(csr.n, seed);
      const field = localFields(csr, x);
      let e = energy(csr, x);
      const st = seedState(seed);
      for (let step = 0; step < 500; step++) {
        const i = nextU32(st) % csr.n;
        e += applyFlip(csr.rowPtr, csr.col, csr.val, field, x, i);
        if (step % 50 === 49) {
          expect(Array.from(field)).toEqual(Array.from(localFields(csr, x)));
          expect(e).toBe(energy(csr, x));
        }
      }
    }
  });

  it('bruteForce finds the minimum of a tiny hand-checked QUBO', () => {
    // E = −x0 − x1 + 3 x0 x1 + 2: minimum 1 at (1,0) (first found in Gray order)
    const p = {
      n: 2,
      terms: { i: Int32Array.of(0, 1, 0), j: Int32Array.of(0, 1, 1), w: Float64Array.of(-1, -1, 3) },
      offset: 2,
      kind: 'qubo' as const,
      sense: 'min' as const,
    };
    const r = bruteForce(p);
    expect(r.energy).toBe(1);
    expect((r.x[0] as number) + (r.x[1] as number)).toBe(1);
  });
});
