import {
  annealQubo,
  createAnnealLive,
  createStopFlag,
  isScheduledMode,
  loadNative,
  nativeStatus,
  type QuboAnnealOptions,
  type QuboAnnealResult,
} from '@kiln/kernels';
import { type AnnealResult, epochNow } from './anneal.js';
import type { AnnealProgress } from './anneal-options.js';
import { defaultBetaRange } from './beta-range.js';
import { type KernelMode, type PlanMember, planAuto, type SolveMode, type SolvePlan } from './auto.js';
import { toCsr } from './csr.js';
import { energy } from './energy.js';
import { type Evaluation, evaluate } from './evaluate.js';
import { deriveSeed } from './rng.js';
import { type ProblemShape, problemShape } from './shape.js';
import { solveJs } from './solve-js.js';
import { type ResolvedSolveOptions, resolveSolveOptions, type SolveEngine, type SolveOptions, type SolveProgress } from './solve-options.js';
import { mergeTraces, type TracePoint } from './trace.js';
import type { CsrQubo, QuboProblem } from './types.js';

/** One search of the run (a portfolio has two). */
export interface SolveMemberReport {
  mode: KernelMode;
  threads: number;
  energy: number;
  timeToBestMs: number;
  flipAttempts: number;
  sweeps: number;
  anneals: number;
  replicas: number;
  /** sa: sweeps of the last anneal (doubling rounds: the longest); loihi: steps per cycle; tabu: stall limit. */
  sweepsPerAnneal: number;
  reachedTarget: boolean;
  stoppedBy: 'target' | 'time' | 'stop' | 'done';
}

/** One distinct state of a sample set: its assignment, its energy and how many replicas ended in it. */
export interface QuboSample {
  x: Uint8Array;
  energy: number;
  numOccurrences: number;
}

export interface SolveResult extends AnnealResult {
  /**
   * The sample set (dwave's SampleSet): distinct final states of every replica of every kernel call,
   * best first (ties: the more frequent first), at most numReads. The first is always the run's
   * best state `x` (counted once when no replica ended in it). numReads 1, or the JS engine: `x` alone.
   */
  samples: QuboSample[];
  evaluation: Evaluation;
  /** evaluation.value: the problem-level objective (cut, repaired MIS size, bqp objective, else energy). */
  value: number;
  /** evaluation.feasible. */
  feasible: boolean;
  threads: number;
  replicas: number;
  /** The mode of the search that found x (in a portfolio: the winner; ties: the earlier one). */
  mode: KernelMode;
  requestedMode: SolveMode;
  engine: SolveEngine;
  /** Why the JS engine ran (the addon's status), when it did. */
  engineReason?: string;
  /** What ran: the rule (auto) or 'explicit', the reason, and each search's figures. */
  plan: { rule: SolvePlan['rule'] | 'js'; reason: string; members: SolveMemberReport[] };
  /** Whether energy ≤ target was reached. */
  reachedTarget: boolean;
  shape: ProblemShape;
}

/**
 * Minimises a QUBO. With Kiln's native addon (engine 'native') the kernel of @kiln/kernels runs
 * the plan of `mode` (see planAuto): one mode on every thread, or a portfolio of two modes on
 * their own threads sharing one stop flag, so the first to reach `target` stops both and the
 * lower energy wins. Without the addon, the JS reference annealer runs on a pool of worker threads
 * (engine 'js', mode 'sa'). The time limit counts from this call.
 *
 * Times: native `timeToBestMs` and the trace count from the kernel's start (a fraction of a ms
 * after this call: building the CSR); JS ones from this call, thread start-up (~0.3–0.5 s)
 * included. `computeMs` is summed over threads.
 */
export async function solve(problem: QuboProblem, options: SolveOptions = {}): Promise<SolveResult> {
  if (options.signal?.aborted) throw options.signal.reason;
  const origin = epochNow();
  const o = resolveSolveOptions(options);
  const csr = toCsr(problem);
  const shape = problemShape(csr);

  const native = o.engine !== 'js' ? loadNative() : null;
  if (o.engine === 'native' && !native) throw new Error(`engine 'native' requested but the addon is not available: ${nativeStatus().reason}`);
  const run = native ? await solveNative(csr, shape, o, origin) : await solveWithJs(csr, o, origin);
  const evaluation = evaluate(problem, run.x);
  const samples = sampleSet(problem, run.x, evaluation.energy, run.finals, o.numReads ?? 1);
  // The trace ends at the reported energy (the JS energy of x, summed over the problem's terms).
  const trace = run.trace.length > 0 ? [...run.trace.slice(0, -1), { tMs: (run.trace.at(-1) as TracePoint).tMs, energy: evaluation.energy }] : run.trace;
  const { finals: _f, ...rest } = run;
  return {
    ...rest,
    samples,
    trace,
    energy: evaluation.energy,
    evaluation,
    value: evaluation.value,
    feasible: evaluation.feasible,
    requestedMode: o.mode,
    reachedTarget: o.target !== undefined && evaluation.energy <= o.target + 1e-9,
    shape,
    ...(native ? {} : { engineReason: o.engine === 'js' ? 'engine js requested' : (nativeStatus().reason ?? 'native addon not loaded') }),
  };
}

