import type { AnnealSettings } from './anneal-settings.js';
import { isScheduledMode } from './native-api.js';
import type { AnnealMode, KilnNative, NativeAnnealOptions, NativeAnnealResult, NativeQuboProblem } from './native-api.js';
import { loadNative, nativeStatus } from './native.js';

/**
 * Options of the native QUBO annealer: the shared AnnealSettings (seed, replicas, sweeps, β range,
 * schedule, time limit, restarts, target) plus the kernel's own. Every mode runs `replicas`
 * independent searches spread over `threads` OpenMP threads and returns the best state seen.
 */
export interface QuboAnnealOptions extends Partial<AnnealSettings> {
  /**
   * - 'sa' (default): sequential-sweep Metropolis (dwave-neal's algorithm): one proposal per
   *   variable per sweep in index order, β from betaStart to betaEnd over `sweeps` sweeps; 16
   *   replicas per AVX-512 register.
   * - 'loihi': Loihi-2-style parallel updates (lava's nebm-sa-refract): every step all variables
   *   decide from the fields at the start of the step, a variable that flips stays refractory for
   *   rand(0..255) >> 4 steps; β runs betaStart → betaEnd over `sweeps` steps and then starts again
   *   from the hot end (cyclic re-annealing) from the current states.
   * - 'tabu': one-flip tabu search (steepest allowed move, ties at random; tenure min(n/4, max(20, n/20))
   *   + rand(0..tenure/2); aspiration: a tabu move that gives a new best is allowed); an episode ends after `sweeps` iterations without a new best, and with `restarts`
   *   the next one starts from the best state with n/16..n/8 random flips (every 8th from a random state).
   * - 'multispin': bit-parallel sa for problems whose Ising couplings J_ij/4 share one magnitude
   *   (Max-Cut with ±1 or +1 weights, MIS in penalty form; others are a RangeError): 512 replicas
   *   per word group, one per bit; local fields as bit-sliced counts of unsatisfied bonds, the
   *   Metropolis test by comparing them with a threshold drawn per 64 replicas (Isakov et al. 2015's
   *   approach); same schedule options as 'sa'; energies recomputed exactly at the end.
   * - 'memetic': a population of tabu-improved states per thread; children by crossover that keeps
   *   the parents' shared assignments, improved by tabu (`sweeps`: stall iterations), kept by
   *   quality and distance. `replicas`: population size summed over threads.
   */
  mode?: AnnealMode;
  /** OpenMP threads (default: all cores). Results are bit-identical for a seed whatever the thread count unless a time limit, target or stop cuts the run. */
  threads?: number;
  /** Stop flag polled (atomic read of element 0) every few thousand flips: nonzero = stop and return the best so far. */
  stop?: Int32Array;
  /** Progress written while running: see createAnnealLive / ANNEAL_LIVE. */
  live?: Float64Array;
  /** Sets the stop flag when aborted (the run then resolves with the best so far, stoppedBy 'stop'). annealQubo only. */
  signal?: AbortSignal;
  /** Called every progressIntervalMs (default 100) from the live buffer while the run is in progress, and once at the end. annealQubo only. */
  onProgress?: (p: AnnealProgress) => void;
  progressIntervalMs?: number;
  /** Kernel build: 'auto' (default: AVX-512 when the CPU has it) or 'generic'. Both give the same result for a seed. */
  simd?: 'auto' | 'avx512' | 'generic';
  /**
   * Also return every replica's final state (`samples`, `sampleEnergies`): sa, the state its last
   * finished anneal ended in; loihi, the state after its last temperature cycle; tabu, the search's best.
   * A replica interrupted before finishing once gives the state it was stopped in.
   */
  samples?: boolean;
}

export interface QuboAnnealResult {
  /** The best assignment found (0/1 per variable). */
  state: Uint8Array;
  /** Its energy, recomputed exactly (double) from the problem. */
  energy: number;
  /** When the best energy was first reached (ms since the native run started). */
  timeToBestMs: number;
  elapsedMs: number;
  /** sa, loihi: proposals (sweeps·n per replica); tabu: candidate moves evaluated (n per iteration). */
  flipAttempts: number;
  /** sa: sweeps, loihi: steps, tabu: iterations, summed over replicas. */
  sweeps: number;
  /** sa: anneals, loihi: temperature cycles, tabu: episodes, summed over replicas. */
  anneals: number;
  /** Best energy over time: [ms, energy] each time the best improved (≤ 1000 points, thinned evenly). */
  trace: Array<[number, number]>;
  mode: AnnealMode;
  reachedTarget: boolean;
  stoppedBy: 'target' | 'time' | 'stop' | 'done';
  seed: number;
  threads: number;
  replicas: number;
  /** The sweeps option in effect (sa: per anneal, loihi: per cycle, tabu: stall limit). */
  sweepsPerAnneal: number;
  /** β range and schedule used (sa, loihi). */
  betaStart?: number;
  betaEnd?: number;
  schedule?: 'geometric' | 'linear';
  simd: 'avx512' | 'generic';
  /** With `samples`: the final states of the replicas that ran, n bytes (0/1) each, in replica order. */
  samples?: Uint8Array;
  /** With `samples`: each sample's energy, recomputed exactly (double) from the problem. */
  sampleEnergies?: Float64Array;
}

