import { errorCodeOf } from '@kiln/contracts';
import {
  endTune,
  getModel,
  getTune,
  markTuneRunning,
  recordTuneTrial,
  setTuneBest,
  setTuneTrialJob,
  type TuneRow,
  type TuneTrialRow,
  tunesToAdvance,
} from '@kiln/db';
import type { FastifyBaseLogger } from 'fastify';
import type { ApiContext } from '../context.js';
import { cancelJobById } from '../pipelines/pipelines.js';
import { submitKeyed } from '../pipelines/submit.js';
import type { TrialParams } from './space.js';
import { trialKey, trialRequest } from './tunes.js';

/**
 * Moves tunes on (docs/adr/0022), from the pipeline advancer's pass (one replica at a time, under
 * its Redis lock). Postgres is the ledger: a tune's trials and their jobs. For each tune with
 * something to do:
 * - a trial whose job ended is recorded: completed with its model and objective (the model's
 *   validation NDCG@10 at its best epoch), or failed / cancelled with the job's error;
 * - pending trials are submitted, lowest index first, while fewer than `parallelism` run. Each
 *   goes through the normal submit path under the Idempotency-Key `~tune:<id>:<index>` (its job
 *   id derives from it), so a trial is never submitted twice, whoever advances. A trial its
 *   preparer refuses is recorded failed and the search goes on;
 * - once no trial is left to run, the tune completes with the best trial (highest objective, ties
 *   to the lower index), or fails when no trial completed.
 * A cancelled tune is read until its running trials are recorded, and keeps the best of those that completed.
 */
export async function advanceTune(ctx: ApiContext, id: string, log?: FastifyBaseLogger): Promise<void> {
  let t = await getTune(ctx.db, id);
  if (!t || t.state === 'completed' || t.state === 'failed') return;
  let recorded = false;
  for (const trial of t.trials) if (trial.state === 'submitted' && (await recordIfEnded(ctx, t.id, trial))) recorded = true;
  if (recorded) t = (await getTune(ctx.db, id)) as TuneRow;
  if (t.state === 'cancelled') {
    if (!t.trials.some((x) => x.state === 'submitted')) await setTuneBest(ctx.db, id, bestOf(t));
    return;
  }
  if (t.state === 'queued' && t.trials.some((x) => x.job && x.job.state !== 'waiting' && x.job.state !== 'delayed')) await markTuneRunning(ctx.db, id);
  let running = t.trials.filter((x) => x.state === 'submitted').length;
  let submittedAny = false;
  for (const trial of t.trials) {
    if (running >= t.parallelism) break;
    if (trial.state !== 'pending') continue;
    const outcome = await submitTrial(ctx, t, trial, log);
    if (outcome === 'cancelled') return;
    submittedAny = true;
    if (outcome === 'submitted') running++;
  }
  // Read again only when this pass changed a trial: a pass with trials still running is one read.
  const after = submittedAny ? ((await getTune(ctx.db, id)) as TuneRow) : t;
  if (after.trials.some((x) => x.state === 'pending' || x.state === 'submitted')) return;
  const best = bestOf(after);
  if (best) {
    await endTune(ctx.db, id, 'completed', { best });
    return;
  }
  const first = after.trials.find((x) => x.error) as TuneTrialRow | undefined;
  const err = (first?.error ?? {}) as { code?: string; message?: string };
  await endTune(ctx.db, id, 'failed', {
    error: {
      code: err.code ?? 'KILN_ERR_INTERNAL',
      message: `no trial completed (${after.trials.length} ended)${first ? `; trial ${first.idx}: ${err.message ?? ''}` : ''}`,
      details: { trials: after.trials.length },
    },
  });
}

/** The trial with the highest objective (ties: the lower index), or null when none scored. */
export function bestOf(t: Pick<TuneRow, 'trials'>): { trial: number; modelId: string | null; objective: number } | null {
  let best: TuneTrialRow | undefined;
  for (const x of t.trials) {
    if (x.state !== 'completed' || x.objective === null || !Number.isFinite(x.objective)) continue;
    if (!best || (x.objective as number) > (best.objective as number)) best = x;
  }
  return best ? { trial: best.idx, modelId: best.modelId, objective: best.objective as number } : null;
}

