import { type CsrQubo, type QuboProblem, anneal, bruteForce, defaultBetaRange, energy, graphFromEdges, misQubo, repairIndependentSet, toCsr } from '@kiln/qubo';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ANNEAL_LIVE,
  type QuboAnnealOptions,
  annealQubo,
  annealQuboSync,
  createAnnealLive,
  createStopFlag,
  defaultAnnealBetaRange,
  resolveAnnealOptions,
} from './anneal.js';
import type { AnnealMode, KilnNative } from './native-api.js';
import { skipNative, useNative } from './testing/native.js';
import { randomProblem } from './testing/qubo.js';
import { rng } from './testing/reference.js';

const modes = ['sa', 'loihi', 'tabu'] as const satisfies readonly AnnealMode[];

/** Random graph G(n, p) as an edge list. */
function randomGraph(n: number, p: number, seed: number): Array<[number, number]> {
  const rand = rng(seed);
  const edges: Array<[number, number]> = [];
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) if (rand() < p) edges.push([a, b]);
  return edges;
}

/** Short runs: every mode does a bounded amount of work (no time limit). */
const quick: Record<(typeof modes)[number], QuboAnnealOptions> = {
  sa: { sweeps: 300, replicas: 16 },
  loihi: { sweeps: 1000, replicas: 16 },
  tabu: { replicas: 2 },
};

