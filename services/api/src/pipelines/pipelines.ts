import { randomUUID } from 'node:crypto';
import { AppError, errorCodeOf, type JobKind, JobOptions, jobCatalog, jobKinds, jobStates, type ParsedJobRequest, SsmScoreRequest } from '@kiln/contracts';
import {
  deletePipeline,
  getJob,
  getPipeline,
  insertPipeline,
  markJobCancelled,
  type PipelineRow,
  pipelineStates,
  requestJobCancel,
  setPipelineStepJob,
} from '@kiln/db';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { PrepareScope, preparePayload } from '../prepare.js';
import { iso, isoOrNull } from '../schemas/common.js';
import { idFromKey, submitKeyed } from './submit.js';

/** A step's request: the kind's own, but an `ssm.score` step may leave `modelId` to the `ssm.train` step before it. */
const stepPayload = (kind: JobKind) => (kind === 'ssm.score' ? SsmScoreRequest.partial({ modelId: true }) : jobCatalog[kind].request);

const stepOf = <K extends JobKind>(kind: K) =>
  z
    .object({ kind: z.literal(kind), payload: stepPayload(kind), options: JobOptions.optional() })
    .strict()
    .meta({
      id: `PipelineStep_${kind.replace('.', '_')}`,
      description:
        kind === 'ssm.score'
          ? `${jobCatalog[kind].description} Without \`modelId\`, scores with the model the nearest \`ssm.train\` step before it produced.`
          : jobCatalog[kind].description,
    });

export const MAX_STEPS = 10;

export const PipelineBody = z
  .object({
    name: z.string().min(1).max(200).optional().describe('A label for lists.'),
    steps: z
      .array(
        z.discriminatedUnion('kind', jobKinds.map(stepOf) as unknown as [ReturnType<typeof stepOf<JobKind>>, ...ReturnType<typeof stepOf<JobKind>>[]], {
          error: (issue) => (issue.code === 'invalid_union' ? `must be one of ${jobKinds.join(', ')}` : undefined),
        }),
      )
      .min(1)
      .max(MAX_STEPS)
      .describe('Run one after another: each step is submitted when the one before it completed.'),
  })
  .strict()
  .meta({ id: 'CreatePipeline' });
export type PipelineBody = z.output<typeof PipelineBody>;

const ErrorShape = z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() });
export const stepStates = ['pending', ...jobStates] as const;

export const Pipeline = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    state: z
      .enum(pipelineStates)
      .describe('pending (no step has started), running, completed (every step), failed or cancelled (a step did, or a user cancelled it).'),
    error: ErrorShape.nullable().describe('Why it failed or was cancelled: the step and its error.'),
    steps: z.array(
      z.object({
        index: z.number().int(),
        kind: z.enum(jobKinds as [JobKind, ...JobKind[]]),
        state: z
          .enum(stepStates)
          .describe("pending until its job is submitted, then its job's state; failed or cancelled when an earlier step ended the pipeline."),
        jobId: z.string().nullable(),
        payload: z.record(z.string(), z.unknown()).describe('What the step submits (an ssm.score step gets its modelId when it is submitted).'),
        error: ErrorShape.nullable(),
      }),
    ),
    createdAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'Pipeline' });
export type Pipeline = z.infer<typeof Pipeline>;

const fieldError = (field: string, message: string) =>
  new AppError('KILN_ERR_VALIDATION', `${field}: ${message}`, { details: { issues: [{ field, message }] } });

/** What the schema cannot say: an ssm.score step without modelId needs an ssm.train step before it. */
export function checkPipeline(body: PipelineBody, prefix = ''): void {
  body.steps.forEach((step, i) => {
    if (
      step.kind === 'ssm.score' &&
      (step.payload as { modelId?: string }).modelId === undefined &&
      !body.steps.slice(0, i).some((s) => s.kind === 'ssm.train')
    )
      throw fieldError(`${prefix}steps.${i}.payload.modelId`, 'required unless an ssm.train step comes before this step');
  });
}

/** A preparer's error about `payload.…`, named as the step's field. */
function asStepError(error: unknown, prefix: string): unknown {
  const code = errorCodeOf(error);
  if (!(error instanceof AppError) || !code) return error;
  const details = error.details as { field?: string; issues?: Array<{ field: string; message: string }> } | undefined;
  return new AppError(code, `${prefix}${error.message}`, {
    cause: error,
    details: {
      ...details,
      ...(details?.field ? { field: `${prefix}${details.field}` } : {}),
      ...(details?.issues ? { issues: details.issues.map((i) => ({ ...i, field: `${prefix}${i.field}` })) } : {}),
    },
  });
}

/** The Idempotency-Key of a pipeline's step: its job id derives from it. */
export const stepKey = (pipelineId: string, idx: number) => `~pipeline:${pipelineId}:${idx}`;