/** Distinct final states by content (one byte per variable): how many replicas ended in each. */
type Finals = Map<string, { x: Uint8Array; count: number }>;

type EngineRun = Omit<SolveResult, 'evaluation' | 'value' | 'feasible' | 'requestedMode' | 'reachedTarget' | 'shape' | 'engineReason' | 'samples'> & {
  finals?: Finals;
};

/** Adds `count` states of n bytes each (concatenated) to `finals`. */
function addFinals(finals: Finals, states: Uint8Array, n: number): void {
  for (let k = 0; k + n <= states.length; k += n) {
    const x = states.subarray(k, k + n);
    const key = Buffer.from(x.buffer, x.byteOffset, n).toString('latin1');
    const seen = finals.get(key);
    if (seen) seen.count++;
    else finals.set(key, { x: x.slice(), count: 1 });
  }
}

/** The sample set: the best state first, then the other distinct final states by energy (JS energy over the problem's terms). */
function sampleSet(problem: QuboProblem, best: Uint8Array, bestEnergy: number, finals: Finals | undefined, numReads: number): QuboSample[] {
  const bestKey = Buffer.from(best.buffer, best.byteOffset, best.length).toString('latin1');
  const head: QuboSample = { x: best, energy: bestEnergy, numOccurrences: finals?.get(bestKey)?.count ?? 1 };
  if (numReads <= 1 || !finals) return [head];
  const rest: QuboSample[] = [];
  for (const [key, f] of finals) if (key !== bestKey) rest.push({ x: f.x, energy: energy(problem, f.x), numOccurrences: f.count });
  rest.sort((a, b) => a.energy - b.energy || b.numOccurrences - a.numOccurrences);
  return [head, ...rest.slice(0, numReads - 1)];
}

async function solveWithJs(csr: CsrQubo, o: ResolvedSolveOptions, origin: number): Promise<EngineRun> {
  const { onProgress, mode: _m, engine: _e, progressIntervalMs: _i, ...rest } = o;
  const r = await solveJs(
    csr,
    { ...rest, ...(onProgress ? { onProgress: (p: AnnealProgress) => onProgress({ ...p, flipAttempts: p.sweeps * csr.n }) } : {}) },
    origin,
  );
  const member: SolveMemberReport = {
    mode: 'sa',
    threads: r.threads,
    energy: r.energy,
    timeToBestMs: r.timeToBestMs,
    flipAttempts: r.flipAttempts,
    sweeps: r.sweeps,
    anneals: r.anneals,
    replicas: r.replicas,
    sweepsPerAnneal: o.sweeps ?? 1000,
    reachedTarget: o.target !== undefined && r.energy <= o.target,
    stoppedBy: o.target !== undefined && r.energy <= o.target ? 'target' : r.elapsedMs >= o.timeLimitMs ? 'time' : 'done',
  };
  return { ...r, mode: 'sa', engine: 'js', plan: { rule: 'js', reason: 'JS reference annealer on worker threads (no native addon): sa', members: [member] } };
}

/** The plan for an explicit mode or auto; explicit sweeps fix auto's anneal lengths. */
export function planFor(shape: ProblemShape, mode: SolveMode, threads: number, sweeps?: number): SolvePlan {
  if (mode !== 'auto') {
    return { members: [{ mode, threads, ...(sweeps !== undefined ? { sweeps } : {}) }], rule: 'explicit', reason: `mode '${mode}' requested` };
  }
  const plan = planAuto(shape, threads);
  if (sweeps === undefined) return plan;
  return {
    ...plan,
    members: plan.members.map((m): PlanMember => (!isScheduledMode(m.mode) ? m : { mode: m.mode, threads: m.threads, sweeps })),
  };
}

