import { assertCsr } from './assert.js';
import { type AnnealOptions, betaSchedule, resolveAnnealOptions } from './anneal-options.js';
import { energy } from './energy.js';
import { applyFlip, localFields } from './local-fields.js';
import { deriveSeed, nextU32, seedState } from './rng.js';
import { type TracePoint, thinTrace } from './trace.js';
import type { CsrQubo } from './types.js';

export interface AnnealResult {
  /** Best assignment found. */
  x: Uint8Array;
  /** Its energy, recomputed exactly from the CSR. */
  energy: number;
  /** When the best energy was first reached (ms since the run started). */
  timeToBestMs: number;
  elapsedMs: number;
  /** Sweeps done, over all replicas. */
  sweeps: number;
  /** Metropolis proposals = sweeps · n. */
  flipAttempts: number;
  /** Best energy over time, at most ~200 points. */
  trace: TracePoint[];
  /** The seed used (the given one, or the random one drawn). */
  seed: number;
  /** Anneals started (replicas plus restarts). */
  anneals: number;
  /** Time spent annealing (excludes thread start-up; in `solve`, summed over threads). */
  computeMs: number;
}

/** Hooks used by `solve`'s threads; not needed for direct use. */
export interface AnnealRuntime {
  /** Epoch ms (performance.timeOrigin + performance.now()) that times and the time limit count from. */
  clockOriginMs?: number;
  /** Shared stop flag: a nonzero value stops the run gracefully; set by a run that reaches `target`. */
  stopFlag?: Int32Array;
  /** Minimum ms between onProgress calls (default 100). */
  progressIntervalMs?: number;
}

/** Above β·ΔE = 23, exp(−β·ΔE) < 2⁻³² and a 32-bit uniform can never accept: skip exp(). */
const MAX_BETA_DELTA = 23;
const U32_SCALE = 2.3283064365386963e-10;

export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * Simulated annealing on one thread (the JS reference): per anneal, a random start, then `sweeps`
 * sweeps of single-flip Metropolis in index order at β from the schedule, with cached local fields
 * so an accepted flip costs O(degree). Replica r draws from stream deriveSeed(seed, r), so results
 * are deterministic for a seed unless a time limit cuts the run. Returns the best state seen
 * (checked after every sweep).
 */
export function anneal(csr: CsrQubo, options: AnnealOptions = {}, runtime: AnnealRuntime = {}): AnnealResult {
  assertCsr(csr);
  const o = resolveAnnealOptions(csr, options);
  const { signal, onProgress } = options;
  if (signal?.aborted) throw signal.reason;
  const started = epochNow();
  const origin = runtime.clockOriginMs ?? started;
  const stopFlag = runtime.stopFlag;
  const progressEvery = runtime.progressIntervalMs ?? 100;
  const { n, rowPtr, col, val } = csr;
  const betas = betaSchedule(o);
  const x = new Uint8Array(n);
  const field = new Float64Array(n);
  let bestX = new Uint8Array(n);
  let bestE = Number.POSITIVE_INFINITY;
  let timeToBest = 0;
  let trace: TracePoint[] = [];
  let totalSweeps = 0;
  let anneals = 0;
  let lastProgress = epochNow() - origin;
  // Check the clock and flags about every 20k proposals/neighbour updates.
  const checkEvery = Math.max(1, Math.floor(20_000 / (n + (rowPtr[n] as number) + 1)));
  let stop = false;

  const noteBest = (e: number): void => {
    bestE = e;
    bestX.set(x);
    timeToBest = epochNow() - origin;
    trace.push({ tMs: timeToBest, energy: e });
    if (trace.length > 1000) trace = thinTrace(trace, 500);
    if (e <= o.target) {
      stop = true;
      if (stopFlag) Atomics.store(stopFlag, 0, 1);
    }
  };

  for (let r = 0; !stop; r++) {
    if (r >= o.replicas && !o.restarts) break;
    if (r > 0 && epochNow() - origin >= o.timeLimitMs) break;
    anneals++;
    const st = seedState(deriveSeed(o.seed, r));
    for (let i = 0; i < n; i += 32) {
      const bits = nextU32(st);
      for (let b = 0; b < 32 && i + b < n; b++) x[i + b] = (bits >>> b) & 1;
    }
    localFields(csr, x, field);
    let e = energy(csr, x);
    if (e < bestE) noteBest(e);
    let s0 = st[0] as number;
    let s1 = st[1] as number;
    let s2 = st[2] as number;
    let s3 = st[3] as number;
    for (let s = 0; s < o.sweeps; s++) {
      const beta = betas[s] as number;
      for (let i = 0; i < n; i++) {
        const f = field[i] as number;
        const delta = x[i] === 1 ? -f : f;
        if (delta >= 0) {
          // ΔE = 0 is accepted with probability 1/2 (top random bit), not always: always-accepted
          // zero moves in a fixed sweep order move domain walls in lockstep and never let them
          // meet (an even cycle's max cut was found in 3 of 50 anneals, 0 of 50 for n ≥ 10).
          const bd = beta * delta;
          if (bd > MAX_BETA_DELTA) continue;
          // xoshiro128**, inlined
          const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
          const t = s1 << 9;
          s2 ^= s0;
          s3 ^= s1;
          s1 ^= s2;
          s0 ^= s3;
          s2 ^= t;
          s3 = rotl(s3, 11);
          if (delta === 0 ? r < 0 : (r >>> 0) * U32_SCALE >= Math.exp(-bd)) continue;
        }
        e += applyFlip(rowPtr, col, val, field, x, i);
      }
      totalSweeps++;
      if (e < bestE) noteBest(e);
      if (stop) break;
      if (totalSweeps % checkEvery === 0) {
        if (signal?.aborted) throw signal.reason;
        const now = epochNow() - origin;
        if (now >= o.timeLimitMs || (stopFlag !== undefined && Atomics.load(stopFlag, 0) !== 0)) {
          stop = true;
          break;
        }
        if (onProgress && now - lastProgress >= progressEvery) {
          lastProgress = now;
          onProgress({ elapsedMs: now, bestEnergy: bestE, sweeps: totalSweeps });
        }
      }
    }
    if (stopFlag !== undefined && Atomics.load(stopFlag, 0) !== 0) stop = true;
  }
  if (bestE === Number.POSITIVE_INFINITY) bestX = x.slice();
  const exact = energy(csr, bestX);
  const end = epochNow();
  const elapsedMs = end - origin;
  onProgress?.({ elapsedMs, bestEnergy: exact, sweeps: totalSweeps });
  if (trace.length > 0) (trace[trace.length - 1] as TracePoint).energy = exact;
  return {
    x: bestX,
    energy: exact,
    timeToBestMs: timeToBest,
    elapsedMs,
    sweeps: totalSweeps,
    flipAttempts: totalSweeps * n,
    trace: thinTrace(trace),
    seed: o.seed,
    anneals,
    computeMs: end - started,
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
