// The native 'memetic' mode (native/anneal/memetic.cc): exact energies, brute-force optima on small
// problems, determinism for a seed, the stop conditions (target, time limit, stop flag) and the
// final population as samples. Behavioural assertions only: no timing thresholds.
import { type QuboProblem, bruteForce, energy, toCsr } from '@kiln/qubo';
import { beforeAll, describe, expect, it } from 'vitest';
import { annealQuboSync, createStopFlag } from './anneal.js';
import { skipNative, useNative } from './testing/native.js';
import { randomProblem } from './testing/qubo.js';
import { rng } from './testing/reference.js';

/** Max-Cut of a random graph with ±1 weights as a QUBO (symmetric under complementing every bit). */
function randomMaxCut(n: number, p: number, seed: number): QuboProblem {
  const rand = rng(seed);
  const i: number[] = [];
  const j: number[] = [];
  const w: number[] = [];
  const diag = new Float64Array(n);
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      if (rand() >= p) continue;
      const wt = rand() < 0.5 ? -1 : 1;
      i.push(a);
      j.push(b);
      w.push(2 * wt);
      diag[a] = (diag[a] as number) - wt;
      diag[b] = (diag[b] as number) - wt;
    }
  }
  for (let a = 0; a < n; a++) {
    i.push(a);
    j.push(a);
    w.push(diag[a] as number);
  }
  return { n, terms: { i: Int32Array.from(i), j: Int32Array.from(j), w: Float64Array.from(w) }, offset: 0, kind: 'qubo', sense: 'min' };
}

describe.skipIf(skipNative)("annealQubo mode 'memetic'", () => {
  const getNative = useNative();
  beforeAll(() => {
    getNative();
  });

  it('the reported energy is the exact energy of the returned state (float and integer weights, offsets, 1 and 2 threads)', () => {
    for (let seed = 0; seed < 4; seed++) {
      const csr = toCsr(randomProblem(40 + 10 * seed, 0.3, seed, seed % 2 === 0, seed - 1.75));
      const r = annealQuboSync(csr, { mode: 'memetic', seed, threads: 1 + (seed % 2), sweeps: 200 });
      expect(r.mode).toBe('memetic');
      expect(r.state.length).toBe(csr.n);
      expect(r.state.every((b) => b === 0 || b === 1)).toBe(true);
      expect(r.energy).toBe(energy(csr, r.state));
      expect(r.stoppedBy).toBe('done');
      // Generations ran (20 per population member without restarts), each a tabu improvement.
      expect(r.anneals).toBeGreaterThan(0);
      expect(r.sweeps).toBeGreaterThan(0);
      expect(r.flipAttempts).toBe(r.sweeps * csr.n);
    }
  });

  it('finds the brute-force optimum for n ≤ 16 (random QUBOs and ±1 Max-Cut)', () => {
    for (let seed = 0; seed < 6; seed++) {
      const p = randomProblem(8 + seed * 2, 0.5, 100 + seed);
      const r = annealQuboSync(toCsr(p), { mode: 'memetic', seed, threads: 1, sweeps: 50 });
      expect(r.energy, `qubo seed ${seed}, n ${p.n}`).toBe(bruteForce(p).energy);
      const m = randomMaxCut(10 + seed, 0.4, 200 + seed);
      const rm = annealQuboSync(toCsr(m), { mode: 'memetic', seed, threads: 1, sweeps: 50 });
      expect(rm.energy, `max-cut seed ${seed}, n ${m.n}`).toBe(bruteForce(m).energy);
    }
  });

  it('is deterministic for a seed and thread count without a time limit', () => {
    const csr = toCsr(randomMaxCut(120, 0.05, 7));
    for (const threads of [1, 2]) {
      const a = annealQuboSync(csr, { mode: 'memetic', seed: 11, threads, sweeps: 300 });
      const b = annealQuboSync(csr, { mode: 'memetic', seed: 11, threads, sweeps: 300 });
      expect(Array.from(a.state)).toEqual(Array.from(b.state));
      expect(a.energy).toBe(b.energy);
      expect(a.sweeps).toBe(b.sweeps);
      expect(a.anneals).toBe(b.anneals);
    }
  });

  it('stops at the target (restarts, generous time limit)', () => {
    const p = randomProblem(16, 0.5, 77);
    const opt = bruteForce(p).energy;
    const r = annealQuboSync(toCsr(p), { mode: 'memetic', seed: 3, target: opt, restarts: true, timeLimitMs: 60_000 });
    expect(r.stoppedBy).toBe('target');
    expect(r.reachedTarget).toBe(true);
    expect(r.energy).toBe(opt);
  });

  it('honours the time limit with restarts (stoppedBy time, an exact state)', () => {
    const csr = toCsr(randomProblem(100, 0.1, 5));
    const r = annealQuboSync(csr, { mode: 'memetic', seed: 3, threads: 1, restarts: true, timeLimitMs: 20 });
    expect(r.stoppedBy).toBe('time');
    expect(r.elapsedMs).toBeGreaterThanOrEqual(20);
    expect(r.energy).toBe(energy(csr, r.state));
  });

  it('a time limit also cuts a run without restarts', () => {
    const csr = toCsr(randomMaxCut(400, 0.02, 5));
    // Stalls of 10^6 iterations: the initial population alone would take far longer than the limit.
    const r = annealQuboSync(csr, { mode: 'memetic', seed: 3, threads: 1, sweeps: 1_000_000, timeLimitMs: 10 });
    expect(r.stoppedBy).toBe('time');
    expect(r.energy).toBe(energy(csr, r.state));
  });

  it('a stop flag set before the call returns with a valid state', () => {
    const csr = toCsr(randomProblem(100, 0.1, 6));
    const stop = createStopFlag();
    Atomics.store(stop, 0, 1);
    const r = annealQuboSync(csr, { mode: 'memetic', seed: 1, restarts: true, timeLimitMs: 60_000, stop });
    expect(r.stoppedBy).toBe('stop');
    expect(r.energy).toBe(energy(csr, r.state));
    expect(r.anneals).toBe(0);
  });

  it('samples: the final population, one state per replica, energies exact and never below the best', () => {
    const csr = toCsr(randomMaxCut(60, 0.1, 9));
    const r = annealQuboSync(csr, { mode: 'memetic', seed: 9, replicas: 13, threads: 2, sweeps: 100, samples: true });
    const energies = r.sampleEnergies as Float64Array;
    const states = r.samples as Uint8Array;
    expect(energies.length).toBe(13);
    expect(states.length).toBe(13 * csr.n);
    for (let k = 0; k < 13; k++) {
      const x = states.subarray(k * csr.n, (k + 1) * csr.n);
      expect(energies[k]).toBe(energy(csr, x));
      expect(energies[k]).toBeGreaterThanOrEqual(r.energy);
    }
    // The pool update never keeps duplicates in a population (7 and 6 members per thread).
    const first = new Set(Array.from({ length: 7 }, (_, k) => states.subarray(k * csr.n, (k + 1) * csr.n).join('')));
    expect(first.size).toBe(7);
    expect(annealQuboSync(csr, { mode: 'memetic', seed: 9, replicas: 13, threads: 2, sweeps: 100 }).samples).toBeUndefined();
  });
});
