import type { AnnealSettings } from '@kiln/kernels';
import { assertFinite, assertInteger, assertPositive } from './assert.js';
import { defaultBetaRange } from './beta-range.js';
import type { CsrQubo } from './types.js';

export interface AnnealProgress {
  elapsedMs: number;
  bestEnergy: number;
  /** Sweeps done so far (over all replicas; in `solve`, over all threads). */
  sweeps: number;
}

/** The JS reference annealer's options: the shared AnnealSettings (see @kiln/kernels) plus its hooks. */
export interface AnnealOptions extends Partial<AnnealSettings> {
  /** Abort: the run throws the signal's reason at its next check. */
  signal?: AbortSignal;
  /** Called about every 100 ms and at the end. */
  onProgress?: (p: AnnealProgress) => void;
}

/** The fully defaulted form (see resolveAnnealOptions): every AnnealSettings field set. */
export type ResolvedAnnealOptions = AnnealSettings;

export const DEFAULT_SWEEPS = 1000;

export function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] as number;
}

/** Checks the options and fills in every default; bad values throw RangeError. */
export function resolveAnnealOptions(csr: CsrQubo, options: AnnealOptions = {}): ResolvedAnnealOptions {
  const sweeps = options.sweeps ?? DEFAULT_SWEEPS;
  assertInteger(sweeps, 'sweeps', 1);
  const replicas = options.replicas ?? 1;
  assertInteger(replicas, 'replicas', 1);
  let betaStart = options.betaStart;
  let betaEnd = options.betaEnd;
  if (betaStart === undefined || betaEnd === undefined) {
    const [hot, cold] = defaultBetaRange(csr);
    betaStart ??= hot;
    betaEnd ??= Math.max(cold, betaStart);
  }
  assertPositive(betaStart, 'betaStart');
  assertPositive(betaEnd, 'betaEnd');
  const schedule = options.schedule ?? 'geometric';
  if (schedule !== 'geometric' && schedule !== 'linear') throw new RangeError(`schedule must be 'geometric' or 'linear', got ${String(schedule)}`);
  const seed = options.seed ?? randomSeed();
  assertFinite(seed, 'seed');
  const timeLimitMs = options.timeLimitMs ?? Number.POSITIVE_INFINITY;
  if (!(timeLimitMs > 0)) throw new RangeError(`timeLimitMs must be > 0, got ${timeLimitMs}`);
  const restarts = options.restarts ?? false;
  if (restarts && !Number.isFinite(timeLimitMs)) throw new RangeError('restarts needs a finite timeLimitMs');
  const target = options.target ?? Number.NEGATIVE_INFINITY;
  if (Number.isNaN(target)) throw new RangeError('target must be a number');
  return { sweeps, replicas, betaStart, betaEnd, schedule, seed, timeLimitMs, restarts, target };
}

/** β for each sweep of one anneal. */
export function betaSchedule(o: Pick<ResolvedAnnealOptions, 'sweeps' | 'betaStart' | 'betaEnd' | 'schedule'>): Float64Array {
  const { sweeps, betaStart: b0, betaEnd: b1 } = o;
  const betas = new Float64Array(sweeps);
  if (sweeps === 1) {
    betas[0] = b1;
    return betas;
  }
  for (let s = 0; s < sweeps; s++) {
    const t = s / (sweeps - 1);
    betas[s] = o.schedule === 'geometric' ? b0 * (b1 / b0) ** t : b0 + (b1 - b0) * t;
  }
  return betas;
}
