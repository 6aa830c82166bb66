import type { JobState } from '@kiln/contracts';
import type { Db } from '../client.js';
import { afterKeyset, type Keyset, newestFirst } from './keyset.js';
import { Prisma } from '../generated/prisma/client.js';

export const pipelineStates = ['pending', 'running', 'completed', 'failed', 'cancelled'] as const;
export type PipelineState = (typeof pipelineStates)[number];
/** A step before its job exists, or one an earlier step's end stopped. */
export type PipelineStepState = 'pending' | 'failed' | 'cancelled';

export interface PipelineStepRow {
  idx: number;
  kind: string;
  request: unknown;
  options: unknown;
  state: string;
  jobId: string | null;
  error: unknown;
  /** The step's job (its row), once submitted. */
  job: { id: string; state: JobState; result: unknown; error: unknown } | null;
}

export interface PipelineRow {
  id: string;
  name: string | null;
  state: PipelineState;
  error: unknown;
  idempotencyKey: string | null;
  apiKeyId: string | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
  steps: PipelineStepRow[];
}

export interface NewPipeline {
  id: string;
  name?: string;
  idempotencyKey?: string;
  apiKeyId?: string;
  steps: Array<{ kind: string; request: unknown; options?: unknown }>;
}

const json = (value: unknown) => (value === null || value === undefined ? Prisma.JsonNull : (value as Prisma.InputJsonValue));
const terminal: PipelineState[] = ['completed', 'failed', 'cancelled'];

/** Inserts a pipeline and its steps (pending); an id or key already used gives `created: false` and writes nothing. */
export async function insertPipeline(db: Db, p: NewPipeline): Promise<{ created: boolean }> {
  try {
    await db.pipeline.create({
      data: {
        id: p.id,
        name: p.name ?? null,
        idempotencyKey: p.idempotencyKey ?? null,
        apiKeyId: p.apiKeyId ?? null,
        steps: { create: p.steps.map((s, idx) => ({ idx, kind: s.kind, request: json(s.request), options: json(s.options) })) },
      },
    });
    return { created: true };
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002') return { created: false };
    throw error;
  }
}

export async function deletePipeline(db: Db, id: string): Promise<void> {
  await db.pipeline.deleteMany({ where: { id } });
}

type Loaded = Prisma.PipelineGetPayload<{ include: { steps: true } }>;

async function withJobs(db: Db, rows: Loaded[]): Promise<PipelineRow[]> {
  const ids = rows.flatMap((r) => r.steps.flatMap((s) => (s.jobId ? [s.jobId] : [])));
  const jobs = ids.length
    ? new Map(
        (await db.job.findMany({ where: { id: { in: ids } }, select: { id: true, state: true, result: true, error: true } })).map((j) => [j.id, j] as const),
      )
    : new Map();
  return rows.map((r) => ({
    ...r,
    state: r.state as PipelineState,
    steps: [...r.steps].sort((a, b) => a.idx - b.idx).map(({ pipelineId: _p, ...s }) => ({ ...s, job: (s.jobId ? jobs.get(s.jobId) : null) ?? null })),
  }));
}

/** A pipeline with its steps in order, each with its job's state, result and error. */
export async function getPipeline(db: Db, id: string): Promise<PipelineRow | null> {
  const row = await db.pipeline.findUnique({ where: { id }, include: { steps: true } });
  return row ? ((await withJobs(db, [row]))[0] ?? null) : null;
}

/** Pipelines newest first, keyset-paged by (createdAt, id): `limit + 1` rows (the extra one says a next page exists). */
export async function listPipelines(db: Db, options: { state?: PipelineState; limit: number; after?: Keyset }): Promise<PipelineRow[]> {
  const rows = await db.pipeline.findMany({
    where: {
      ...(options.state ? { state: options.state } : {}),
      ...afterKeyset(options.after),
    },
    include: { steps: true },
    orderBy: newestFirst,
    take: options.limit + 1,
  });
  return withJobs(db, rows);
}

