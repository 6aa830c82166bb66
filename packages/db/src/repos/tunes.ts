import type { JobState } from '@kiln/contracts';
import type { Db } from '../client.js';
import { afterKeyset, type Keyset, newestFirst } from './keyset.js';
import { Prisma } from '../generated/prisma/client.js';

export const tuneStates = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type TuneState = (typeof tuneStates)[number];
/** pending: no job yet; submitted: its job is queued or runs; then how it ended (recorded by the advancer). */
export const tuneTrialStates = ['pending', 'submitted', 'completed', 'failed', 'cancelled'] as const;
export type TuneTrialState = (typeof tuneTrialStates)[number];

export interface TuneTrialRow {
  idx: number;
  params: Record<string, unknown>;
  state: TuneTrialState;
  jobId: string | null;
  modelId: string | null;
  objective: number | null;
  metrics: unknown;
  error: unknown;
  endedAt: Date | null;
  /** The trial's job (its row), once submitted and while it exists. */
  job: { id: string; state: JobState; result: unknown; error: unknown } | null;
}

export interface TuneRow {
  id: string;
  name: string | null;
  datasetId: string;
  base: unknown;
  search: unknown;
  strategy: string;
  maxTrials: number;
  parallelism: number;
  seed: number;
  spaceSize: number | null;
  state: TuneState;
  error: unknown;
  bestTrial: number | null;
  bestModelId: string | null;
  bestObjective: number | null;
  idempotencyKey: string | null;
  apiKeyId: string | null;
  createdAt: Date;
  updatedAt: Date;
  endedAt: Date | null;
  trials: TuneTrialRow[];
}

/** A tune to insert: its row's own fields (name and keys optional), and each trial's parameters in trial order. */
export type NewTune = Pick<TuneRow, 'id' | 'datasetId' | 'base' | 'search' | 'strategy' | 'maxTrials' | 'parallelism' | 'seed' | 'spaceSize'> & {
  name?: string;
  idempotencyKey?: string;
  apiKeyId?: string;
  trials: Array<Record<string, unknown>>;
};

const json = (value: unknown) => (value === null || value === undefined ? Prisma.JsonNull : (value as Prisma.InputJsonValue));
const ended: TuneState[] = ['completed', 'failed', 'cancelled'];

/** Inserts a tune and its trials (pending); an id or key already used gives `created: false` and writes nothing. */
export async function insertTune(db: Db, t: NewTune): Promise<{ created: boolean }> {
  try {
    await db.tune.create({
      data: {
        id: t.id,
        name: t.name ?? null,
        datasetId: t.datasetId,
        base: json(t.base),
        search: json(t.search),
        strategy: t.strategy,
        maxTrials: t.maxTrials,
        parallelism: t.parallelism,
        seed: t.seed,
        spaceSize: t.spaceSize,
        idempotencyKey: t.idempotencyKey ?? null,
        apiKeyId: t.apiKeyId ?? null,
        trials: { create: t.trials.map((params, idx) => ({ idx, params: json(params) })) },
      },
    });
    return { created: true };
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002') return { created: false };
    throw error;
  }
}

type Loaded = Prisma.TuneGetPayload<{ include: { trials: true } }>;

async function withJobs(db: Db, rows: Loaded[]): Promise<TuneRow[]> {
  const ids = rows.flatMap((r) => r.trials.flatMap((t) => (t.jobId ? [t.jobId] : [])));
  const jobs = ids.length
    ? new Map(
        (await db.job.findMany({ where: { id: { in: ids } }, select: { id: true, state: true, result: true, error: true } })).map((j) => [j.id, j] as const),
      )
    : new Map();
  return rows.map((r) => ({
    ...r,
    state: r.state as TuneState,
    trials: [...r.trials]
      .sort((a, b) => a.idx - b.idx)
      .map(({ tuneId: _t, ...t }) => ({
        ...t,
        params: (t.params ?? {}) as Record<string, unknown>,
        state: t.state as TuneTrialState,
        job: (t.jobId ? jobs.get(t.jobId) : null) ?? null,
      })),
  }));
}

/** A tune with its trials in order, each with its job's state, result and error. */
export async function getTune(db: Db, id: string): Promise<TuneRow | null> {
  const row = await db.tune.findUnique({ where: { id }, include: { trials: true } });
  return row ? ((await withJobs(db, [row]))[0] ?? null) : null;
}

/** Tunes newest first, keyset-paged by (createdAt, id): `limit + 1` rows (the extra one says a next page exists). */
export async function listTunes(db: Db, options: { state?: TuneState; datasetId?: string; limit: number; after?: Keyset }): Promise<TuneRow[]> {
  const rows = await db.tune.findMany({
    where: {
      ...(options.state ? { state: options.state } : {}),
      ...(options.datasetId ? { datasetId: options.datasetId } : {}),
      ...afterKeyset(options.after),
    },
    include: { trials: true },
    orderBy: newestFirst,
    take: options.limit + 1,
  });
  return withJobs(db, rows);
}

