import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  AppError,
  type ErrorCode,
  errorCodeOf,
  type JobKind,
  JobOptions,
  type JobState,
  jobCatalog,
  jobKinds,
  jobStates,
  type ParsedJobRequest,
} from '@kiln/contracts';
import {
  findJob,
  findJobs,
  getJob,
  getTrainingRun,
  type JobRow,
  deleteFinishedJobs,
  listJobs,
  listRecommendationsPage,
  markJobCancelled,
  requestJobCancel,
  resetJobForRetry,
  streamRecommendations,
} from '@kiln/db';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiContext } from '../context.js';
import type { Submission } from '../group-commit.js';
import { afterCursor, locationOf, Paged, pageOf, pageQuery, tryDecode } from '../paging.js';
import { PrepareScope, preparePayload } from '../prepare.js';
import { removeQueuedJobs } from '../retention.js';
import { exportChunks, exportContentTypes, exportFormats } from '../recommendation-export.js';
import { errorResponses, IdParams, iso, isoOrNull } from '../schemas/common.js';
import { Epochs, Job, Recommendations, Submitted } from '../schemas/resources.js';

/** `POST /v1/jobs`: one body shape per kind of the catalog, told apart by `kind`. */
const submitShape = <K extends JobKind>(kind: K) =>
  z
    .object({
      kind: z.literal(kind),
      payload: jobCatalog[kind].request,
      options: JobOptions.optional(),
    })
    .strict();
const submitOf = <K extends JobKind>(kind: K) => submitShape(kind).meta({ id: `Submit_${kind.replace('.', '_')}`, description: jobCatalog[kind].description });

export const SubmitBody = z
  .discriminatedUnion('kind', jobKinds.map(submitOf) as unknown as [ReturnType<typeof submitOf<JobKind>>, ...ReturnType<typeof submitOf<JobKind>>[]], {
    error: (issue) => (issue.code === 'invalid_union' ? `must be one of ${jobKinds.join(', ')}` : undefined),
  })
  .meta({ id: 'SubmitJob' });

const BATCH_MAX = 1000;

const batchItemOf = <K extends JobKind>(kind: K) =>
  submitShape(kind)
    .extend({ idempotencyKey: z.string().min(1).max(200).optional().describe("This item's own Idempotency-Key.") })
    .meta({ id: `BatchItem_${kind.replace('.', '_')}`, description: jobCatalog[kind].description });

export const BatchBody = z
  .object({
    jobs: z
      .array(
        z.discriminatedUnion(
          'kind',
          jobKinds.map(batchItemOf) as unknown as [ReturnType<typeof batchItemOf<JobKind>>, ...ReturnType<typeof batchItemOf<JobKind>>[]],
          { error: (issue) => (issue.code === 'invalid_union' ? `must be one of ${jobKinds.join(', ')}` : undefined) },
        ),
      )
      .min(1)
      .max(BATCH_MAX),
  })
  .strict()
  .meta({ id: 'SubmitBatch' });

const BatchResult = z
  .object({
    items: z.array(Submitted.extend({ replayed: z.boolean().describe('true: an earlier request under this Idempotency-Key made this job.') })),
  })
  .meta({ id: 'SubmittedBatch' });

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
  ...pageQuery(50),
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

/**
 * The job as the API shows it: the row, and with `ctx` (one job) BullMQ's live state and progress
 * while it runs. Lists show the rows alone: the workers keep them current (state on start and end,
 * progress as it is reported), so a page costs one query and no Redis call per row.
 */