/** Ids of pipelines not yet ended, oldest first. */
export async function unfinishedPipelineIds(db: Db, limit = 1000): Promise<string[]> {
  const rows = await db.pipeline.findMany({
    where: { state: { in: ['pending', 'running'] } },
    select: { id: true },
    orderBy: [{ createdAt: 'asc' }],
    take: limit,
  });
  return rows.map((r) => r.id);
}

/**
 * Ids of the unfinished pipelines that have something to do, in one query: a step whose job ended
 * failed or cancelled, a step not yet submitted whose previous step completed (or a first step
 * left without a job for `graceMs`: its create died half-way), a pending pipeline whose job
 * started, or every step completed. Pipelines whose current job simply runs are not read.
 */
export async function pipelinesToAdvance(db: Db, limit = 1000, graceMs = 5000): Promise<string[]> {
  const rows = await db.$queryRaw<Array<{ id: string }>>`
    SELECT p."id" FROM "Pipeline" p
    WHERE p."state" IN ('pending', 'running') AND (
      EXISTS (
        SELECT 1 FROM "PipelineStep" s LEFT JOIN "Job" j ON j."id" = s."jobId"
        WHERE s."pipelineId" = p."id" AND (
          j."state"::text IN ('failed', 'cancelled')
          OR (p."state" = 'pending' AND j."state"::text = 'active')
          OR (s."jobId" IS NULL AND s."state" = 'pending' AND (
            (s."idx" = 0 AND p."createdAt" < now() - (${String(graceMs)} || ' milliseconds')::interval)
            OR EXISTS (
              SELECT 1 FROM "PipelineStep" b JOIN "Job" bj ON bj."id" = b."jobId"
              WHERE b."pipelineId" = p."id" AND b."idx" = s."idx" - 1 AND bj."state"::text = 'completed')))
        )
      )
      OR NOT EXISTS (
        SELECT 1 FROM "PipelineStep" s LEFT JOIN "Job" j ON j."id" = s."jobId"
        WHERE s."pipelineId" = p."id" AND (j."state" IS NULL OR j."state"::text <> 'completed')
      )
    )
    ORDER BY p."createdAt" LIMIT ${limit}`;
  return rows.map((r) => r.id);
}

/** Records a step's job (idempotent: the job id derives from the pipeline and the step), and the request it submitted. */
export async function setPipelineStepJob(db: Db, pipelineId: string, idx: number, jobId: string, request?: unknown): Promise<void> {
  await db.pipelineStep.updateMany({ where: { pipelineId, idx }, data: { jobId, ...(request !== undefined ? { request: json(request) } : {}) } });
}

/** pending → running (a step runs, or a later one was submitted). */
export async function markPipelineRunning(db: Db, id: string): Promise<void> {
  await db.pipeline.updateMany({ where: { id, state: 'pending' }, data: { state: 'running' } });
}

/**
 * Ends a pipeline (completed, failed, cancelled) unless it already ended; its steps without a job
 * take `stepState` (failed or cancelled: they will never run). Returns whether this call ended it.
 */
export async function endPipeline(
  db: Db,
  id: string,
  state: Exclude<PipelineState, 'pending' | 'running'>,
  error: unknown,
  stepState?: { state: PipelineStepState; error?: unknown; idx?: number; stepError?: unknown },
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.pipeline.updateMany({
      where: { id, state: { notIn: terminal } },
      data: { state, error: json(error), finishedAt: new Date() },
    });
    if (count === 0) return false;
    if (stepState) {
      await tx.pipelineStep.updateMany({ where: { pipelineId: id, jobId: null }, data: { state: stepState.state, error: json(stepState.error) } });
      if (stepState.idx !== undefined)
        await tx.pipelineStep.updateMany({ where: { pipelineId: id, idx: stepState.idx, jobId: null }, data: { error: json(stepState.stepError) } });
    }
    return true;
  });
}
