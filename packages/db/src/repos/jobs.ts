import type { JobState } from '@kiln/contracts';
import type { Db } from '../client.js';
import { afterKeyset, newestFirst, type PageOptions } from './keyset.js';
import { Prisma } from '../generated/prisma/client.js';

export interface JobRow {
  id: string;
  kind: string;
  queue: string;
  state: JobState;
  payload: unknown;
  options: unknown;
  progress: unknown;
  result: unknown;
  error: unknown;
  attempts: number;
  idempotencyKey: string | null;
  apiKeyId?: string | null;
  cancelRequested: boolean;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface NewJob {
  id: string;
  kind: string;
  queue: string;
  state: JobState;
  payload: unknown;
  options: unknown;
  idempotencyKey?: string;
  apiKeyId?: string;
}

const json = (value: unknown) => (value === null || value === undefined ? Prisma.JsonNull : (value as Prisma.InputJsonValue));

/** Inserts a job row; with an idempotency key already used, returns the existing row and `created: false`. */
export async function insertJob(db: Db, job: NewJob): Promise<{ job: JobRow; created: boolean }> {
  try {
    const row = await db.job.create({
      data: {
        id: job.id,
        kind: job.kind,
        queue: job.queue,
        state: job.state,
        payload: json(job.payload),
        options: json(job.options),
        idempotencyKey: job.idempotencyKey ?? null,
      },
    });
    return { job: row, created: true };
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002') {
      const existing = await db.job.findFirst({
        where: job.idempotencyKey ? { idempotencyKey: job.idempotencyKey } : { id: job.id },
      });
      if (existing) return { job: existing, created: false };
    }
    throw error;
  }
}

export function getJob(db: Db, id: string): Promise<JobRow | null> {
  return db.job.findUnique({ where: { id } });
}

export interface ListJobsOptions extends PageOptions {
  kind?: string;
  state?: JobState;
}

/** Jobs newest first, keyset-paged by (createdAt, id): `limit` rows (default 50) after `after`. */
export async function listJobs(db: Db, options: ListJobsOptions = {}): Promise<{ items: JobRow[] }> {
  const items = await db.job.findMany({
    where: { ...(options.kind ? { kind: options.kind } : {}), ...(options.state ? { state: options.state } : {}), ...afterKeyset(options.after) },
    orderBy: newestFirst,
    take: options.limit ?? 50,
  });
  return { items };
}

const terminal: JobState[] = ['completed', 'failed', 'cancelled'];

/** The worker took the job: state active, attempt counted. A finished job is left as it is. */
export async function markJobActive(db: Db, id: string, attempt: number): Promise<void> {
  await db.job.updateMany({
    where: { id, state: { notIn: terminal } },
    data: { state: 'active', attempts: attempt, startedAt: new Date(), error: Prisma.JsonNull },
  });
}

export async function setJobProgress(db: Db, id: string, progress: unknown): Promise<void> {
  await db.job.updateMany({ where: { id, state: 'active' }, data: { progress: json(progress) } });
}

export async function markJobCompleted(db: Db, id: string, result: unknown): Promise<void> {
  await db.job.update({ where: { id }, data: { state: 'completed', result: json(result), error: Prisma.JsonNull, finishedAt: new Date() } });
}

export async function markJobCancelled(db: Db, id: string, error: unknown): Promise<void> {
  await db.job.updateMany({
    where: { id, state: { notIn: ['completed', 'failed'] } },
    data: { state: 'cancelled', error: json(error), finishedAt: new Date(), cancelRequested: true },
  });
}

export async function requestJobCancel(db: Db, id: string): Promise<void> {
  await db.job.update({ where: { id }, data: { cancelRequested: true } });
}

/** Back to waiting for a retry requested by a user. */
export async function resetJobForRetry(db: Db, id: string): Promise<void> {
  await db.job.update({
    where: { id },
    data: {
      state: 'waiting',
      cancelRequested: false,
      error: Prisma.JsonNull,
      result: Prisma.JsonNull,
      progress: Prisma.JsonNull,
      finishedAt: null,
      startedAt: null,
    },
  });
}
