import { createHash, randomUUID } from 'node:crypto';
import { AppError, type JobKind, JobOptions, type JobState, jobCatalog, jobKinds, jobStates, type ParsedJobRequest } from '@kiln/contracts';
import { type JobRow, getJob, getTrainingRun, insertJob, listJobs, listRecommendations, markJobCancelled, requestJobCancel, resetJobForRetry } from '@kiln/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import { preparePayload } from '../prepare.js';
import { errorResponses, IdParams, iso, isoOrNull } from '../schemas/common.js';
import { Epochs, Job, Page, Recommendations, Submitted } from '../schemas/resources.js';

/** `POST /v1/jobs`: one body shape per kind of the catalog, told apart by `kind`. */
const submitOf = <K extends JobKind>(kind: K) =>
  z
    .object({
      kind: z.literal(kind),
      payload: jobCatalog[kind].request,
      options: JobOptions.optional(),
    })
    .strict()
    .meta({ id: `Submit_${kind.replace('.', '_')}`, description: jobCatalog[kind].description });

export const SubmitBody = z
  .discriminatedUnion('kind', jobKinds.map(submitOf) as unknown as [ReturnType<typeof submitOf<JobKind>>, ...ReturnType<typeof submitOf<JobKind>>[]], {
    error: (issue) => (issue.code === 'invalid_union' ? `must be one of ${jobKinds.join(', ')}` : undefined),
  })
  .meta({ id: 'SubmitJob' });

const IdempotencyHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe(
      'Makes the submit idempotent: the same key and request give the same job (200, `idempotent-replayed: true`); the key with another request → 409.',
    ),
});

const ListQuery = z.object({
  kind: z.enum(jobKinds as [JobKind, ...JobKind[]]).optional(),
  state: z.enum(jobStates).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(100).optional().describe("The previous page's nextCursor."),
});

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
export async function presentJob(ctx: ApiContext, row: JobRow): Promise<Job> {
  let state = row.state;
  let progress = row.progress ?? null;
  if (!terminal.includes(row.state) && Object.hasOwn(jobCatalog, row.kind)) {
    const live = await ctx.queues.state(row.kind as JobKind, row.id).catch(() => null);
    if (live) {
      if (live.state === 'active') state = 'active';
      else if (live.state === 'delayed') state = 'delayed';
      else if (live.state === 'waiting' || live.state === 'prioritized') state = 'waiting';
      if (live.progress && typeof live.progress === 'object') progress = live.progress;
    }
  }
  const { requestHash: _hash, ...options } = (row.options ?? {}) as Record<string, unknown>;
  return {
    id: row.id,
    kind: row.kind,
    state,
    progress,
    attempts: row.attempts,
    result: row.result ?? null,
    error: row.error ?? null,
    payload: row.payload,
    options,
    cancelRequested: row.cancelRequested,
    createdAt: iso(row.createdAt),
    startedAt: isoOrNull(row.startedAt),
    finishedAt: isoOrNull(row.finishedAt),
  } as Job;
}

async function findJob(ctx: ApiContext, id: string): Promise<JobRow> {
  const row = await getJob(ctx.db, id);
  if (!row) throw new AppError('KILN_ERR_NOT_FOUND', `no job ${id}`);
  return row;
}