/** Records a submitted trial whose job ended (or is gone). Returns whether it did. */
async function recordIfEnded(ctx: ApiContext, tuneId: string, trial: TuneTrialRow): Promise<boolean> {
  const job = trial.job;
  if (!job) {
    return recordTuneTrial(ctx.db, tuneId, trial.idx, {
      state: 'failed',
      error: { code: 'KILN_ERR_NOT_FOUND', message: `its job ${trial.jobId} was deleted before it was recorded` },
    });
  }
  if (job.state === 'failed' || job.state === 'cancelled') {
    const err = (job.error ?? {}) as { code?: string; message?: string };
    return recordTuneTrial(ctx.db, tuneId, trial.idx, {
      state: job.state,
      error: { code: err.code ?? (job.state === 'cancelled' ? 'KILN_ERR_JOB_CANCELLED' : 'KILN_ERR_INTERNAL'), message: err.message ?? `its job ${job.state}` },
    });
  }
  if (job.state !== 'completed') return false;
  // The objective is read from the model the job stored (its best epoch's validation metrics);
  // the job's own result says the same, and stands in when the model was deleted meanwhile.
  const result = (job.result ?? {}) as { modelId?: string; valid?: Record<string, number>; test?: Record<string, number>; bestEpoch?: number };
  const model = result.modelId ? await getModel(ctx.db, result.modelId) : null;
  const m = (model?.metrics ?? {}) as { valid?: Record<string, number>; test?: Record<string, number> };
  const valid = m.valid ?? result.valid ?? null;
  const test = m.test ?? result.test ?? null;
  const objective = valid?.['ndcg@10'];
  return recordTuneTrial(ctx.db, tuneId, trial.idx, {
    state: 'completed',
    modelId: result.modelId ?? null,
    objective: typeof objective === 'number' && Number.isFinite(objective) ? objective : null,
    metrics: { valid, test, bestEpoch: model?.bestEpoch ?? result.bestEpoch ?? null },
  });
}

/** Submits a pending trial: `submitted`, `refused` (recorded failed) or `cancelled` (its tune was cancelled meanwhile: the job goes too). */
async function submitTrial(ctx: ApiContext, t: TuneRow, trial: TuneTrialRow, log?: FastifyBaseLogger): Promise<'submitted' | 'refused' | 'cancelled'> {
  let jobId: string;
  try {
    const r = await submitKeyed(ctx, {
      kind: 'ssm.train',
      request: trialRequest(t, trial.params as TrialParams),
      key: trialKey(t.id, trial.idx),
      apiKeyId: t.apiKeyId,
    });
    jobId = r.id;
  } catch (error) {
    const code = errorCodeOf(error);
    // Redis or Postgres away: tried again next pass. Refused for good (the dataset deleted meanwhile): this trial fails.
    if (!code || code === 'KILN_ERR_UNAVAILABLE' || code === 'KILN_ERR_INTERNAL') throw error;
    log?.warn({ tuneId: t.id, trial: trial.idx, err: error }, 'tune trial refused');
    await recordTuneTrial(ctx.db, t.id, trial.idx, { state: 'failed', error: { code, message: `could not be submitted: ${(error as Error).message}` } });
    return 'refused';
  }
  await setTuneTrialJob(ctx.db, t.id, trial.idx, jobId);
  const now = await ctx.db.tune.findUnique({ where: { id: t.id }, select: { state: true } });
  if (now?.state === 'cancelled') {
    await cancelJobById(ctx, jobId, 'its tune was cancelled');
    return 'cancelled';
  }
  return 'submitted';
}

/** One pass over every tune that has something to do. */
export async function advanceTunes(ctx: ApiContext, log?: FastifyBaseLogger): Promise<void> {
  for (const id of await tunesToAdvance(ctx.db)) {
    try {
      await advanceTune(ctx, id, log);
    } catch (err) {
      log?.warn({ err, tuneId: id }, 'tune not advanced (tried again next pass)');
    }
  }
}
