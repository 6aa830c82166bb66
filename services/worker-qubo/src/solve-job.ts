import { AppError, type QuboSolveResult } from '@kiln/contracts';
import { type Db, loadQuboProblem, upsertQuboSolution } from '@kiln/db';
import type { JobContext } from '@kiln/queue';
import { type QuboProblem, solve } from '@kiln/qubo';

export interface SolveJobOptions {
  db: Db;
  /** Annealing threads per job (a portfolio splits them between its two modes). */
  threads: number;
  /** Least time between two progress reports. */
  progressEveryMs?: number;
}

/**
 * The `qubo.solve` handler: load the problem, solve it (native kernel in the requested mode, or
 * auto; the JS annealer when the addon is missing), stream the best energy as progress, store the
 * solution (upsert by job) with the mode that found it.
 */
export function createSolveHandler(options: SolveJobOptions) {
  return async (ctx: JobContext<'qubo.solve'>): Promise<QuboSolveResult> => {
    const { db } = options;
    const problemId = ctx.payload.problemId;
    if (!problemId) throw new AppError('KILN_ERR_PAYLOAD_INVALID', 'payload.problemId: missing (inline problems are stored by the API)');
    const row = await loadQuboProblem(db, problemId);
    if (!row) throw new AppError('KILN_ERR_PROBLEM_UNKNOWN', `no problem ${problemId}`);
    const problem: QuboProblem = {
      n: row.n,
      terms: row.terms,
      offset: row.offset,
      kind: row.kind as QuboProblem['kind'],
      sense: row.sense as QuboProblem['sense'],
      ...(row.graph ? { graph: { n: row.n, edges: { u: row.graph.i, v: row.graph.j, w: row.graph.w } } } : {}),
    };
    const p = ctx.payload.params;
    let lastReport = Number.NEGATIVE_INFINITY;
    let pending: Promise<void> = Promise.resolve();
    const report = (pr: { elapsedMs: number; bestEnergy: number; sweeps: number }): void => {
      pending = pending
        .then(() => ctx.progress({ kind: 'qubo.solve', elapsedMs: pr.elapsedMs, bestEnergy: pr.bestEnergy, sweeps: pr.sweeps }))
        .catch((err) => ctx.log.warn({ err }, 'progress not saved'));
    };
    // ctx.signal (cancel, timeout, shutdown) raises the kernel's stop flag; solve() then rejects
    // with the signal's reason and the harness cancels the job or hands it back to the queue.
    const result = await solve(problem, {
      mode: p.mode,
      seed: p.seed,
      restarts: p.restarts,
      timeLimitMs: p.timeLimitMs,
      threads: options.threads,
      ...(p.sweeps !== undefined ? { sweeps: p.sweeps } : {}),
      ...(p.schedule !== undefined ? { schedule: p.schedule } : {}),
      ...(p.replicas !== undefined ? { replicas: p.replicas } : {}),
      ...(p.betaStart !== undefined ? { betaStart: p.betaStart } : {}),
      ...(p.betaEnd !== undefined ? { betaEnd: p.betaEnd } : {}),
      ...(p.target !== undefined ? { target: p.target } : {}),
      signal: ctx.signal,
      onProgress: (pr) => {
        // The best energy so far, at most every progressEveryMs (the first one at once).
        const now = performance.now();
        if (now - lastReport < (options.progressEveryMs ?? 250)) return;
        lastReport = now;
        report(pr);
      },
    });
    // The last report is the result itself, so even a run shorter than one interval leaves one.
    report({ elapsedMs: result.elapsedMs, bestEnergy: result.energy, sweeps: result.sweeps });
    await pending;
    ctx.log.info(
      { engine: result.engine, mode: result.mode, rule: result.plan.rule, energy: result.energy, value: result.value, timeToBestMs: result.timeToBestMs },
      'qubo solved',
    );
    const ev = result.evaluation;
    const solution = await upsertQuboSolution(db, {
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
    });
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
    };
  };
}