describe.skipIf(skipNative)('annealQubo (native QUBO annealer)', () => {
  const getNative = useNative();
  let native: KilnNative;
  beforeAll(() => {
    native = getNative();
  });

  describe('energies', () => {
    it.each(modes)('%s: the reported energy is the JS energy of the returned state (mixed-sign float and integer weights, offsets)', (mode) => {
      for (let seed = 0; seed < 4; seed++) {
        const integer = seed % 2 === 0;
        const csr = toCsr(randomProblem(40 + 10 * seed, 0.3, seed, integer, seed - 1.75));
        const r = annealQuboSync(csr, { mode, seed, ...quick[mode] });
        expect(r.state).toBeInstanceOf(Uint8Array);
        expect(r.state.length).toBe(csr.n);
        expect(r.state.every((b) => b === 0 || b === 1)).toBe(true);
        expect(r.energy).toBe(energy(csr, r.state));
        expect(r.stoppedBy).toBe('done');
        expect(r.mode).toBe(mode);
      }
    });

    it.each(modes)('%s: finds the brute-force optimum for n ≤ 16', (mode) => {
      for (let seed = 0; seed < 6; seed++) {
        const p = randomProblem(8 + seed * 2, 0.5, 100 + seed);
        const r = annealQuboSync(toCsr(p), { mode, seed, ...quick[mode] });
        expect(r.energy, `seed ${seed}, n ${p.n}`).toBe(bruteForce(p).energy);
      }
    });

    it('the trace is the best energy over time: ≤ 1000 points, decreasing, ending at the result', () => {
      const csr = toCsr(randomProblem(300, 0.05, 3, false));
      for (const mode of modes) {
        const r = annealQuboSync(csr, { mode, seed: 1, ...quick[mode] });
        expect(r.trace.length).toBeGreaterThan(1);
        expect(r.trace.length).toBeLessThanOrEqual(1000);
        for (let k = 1; k < r.trace.length; k++) {
          expect(r.trace[k]![0]).toBeGreaterThanOrEqual(r.trace[k - 1]![0]);
          expect(r.trace[k]![1]).toBeLessThan(r.trace[k - 1]![1]);
        }
        expect(r.trace.at(-1)![1]).toBe(r.energy);
        expect(r.timeToBestMs).toBeLessThanOrEqual(r.elapsedMs);
        expect(r.flipAttempts).toBeGreaterThan(0);
      }
    });

    it('counts the work: sa does replicas × sweeps sweeps of n proposals', () => {
      const csr = toCsr(randomProblem(50, 0.2, 9));
      const r = annealQuboSync(csr, { mode: 'sa', seed: 2, sweeps: 40, replicas: 20 });
      expect(r.sweeps).toBe(20 * 40);
      expect(r.flipAttempts).toBe(20 * 40 * 50);
      expect(r.anneals).toBe(20);
      const l = annealQuboSync(csr, { mode: 'loihi', seed: 2, sweeps: 30, replicas: 5 });
      expect(l.sweeps).toBe(5 * 30);
      expect(l.flipAttempts).toBe(5 * 30 * 50);
      const t = annealQuboSync(csr, { mode: 'tabu', seed: 2, sweeps: 100, replicas: 3 });
      expect(t.anneals).toBe(3);
      expect(t.flipAttempts).toBe(t.sweeps * 50);
      expect(t.sweeps).toBeGreaterThanOrEqual(3 * 100);
    });
  });

  describe('reproducibility', () => {
    const csr = toCsr(randomProblem(120, 0.1, 11, false, -3));

    it.each(modes)('%s: same seed → identical result, whatever the thread count and SIMD build', (mode) => {
      const base = annealQuboSync(csr, { mode, seed: 42, ...quick[mode], threads: 2 });
      for (const o of [{ threads: 2 }, { threads: 1 }, { threads: 2, simd: 'generic' as const }]) {
        const r = annealQuboSync(csr, { mode, seed: 42, ...quick[mode], ...o });
        expect(Array.from(r.state), JSON.stringify(o)).toEqual(Array.from(base.state));
        expect(r.energy).toBe(base.energy);
        expect(r.sweeps).toBe(base.sweeps);
        expect(r.flipAttempts).toBe(base.flipAttempts);
      }
    });

    it('generic and AVX-512 builds take the same trajectory (one replica, one thread: identical traces of energies)', () => {
      if (native.info.simdBest !== 'avx512') return;
      for (const mode of modes) {
        const o = { mode, seed: 5, threads: 1, replicas: 1, sweeps: mode === 'tabu' ? 300 : 200 };
        const a = annealQuboSync(csr, { ...o, simd: 'avx512' });
        const b = annealQuboSync(csr, { ...o, simd: 'generic' });
        expect(a.simd).toBe('avx512');
        expect(b.simd).toBe('generic');
        expect(a.trace.map((p) => p[1])).toEqual(b.trace.map((p) => p[1]));
        expect(Array.from(a.state)).toEqual(Array.from(b.state));
      }
    });

    it.each(modes)('%s: different seeds take different trajectories', (mode) => {
      const big = toCsr(randomProblem(400, 0.05, 12, false));
      const o = { mode, threads: 1, replicas: 1, sweeps: mode === 'tabu' ? 50 : 20 };
      const a = annealQuboSync(big, { ...o, seed: 1 });
      const b = annealQuboSync(big, { ...o, seed: 2 });
      expect(Array.from(a.state)).not.toEqual(Array.from(b.state));
      expect(a.trace.map((p) => p[1])).not.toEqual(b.trace.map((p) => p[1]));
    });

    it('a random seed is drawn and reported when none is given; passing it back reproduces the run', () => {
      const r = annealQuboSync(csr, { mode: 'sa', sweeps: 50, replicas: 16 });
      expect(Number.isInteger(r.seed)).toBe(true);
      const again = annealQuboSync(csr, { mode: 'sa', sweeps: 50, replicas: 16, seed: r.seed });
      expect(Array.from(again.state)).toEqual(Array.from(r.state));
    });
  });

  describe('stopping', () => {
    it.each(modes)('%s: stops at the target (restarts, generous time limit)', (mode) => {
      const p = randomProblem(16, 0.5, 77);
      const opt = bruteForce(p).energy;
      const r = annealQuboSync(toCsr(p), { mode, seed: 3, target: opt, restarts: true, timeLimitMs: 60_000 });
      expect(r.stoppedBy).toBe('target');
      expect(r.reachedTarget).toBe(true);
      expect(r.energy).toBe(opt);
    });

    it.each(modes)('%s: honours the time limit (restarts run until it, stoppedBy time)', (mode) => {
      const csr = toCsr(randomProblem(100, 0.1, 5));
      const r = annealQuboSync(csr, { mode, seed: 3, restarts: true, timeLimitMs: 20 });
      expect(r.stoppedBy).toBe('time');
      expect(r.elapsedMs).toBeGreaterThanOrEqual(20);
      expect(r.reachedTarget).toBe(false);
      expect(r.energy).toBe(energy(csr, r.state));
    });

    it('a time limit also cuts a run without restarts', () => {
      const csr = toCsr(randomProblem(200, 0.1, 5));
      const r = annealQuboSync(csr, { mode: 'sa', seed: 3, sweeps: 1_000_000, replicas: 16, timeLimitMs: 10 });
      expect(r.stoppedBy).toBe('time');
      expect(r.sweeps).toBeLessThan(16 * 1_000_000);
    });

    it.each(modes)('%s: a stop flag set before the call returns at once with a valid state', (mode) => {
      const csr = toCsr(randomProblem(100, 0.1, 6));
      const stop = createStopFlag();
      Atomics.store(stop, 0, 1);
      const r = annealQuboSync(csr, { mode, seed: 1, restarts: true, timeLimitMs: 60_000, stop });
      expect(r.stoppedBy).toBe('stop');
      expect(r.energy).toBe(energy(csr, r.state));
    });

    it('async: the event loop stays free; the caller reads live progress and stops the run with the flag', async () => {
      const csr = toCsr(randomProblem(500, 0.05, 8, false));
      const stop = createStopFlag();
      const live = createAnnealLive();
      const running = annealQubo(csr, { mode: 'sa', seed: 9, restarts: true, timeLimitMs: 120_000, stop, live: live.buffer });
      // Wait for progress, then raise the flag from a timer callback: the run can only end by
      // 'stop' (not by its 120 s limit) if timers keep firing while the kernel works.
      while (live.read().flipAttempts === 0) await new Promise((resolve) => setTimeout(resolve, 2));
      expect(Number.isFinite(live.read().bestEnergy)).toBe(true);
      await new Promise<void>((resolve) =>
        setTimeout(() => {
          Atomics.store(stop, 0, 1);
          resolve();
        }, 5),
      );
      const r = await running;
      expect(r.stoppedBy).toBe('stop');
      expect(r.energy).toBe(energy(csr, r.state));
      const end = live.read();
      expect(end.bestEnergy).toBe(r.energy);
      expect(end.flipAttempts).toBe(r.flipAttempts);
      expect(end.sweeps).toBe(r.sweeps);
      expect(end.elapsedMs).toBe(r.elapsedMs);
      expect(live.buffer[ANNEAL_LIVE.elapsedMs]).toBe(r.elapsedMs);
    });

    it('async: an AbortSignal stops the run; onProgress gets the final figures', async () => {
      const csr = toCsr(randomProblem(300, 0.05, 8));
      const controller = new AbortController();
      const seen: number[] = [];
      const running = annealQubo(csr, {
        mode: 'tabu',
        seed: 1,
        restarts: true,
        timeLimitMs: 120_000,
        signal: controller.signal,
        progressIntervalMs: 1,
        onProgress: (p) => seen.push(p.flipAttempts),
      });
      setTimeout(() => controller.abort(), 5);
      const r = await running;
      expect(r.stoppedBy).toBe('stop');
      expect(seen.at(-1)).toBe(r.flipAttempts);
    });

    it('async and sync give the same result', async () => {
      const csr = toCsr(randomProblem(60, 0.2, 4));
      const a = await annealQubo(csr, { mode: 'sa', seed: 8, sweeps: 100, replicas: 32 });
      const b = annealQuboSync(csr, { mode: 'sa', seed: 8, sweeps: 100, replicas: 32 });
      expect(Array.from(a.state)).toEqual(Array.from(b.state));
      expect(a.energy).toBe(b.energy);
    });
  });

  describe('MIS-100 (Intel form, wOff 8, wDiag 1)', () => {
    const graph = graphFromEdges(100, randomGraph(100, 0.05, 2024));
    const csr = toCsr(misQubo(graph));

    it.each(['loihi', 'sa', 'tabu'] as const)('%s returns an independent set whose energy is −|S|', (mode) => {
      const r = annealQuboSync(csr, { mode, seed: 1, ...quick[mode] });
      expect(r.energy).toBe(energy(csr, r.state));
      const size = r.state.reduce((a, b) => a + b, 0);
      const { repaired, feasible } = repairIndependentSet(graph, r.state);
      expect(feasible).toBe(true);
      expect(r.energy).toBe(-size);
      // Feasible and locally optimal: nothing can be added.
      expect(repaired.reduce((a, b) => a + b, 0)).toBe(size);
    });

    it('every mode reaches the same (best) set size as sa with restarts', () => {
      const sizes = modes.map(
        (mode) => -annealQuboSync(csr, { mode, seed: 2, sweeps: mode === 'tabu' ? undefined : 200, restarts: true, timeLimitMs: 100 }).energy,
      );
      const best = Math.max(...sizes);
      const r = annealQuboSync(csr, { mode: 'sa', seed: 3, sweeps: 200, target: -best, restarts: true, timeLimitMs: 60_000 });
      expect(r.reachedTarget).toBe(true);
      for (const mode of modes) {
        const m = annealQuboSync(csr, { mode, seed: 4, target: -best, restarts: true, timeLimitMs: 60_000 });
        expect(m.stoppedBy, mode).toBe('target');
        expect(repairIndependentSet(graph, m.state).feasible).toBe(true);
      }
    });
  });

  describe("samples (every replica's final state)", () => {
    it.each(modes)('%s: one state per replica, its energy exact, the best among them or beaten by the best seen', (mode) => {
      // Max-Cut of a 12-cycle with a random offset: two ground states (alternating), which replicas reach at random.
      const edges = Array.from({ length: 12 }, (_, i) => [i, (i + 1) % 12] as [number, number]);
      const p: QuboProblem = {
        n: 12,
        terms: {
          i: Int32Array.from([...edges.map((e) => e[0]), ...edges.map((e) => e[0])]),
          j: Int32Array.from([...edges.map((e) => e[1]), ...edges.map((e) => e[0])]),
          w: Float64Array.from([...edges.map(() => 2), ...edges.map(() => -2)]),
        },
        offset: 0.375,
        kind: 'qubo',
        sense: 'min',
      };
      const csr = toCsr(p);
      const r = annealQuboSync(csr, { mode, seed: 9, replicas: 37, sweeps: mode === 'tabu' ? 5 : 6, threads: 2, samples: true });
      const energies = r.sampleEnergies as Float64Array;
      const states = r.samples as Uint8Array;
      expect(energies.length).toBe(37);
      expect(states.length).toBe(37 * 12);
      for (let k = 0; k < 37; k++) {
        const x = states.subarray(k * 12, (k + 1) * 12);
        expect(energies[k]).toBe(energy(csr, x));
        expect(energies[k]).toBeGreaterThanOrEqual(r.energy);
      }
      // Short anneals from random starts do not all end in one state.
      expect(new Set(Array.from({ length: 37 }, (_, k) => states.subarray(k * 12, (k + 1) * 12).join(''))).size).toBeGreaterThan(1);
      expect(annealQuboSync(csr, { mode, seed: 9, replicas: 37, sweeps: 6, threads: 2 }).samples).toBeUndefined();
    });

    it('sa with restarts keeps one final state per replica (the last finished anneal of each)', () => {
      const csr = toCsr(randomProblem(10, 0.5, 3));
      const r = annealQuboSync(csr, { mode: 'sa', seed: 1, replicas: 20, sweeps: 10, threads: 2, samples: true, restarts: true, timeLimitMs: 30 });
      expect(r.sampleEnergies?.length).toBe(20);
      expect(r.anneals).toBeGreaterThan(20);
    });
  });

  it('sa agrees statistically with the JS reference annealer (200 short anneals, fixed β schedule)', () => {
    const p = randomProblem(8, 0.6, 7);
    const csr = toCsr(p);
    const opt = bruteForce(p).energy;
    const o = { sweeps: 4, betaStart: 0.02, betaEnd: 0.25 };
    const N = 200;
    const js: number[] = [];
    const nat: number[] = [];
    for (let s = 0; s < N; s++) {
      js.push(anneal(csr, { ...o, seed: s }).energy);
      nat.push(annealQuboSync(csr, { ...o, mode: 'sa', seed: s, replicas: 1, threads: 1 }).energy);
    }
    const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
    const variance = (a: number[]) => mean(a.map((x) => (x - mean(a)) ** 2));
    const se = Math.sqrt((variance(js) + variance(nat)) / N);
    // A broad distribution (a real test of the acceptance rule), and the two means within 4 standard errors.
    expect(Math.sqrt(variance(js))).toBeGreaterThan(2);
    expect(Math.abs(mean(js) - mean(nat))).toBeLessThan(4 * se);
    const ground = (a: number[]) => a.filter((e) => e === opt).length / N;
    expect(Math.abs(ground(js) - ground(nat))).toBeLessThan(0.15);
  });

  it('resolves the defaults on the TS side (dwave-neal β range for sa, as @kiln/qubo)', () => {
    // Hand-computed: h = (1, −2), J_01 = 0.5 → max field max(1 + 0.5, 2 + 0.5) = 2.5, smallest |coefficient| 0.5.
    const two: CsrQubo = {
      n: 2,
      rowPtr: Int32Array.from([0, 1, 2]),
      col: Int32Array.from([1, 0]),
      val: Float64Array.from([0.5, 0.5]),
      h: Float64Array.from([1, -2]),
      offset: 0,
    };
    expect(defaultAnnealBetaRange(two)).toEqual([Math.LN2 / 2.5, Math.log(200) / 0.5]);
    expect(defaultAnnealBetaRange({ ...two, val: Float64Array.from([0, 0]), h: Float64Array.from([0, 0]) })).toEqual([1, 1]);
    const csr: CsrQubo = toCsr(randomProblem(30, 0.3, 1));
    expect(defaultAnnealBetaRange(csr)).toEqual(defaultBetaRange(csr));
    const o = resolveAnnealOptions(csr, { seed: 1 });
    expect([o.betaStart, o.betaEnd]).toEqual(defaultBetaRange(csr));
    expect(o.schedule).toBe('geometric');
    expect(o.sweeps).toBe(1000);
    const l = resolveAnnealOptions(csr, { mode: 'loihi', seed: 1 });
    expect(l.schedule).toBe('linear');
    expect(l.betaEnd!).toBeGreaterThan(l.betaStart!);
    const t = resolveAnnealOptions(csr, { mode: 'tabu', seed: 1 });
    expect(t.betaStart).toBeUndefined();
    const r = annealQuboSync(csr, { seed: 1, sweeps: 10 });
    expect(r.replicas).toBe(16 * r.threads);
    expect(r.sweepsPerAnneal).toBe(10);
    expect(annealQuboSync(csr, { mode: 'tabu', seed: 1 }).sweepsPerAnneal).toBe(2000);
  });

  describe('argument validation (C++)', () => {
    const good = () => toCsr(randomProblem(6, 0.5, 1));
    const sa = { mode: 'sa' as const, betaStart: 0.1, betaEnd: 1 };
    const call =
      (p: unknown, o: unknown = sa) =>
      () =>
        native.annealQuboSync(p as never, o as never);

    it('CSR shape and contents', () => {
      const p = good();
      expect(call({ ...p, rowPtr: p.rowPtr.slice(0, 6) })).toThrow(/annealQubo: rowPtr has 6 elements, needs n \+ 1 = 7/);
      expect(call({ ...p, col: p.col.slice(1) })).toThrow(RangeError);
      expect(call({ ...p, col: p.col.slice(1) })).toThrow(/col has \d+ elements, rowPtr\[n\] says/);
      expect(call({ ...p, val: new Float64Array(p.val.length + 1) })).toThrow(/val has/);
      expect(call({ ...p, h: new Float64Array(5) })).toThrow(/h has 5 elements, needs n = 6/);
      expect(call({ ...p, n: 0 })).toThrow(/n must be an integer in 1\.\./);
      expect(call({ ...p, n: 2.5 })).toThrow(RangeError);
      const col = p.col.slice();
      col[0] = 6;
      expect(call({ ...p, col })).toThrow(/col\[0\] = 6 is outside 0\.\.5/);
      col[0] = -1;
      expect(call({ ...p, col })).toThrow(/is outside/);
      const val = p.val.slice();
      val[0] = Number.NaN;
      expect(call({ ...p, val })).toThrow(/val\[0\] = nan is not finite/);
      const h = p.h.slice();
      h[2] = Number.POSITIVE_INFINITY;
      expect(call({ ...p, h })).toThrow(/h\[2\] = inf is not finite/);
      expect(call({ ...p, offset: Number.NaN })).toThrow(/offset must be finite/);
      const asym = p.val.slice();
      asym[0] = (asym[0] as number) + 1;
      expect(call({ ...p, val: asym })).toThrow(/J is not symmetric/);
      // Diagonal entry and unsorted columns.
      const two = { n: 2, rowPtr: Int32Array.from([0, 1, 2]), col: Int32Array.from([0, 0]), val: Float64Array.from([1, 1]), h: new Float64Array(2), offset: 0 };
      expect(call(two)).toThrow(/diagonal/);
      const three = {
        n: 3,
        rowPtr: Int32Array.from([0, 2, 3, 4]),
        col: Int32Array.from([2, 1, 0, 0]),
        val: Float64Array.from([1, 1, 1, 1]),
        h: new Float64Array(3),
        offset: 0,
      };
      expect(call(three)).toThrow(/strictly ascending/);
      expect(call({ ...p, rowPtr: Array.from(p.rowPtr) })).toThrow(TypeError);
      expect(call({ ...p, rowPtr: Array.from(p.rowPtr) })).toThrow(/rowPtr must be an Int32Array/);
      expect(call({ ...p, val: Float32Array.from(p.val) })).toThrow(/val must be a Float64Array/);
      expect(call(null)).toThrow(/problem must be an object/);
    });

    it('options', () => {
      const p = good();
      expect(call(p, { ...sa, mode: 'qaoa' })).toThrow(TypeError);
      expect(call(p, { ...sa, mode: 'qaoa' })).toThrow(/mode must be one of 'sa', 'loihi', 'tabu', 'multispin', 'memetic', got 'qaoa'/);
      expect(call(p, { ...sa, replicas: 0 })).toThrow(/replicas must be an integer in 1\.\./);
      expect(call(p, { ...sa, replicas: -3 })).toThrow(RangeError);
      expect(call(p, { ...sa, replicas: 1.5 })).toThrow(RangeError);
      expect(call(p, { ...sa, sweeps: 0 })).toThrow(/sweeps must be an integer/);
      expect(call(p, { mode: 'sa' })).toThrow(/betaStart must be a number/);
      expect(call(p, { ...sa, betaEnd: -1 })).toThrow(/betaEnd must be a positive finite number/);
      expect(call(p, { ...sa, schedule: 'cosine' })).toThrow(/schedule must be one of 'geometric', 'linear'/);
      expect(call(p, { ...sa, timeLimitMs: 0 })).toThrow(/timeLimitMs must be > 0/);
      expect(call(p, { ...sa, restarts: true })).toThrow(/restarts needs a finite timeLimitMs/);
      expect(call(p, { ...sa, restarts: 1 })).toThrow(/restarts must be a boolean/);
      expect(call(p, { ...sa, target: Number.NaN })).toThrow(/target must not be NaN/);
      expect(call(p, { ...sa, threads: 0 })).toThrow(/threads must be an integer in 1\.\.1024/);
      expect(call(p, { ...sa, seed: Number.POSITIVE_INFINITY })).toThrow(/seed must be finite/);
      expect(call(p, { ...sa, stop: new Uint32Array(1) })).toThrow(/stop must be an Int32Array/);
      expect(call(p, { ...sa, stop: new Int32Array(0) })).toThrow(/stop must have at least 1 element/);
      expect(call(p, { ...sa, live: new Float64Array(3) })).toThrow(/live must have at least 4 elements/);
      expect(call(p, { ...sa, simd: 'sse' })).toThrow(/simd must be one of/);
      expect(call(p, 'fast')).toThrow(/options must be an object/);
      // tabu needs no β.
      expect(native.annealQuboSync(p, { mode: 'tabu', seed: 1, replicas: 1 }).energy).toBe(
        energy(p, native.annealQuboSync(p, { mode: 'tabu', seed: 1, replicas: 1 }).state),
      );
    });

    it('the async call rejects with the same errors', async () => {
      const p = good();
      await expect(annealQubo(p, { mode: 'sa', replicas: 0 })).rejects.toThrow(/replicas must be an integer/);
      await expect(annealQubo({ ...p, col: p.col.slice(1) })).rejects.toThrow(RangeError);
    });
  });
});
