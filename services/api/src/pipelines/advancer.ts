import { startLeaderTask } from '../leader-task.js';
import { errorCodeOf, type JobKind, JobOptions } from '@kiln/contracts';
import { endPipeline, getPipeline, markPipelineRunning, type PipelineRow, pipelinesToAdvance, setPipelineStepJob } from '@kiln/db';
import type { FastifyBaseLogger } from 'fastify';
import type { ApiContext } from '../context.js';
import { cancelJobById, stepKey } from './pipelines.js';
import { submitKeyed } from './submit.js';

/**
 * Moves pipelines on (docs/adr/0018). Postgres is the ledger: a pipeline's steps and their jobs.
 * For each pipeline not yet ended: the first step without a job is submitted through the normal
 * submit path under the Idempotency-Key `~pipeline:<id>:<step>` (its job id derives from it, so a
 * step is never submitted twice, whoever advances); a step whose job failed or was cancelled ends
 * the pipeline the same way and the steps after it never run; when every step completed, so did
 * the pipeline.
 */
export async function advancePipeline(ctx: ApiContext, id: string, log?: FastifyBaseLogger): Promise<void> {
  const p = await getPipeline(ctx.db, id);
  if (!p || (p.state !== 'pending' && p.state !== 'running')) return;
  for (const step of p.steps) {
    const job = step.job;
    if (!step.jobId) {
      if (step.state !== 'pending') return;
      await submitStep(ctx, p, step.idx, log);
      return;
    }
    if (!job) return; // the job row is being written
    if (job.state === 'completed') continue;
    if (job.state === 'failed' || job.state === 'cancelled') {
      const err = (job.error ?? {}) as { code?: string; message?: string };
      const what = job.state === 'failed' ? 'failed' : 'was cancelled';
      const errorCode = err.code ?? (job.state === 'cancelled' ? 'KILN_ERR_JOB_CANCELLED' : 'KILN_ERR_INTERNAL');
      await endPipeline(
        ctx.db,
        id,
        job.state,
        {
          code: errorCode,
          message: `step ${step.idx} (${step.kind}, job ${job.id}) ${what}: ${err.message ?? ''}`.trim(),
          details: { step: step.idx, jobId: job.id },
        },
        { state: job.state, error: { code: errorCode, message: `not run: step ${step.idx} ${what}` } },
      );
      return;
    }
    if (job.state === 'active' || step.idx > 0) await markPipelineRunning(ctx.db, id);
    return;
  }
  await endPipeline(ctx.db, id, 'completed', null);
}

async function submitStep(ctx: ApiContext, p: PipelineRow, idx: number, log?: FastifyBaseLogger): Promise<void> {
  const step = p.steps[idx] as PipelineRow['steps'][number];
  let request = step.request as Record<string, unknown>;
  if (step.kind === 'ssm.score' && request.modelId === undefined) {
    const train = p.steps
      .slice(0, idx)
      .reverse()
      .find((s) => s.kind === 'ssm.train');
    const modelId = (train?.job?.result as { modelId?: string } | null | undefined)?.modelId;
    request = { ...request, modelId };
  }
  const options = JobOptions.safeParse(step.options ?? {});
  let jobId: string;
  try {
    const r = await submitKeyed(ctx, {
      kind: step.kind as JobKind,
      request,
      ...(options.success ? { options: options.data } : {}),
      key: stepKey(p.id, idx),
      apiKeyId: p.apiKeyId,
    });
    jobId = r.id;
  } catch (error) {
    const code = errorCodeOf(error);
    // Refused for good (a model gone, a payload the preparer rejects): the pipeline fails here.
    // Anything else (Redis or Postgres away) is tried again on the next pass.
    if (!code || code === 'KILN_ERR_UNAVAILABLE' || code === 'KILN_ERR_INTERNAL') throw error;
    const message = `step ${idx} (${step.kind}) could not be submitted: ${(error as Error).message}`;
    log?.warn({ pipelineId: p.id, step: idx, err: error }, 'pipeline step refused');
    await endPipeline(
      ctx.db,
      p.id,
      'failed',
      { code, message, details: { step: idx } },
      { state: 'failed', error: { code, message: `not run: step ${idx} failed` }, idx, stepError: { code, message } },
    );
    return;
  }
  await setPipelineStepJob(ctx.db, p.id, idx, jobId, request);
  if (idx > 0) await markPipelineRunning(ctx.db, p.id);
  // Cancelled while this step was being submitted: its job goes too.
  const after = await getPipeline(ctx.db, p.id);
  if (after?.state === 'cancelled') await cancelJobById(ctx, jobId, 'its pipeline was cancelled');
}

export async function advanceAll(ctx: ApiContext, log?: FastifyBaseLogger): Promise<void> {
  for (const id of await pipelinesToAdvance(ctx.db)) {
    try {
      await advancePipeline(ctx, id, log);
    } catch (err) {
      log?.warn({ err, pipelineId: id }, 'pipeline not advanced (tried again next pass)');
    }
  }
}

/**
 * Runs `advanceAll` every `intervalMs` on the API replica that holds the lock (like the
 * reconciler); returns a stop function. `kick()` runs a pass soon (a step was just created).
 * `passes` run in the same pass under the same lock: other ledgers advanced the same way (tunes).
 */
export function startPipelineAdvancer(
  ctx: ApiContext,
  o: {
    intervalMs?: number;
    log?: FastifyBaseLogger;
    passes?: Array<() => Promise<void>>;
    periodic?: { everyMs: number; run(): Promise<void> };
  } = {},
): { stop(): Promise<void>; kick(): void } {
  const interval = o.intervalMs ?? 500;
  let lastPeriodic = Date.now();
  return startLeaderTask({
    redis: ctx.queues.redis,
    lockKey: `${ctx.queues.prefix}:kiln:pipelines`,
    intervalMs: interval,
    ttlMs: Math.max(interval * 4, 2_000),
    run: async () => {
      await advanceAll(ctx, o.log);
      for (const pass of o.passes ?? []) await pass();
      // Other upkeep that one replica does at a time (the schedules' timers in Redis).
      if (o.periodic && Date.now() - lastPeriodic >= o.periodic.everyMs) {
        lastPeriodic = Date.now();
        await o.periodic.run();
      }
    },
    onError: (err) => o.log?.warn({ err }, 'pipeline advancer pass failed (retried next interval)'),
  });
}