export async function presentJob(ctx: ApiContext | null, row: JobRow): Promise<Job> {
  let state = row.state;
  let progress = row.progress ?? null;
  if (ctx && !terminal.includes(row.state) && Object.hasOwn(jobCatalog, row.kind)) {
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

async function jobOr404(ctx: ApiContext, id: string): Promise<JobRow> {
  const row = await getJob(ctx.db, id);
  if (!row) throw new AppError('KILN_ERR_NOT_FOUND', `no job ${id}`);
  return row;
}

export const jobRoutes: FastifyPluginAsyncZod<{ ctx: ApiContext }> = async (app, { ctx }) => {
  /** The hash that tells a replay (the same request under a used key) from a conflict (another request). */
  const hashOf = (kind: JobKind, payload: unknown, options: unknown) => createHash('sha256').update(stableJson({ kind, payload, options })).digest('hex');

  const isReplayOf = (existing: JobRow, kind: JobKind, requestHash: string) =>
    existing.kind === kind && (existing.options as { requestHash?: string } | null)?.requestHash === requestHash;

  const conflict = (existing: JobRow, where: string) =>
    new AppError('KILN_ERR_IDEMPOTENCY_CONFLICT', `${where}Idempotency-Key was already used for job ${existing.id} with another request`, {
      details: { jobId: existing.id },
    });

  /** Prepares one request (references, defaults) into what the group commit writes. */
  async function submission(
    kind: JobKind,
    request: unknown,
    options: JobOptions,
    id: string,
    requestHash: string | undefined,
    key: string | undefined,
    scope: PrepareScope,
    apiKeyId: string | undefined,
  ): Promise<Submission> {
    const payload = await preparePayload(kind, request as ParsedJobRequest<typeof kind>, scope);
    return {
      id,
      kind,
      queue: jobCatalog[kind].queue,
      state: options.delayMs ? 'delayed' : 'waiting',
      payload,
      options: requestHash ? { ...options, requestHash } : options,
      jobOptions: options,
      ...(key ? { idempotencyKey: key } : {}),
      ...(apiKeyId ? { apiKeyId } : {}),
    };
  }

  app.post(
    '/v1/jobs',
    {
      schema: {
        tags: ['jobs'],
        operationId: 'submitJob',
        summary: 'Submit a job',
        description: `Queues one job of any kind of the catalog (${jobKinds.join(', ')}). The payload is checked, references resolved and every default filled in before it is queued; \`GET /v1/jobs/{id}\` shows what was queued. A 201 means the job is in Postgres and in the queue.`,
        headers: IdempotencyHeaders,
        body: SubmitBody,
        response: { 200: Submitted.describe('Replayed: this Idempotency-Key already made this job.'), 201: Submitted, ...errorResponses(400, 404, 409, 413) },
      },
    },
    async (req, reply) => {
      const { kind, payload } = req.body;
      const key = req.headers['idempotency-key'];
      const options = req.body.options ?? {};
      // Only a keyed submit can be replayed: only it needs the request's hash.
      const requestHash = key ? hashOf(kind, payload, options) : undefined;
      const scopedKey = key ? `${req.principal?.id ?? 'anonymous'}:${key}` : undefined;
      const id = scopedKey ? idFromKey(scopedKey) : randomUUID();
      const replay = (existing: JobRow) => {
        if (!isReplayOf(existing, kind, requestHash as string)) throw conflict(existing, '');
        return reply
          .status(200)
          .header('idempotent-replayed', 'true')
          .send({ id: existing.id, kind: existing.kind as JobKind, state: existing.state });
      };
      if (key) {
        const existing = await findJob(ctx.sql, id);
        if (existing) return replay(existing);
      }
      const scope = new PrepareScope(ctx);
      // A preparer that fails after storing an inline problem (a later check) leaves nothing behind.
      const sub = await submission(kind, payload, options, id, requestHash, scopedKey, scope, req.principal?.id).catch(async (error: unknown) => {
        await scope.undo();
        throw error;
      });
      let outcome: Awaited<ReturnType<typeof ctx.commits.submit>>[number] | undefined;
      try {
        [outcome] = await ctx.commits.submit([sub]);
      } catch (error) {
        // Nothing half-written: an inline problem stored for this job goes with it.
        await scope.undo();
        throw error;
      }
      if (outcome && !outcome.created) return replay(outcome.existing);
      return reply.status(201).header('location', locationOf('/v1/jobs', id)).send({ id, kind, state: sub.state });
    },
  );

  app.post(
    '/v1/jobs/batch',
    {
      schema: {
        tags: ['jobs'],
        operationId: 'submitJobs',
        summary: `Submit up to ${BATCH_MAX} jobs at once`,
        description:
          'All or nothing: every item is validated and prepared first; if any fails, nothing is written and the error lists each failing item (`details.items[].index`, fields as `jobs.<i>.…`). Then every job is written in one group (one INSERT, one queue write per kind). Each item may carry its own `idempotencyKey`: an item whose key already made the same request is replayed (`replayed: true`), one whose key made another request fails the batch with 409.',
        body: BatchBody,
        response: { 200: BatchResult.describe('Every item was a replay.'), 201: BatchResult, ...errorResponses(400, 404, 409, 413) },
      },
    },
    async (req, reply) => {
      const items = req.body.jobs.map((item, index) => {
        const options = item.options ?? {};
        const key = item.idempotencyKey;
        const requestHash = key ? hashOf(item.kind, item.payload, options) : undefined;
        const scoped = key ? `${req.principal?.id ?? 'anonymous'}:${key}` : undefined;
        return { index, item, options, key: scoped, requestHash, id: scoped ? idFromKey(scoped) : randomUUID() };
      });
      // Keys already used: the same request is a replay; another request (or two items of this batch that disagree) fails the batch.
      const keyed = items.filter((i) => i.key);
      const existing = new Map(
        (
          await findJobs(
            ctx.sql,
            keyed.map((i) => i.id),
          )
        ).map((r) => [r.id, r]),
      );
      const failures: Array<{ index: number; code: string; message: string; status: number }> = [];
      const firstByKey = new Map<string, (typeof items)[number]>();
      for (const i of keyed) {
        const row = existing.get(i.id);
        const first = firstByKey.get(i.key as string);
        if (row && !isReplayOf(row, i.item.kind, i.requestHash as string))
          failures.push({ index: i.index, code: 'KILN_ERR_IDEMPOTENCY_CONFLICT', message: conflict(row, `jobs.${i.index}: `).message, status: 409 });
        else if (first && first.requestHash !== i.requestHash)
          failures.push({
            index: i.index,
            code: 'KILN_ERR_IDEMPOTENCY_CONFLICT',
            message: `jobs.${i.index}: the same idempotencyKey as jobs.${first.index} with another request`,
            status: 409,
          });
        if (!first) firstByKey.set(i.key as string, i);
      }
      const scope = new PrepareScope(ctx);
      const todo = items.filter((i) => !existing.has(i.id));
      const prepared = await Promise.allSettled(
        todo.map((i) => submission(i.item.kind, i.item.payload, i.options, i.id, i.requestHash, i.key, scope, req.principal?.id)),
      );
      prepared.forEach((r, k) => {
        if (r.status === 'fulfilled') return;
        const index = (todo[k] as (typeof items)[number]).index;
        const e = r.reason as AppError;
        const code = errorCodeOf(e);
        if (!code) throw e;
        failures.push({ index, code, message: `jobs.${index}: ${e.message}`, status: e.status });
      });
      if (failures.length > 0) {
        await scope.undo();
        failures.sort((a, b) => a.index - b.index);
        const statuses = new Set(failures.map((f) => f.status));
        const [only] = failures;
        const code = statuses.size === 1 && only ? (only.code as ErrorCode) : 'KILN_ERR_VALIDATION';
        throw new AppError(
          code,
          `${failures.length} of ${items.length} jobs rejected; nothing was submitted: ${failures
            .slice(0, 3)
            .map((f) => f.message)
            .join('; ')}`,
          {
            details: { items: failures.map(({ status: _s, ...f }) => f) },
          },
        );
      }
      const subs = prepared.map((r) => (r as PromiseFulfilledResult<Submission>).value);
      try {
        await ctx.commits.submit(subs);
      } catch (error) {
        await scope.undo();
        throw error;
      }
      const states = new Map(subs.map((s) => [s.id, s.state]));
      const out = items.map((i) => {
        const row = existing.get(i.id);
        return { id: i.id, kind: i.item.kind, state: row ? row.state : (states.get(i.id) as JobState), replayed: row !== undefined };
      });
      return reply.status(out.every((o) => o.replayed) ? 200 : 201).send({ items: out });
    },
  );

  app.get(
    '/v1/jobs',
    {
      schema: {
        tags: ['jobs'],
        operationId: 'listJobs',
        summary: 'List jobs, newest first (paged: follow `next`)',
        querystring: ListQuery,
        response: { 200: Paged(Job), ...errorResponses(400) },
      },
    },
    async (req, reply) => {
      const { kind, state, limit, cursor } = req.query;
      // Before opaque cursors, a cursor was the id of the previous page's last job: still accepted.
      const legacy = cursor !== undefined && !tryDecode(cursor) ? await findJob(ctx.sql, cursor) : null;
      const after = legacy ? { after: { createdAt: legacy.createdAt, id: legacy.id } } : afterCursor(cursor);
      const page = await listJobs(ctx.db, { ...(kind ? { kind } : {}), ...(state ? { state } : {}), limit: limit + 1, ...after });
      const out = pageOf(req, reply, page.items, limit, (row) => row);
      // presentJob(null, …) reads no queue: the rows alone (see presentJob).
      return { ...out, items: await Promise.all(out.items.map((row) => presentJob(null, row))) };
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
    async (req) => presentJob(ctx, await jobOr404(ctx, req.params.id)),
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
      const row = await jobOr404(ctx, id);
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

  app.delete(
    '/v1/jobs/:id',
    {
      schema: {
        tags: ['jobs'],
        operationId: 'deleteJob',
        summary: 'Delete a finished job with its results',
        description:
          'Only a finished job (completed, failed, cancelled): any other is a 409 KILN_ERR_CONFLICT (cancel it first). The row goes with its results (recommendations, QUBO solution, training run, epochs and checkpoint, an inline QUBO no other job names) and its BullMQ job; a model it trained stays (`DELETE /v1/models/{id}`). Needs the submit scope.',
        params: IdParams,
        response: { 204: z.void().describe('Deleted.'), ...errorResponses(400, 404, 409) },
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      const row = await jobOr404(ctx, id);
      if (!terminal.includes(row.state))
        throw new AppError('KILN_ERR_CONFLICT', `job ${id} is ${row.state}: only finished jobs can be deleted (cancel it first)`);
      if (Object.hasOwn(jobCatalog, row.kind) && (await removeQueuedJobs(ctx.queues, [{ id, kind: row.kind as JobKind }])).length > 0)
        throw new AppError('KILN_ERR_CONFLICT', `job ${id} is still running in its queue: try again when it has stopped`);
      if ((await deleteFinishedJobs(ctx.db, [id])).length === 0) {
        if (await getJob(ctx.db, id)) throw new AppError('KILN_ERR_CONFLICT', `job ${id} was retried meanwhile: cancel it first`);
        throw new AppError('KILN_ERR_NOT_FOUND', `no job ${id}`);
      }
      return reply.status(204).send();
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
      const row = await jobOr404(ctx, id);
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
        summary: "A scoring job's top-K per user (paged; ?user= for one; ?format= for the whole job as a file)",
        description:
          'JSON (the default): a page of users in user order; follow `next` (or pass `nextCursor` as `cursor`) until it is null. ' +
          '`format=csv|jsonl|parquet`: every user of the job as one streamed file (`Content-Disposition: attachment`), read from Postgres in batches as the client takes it, so memory stays constant whatever the job size; `limit`, `cursor` and `user` do not apply. ' +
          'CSV: header `user,rank,item,score`, one row per (user, rank). JSONL: one line per user, `{"user","items":[{"item","score","rank"}]}`. ' +
          "Parquet: the CSV's columns (user UTF8, rank INT32, item UTF8, score DOUBLE), row groups of 50,000 rows.",
        params: IdParams,
        querystring: z.object({
          format: z.enum(['json', ...exportFormats]).default('json'),
          limit: z.coerce.number().int().min(1).max(10_000).default(100),
          cursor: z
            .string()
            .regex(/^\d{1,10}$/, 'a nextCursor of this list')
            .optional()
            .describe("The previous page's nextCursor."),
          user: z.string().max(200).optional(),
        }),
        response: {
          200: {
            description: 'A page of recommendations (JSON), or with `format=` the whole job as one file.',
            content: {
              'application/json': { schema: Recommendations },
              'text/csv': { schema: z.string() },
              'application/x-ndjson': { schema: z.string() },
              'application/vnd.apache.parquet': { schema: z.string().meta({ format: 'binary' }) },
            },
          },
          ...errorResponses(400, 404),
        },
      },
    },
    async (req, reply) => {
      const { id } = req.params;
      const row = await getJob(ctx.db, id);
      if (!row || row.kind !== 'ssm.score') throw new AppError('KILN_ERR_NOT_FOUND', `no scoring job ${id}`);
      const q = req.query;
      if (q.format !== 'json') {
        reply.header('content-type', exportContentTypes[q.format]).header('content-disposition', `attachment; filename="recommendations-${id}.${q.format}"`);
        // A stream is sent as is (no serializer): the response schema describes the JSON pages only.
        return reply.send(Readable.from(exportChunks(q.format, streamRecommendations(ctx.db, id))) as never);
      }
      const page = await listRecommendationsPage(ctx.db, id, {
        limit: q.limit,
        ...(q.cursor ? { after: Number(q.cursor) } : {}),
        ...(q.user ? { user: q.user } : {}),
      });
      const nextCursor = page.nextCursor === null ? null : String(page.nextCursor);
      const next =
        nextCursor === null
          ? null
          : `/v1/jobs/${id}/recommendations?${new URLSearchParams({ limit: String(q.limit), cursor: nextCursor, ...(q.user ? { user: q.user } : {}) })}`;
      if (next) reply.header('link', `<${next}>; rel="next"`);
      return {
        items: page.items.map((r) => ({ user: r.userExternalId, items: r.items.map((item, k) => ({ item, score: r.scores[k] as number, rank: k + 1 })) })),
        nextCursor,
        next,
      };
    },
  );
};