export interface AnnealProgress {
  bestEnergy: number;
  flipAttempts: number;
  elapsedMs: number;
  sweeps: number;
}

/** Slots of the live progress buffer the kernel writes (Float64Array of ≥ 4). bestEnergy is +Infinity until the first state. */
export const ANNEAL_LIVE = { bestEnergy: 0, flipAttempts: 1, elapsedMs: 2, sweeps: 3 } as const;

/** A live progress buffer on a SharedArrayBuffer (readable from any thread) and its reader. */
export function createAnnealLive(): { buffer: Float64Array; read(): AnnealProgress } {
  const buffer = new Float64Array(new SharedArrayBuffer(4 * 8));
  buffer[ANNEAL_LIVE.bestEnergy] = Number.POSITIVE_INFINITY;
  return { buffer, read: () => readLive(buffer) };
}

function readLive(b: Float64Array): AnnealProgress {
  return { bestEnergy: b[0] as number, flipAttempts: b[1] as number, elapsedMs: b[2] as number, sweeps: b[3] as number };
}

/** A stop flag on a SharedArrayBuffer: `Atomics.store(flag, 0, 1)` (from any thread) stops the run. */
export function createStopFlag(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4));
}

/**
 * dwave-neal's β range for the 0/1 form (also @kiln/qubo's defaultBetaRange, for its JS engine): hot β = ln 2 / max_i(|h_i| + Σ_j|J_ij|), cold β =
 * ln(100·n) / min nonzero |coefficient|; [1, 1] for an all-zero problem; cold raised to 10·hot if
 * not above it.
 */
export function defaultAnnealBetaRange(p: NativeQuboProblem): [number, number] {
  return betaRange(p.n, coefficientRange(p));
}

function betaRange(n: number, { maxField, minCoef }: { maxField: number; minCoef: number }): [number, number] {
  if (maxField === 0 || !Number.isFinite(minCoef)) return [1, 1];
  const hot = Math.LN2 / maxField;
  let cold = Math.log(100 * Math.max(n, 1)) / minCoef;
  if (!(cold > hot)) cold = 10 * hot;
  return [hot, cold];
}

function coefficientRange(p: NativeQuboProblem): { maxField: number; minCoef: number } {
  const { n, rowPtr, val, h } = p;
  let maxField = 0;
  let minCoef = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const hi = Math.abs(h[i] as number);
    let s = hi;
    if (hi > 0 && hi < minCoef) minCoef = hi;
    const end = rowPtr[i + 1] as number;
    for (let k = rowPtr[i] as number; k < end; k++) {
      const a = Math.abs(val[k] as number);
      s += a;
      if (a > 0 && a < minCoef) minCoef = a;
    }
    if (s > maxField) maxField = s;
  }
  return { maxField, minCoef };
}

/**
 * The default schedule of a mode. sa: defaultAnnealBetaRange, geometric, 1000 sweeps. loihi: a
 * cooler start, because parallel updates need no hot phase to mix (hot β = ln 2 / smallest nonzero
 * coefficient, i.e. the smallest uphill step is taken half the time; cold β = 2·the sa cold end),
 * linear in β over 1000 steps per cycle (on MIS-100 this was the fastest of the schedules tried;
 * see bench/anneal-kernel.mts).
 */
export function defaultAnnealSchedule(
  p: NativeQuboProblem,
  mode: AnnealMode,
): { betaStart: number; betaEnd: number; schedule: 'geometric' | 'linear'; sweeps: number } | undefined {
  if (!isScheduledMode(mode)) return undefined;
  const range = coefficientRange(p); // one pass over the couplings for both ends
  const [hot, cold] = betaRange(p.n, range);
  if (mode === 'sa' || mode === 'multispin') return { betaStart: hot, betaEnd: cold, schedule: 'geometric', sweeps: 1000 };
  const { minCoef } = range;
  const start = Number.isFinite(minCoef) ? Math.LN2 / minCoef : hot;
  return { betaStart: start, betaEnd: Math.max(2 * cold, start), schedule: 'linear', sweeps: 1000 };
}

function requireAddon(): KilnNative {
  const native = loadNative();
  if (!native) throw new Error(`annealQubo needs Kiln's native addon: ${nativeStatus().reason} (use @kiln/qubo's JS anneal instead)`);
  return native;
}