/**
 * Creates a pipeline: checks it, prepares its first step (a bad reference is refused before
 * anything is written), writes the pipeline and its steps, and submits the first step. With `key`
 * the pipeline's id derives from it: a second create under it returns the first (`created: false`).
 */
export async function createPipeline(
  ctx: ApiContext,
  body: PipelineBody,
  o: { key?: string; apiKeyId?: string | undefined; fieldPrefix?: string } = {},
): Promise<{ id: string; created: boolean; pipeline: PipelineRow }> {
  const prefix = o.fieldPrefix ?? '';
  checkPipeline(body, prefix);
  const id = o.key ? idFromKey('pipeline', o.key) : randomUUID();
  if (o.key) {
    const existing = await getPipeline(ctx.db, id);
    if (existing) return { id, created: false, pipeline: replayOf(existing, body) };
  }
  const first = body.steps[0] as PipelineBody['steps'][number];
  const scope = new PrepareScope(ctx);
  let prepared: unknown;
  try {
    prepared = await preparePayload(first.kind, first.payload as ParsedJobRequest<JobKind>, scope);
  } catch (error) {
    await scope.undo();
    throw asStepError(error, `${prefix}steps.0.`);
  }
  const { created } = await insertPipeline(ctx.db, {
    id,
    ...(body.name ? { name: body.name } : {}),
    ...(o.key ? { idempotencyKey: o.key } : {}),
    ...(o.apiKeyId ? { apiKeyId: o.apiKeyId } : {}),
    steps: body.steps.map((s) => ({ kind: s.kind, request: s.payload, options: s.options ?? null })),
  });
  if (!created) {
    await scope.undo();
    const existing = await getPipeline(ctx.db, id);
    if (!existing) throw new AppError('KILN_ERR_CONFLICT', `pipeline ${id} is being created by another request`);
    return { id, created: false, pipeline: replayOf(existing, body) };
  }
  try {
    const job = await submitKeyed(ctx, {
      kind: first.kind,
      request: first.payload,
      ...(first.options ? { options: first.options } : {}),
      key: stepKey(id, 0),
      apiKeyId: o.apiKeyId ?? null,
      prepared,
    });
    await setPipelineStepJob(ctx.db, id, 0, job.id);
  } catch (error) {
    // Nothing half-written: a pipeline whose first step never reached the queue is not created.
    await deletePipeline(ctx.db, id).catch(() => undefined);
    await scope.undo();
    throw error;
  }
  return { id, created: true, pipeline: (await getPipeline(ctx.db, id)) as PipelineRow };
}

/** A replay under a used Idempotency-Key must be the same request (as for jobs): else 409. */
function replayOf(existing: PipelineRow, body: PipelineBody): PipelineRow {
  const canonical = (v: unknown): string =>
    JSON.stringify(v, (_k, x) =>
      x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x,
    );
  const asked = canonical({ name: body.name ?? null, steps: body.steps.map((s) => ({ kind: s.kind, payload: s.payload, options: s.options ?? null })) });
  const stored = canonical({ name: existing.name, steps: existing.steps.map((s) => ({ kind: s.kind, payload: s.request, options: s.options ?? null })) });
  if (asked !== stored) {
    throw new AppError('KILN_ERR_IDEMPOTENCY_CONFLICT', `this Idempotency-Key already made pipeline ${existing.id} from another request`);
  }
  return existing;
}

const terminalJob = ['completed', 'failed', 'cancelled'];

/** Cancels a job the way `POST /v1/jobs/:id/cancel` does: removed while waiting, aborted cooperatively while running. */
export async function cancelJobById(ctx: ApiContext, id: string, message: string): Promise<void> {
  const row = await getJob(ctx.db, id);
  if (!row || terminalJob.includes(row.state) || !Object.hasOwn(jobCatalog, row.kind)) return;
  await requestJobCancel(ctx.db, id);
  const outcome = await ctx.queues.cancel(row.kind as JobKind, id);
  if (!outcome.running) await markJobCancelled(ctx.db, id, { code: 'KILN_ERR_JOB_CANCELLED', message });
}

/** The pipeline as the API shows it. A pipeline not yet ended is `running` as soon as one of its jobs has left the queue. */
export function presentPipeline(row: PipelineRow): Pipeline {
  const started = row.steps.some((s) => s.job && s.job.state !== 'waiting' && s.job.state !== 'delayed');
  const state = row.state === 'pending' && started ? 'running' : row.state;
  return {
    id: row.id,
    name: row.name,
    state,
    error: (row.error as Pipeline['error']) ?? null,
    steps: row.steps.map((s) => ({
      index: s.idx,
      kind: s.kind as JobKind,
      state: (s.job ? s.job.state : s.state) as Pipeline['steps'][number]['state'],
      jobId: s.jobId,
      payload: (s.request ?? {}) as Record<string, unknown>,
      error: ((s.job ? s.job.error : s.error) as Pipeline['error']) ?? null,
    })),
    createdAt: iso(row.createdAt),
    finishedAt: isoOrNull(row.finishedAt),
  };
}
