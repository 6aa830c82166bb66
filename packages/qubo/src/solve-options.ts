import { availableParallelism } from 'node:os';
import type { AnnealSettings } from '@kiln/kernels';
import { assertFinite, assertInteger, assertPositive } from './assert.js';
import { type PlanMember, SOLVE_MODES, type SolveMode } from './auto.js';
import type { AnnealProgress } from './anneal-options.js';

export type SolveEngine = 'native' | 'js';

/**
 * What a solve run is, in serialisable form with every default filled in: the `params` of a
 * `qubo.solve` job payload (its schema in @kiln/contracts is type-checked against this type), and
 * what `resolveSolveOptions` returns beside the run-time options. The optional fields stay
 * optional: absent means "the mode's (or auto's) own choice", which depends on the problem.
 */
export interface SolveParams
  extends Pick<AnnealSettings, 'seed' | 'timeLimitMs' | 'restarts'>,
    Partial<Pick<AnnealSettings, 'replicas' | 'sweeps' | 'betaStart' | 'betaEnd' | 'schedule' | 'target'>> {
  /**
   * 'auto': mode(s) and anneal lengths picked from the problem's shape (see planAuto), possibly a
   * portfolio of two modes; 'sa' | 'loihi' | 'tabu' | 'multispin' | 'memetic': that kernel mode on
   * every thread. The JS
   * engine only has sa and runs it whatever the mode.
   */
  mode: SolveMode;
  /**
   * How many distinct final states to keep (the result's `samples`, dwave's SampleSet): 1 (the
   * default) keeps the best state alone; above 1 the native kernel returns every replica's final
   * state, and the distinct ones are counted and kept best first, up to numReads (at most MAX_NUM_READS).
   */
  numReads?: number;
}

/** The cap of numReads: a solution stores at most this many samples (each n bytes as a 0/1 string). */
export const MAX_NUM_READS = 1000;

/**
 * The defaults of every solve: the API's `qubo.solve` jobs, the benchmarks and direct callers
 * alike. An anytime search with a budget: `auto`, restarts until 10 s are spent or `target` is
 * reached, seed 1 (the same request gives the same answer).
 */
export const SOLVE_DEFAULTS = Object.freeze({ mode: 'auto', timeLimitMs: 10_000, seed: 1, restarts: true } as const satisfies Omit<
  SolveParams,
  'replicas' | 'sweeps' | 'betaStart' | 'betaEnd' | 'schedule' | 'target' | 'numReads'
>);

export interface SolveProgress extends AnnealProgress {
  flipAttempts: number;
}

/** solve()'s options: any of SolveParams (defaults: SOLVE_DEFAULTS) plus how to run it here. */
export interface SolveOptions extends Partial<SolveParams> {
  /** 'auto' (default): the native kernel when the addon is loaded, else the JS thread pool. */
  engine?: 'auto' | SolveEngine;
  /** Threads (default os.availableParallelism()). */
  threads?: number;
  /** Aborting stops every search at once; solve() then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Best energy so far over all searches, about every progressIntervalMs and once at the end. */
  onProgress?: (p: SolveProgress) => void;
  /** Least ms between onProgress calls (default 100). */
  progressIntervalMs?: number;
  /** Native engine only: run these members instead of mode's plan (benchmarks that measure auto's candidates, bench/qubo-rule.ts). */
  plan?: PlanMember[];
}

/** The fully defaulted form; the engines below take it as is. */
export interface ResolvedSolveOptions extends SolveParams {
  engine: 'auto' | SolveEngine;
  threads: number;
  progressIntervalMs: number;
  plan?: PlanMember[];
  signal?: AbortSignal;
  onProgress?: (p: SolveProgress) => void;
}

const PARAM_KEYS = ['mode', 'timeLimitMs', 'seed', 'restarts', 'replicas', 'sweeps', 'betaStart', 'betaEnd', 'schedule', 'target', 'numReads'] as const;

/** The serialisable part of `options`, defaults filled in (what a job payload carries). */
export function solveParams(options: Partial<SolveParams> = {}): SolveParams {
  const out: Record<string, unknown> = { ...SOLVE_DEFAULTS };
  for (const key of PARAM_KEYS) if (options[key] !== undefined) out[key] = options[key];
  return out as unknown as SolveParams;
}

/** Checks every option and fills in every default; a bad value throws a RangeError naming it. */
export function resolveSolveOptions(options: SolveOptions = {}): ResolvedSolveOptions {
  const p = solveParams(options);
  if (!SOLVE_MODES.includes(p.mode)) throw new RangeError(`mode must be one of ${SOLVE_MODES.join(', ')}, got ${String(p.mode)}`);
  const engine = options.engine ?? 'auto';
  if (!['auto', 'native', 'js'].includes(engine)) throw new RangeError(`engine must be 'auto', 'native' or 'js', got ${String(engine)}`);
  const threads = options.threads ?? availableParallelism();
  assertInteger(threads, 'threads', 1, 1024);
  const progressIntervalMs = options.progressIntervalMs ?? 100;
  if (!(progressIntervalMs > 0)) throw new RangeError(`progressIntervalMs must be > 0, got ${progressIntervalMs}`);
  assertFinite(p.seed, 'seed');
  if (!(p.timeLimitMs > 0)) throw new RangeError(`timeLimitMs must be > 0, got ${p.timeLimitMs}`);
  if (typeof p.restarts !== 'boolean') throw new RangeError(`restarts must be a boolean, got ${String(p.restarts)}`);
  if (p.restarts && !Number.isFinite(p.timeLimitMs)) throw new RangeError('restarts needs a finite timeLimitMs');
  if (p.replicas !== undefined) assertInteger(p.replicas, 'replicas', 1);
  if (p.sweeps !== undefined) assertInteger(p.sweeps, 'sweeps', 1);
  if (p.betaStart !== undefined) assertPositive(p.betaStart, 'betaStart');
  if (p.betaEnd !== undefined) assertPositive(p.betaEnd, 'betaEnd');
  if (p.schedule !== undefined && p.schedule !== 'geometric' && p.schedule !== 'linear')
    throw new RangeError(`schedule must be 'geometric' or 'linear', got ${String(p.schedule)}`);
  if (p.target !== undefined && Number.isNaN(p.target)) throw new RangeError('target must be a number');
  if (p.numReads !== undefined) assertInteger(p.numReads, 'numReads', 1, MAX_NUM_READS);
  return {
    ...p,
    engine,
    threads,
    progressIntervalMs,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.plan ? { plan: options.plan } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
}
