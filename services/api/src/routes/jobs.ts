import { createHash, randomUUID } from 'node:crypto';
import { AppError, type JobKind, JobOptions, type JobState, isJobKind, jobCatalog, jobKinds, jobStates } from '@kiln/contracts';
import {
  type JobRow,
  getDataset,
  getJob,
  getModel,
  getQuboProblemSummary,
  getTrainingRun,
  insertJob,
  listJobs,
  listRecommendations,
  markJobCancelled,
  requestJobCancel,
  resetJobForRetry,
} from '@kiln/db';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { parseOr400, validationError } from '../http-errors.js';
import { storeInlineProblem } from './qubo.js';

const SubmitBody = z
  .object({
    kind: z.string(),
    payload: z.record(z.string(), z.unknown()).default({}),
    options: JobOptions.default({}),
  })
  .strict();

const ListQuery = z.object({
  kind: z.enum(jobKinds as [JobKind, ...JobKind[]]).optional(),
  state: z.enum(jobStates).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(100).optional(),
});

const IdParams = z.object({ id: z.string().min(1).max(100) });
const terminal: JobState[] = ['completed', 'failed', 'cancelled'];

/** A stable UUID-shaped id from an idempotency key, so the same key always names the same job. */
function idFromKey(key: string): string {
  const h = createHash('sha256').update(`kiln-job:${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The job as the API shows it: the row, with BullMQ's live state and progress while it runs. */
export async function presentJob(ctx: ApiContext, row: JobRow) {
  let state = row.state;
  let progress = row.progress ?? null;
  if (!terminal.includes(row.state) && isJobKind(row.kind)) {
    const live = await ctx.queues.state(row.kind, row.id).catch(() => null);
    if (live) {
      if (live.state === 'active') state = 'active';
      else if (live.state === 'delayed') state = 'delayed';
      else if (live.state === 'waiting' || live.state === 'prioritized') state = 'waiting';
      if (live.progress && typeof live.progress === 'object') progress = live.progress;
    }
  }
  const options = (row.options ?? {}) as Record<string, unknown>;
  const { requestHash: _hash, ...publicOptions } = options;
  return {
    id: row.id,
    kind: row.kind,
    state,
    progress,
    attempts: row.attempts,
    result: row.result ?? null,
    error: row.error ?? null,
    payload: row.payload,
    options: publicOptions,
    cancelRequested: row.cancelRequested,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

/** Checks the references a payload makes and turns large inline inputs into stored references. */
async function preparePayload(ctx: ApiContext, kind: JobKind, payload: Record<string, unknown>): Promise<unknown> {
  const parsed = jobCatalog[kind].payload.safeParse(payload);
  if (!parsed.success) throw validationError(parsed.error, 'payload', 'KILN_ERR_PAYLOAD_INVALID');
  const p = parsed.data;
  switch (kind) {
    case 'ssm.train': {
      const { datasetId } = p as { datasetId: string };
      if (!(await getDataset(ctx.db, datasetId)))
        throw new AppError('KILN_ERR_DATASET_UNKNOWN', `payload.datasetId: no dataset ${datasetId}`, { details: { field: 'payload.datasetId' } });
      return p;
    }
    case 'ssm.score': {
      const { modelId } = p as { modelId: string };
      if (!(await getModel(ctx.db, modelId)))
        throw new AppError('KILN_ERR_MODEL_UNKNOWN', `payload.modelId: no model ${modelId}`, { details: { field: 'payload.modelId' } });
      return p;
    }
    case 'qubo.solve': {
      const q = p as { problemId?: string; problem?: unknown; params: unknown; version: number };
      if (q.problemId !== undefined) {
        if (!(await getQuboProblemSummary(ctx.db, q.problemId)))
          throw new AppError('KILN_ERR_PROBLEM_UNKNOWN', `payload.problemId: no problem ${q.problemId}`, { details: { field: 'payload.problemId' } });
        return q;
      }
      // Inline problems are stored like uploads and travel by reference.
      const stored = await storeInlineProblem(ctx, q.problem, 'payload.problem');
      return { version: q.version, problemId: stored.id, params: q.params };
    }
  }
}

export function jobRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.post(
    '/v1/jobs',
    { schema: { tags: ['jobs'], summary: 'Submit a job (ssm.train, ssm.score, qubo.solve); Idempotency-Key header supported' } },
    async (req, reply) => {
      const body = parseOr400(SubmitBody, req.body ?? {}, '');
      if (!isJobKind(body.kind)) {
        throw new AppError('KILN_ERR_VALIDATION', `kind: must be one of ${jobKinds.join(', ')}`, {
          details: { issues: [{ field: 'kind', message: `must be one of ${jobKinds.join(', ')}` }] },
        });
      }
      const kind = body.kind;
      const keyHeader = req.headers['idempotency-key'];
      const key = typeof keyHeader === 'string' && keyHeader.length > 0 ? keyHeader : undefined;
      if (key && key.length > 200) throw new AppError('KILN_ERR_VALIDATION', 'Idempotency-Key: at most 200 characters');
      const requestHash = createHash('sha256')
        .update(stableJson({ kind, payload: body.payload, options: body.options }))
        .digest('hex');
      const id = key ? idFromKey(key) : randomUUID();

      if (key) {
        const existing = await getJob(ctx.db, id);
        if (existing) return replay(existing);
      }
      const payload = await preparePayload(ctx, kind, body.payload);
      const state: JobState = body.options.delayMs ? 'delayed' : 'waiting';
      const { job, created } = await insertJob(ctx.db, {
        id,
        kind,
        queue: jobCatalog[kind].queue,
        state,
        payload,
        options: { ...body.options, requestHash },
        ...(key ? { idempotencyKey: key } : {}),
      });
      if (!created) return replay(job);
      try {
        await ctx.queues.enqueue(kind, id, payload, body.options);
      } catch (error) {
        // Nothing half-written: without the queue entry the row would never run.
        await ctx.db.job.delete({ where: { id } }).catch(() => undefined);
        throw error;
      }
      return reply.status(201).send({ id, kind, state });

      function replay(existing: JobRow) {
        const hash = (existing.options as { requestHash?: string } | null)?.requestHash;
        if (existing.kind !== kind || hash !== requestHash) {
          throw new AppError('KILN_ERR_IDEMPOTENCY_CONFLICT', `Idempotency-Key was already used for job ${existing.id} with another request`, {
            details: { jobId: existing.id },
          });
        }
        return reply.status(200).header('idempotent-replayed', 'true').send({ id: existing.id, kind: existing.kind, state: existing.state });
      }
    },
  );

  app.get('/v1/jobs', { schema: { tags: ['jobs'], summary: 'List jobs, newest first (filters: kind, state; paging: limit, cursor)' } }, async (req) => {
    const q = parseOr400(ListQuery, req.query, 'query');
    const page = await listJobs(ctx.db, q);
    return { items: await Promise.all(page.items.map((row) => presentJob(ctx, row))), nextCursor: page.nextCursor };
  });

  app.get('/v1/jobs/:id', { schema: { tags: ['jobs'], summary: 'A job: state, progress, attempts, result or error' } }, async (req) => {
    const { id } = parseOr400(IdParams, req.params, 'params');
    const row = await getJob(ctx.db, id);
    if (!row) throw new AppError('KILN_ERR_NOT_FOUND', `no job ${id}`);
    return presentJob(ctx, row);
  });

  app.post(
    '/v1/jobs/:id/cancel',
    { schema: { tags: ['jobs'], summary: 'Cancel: a waiting job is removed, a running one aborts cooperatively' } },
    async (req, reply) => {
      const { id } = parseOr400(IdParams, req.params, 'params');
      const row = await getJob(ctx.db, id);
      if (!row) throw new AppError('KILN_ERR_NOT_FOUND', `no job ${id}`);
      if (terminal.includes(row.state)) return reply.status(200).send({ id, state: row.state });
      if (!isJobKind(row.kind)) throw new AppError('KILN_ERR_CONFLICT', `unknown kind ${row.kind}`);
      await requestJobCancel(ctx.db, id);
      const outcome = await ctx.queues.cancel(row.kind, id);
      if (outcome.running) return reply.status(202).send({ id, state: 'active', cancelRequested: true });
      await markJobCancelled(ctx.db, id, { code: 'KILN_ERR_JOB_CANCELLED', message: 'cancelled by user' });
      const after = await getJob(ctx.db, id);
      return reply.status(202).send({ id, state: after?.state ?? 'cancelled' });
    },
  );

  app.post('/v1/jobs/:id/retry', { schema: { tags: ['jobs'], summary: 'Run a failed or cancelled job again' } }, async (req, reply) => {
    const { id } = parseOr400(IdParams, req.params, 'params');
    const row = await getJob(ctx.db, id);
    if (!row) throw new AppError('KILN_ERR_NOT_FOUND', `no job ${id}`);
    if (row.state !== 'failed' && row.state !== 'cancelled')
      throw new AppError('KILN_ERR_CONFLICT', `job ${id} is ${row.state}: only failed or cancelled jobs can be retried`);
    if (!isJobKind(row.kind)) throw new AppError('KILN_ERR_CONFLICT', `unknown kind ${row.kind}`);
    await resetJobForRetry(ctx.db, id);
    const { requestHash: _h, ...options } = (row.options ?? {}) as Record<string, unknown>;
    await ctx.queues.retry(row.kind, id, row.payload, JobOptions.parse(options));
    return reply.status(202).send({ id, state: 'waiting' });
  });

  app.get(
    '/v1/jobs/:id/epochs',
    { schema: { tags: ['ssm'], summary: "A training job's finished epochs so far (loss, validation metrics, seconds)" } },
    async (req) => {
      const { id } = parseOr400(IdParams, req.params, 'params');
      const row = await getJob(ctx.db, id);
      if (!row || row.kind !== 'ssm.train') throw new AppError('KILN_ERR_NOT_FOUND', `no training job ${id}`);
      const run = await getTrainingRun(ctx.db, id);
      return { backend: run?.backend ?? null, bestEpoch: run?.bestEpoch ?? null, items: (run?.epochs ?? []).map(({ runId: _r, createdAt: _c, ...e }) => e) };
    },
  );

  app.get('/v1/jobs/:id/recommendations', { schema: { tags: ['ssm'], summary: "A scoring job's top-K per user (paged; ?user= for one)" } }, async (req) => {
    const { id } = parseOr400(IdParams, req.params, 'params');
    const q = parseOr400(
      z.object({
        limit: z.coerce.number().int().min(1).max(10_000).default(100),
        offset: z.coerce.number().int().min(0).default(0),
        user: z.string().optional(),
      }),
      req.query,
      'query',
    );
    const row = await getJob(ctx.db, id);
    if (!row || row.kind !== 'ssm.score') throw new AppError('KILN_ERR_NOT_FOUND', `no scoring job ${id}`);
    const rows = await listRecommendations(ctx.db, id, q);
    return { items: rows.map((r) => ({ user: r.userExternalId, items: r.items.map((item, k) => ({ item, score: r.scores[k], rank: k + 1 })) })) };
  });
}
