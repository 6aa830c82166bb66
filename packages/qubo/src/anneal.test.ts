import { describe, expect, it } from 'vitest';
import { anneal } from './anneal.js';
import { betaSchedule, resolveAnnealOptions } from './anneal-options.js';
import { defaultBetaRange } from './beta-range.js';
import { bruteForce } from './brute-force.js';
import { toCsr } from './csr.js';
import { energy } from './energy.js';
import { graphFromEdges } from './graph.js';
import { maxCutQubo } from './max-cut.js';
import { randomQubo } from './test-helpers.js';

describe('anneal (single thread)', () => {
  it('finds the brute-force optimum of random QUBOs with n ≤ 20', () => {
    for (let seed = 0; seed < 6; seed++) {
      const p = randomQubo(14 + seed, 0.5, seed);
      const csr = toCsr(p);
      const r = anneal(csr, { seed, sweeps: 300, replicas: 4 });
      expect(r.energy).toBe(bruteForce(p).energy);
      expect(r.energy).toBe(energy(p, r.x));
      expect(r.sweeps).toBe(1200);
      expect(r.flipAttempts).toBe(1200 * p.n);
    }
  });

  it('reaches the max cut of even cycles (zero-ΔE moves must not run in lockstep)', () => {
    for (const n of [8, 20]) {
      const g = graphFromEdges(
        n,
        Array.from({ length: n }, (_, i) => [i, (i + 1) % n] as [number, number]),
      );
      const csr = toCsr(maxCutQubo(g));
      for (let seed = 0; seed < 10; seed++) expect(anneal(csr, { seed, sweeps: 1000 }).energy).toBe(-n);
    }
  });

  it('is deterministic for a seed, and seeds differ', () => {
    const csr = toCsr(randomQubo(60, 0.2, 3));
    const a = anneal(csr, { seed: 42, sweeps: 50, replicas: 2 });
    const b = anneal(csr, { seed: 42, sweeps: 50, replicas: 2 });
    expect(Array.from(a.x)).toEqual(Array.from(b.x));
    expect(a.energy).toBe(b.energy);
    expect(a.seed).toBe(42);
    const c = anneal(csr, { seed: 43, sweeps: 1, replicas: 1 });
    const d = anneal(csr, { seed: 42, sweeps: 1, replicas: 1 });
    expect(Array.from(c.x)).not.toEqual(Array.from(d.x));
  });

  it('keeps a best-so-far trace that is decreasing and ends at the result', () => {
    const csr = toCsr(randomQubo(80, 0.1, 9));
    const r = anneal(csr, { seed: 1, sweeps: 200, replicas: 3 });
    expect(r.trace.length).toBeGreaterThan(0);
    expect(r.trace.length).toBeLessThanOrEqual(200);
    for (let k = 1; k < r.trace.length; k++) expect((r.trace[k] as { energy: number }).energy).toBeLessThan((r.trace[k - 1] as { energy: number }).energy);
    expect(r.trace[r.trace.length - 1]?.energy).toBe(r.energy);
  });

  it('stops at the target and honours an aborted signal', () => {
    const p = randomQubo(16, 0.5, 5);
    const csr = toCsr(p);
    const best = bruteForce(p).energy;
    const r = anneal(csr, { seed: 2, sweeps: 1000, replicas: 50, target: best });
    expect(r.energy).toBe(best);
    expect(r.anneals).toBeLessThan(50);
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    expect(() => anneal(csr, { signal: ac.signal })).toThrow('stop');
  });

  it('derives a hot-to-cold β range from the problem and validates options', () => {
    const csr = toCsr(randomQubo(20, 0.5, 1));
    const [hot, cold] = defaultBetaRange(csr);
    expect(hot).toBeGreaterThan(0);
    expect(cold).toBeGreaterThan(hot);
    const o = resolveAnnealOptions(csr, { sweeps: 10, seed: 1 });
    const betas = betaSchedule(o);
    expect(betas[0]).toBeCloseTo(hot, 12);
    expect(betas[9]).toBeCloseTo(cold, 12);
    const lin = betaSchedule({ ...o, schedule: 'linear' });
    expect((lin[5] as number) - (lin[4] as number)).toBeCloseTo((lin[1] as number) - (lin[0] as number), 12);
    expect(() => resolveAnnealOptions(csr, { sweeps: 0 })).toThrow(RangeError);
    expect(() => resolveAnnealOptions(csr, { restarts: true })).toThrow(RangeError);
    expect(() => resolveAnnealOptions(csr, { betaStart: -1 })).toThrow(RangeError);
  });
});
