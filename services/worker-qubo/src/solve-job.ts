import { AppError, type QuboSolveResult } from '@kiln/contracts';
import { type Db, loadQuboProblem, type QuboSolutionWriter, writeQuboSamples } from '@kiln/db';
import type { JobContext } from '@kiln/queue';
import { assertCoefficientRange, type QuboProblem, solve } from '@kiln/qubo';
import { withSpan } from '@kiln/telemetry';
import type { ComputeSlots } from './compute-slots.js';
import type { ProblemCache } from './problem-cache.js';

/** Problems this small anneal on one thread. */
export const SMALL_N = 64;

export interface SolveJobOptions {
  db: Db;
  /** Solutions are written in groups (concurrent short solves share a statement). */
  solutions: QuboSolutionWriter;
  /** At most this many anneals at once, each with `threads` threads. */
  slots: ComputeSlots;
  problems: ProblemCache;
  /** Annealing threads per job (a portfolio splits them between its two modes). */
  threads: number;
  /** Least time between two progress reports; a solve shorter than this reports only its end. */
  progressEveryMs?: number;
}

/**
 * The `qubo.solve` handler: load the problem (cached), wait for a compute slot, solve it (native
 * kernel in the requested mode, or auto; the JS annealer when the addon is missing), stream the
 * best energy as progress on long runs, store the solution (upsert by job) with the mode that found
 * it. A sub-millisecond solve costs a cache lookup, the solve and a share of two grouped writes.
 */
export function createSolveHandler(options: SolveJobOptions) {
  return async (ctx: JobContext<'qubo.solve'>): Promise<QuboSolveResult> => {
    const { db } = options;
    const problemId = ctx.payload.problemId;
    const problem = await options.problems.get(problemId, async () => {
      const row = await loadQuboProblem(db, problemId);
      if (!row) return null;
      return {
        n: row.n,
        terms: row.terms,
        offset: row.offset,
        kind: row.kind as QuboProblem['kind'],
        sense: row.sense as QuboProblem['sense'],
        ...(row.graph ? { graph: { n: row.n, edges: { u: row.graph.i, v: row.graph.j, w: row.graph.w } } } : {}),
      };
    });
    if (!problem) throw new AppError('KILN_ERR_PROBLEM_UNKNOWN', `no problem ${problemId}`);
    // Problems stored before the range rule: fatal with the same code the API gives at upload.
    assertCoefficientRange(problem);
    const p = ctx.payload.params;
    const every = options.progressEveryMs ?? 250;
    let lastReport = performance.now();
    let pending: Promise<void> = Promise.resolve();
    const report = (pr: { elapsedMs: number; bestEnergy: number; sweeps: number }): void => {
      pending = pending
        .then(() => ctx.progress({ kind: 'qubo.solve', elapsedMs: pr.elapsedMs, bestEnergy: pr.bestEnergy, sweeps: pr.sweeps }))
        .catch((err) => ctx.log.warn({ err }, 'progress not saved'));
    };
    // Below SMALL_N variables an anneal step takes microseconds and a second thread costs more to
    // wake (≈ 50–100 µs here) than it gives: one thread, and small solves run side by side.
    const threads = problem.n <= SMALL_N ? 1 : options.threads;
    const release = await options.slots.acquire(ctx.signal, threads);
    let result: Awaited<ReturnType<typeof solve>>;
    try {
      // ctx.signal (cancel, timeout, shutdown) raises the kernel's stop flag; solve() then rejects
      // with the signal's reason and the harness cancels the job or hands it back to the queue.
      result = await solve(problem, {
        ...p,
        threads,
        signal: ctx.signal,
        onProgress: (pr) => {
          // The best energy so far, at most every `every` ms, the first after `every` ms of solving.
          const now = performance.now();
          if (now - lastReport < every) return;
          lastReport = now;
          report(pr);
        },
      });
    } finally {
      release();
    }
    await pending;
    ctx.log.debug(
      { engine: result.engine, mode: result.mode, rule: result.plan.rule, energy: result.energy, value: result.value, timeToBestMs: result.timeToBestMs },
      'qubo solved',
    );
    const ev = result.evaluation;
    // A child of the job's span when tracing is on (a no-op span otherwise).
    const span = { attributes: { 'kiln.job.id': ctx.id, 'db.system.name': 'postgresql' } };
    const solution = await withSpan('db qubo_solution.upsert', span, () =>
      options.solutions.upsert({
        jobId: ctx.id,
        problemId,
        kind: problem.kind,
        n: problem.n,
        energy: result.energy,
        value: ev.value,
        feasible: ev.feasible,
        assignment: Array.from(result.x, (b) => (b ? '1' : '0')).join(''),
        timeToBestMs: result.timeToBestMs,
        elapsedMs: result.elapsedMs,
        flipAttempts: result.flipAttempts,
        mode: result.mode,
        params: {
          ...p,
          threads: result.threads,
          replicas: result.replicas,
          engine: result.engine,
          ...(result.engineReason ? { engineReason: result.engineReason } : {}),
          plan: result.plan,
          reachedTarget: result.reachedTarget,
        },
        trace: result.trace,
      }),
    );
    // The sample set (numReads > 1): its distinct states by rank, replacing an earlier attempt's.
    if ((p.numReads ?? 1) > 1) {
      await writeQuboSamples(
        db,
        ctx.id,
        solution.id,
        result.samples.map((s, rank) => ({
          rank,
          assignment: Array.from(s.x, (b) => (b ? '1' : '0')).join(''),
          energy: s.energy,
          numOccurrences: s.numOccurrences,
        })),
      );
    }
    // The last report is the result itself, written with it (even a run shorter than one interval leaves one).
    await ctx.progress({ kind: 'qubo.solve', elapsedMs: result.elapsedMs, bestEnergy: result.energy, sweeps: result.sweeps }, { withResult: true });
    return {
      solutionId: solution.id,
      kind: problem.kind,
      n: problem.n,
      energy: result.energy,
      value: ev.value,
      feasible: ev.feasible,
      timeToBestMs: result.timeToBestMs,
      elapsedMs: result.elapsedMs,
      flipAttempts: result.flipAttempts,
      mode: result.mode,
      samples: result.samples.length,
    };
  };
}
