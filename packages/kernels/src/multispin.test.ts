import { type CsrQubo, type QuboProblem, bruteForce, energy, graphFromEdges, maxCutQubo, misQubo, toCsr } from '@kiln/qubo';
import { describe, expect, it } from 'vitest';
import { annealQuboSync, createStopFlag } from './anneal.js';
import { skipNative, useNative } from './testing/native.js';
import { rng } from './testing/reference.js';

/** G(n, p) with weights +1, or ±1 at random when `signed`. */
function graph(n: number, p: number, seed: number, signed: boolean): Array<[number, number, number]> {
  const rand = rng(seed);
  const edges: Array<[number, number, number]> = [];
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) if (rand() < p) edges.push([a, b, signed && rand() < 0.5 ? -1 : 1]);
  return edges;
}
const maxCut = (n: number, p: number, seed: number, signed = true): QuboProblem => maxCutQubo(graphFromEdges(n, graph(n, p, seed, signed)));
const mis = (n: number, p: number, seed: number): QuboProblem =>
  misQubo(
    graphFromEdges(
      n,
      graph(n, p, seed, false).map(([a, b]) => [a, b] as [number, number]),
    ),
  );

/** The Boltzmann distribution's mean energy and ground-state probability at β, by enumeration. */
function boltzmann(csr: CsrQubo, beta: number): { mean: number; ground: number } {
  const x = new Uint8Array(csr.n);
  const es: number[] = [];
  for (let s = 0; s < 2 ** csr.n; s++) {
    for (let i = 0; i < csr.n; i++) x[i] = (s >> i) & 1;
    es.push(energy(csr, x));
  }
  const min = es.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
  let z = 0;
  let m = 0;
  let g = 0;
  for (const e of es) {
    const w = Math.exp(-beta * (e - min));
    z += w;
    m += w * e;
    if (e === min) g += w;
  }
  return { mean: m / z, ground: g / z };
}

/**
 * The final energies of `replicas` replicas annealed at a constant β for `sweeps` sweeps, with the
 * mean's standard error taken over 64-replica words (the replicas of a word share their random
 * numbers, so only words are independent).
 */
function sampleAt(csr: CsrQubo, mode: 'sa' | 'multispin', beta: number, replicas: number, seed: number): { mean: number; se: number; ground: number } {
  const r = annealQuboSync(csr, { mode, seed, replicas, sweeps: 60, betaStart: beta, betaEnd: beta, threads: 2, samples: true });
  const e = Array.from(r.sampleEnergies ?? []);
  expect(e.length).toBe(replicas);
  const min = bruteForce(csr).energy;
  const words: number[] = [];
  for (let w = 0; w < replicas; w += 64) words.push(e.slice(w, w + 64).reduce((a, b) => a + b, 0) / 64);
  const mean = words.reduce((a, b) => a + b, 0) / words.length;
  const sd = Math.sqrt(words.reduce((a, b) => a + (b - mean) ** 2, 0) / (words.length - 1));
  return { mean, se: sd / Math.sqrt(words.length), ground: e.filter((v) => v === min).length / replicas };
}

