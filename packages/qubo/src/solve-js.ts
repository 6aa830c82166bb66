import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { createThread } from '@kiln/kernels';
import { type AnnealResult, epochNow } from './anneal.js';
import { type AnnealOptions, type AnnealProgress, randomSeed, resolveAnnealOptions } from './anneal-options.js';
import { assertInteger } from './assert.js';
import { shareCsr } from './csr.js';
import { deriveSeed } from './rng.js';
import type { SolveThreadData, SolveThreadMessage } from './solve-thread.js';
import { mergeTraces } from './trace.js';
import type { CsrQubo } from './types.js';

/** What the JS engine takes: the reference annealer's options, spread over worker threads. */
export interface JsSolveParams extends Omit<AnnealOptions, 'signal' | 'onProgress'> {
  /** Worker threads (default os.availableParallelism(); never more than replicas unless restarts). */
  threads?: number;
  /** Aborting terminates every thread at once; the call then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Merged over threads: best energy so far, sweeps summed; elapsed since `origin`. */
  onProgress?: (p: AnnealProgress) => void;
}

export interface JsSolveResult extends AnnealResult {
  threads: number;
  replicas: number;
}

let liveThreads = 0;

/** Solver threads currently alive in this process (diagnostics; 0 once every solve() has settled). */
export function activeSolverThreads(): number {
  return liveThreads;
}

/**
 * solve()'s JS engine (the fallback when the native addon is not loaded): parallel simulated
 * annealing with the reference annealer. The replicas (default: one per thread) are split over a
 * pool of worker threads; thread t anneals its share with seed deriveSeed(seed, t) over one shared
 * copy of the CSR, and the best state wins (ties: lowest thread). The time limit counts from
 * `origin` (solve()'s start), thread start-up included. Reaching `target` in one thread stops all.
 * Deterministic for a given seed and thread count when no time limit cuts the run.
 */
export async function solveJs(csr: CsrQubo, params: JsSolveParams, origin: number = epochNow()): Promise<JsSolveResult> {
  const { signal, onProgress } = params;
  if (signal?.aborted) throw signal.reason;
  const seed = params.seed ?? randomSeed();
  const { signal: _s, onProgress: _p, threads: requested, ...annealParams } = params;
  // Validate everything here, on the caller's thread, before any thread starts.
  const resolved = resolveAnnealOptions(csr, { ...annealParams, seed });
  let threads = requested ?? availableParallelism();
  assertInteger(threads, 'threads', 1, 1024);
  const replicas = params.replicas ?? threads;
  if (!resolved.restarts) threads = Math.min(threads, replicas);
  const shared = shareCsr(csr);
  const stopFlag = new Int32Array(new SharedArrayBuffer(4));
  const workers: Worker[] = [];
  const perThread: Array<{ bestEnergy: number; sweeps: number }> = [];
  const results: Array<AnnealResult | undefined> = new Array(threads).fill(undefined);

  const outcome = await new Promise<{ ok: true } | { ok: false; error: unknown }>((resolve) => {
    let settled = false;
    let done = 0;
    const finish = (r: { ok: true } | { ok: false; error: unknown }): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      resolve(r);
    };
    const onAbort = (): void => finish({ ok: false, error: signal?.reason });
    signal?.addEventListener('abort', onAbort, { once: true });

    for (let t = 0; t < threads; t++) {
      const share = Math.floor(replicas / threads) + (t < replicas % threads ? 1 : 0);
      const data: SolveThreadData = {
        csr: shared,
        options: {
          ...annealParams,
          sweeps: resolved.sweeps,
          betaStart: resolved.betaStart,
          betaEnd: resolved.betaEnd,
          schedule: resolved.schedule,
          replicas: Math.max(1, share),
          seed: deriveSeed(seed, t),
        },
        runtime: { clockOriginMs: origin, stopFlag, progressIntervalMs: 100 },
      };
      const worker = createThread(new URL('./solve-thread.ts', import.meta.url), { workerData: data });
      liveThreads++;
      workers.push(worker);
      perThread.push({ bestEnergy: Number.POSITIVE_INFINITY, sweeps: 0 });
      worker.on('message', (msg: SolveThreadMessage) => {
        if (settled) return;
        if (msg.type === 'progress') {
          const pt = perThread[t] as { bestEnergy: number; sweeps: number };
          pt.bestEnergy = Math.min(pt.bestEnergy, msg.bestEnergy);
          pt.sweeps = msg.sweeps;
          if (onProgress) {
            let best = Number.POSITIVE_INFINITY;
            let sweeps = 0;
            for (const q of perThread) {
              best = Math.min(best, q.bestEnergy);
              sweeps += q.sweeps;
            }
            onProgress({ elapsedMs: epochNow() - origin, bestEnergy: best, sweeps });
          }
        } else if (msg.type === 'result') {
          results[t] = msg.result;
          if (++done === threads) finish({ ok: true });
        } else {
          finish({ ok: false, error: Object.assign(new Error(msg.error.message), msg.error) });
        }
      });
      worker.on('error', (error) => finish({ ok: false, error }));
      worker.on('exit', (code) => {
        liveThreads--;
        if (results[t] === undefined) finish({ ok: false, error: new Error(`solver thread ${t} exited (code ${code}) without a result`) });
      });
    }
  });

  if (!outcome.ok) {
    Atomics.store(stopFlag, 0, 1);
    await Promise.all(workers.map((w) => w.terminate()));
    throw outcome.error;
  }
  // Threads exit on their own after posting; wait so none outlives the call.
  await Promise.all(workers.map((w) => w.terminate()));

  let win = 0;
  for (let t = 1; t < threads; t++) if ((results[t] as AnnealResult).energy < (results[win] as AnnealResult).energy) win = t;
  const best = results[win] as AnnealResult;
  let timeToBestMs = best.timeToBestMs;
  let sweeps = 0;
  let flipAttempts = 0;
  let anneals = 0;
  let computeMs = 0;
  for (const r of results as AnnealResult[]) {
    computeMs += r.computeMs;
    sweeps += r.sweeps;
    flipAttempts += r.flipAttempts;
    anneals += r.anneals;
    if (r.energy === best.energy) timeToBestMs = Math.min(timeToBestMs, r.timeToBestMs);
  }
  const x = new Uint8Array(best.x);
  const elapsedMs = epochNow() - origin;
  return {
    x,
    energy: best.energy,
    timeToBestMs,
    elapsedMs,
    sweeps,
    flipAttempts,
    trace: mergeTraces((results as AnnealResult[]).map((r) => r.trace)),
    seed,
    anneals,
    computeMs,
    threads,
    replicas: Math.max(replicas, threads),
  };
}