export async function deleteTune(db: Db, id: string): Promise<void> {
  await db.tune.deleteMany({ where: { id } });
}

/**
 * Ids of the tunes that have something to do, oldest first, in one query: a submitted trial whose
 * job ended (or is gone), a queued tune whose job started, a pending trial while fewer than
 * `parallelism` run, or no trial left to run (the tune ends). A cancelled tune is read until each
 * of its submitted trials is recorded. Tunes whose trials simply run are not read.
 */
export async function tunesToAdvance(db: Db, limit = 1000): Promise<string[]> {
  const rows = await db.$queryRaw<Array<{ id: string }>>`
    SELECT t."id" FROM "Tune" t
    WHERE (t."state" IN ('queued', 'running') OR (t."state" = 'cancelled' AND EXISTS (
        SELECT 1 FROM "TuneTrial" r WHERE r."tuneId" = t."id" AND r."state" = 'submitted')))
      AND (
        EXISTS (
          SELECT 1 FROM "TuneTrial" r LEFT JOIN "Job" j ON j."id" = r."jobId"
          WHERE r."tuneId" = t."id" AND r."state" = 'submitted' AND (
            j."id" IS NULL
            OR j."state"::text IN ('completed', 'failed', 'cancelled')
            OR (t."state" = 'queued' AND j."state"::text = 'active')))
        OR (t."state" <> 'cancelled' AND EXISTS (SELECT 1 FROM "TuneTrial" r WHERE r."tuneId" = t."id" AND r."state" = 'pending')
            AND (SELECT count(*) FROM "TuneTrial" r WHERE r."tuneId" = t."id" AND r."state" = 'submitted') < t."parallelism")
        OR (t."state" <> 'cancelled' AND NOT EXISTS (
            SELECT 1 FROM "TuneTrial" r WHERE r."tuneId" = t."id" AND r."state" IN ('pending', 'submitted')))
      )
    ORDER BY t."createdAt" LIMIT ${limit}`;
  return rows.map((r) => r.id);
}

/**
 * Records a trial's job (idempotent: the job id derives from the tune and the trial; a trial that
 * has its job already is left as it is). A trial cancelled with its tune while its job was being
 * submitted still gets the job, as `submitted`, so that job is cancelled and its end recorded.
 */
export async function setTuneTrialJob(db: Db, tuneId: string, idx: number, jobId: string): Promise<void> {
  await db.tuneTrial.updateMany({ where: { tuneId, idx, jobId: null, state: { in: ['pending', 'cancelled'] } }, data: { jobId, state: 'submitted' } });
}

/** A trial ended: how, and what it scored. Only a trial not yet recorded is written (returns whether this call did). */
export async function recordTuneTrial(
  db: Db,
  tuneId: string,
  idx: number,
  r: { state: Exclude<TuneTrialState, 'pending' | 'submitted'>; modelId?: string | null; objective?: number | null; metrics?: unknown; error?: unknown },
): Promise<boolean> {
  const { count } = await db.tuneTrial.updateMany({
    where: { tuneId, idx, state: { in: ['pending', 'submitted'] } },
    data: {
      state: r.state,
      modelId: r.modelId ?? null,
      objective: r.objective ?? null,
      metrics: json(r.metrics),
      error: json(r.error),
      endedAt: new Date(),
    },
  });
  return count > 0;
}

/** queued → running (a trial's job left the queue). */
export async function markTuneRunning(db: Db, id: string): Promise<void> {
  await db.tune.updateMany({ where: { id, state: 'queued' }, data: { state: 'running' } });
}

/**
 * Ends a tune (completed, failed, cancelled) unless it already ended, with the best trial found
 * (or none). Cancelling also ends its trials that have no job yet. Returns whether this call ended it.
 */
export async function endTune(
  db: Db,
  id: string,
  state: Exclude<TuneState, 'queued' | 'running'>,
  o: { error?: unknown; best?: { trial: number; modelId: string | null; objective: number } | null } = {},
): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.tune.updateMany({
      where: { id, state: { notIn: ended } },
      data: {
        state,
        error: json(o.error),
        endedAt: new Date(),
        bestTrial: o.best?.trial ?? null,
        bestModelId: o.best?.modelId ?? null,
        bestObjective: o.best?.objective ?? null,
      },
    });
    if (count === 0) return false;
    if (state === 'cancelled') {
      await tx.tuneTrial.updateMany({
        where: { tuneId: id, state: 'pending' },
        data: { state: 'cancelled', error: json({ code: 'KILN_ERR_JOB_CANCELLED', message: 'not run: the tune was cancelled' }), endedAt: new Date() },
      });
    }
    return true;
  });
}

/** The best trial of an ended tune (a cancelled tune's best once its last trial is recorded). */
export async function setTuneBest(db: Db, id: string, best: { trial: number; modelId: string | null; objective: number } | null): Promise<void> {
  await db.tune.updateMany({
    where: { id },
    data: { bestTrial: best?.trial ?? null, bestModelId: best?.modelId ?? null, bestObjective: best?.objective ?? null },
  });
}