/** Fills in the defaults (seed, β range, schedule, sweeps) that the native side takes as given. */
export function resolveAnnealOptions(p: NativeQuboProblem, options: QuboAnnealOptions = {}): NativeAnnealOptions & { seed: number; mode: AnnealMode } {
  const mode = options.mode ?? 'sa';
  const seed = options.seed ?? (crypto.getRandomValues(new Uint32Array(1))[0] as number);
  const out: NativeAnnealOptions & { seed: number; mode: AnnealMode } = { mode, seed };
  // Only the schedule is computed here (an O(nnz) pass); everything is validated in C++.
  const needSchedule = isScheduledMode(mode) && (options.betaStart === undefined || options.betaEnd === undefined);
  const schedule = needSchedule || options.sweeps === undefined || options.schedule === undefined ? defaultAnnealSchedule(p, mode) : undefined;
  if (isScheduledMode(mode)) {
    out.betaStart = options.betaStart ?? schedule?.betaStart;
    out.betaEnd = options.betaEnd ?? (options.betaStart !== undefined && schedule ? Math.max(schedule.betaEnd, options.betaStart) : schedule?.betaEnd);
    out.schedule = options.schedule ?? schedule?.schedule;
  }
  const sweeps = options.sweeps ?? schedule?.sweeps;
  if (sweeps !== undefined) out.sweeps = sweeps;
  for (const k of ['replicas', 'timeLimitMs', 'restarts', 'target', 'threads', 'stop', 'live', 'simd', 'samples'] as const) {
    if (options[k] !== undefined) (out as unknown as Record<string, unknown>)[k] = options[k];
  }
  return out;
}

function toResult(r: NativeAnnealResult, o: NativeAnnealOptions & { seed: number }): QuboAnnealResult {
  const trace: Array<[number, number]> = [];
  for (let k = 0; k + 1 < r.trace.length; k += 2) trace.push([r.trace[k] as number, r.trace[k + 1] as number]);
  const out: QuboAnnealResult = {
    state: r.state,
    energy: r.energy,
    timeToBestMs: r.timeToBestMs,
    elapsedMs: r.elapsedMs,
    flipAttempts: r.flipAttempts,
    sweeps: r.sweeps,
    anneals: r.anneals,
    trace,
    mode: r.mode,
    reachedTarget: r.reachedTarget,
    stoppedBy: r.stoppedBy,
    seed: o.seed,
    threads: r.threads,
    replicas: r.replicas,
    sweepsPerAnneal: r.sweepsPerAnneal,
    simd: r.simd,
  };
  if (r.samples && r.sampleEnergies) {
    out.samples = r.samples;
    out.sampleEnergies = r.sampleEnergies;
  }
  if (isScheduledMode(r.mode)) {
    out.betaStart = o.betaStart;
    out.betaEnd = o.betaEnd;
    out.schedule = o.schedule ?? 'geometric';
  }
  return out;
}

/**
 * Anneals a QUBO (@kiln/qubo's CsrQubo layout) with the native kernel, off the JS thread: the
 * kernel runs on the libuv pool (no worker-thread start-up), the event loop stays free, and the
 * promise resolves with the best state. Argument errors reject (TypeError/RangeError from C++).
 * Throws when the addon is not available (use @kiln/qubo's JS `anneal` then).
 *
 * ```ts
 * const stop = createStopFlag();
 * const r = await annealQubo(toCsr(problem), { mode: 'tabu', timeLimitMs: 1000, restarts: true, stop });
 * ```
 */
export async function annealQubo(problem: NativeQuboProblem, options: QuboAnnealOptions = {}): Promise<QuboAnnealResult> {
  const native = requireAddon();
  const o = resolveAnnealOptions(problem, options);
  const { signal, onProgress } = options;
  let abort: (() => void) | undefined;
  if (signal) {
    o.stop ??= createStopFlag();
    const flag = o.stop;
    abort = () => Atomics.store(flag, 0, 1);
    if (signal.aborted) abort();
    else signal.addEventListener('abort', abort, { once: true });
  }
  let timer: ReturnType<typeof setInterval> | undefined;
  if (onProgress) {
    if (!o.live) {
      o.live = new Float64Array(new SharedArrayBuffer(4 * 8));
      o.live[ANNEAL_LIVE.bestEnergy] = Number.POSITIVE_INFINITY;
    }
    const live = o.live;
    timer = setInterval(() => onProgress(readLive(live)), options.progressIntervalMs ?? 100);
  }
  try {
    const r = toResult(await native.annealQubo(problem, o), o);
    onProgress?.({ bestEnergy: r.energy, flipAttempts: r.flipAttempts, elapsedMs: r.elapsedMs, sweeps: r.sweeps });
    return r;
  } finally {
    if (timer) clearInterval(timer);
    if (signal && abort) signal.removeEventListener('abort', abort);
  }
}

/** annealQubo on the calling thread (blocks it until done); for tests and benchmarks. `signal`/`onProgress` are not used. */
export function annealQuboSync(problem: NativeQuboProblem, options: QuboAnnealOptions = {}): QuboAnnealResult {
  const o = resolveAnnealOptions(problem, options);
  return toResult(requireAddon().annealQuboSync(problem, o), o);
}