export const jobRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  app.post(
    '/v1/jobs',
    {
      schema: {
        tags: ['jobs'],
        operationId: 'submitJob',
        summary: 'Submit a job',
        description: `Queues one job of any kind of the catalog (${jobKinds.join(', ')}). The payload is checked, references resolved and every default filled in before it is queued; \`GET /v1/jobs/{id}\` shows what was queued.`,
        headers: IdempotencyHeaders,
        body: SubmitBody,
        response: { 200: Submitted.describe('Replayed: this Idempotency-Key already made this job.'), 201: Submitted, ...errorResponses(400, 404, 409, 413) },
      },
    },
    async (req, reply) => {
      const body = req.body;
      const kind = body.kind;
      const key = req.headers['idempotency-key'];
      const options = body.options ?? {};
      const requestHash = createHash('sha256')
        .update(stableJson({ kind, payload: body.payload, options }))
        .digest('hex');
      const id = key ? idFromKey(key) : randomUUID();

      const replay = (existing: JobRow) => {
        const hash = (existing.options as { requestHash?: string } | null)?.requestHash;
        if (existing.kind !== kind || hash !== requestHash) {
          throw new AppError('KILN_ERR_IDEMPOTENCY_CONFLICT', `Idempotency-Key was already used for job ${existing.id} with another request`, {
            details: { jobId: existing.id },
          });
        }
        return reply
          .status(200)
          .header('idempotent-replayed', 'true')
          .send({ id: existing.id, kind: existing.kind as JobKind, state: existing.state });
      };

      if (key) {
        const existing = await getJob(ctx.db, id);
        if (existing) return replay(existing);
      }
      const payload = await preparePayload(kind, body.payload as ParsedJobRequest<typeof kind>, ctx);
      const state: JobState = options.delayMs ? 'delayed' : 'waiting';
      const { job, created } = await insertJob(ctx.db, {
        id,
        kind,
        queue: jobCatalog[kind].queue,
        state,
        payload,
        options: { ...options, requestHash },
        ...(key ? { idempotencyKey: key } : {}),
      });
      if (!created) return replay(job);
      try {
        await ctx.queues.enqueue(kind, id, payload, options);
      } catch (error) {
        // Nothing half-written: without the queue entry the row would never run.
        await ctx.db.job.delete({ where: { id } }).catch(() => undefined);
        throw error;
      }
      return reply.status(201).send({ id, kind, state });
    },
  );

  app.get(
    '/v1/jobs',
    {
      schema: {
        tags: ['jobs'],
        operationId: 'listJobs',
        summary: 'List jobs, newest first',
        querystring: ListQuery,
        response: { 200: Page(Job), ...errorResponses(400) },
      },
    },
    async (req) => {
      const page = await listJobs(ctx.db, req.query);
      return { items: await Promise.all(page.items.map((row) => presentJob(ctx, row))), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/v1/jobs/:id',
    {
      schema: {
        tags: ['jobs'],
        operationId: 'getJob',
        summary: 'A job: state, progress, attempts, result or error',
        params: IdParams,
        response: { 200: Job, ...errorResponses(400, 404) },
      },
    },
    async (req) => presentJob(ctx, await findJob(ctx, req.params.id)),
  );

  const CancelResult = z.object({ id: z.string(), state: z.enum(jobStates), cancelRequested: z.boolean().optional() });
  app.post(
    '/v1/jobs/:id/cancel',
    {
      schema: {
        tags: ['jobs'],
        operationId: 'cancelJob',
        summary: 'Cancel a job',
        description:
          'A waiting job is removed (202, state cancelled); a running one aborts cooperatively (202, state active, cancelRequested); a finished one is left as it is (200).',
        params: IdParams,
        response: { 200: CancelResult, 202: CancelResult, ...errorResponses(400, 404, 409) },
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      const row = await findJob(ctx, id);
      if (terminal.includes(row.state)) return reply.status(200).send({ id, state: row.state });
      if (!Object.hasOwn(jobCatalog, row.kind)) throw new AppError('KILN_ERR_CONFLICT', `unknown kind ${row.kind}`);
      await requestJobCancel(ctx.db, id);
      const outcome = await ctx.queues.cancel(row.kind as JobKind, id);
      if (outcome.running) return reply.status(202).send({ id, state: 'active', cancelRequested: true });
      await markJobCancelled(ctx.db, id, { code: 'KILN_ERR_JOB_CANCELLED', message: 'cancelled by user' });
      const after = await getJob(ctx.db, id);
      return reply.status(202).send({ id, state: after?.state ?? 'cancelled' });
    },
  );

  app.post(
    '/v1/jobs/:id/retry',
    {
      schema: {
        tags: ['jobs'],
        operationId: 'retryJob',
        summary: 'Run a failed or cancelled job again',
        params: IdParams,
        response: { 202: z.object({ id: z.string(), state: z.literal('waiting') }), ...errorResponses(400, 404, 409) },
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      const row = await findJob(ctx, id);
      if (row.state !== 'failed' && row.state !== 'cancelled')
        throw new AppError('KILN_ERR_CONFLICT', `job ${id} is ${row.state}: only failed or cancelled jobs can be retried`);
      if (!Object.hasOwn(jobCatalog, row.kind)) throw new AppError('KILN_ERR_CONFLICT', `unknown kind ${row.kind}`);
      await resetJobForRetry(ctx.db, id);
      const { requestHash: _h, ...options } = (row.options ?? {}) as Record<string, unknown>;
      await ctx.queues.retry(row.kind as JobKind, id, row.payload, JobOptions.parse(options));
      return reply.status(202).send({ id, state: 'waiting' as const });
    },
  );

  app.get(
    '/v1/jobs/:id/epochs',
    {
      schema: {
        tags: ['ssm'],
        operationId: 'listEpochs',
        summary: "A training job's finished epochs so far (loss, validation metrics, seconds)",
        params: IdParams,
        response: { 200: Epochs, ...errorResponses(400, 404) },
      },
    },
    async (req) => {
      const { id } = req.params;
      const row = await getJob(ctx.db, id);
      if (!row || row.kind !== 'ssm.train') throw new AppError('KILN_ERR_NOT_FOUND', `no training job ${id}`);
      const run = await getTrainingRun(ctx.db, id);
      return {
        backend: run?.backend ?? null,
        bestEpoch: run?.bestEpoch ?? null,
        items: (run?.epochs ?? []).map(({ runId: _r, createdAt: _c, ...e }) => ({ ...e, valid: e.valid as Record<string, number> })),
      };
    },
  );

  app.get(
    '/v1/jobs/:id/recommendations',
    {
      schema: {
        tags: ['ssm'],
        operationId: 'listRecommendations',
        summary: "A scoring job's top-K per user (paged; ?user= for one)",
        params: IdParams,
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(10_000).default(100),
          offset: z.coerce.number().int().min(0).default(0),
          user: z.string().max(200).optional(),
        }),
        response: { 200: Recommendations, ...errorResponses(400, 404) },
      },
    },
    async (req) => {
      const { id } = req.params;
      const row = await getJob(ctx.db, id);
      if (!row || row.kind !== 'ssm.score') throw new AppError('KILN_ERR_NOT_FOUND', `no scoring job ${id}`);
      const rows = await listRecommendations(ctx.db, id, req.query);
      return {
        items: rows.map((r) => ({ user: r.userExternalId, items: r.items.map((item, k) => ({ item, score: r.scores[k] as number, rank: k + 1 })) })),
      };
    },
  );
};