describe.skipIf(skipNative)("annealQubo mode 'multispin' (bit-parallel annealing)", () => {
  useNative();

  it.each([
    ['Max-Cut ±1', (s: number) => maxCut(12, 0.4, s)],
    ['Max-Cut +1', (s: number) => maxCut(12, 0.4, s, false)],
    ['MIS (penalty form, fields)', (s: number) => mis(13, 0.3, s)],
    ['Max-Cut ±1 on K18 (degree 17: the 16-word carry-save blocks)', (s: number) => maxCut(18, 1, s)],
  ])('%s: reaches the brute-force optimum, and its energy is the exact energy of its state', (_name, make) => {
    for (let s = 1; s <= 6; s++) {
      const csr = toCsr(make(s));
      const r = annealQuboSync(csr, { mode: 'multispin', seed: s, sweeps: 300, threads: 2 });
      expect(r.energy).toBe(energy(csr, r.state));
      expect(r.energy).toBe(bruteForce(csr).energy);
      expect(r.mode).toBe('multispin');
      expect(r.replicas).toBe(1024);
      expect(r.anneals).toBe(1024);
      expect(r.flipAttempts).toBe(1024 * 300 * csr.n);
    }
  });

  it.each([
    ['Max-Cut ±1 (no fields: one comparison per variable)', maxCut(10, 0.5, 3), 0.6],
    ['MIS (fields: a comparison per spin value)', mis(10, 0.4, 5), 0.5],
    ['Max-Cut ±1 on K17 (degree 16)', maxCut(17, 1, 4), 0.3],
  ])('%s: at a fixed β its samples follow the Boltzmann distribution, as the scalar sa kernel’s do', (_name, p, beta) => {
    const csr = toCsr(p);
    const exact = boltzmann(csr, beta);
    const ms = sampleAt(csr, 'multispin', beta, 4096, 1);
    const sa = sampleAt(csr, 'sa', beta, 4096, 1);
    // Not a degenerate test: the distribution is broad at this β.
    expect(exact.ground).toBeLessThan(0.9);
    expect(Math.abs(ms.mean - exact.mean)).toBeLessThan(4 * ms.se);
    expect(Math.abs(sa.mean - exact.mean)).toBeLessThan(4 * sa.se);
    expect(Math.abs(ms.mean - sa.mean)).toBeLessThan(4 * Math.hypot(ms.se, sa.se));
    expect(Math.abs(ms.ground - exact.ground)).toBeLessThan(0.05);
  });

  it('keeps every replica’s final state with its exact energy, a partial last word group included', () => {
    const csr = toCsr(mis(30, 0.15, 2));
    const r = annealQuboSync(csr, { mode: 'multispin', seed: 4, replicas: 600, sweeps: 20, threads: 2, samples: true });
    expect(r.sampleEnergies?.length).toBe(600);
    expect(r.anneals).toBe(600);
    for (let k = 0; k < 600; k++) {
      const x = (r.samples as Uint8Array).subarray(k * 30, (k + 1) * 30);
      expect(r.sampleEnergies?.[k]).toBe(energy(csr, x));
      expect(r.sampleEnergies?.[k]).toBeGreaterThanOrEqual(r.energy);
    }
    // Different replicas end in different states (each bit is its own replica).
    expect(new Set(Array.from({ length: 600 }, (_, k) => (r.samples as Uint8Array).subarray(k * 30, (k + 1) * 30).join(''))).size).toBeGreaterThan(20);
  });

  it('gives the same result for a seed on 1 or 2 threads and on the generic and AVX-512 builds', () => {
    const csr = toCsr(maxCut(60, 0.3, 8));
    const o = { mode: 'multispin' as const, seed: 11, replicas: 1500, sweeps: 50 };
    const a = annealQuboSync(csr, { ...o, threads: 2 });
    const b = annealQuboSync(csr, { ...o, threads: 1 });
    const c = annealQuboSync(csr, { ...o, threads: 2, simd: 'generic' });
    expect(b.energy).toBe(a.energy);
    expect(Array.from(b.state)).toEqual(Array.from(a.state));
    expect(c.energy).toBe(a.energy);
    expect(Array.from(c.state)).toEqual(Array.from(a.state));
    const d = annealQuboSync(csr, { ...o, seed: 12, threads: 2 });
    expect(d.anneals).toBe(1500);
  });

  it('stops on the stop flag, the time limit and the target', () => {
    const csr = toCsr(maxCut(200, 0.05, 9));
    const stop = createStopFlag();
    Atomics.store(stop, 0, 1);
    const stopped = annealQuboSync(csr, { mode: 'multispin', seed: 1, sweeps: 100_000, stop });
    expect(stopped.stoppedBy).toBe('stop');
    expect(stopped.energy).toBe(energy(csr, stopped.state));
    const timed = annealQuboSync(csr, { mode: 'multispin', seed: 1, sweeps: 200, restarts: true, timeLimitMs: 50 });
    expect(timed.stoppedBy).toBe('time');
    expect(timed.anneals).toBeGreaterThan(0);
    const best = annealQuboSync(csr, { mode: 'multispin', seed: 2, sweeps: 500 }).energy;
    const target = annealQuboSync(csr, { mode: 'multispin', seed: 3, sweeps: 500, restarts: true, timeLimitMs: 60_000, target: best });
    expect(target.stoppedBy).toBe('target');
    expect(target.reachedTarget).toBe(true);
    expect(target.energy).toBeLessThanOrEqual(best);
  });

  it('refuses a problem whose couplings take more than one magnitude, naming the mode', () => {
    const graded: QuboProblem = {
      n: 3,
      terms: { i: Int32Array.from([0, 1]), j: Int32Array.from([1, 2]), w: Float64Array.from([1, 2]) },
      offset: 0,
      kind: 'qubo',
      sense: 'min',
    };
    expect(() => annealQuboSync(toCsr(graded), { mode: 'multispin', seed: 1 })).toThrow(/multispin.*one magnitude/);
    const uncoupled: QuboProblem = {
      n: 2,
      terms: { i: Int32Array.from([0]), j: Int32Array.from([0]), w: Float64Array.from([1]) },
      offset: 0,
      kind: 'qubo',
      sense: 'min',
    };
    expect(() => annealQuboSync(toCsr(uncoupled), { mode: 'multispin', seed: 1 })).toThrow(/multispin.*coupling/);
  });
});