interface MemberRun {
  member: PlanMember;
  /** Live buffer of the kernel call in progress. */
  live?: Float64Array;
  best: number;
  state?: Uint8Array;
  timeToBestMs: number;
  flipAttempts: number;
  sweeps: number;
  anneals: number;
  computeMs: number;
  replicas: number;
  sweepsPerAnneal: number;
  trace: TracePoint[];
  reachedTarget: boolean;
  stoppedBy: SolveMemberReport['stoppedBy'];
  /** With numReads > 1: the distinct final states of its replicas. */
  finals?: Finals;
}

async function solveNative(csr: CsrQubo, shape: ProblemShape, params: ResolvedSolveOptions, origin: number): Promise<EngineRun> {
  const { signal, onProgress, seed, target } = params;
  const plan: SolvePlan = params.plan
    ? { members: params.plan, rule: 'explicit', reason: 'plan given by the caller' }
    : planFor(shape, params.mode, params.threads, params.sweeps);
  const stop = createStopFlag();
  const onAbort = (): void => {
    Atomics.store(stop, 0, 1);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  const deadline = origin + params.timeLimitMs;
  const restarts = params.restarts;
  const kernelStart = epochNow();
  const runs: MemberRun[] = plan.members.map((member) => ({
    member,
    best: Number.POSITIVE_INFINITY,
    timeToBestMs: 0,
    flipAttempts: 0,
    sweeps: 0,
    anneals: 0,
    computeMs: 0,
    replicas: 0,
    sweepsPerAnneal: 0,
    trace: [],
    reachedTarget: false,
    stoppedBy: 'done',
    ...((params.numReads ?? 1) > 1 ? { finals: new Map() } : {}),
  }));

  const progress = (): SolveProgress => {
    let best = Number.POSITIVE_INFINITY;
    let sweeps = 0;
    let flips = 0;
    for (const r of runs) {
      best = Math.min(best, r.best, r.live?.[0] ?? Number.POSITIVE_INFINITY);
      sweeps += r.sweeps + (r.live?.[3] ?? 0);
      flips += r.flipAttempts + (r.live?.[1] ?? 0);
    }
    return { elapsedMs: epochNow() - origin, bestEnergy: best, sweeps, flipAttempts: flips };
  };
  const timer = onProgress
    ? setInterval(() => {
        const p = progress();
        if (Number.isFinite(p.bestEnergy)) onProgress(p);
      }, params.progressIntervalMs)
    : undefined;

  const common = { csr, seed, deadline, restarts, stop, kernelStart, params };
  const settled = await Promise.allSettled(
    runs.map((r) =>
      runMember(r, common).then(
        () => {
          if (r.reachedTarget) Atomics.store(stop, 0, 1);
        },
        (error: unknown) => {
          Atomics.store(stop, 0, 1);
          throw error;
        },
      ),
    ),
  );
  if (timer) clearInterval(timer);
  signal?.removeEventListener('abort', onAbort);
  if (signal?.aborted) throw signal.reason;
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  if (target !== undefined && runs.some((r) => r.reachedTarget)) {
    // The member that did not reach the target was stopped by the shared flag, not by a user.
    for (const r of runs) if (!r.reachedTarget && r.stoppedBy === 'stop') r.stoppedBy = 'target';
  }

  let win = runs[0] as MemberRun;
  for (const r of runs) if (r.best < win.best || (r.best === win.best && r.timeToBestMs < win.timeToBestMs)) win = r;
  const x = win.state ?? new Uint8Array(csr.n);
  const trace = mergeTraces(runs.map((r) => r.trace));
  const members = runs.map(
    (r): SolveMemberReport => ({
      mode: r.member.mode,
      threads: r.member.threads,
      energy: r.best,
      timeToBestMs: r.timeToBestMs,
      flipAttempts: r.flipAttempts,
      sweeps: r.sweeps,
      anneals: r.anneals,
      replicas: r.replicas,
      sweepsPerAnneal: r.sweepsPerAnneal,
      reachedTarget: r.reachedTarget,
      stoppedBy: r.stoppedBy,
    }),
  );
  const result: EngineRun = {
    x,
    energy: win.best,
    timeToBestMs: win.timeToBestMs,
    elapsedMs: epochNow() - origin,
    sweeps: members.reduce((a, m) => a + m.sweeps, 0),
    flipAttempts: members.reduce((a, m) => a + m.flipAttempts, 0),
    trace,
    seed,
    anneals: members.reduce((a, m) => a + m.anneals, 0),
    computeMs: runs.reduce((a, r) => a + r.computeMs * r.member.threads, 0),
    threads: plan.members.reduce((a, m) => a + m.threads, 0),
    replicas: members.reduce((a, m) => a + m.replicas, 0),
    mode: win.member.mode,
    engine: 'native',
    plan: { rule: plan.rule, reason: plan.reason, members },
  };
  if ((params.numReads ?? 1) > 1) {
    const finals: Finals = new Map();
    for (const r of runs) {
      for (const [key, f] of r.finals ?? []) {
        const seen = finals.get(key);
        if (seen) seen.count += f.count;
        else finals.set(key, f);
      }
    }
    result.finals = finals;
  }
  onProgress?.({ elapsedMs: result.elapsedMs, bestEnergy: result.energy, sweeps: result.sweeps, flipAttempts: result.flipAttempts });
  return result;
}

/**
 * Runs one member: a single kernel call (the kernel's own restarts), or for doubling sa rounds of
 * one anneal per replica, each twice as long as the last (up to maxSweeps), until the target,
 * the deadline or the stop flag.
 */
async function runMember(
  r: MemberRun,
  c: { csr: CsrQubo; seed: number; deadline: number; restarts: boolean; stop: Int32Array; kernelStart: number; params: ResolvedSolveOptions },
): Promise<void> {
  const { member } = r;
  const p = c.params;
  const grow = member.grow === true && c.restarts;
  let sweeps = member.sweeps;
  let betaStart = isScheduledMode(member.mode) ? p.betaStart : undefined;
  if (betaStart === undefined && (member.mode === 'sa' || member.mode === 'multispin') && member.hotScale !== undefined) {
    const [hot, cold] = defaultBetaRange(c.csr);
    betaStart = Math.min(hot * member.hotScale, (p.betaEnd ?? cold) / 2);
  }
  for (let round = 0; ; round++) {
    const start = epochNow();
    const left = c.deadline - start;
    if (round > 0 && left <= 0) {
      r.stoppedBy = 'time';
      return;
    }
    const live = createAnnealLive();
    const options: QuboAnnealOptions = {
      mode: member.mode,
      seed: round === 0 ? c.seed : deriveSeed(c.seed, round),
      threads: member.threads,
      stop: c.stop,
      live: live.buffer,
      restarts: grow ? false : c.restarts,
      ...(Number.isFinite(c.deadline) ? { timeLimitMs: Math.max(left, 0.001) } : {}),
      ...(p.target !== undefined ? { target: p.target } : {}),
      ...(sweeps !== undefined ? { sweeps } : {}),
      ...(p.replicas !== undefined ? { replicas: p.replicas } : {}),
      ...(betaStart !== undefined ? { betaStart } : {}),
      ...(isScheduledMode(member.mode) && p.betaEnd !== undefined ? { betaEnd: p.betaEnd } : {}),
      ...(isScheduledMode(member.mode) && p.schedule !== undefined ? { schedule: p.schedule } : {}),
      ...(r.finals ? { samples: true } : {}),
    };
    r.live = live.buffer;
    let out: QuboAnnealResult;
    try {
      out = await annealQubo(c.csr, options);
    } finally {
      r.live = undefined;
    }
    fold(r, out, start - c.kernelStart);
    if (!grow || out.stoppedBy !== 'done') return;
    sweeps = Math.min((sweeps ?? 1000) * 2, Math.max(member.maxSweeps ?? Number.POSITIVE_INFINITY, sweeps ?? 1000));
  }
}

function fold(r: MemberRun, out: QuboAnnealResult, offsetMs: number): void {
  if (r.finals && out.samples) addFinals(r.finals, out.samples, out.state.length);
  if (out.energy < r.best) {
    r.best = out.energy;
    r.state = out.state;
    r.timeToBestMs = offsetMs + out.timeToBestMs;
  }
  for (const [t, e] of out.trace) r.trace.push({ tMs: offsetMs + t, energy: e });
  r.flipAttempts += out.flipAttempts;
  r.sweeps += out.sweeps;
  r.anneals += out.anneals;
  r.computeMs += out.elapsedMs;
  r.replicas = Math.max(r.replicas, out.replicas);
  r.sweepsPerAnneal = out.sweepsPerAnneal;
  r.reachedTarget = r.reachedTarget || out.reachedTarget;
  r.stoppedBy = out.stoppedBy;
}
