import { startLeaderTask } from './leader-task.js';
import { type JobKind, jobCatalog } from '@kiln/contracts';
import { type Db, deleteFinishedJobs, finishedJobsBefore } from '@kiln/db';
import type { KilnQueues } from '@kiln/queue';
import type { FastifyBaseLogger } from 'fastify';

/**
 * Retention: finished jobs (completed, failed, cancelled) older than `days` are deleted with
 * their results, from Postgres and from BullMQ, oldest first in batches. One replica at a time
 * (a Redis lock, like the reconciler); a job still locked in its queue is left for a later pass.
 * BullMQ's own removeOnComplete/removeOnFail ages are set to the same number of days (KilnQueues'
 * `retentionDays`), so Redis forgets what Postgres forgets.
 */
export interface RetentionOptions {
  db: Db;
  queues: KilnQueues;
  /** Finished jobs older than this many days are deleted. */
  days: number;
  log?: FastifyBaseLogger;
  /** Jobs per batch (default 500): one transaction each. */
  batchSize?: number;
  /** The clock (tests). */
  now?: () => Date;
}

/**
 * Removes jobs from their BullMQ queues; returns the ids that are still there (a job locked by a
 * worker cannot be removed). Jobs already gone are fine.
 */
export async function removeQueuedJobs(queues: KilnQueues, jobs: ReadonlyArray<{ id: string; kind: JobKind }>): Promise<string[]> {
  const stuck: string[] = [];
  await Promise.all(
    jobs.map(async ({ id, kind }) => {
      const queue = queues.queue(kind);
      if ((await queue.remove(id)) === 1) return;
      if (await queue.getJob(id)) stuck.push(id);
    }),
  );
  return stuck;
}

/** One pass: deletes every finished job older than the cutoff; returns how many were deleted. */
export async function retainOnce(o: RetentionOptions): Promise<{ deleted: number }> {
  const batch = o.batchSize ?? 500;
  const cutoff = new Date((o.now?.() ?? new Date()).getTime() - o.days * 24 * 3600 * 1000);
  let deleted = 0;
  const skipped = new Set<string>();
  for (;;) {
    const rows = (await finishedJobsBefore(o.db, cutoff, batch + skipped.size)).filter((r) => !skipped.has(r.id));
    if (rows.length === 0) break;
    const known = rows.filter((r): r is { id: string; kind: JobKind } => Object.hasOwn(jobCatalog, r.kind));
    const stuck = new Set(await removeQueuedJobs(o.queues, known));
    for (const id of stuck) skipped.add(id);
    const done = await deleteFinishedJobs(
      o.db,
      rows.map((r) => r.id).filter((id) => !stuck.has(id)),
    );
    deleted += done.length;
    if (done.length === 0 || rows.length < batch) break;
  }
  if (deleted > 0) o.log?.info({ deleted, days: o.days }, 'retention deleted finished jobs');
  return { deleted };
}

/** Runs retainOnce every `intervalMs` (default 10 min) on the replica that holds the lock; returns a stop function. */
export function startRetention(o: RetentionOptions & { intervalMs?: number }): () => Promise<void> {
  const task = startLeaderTask({
    redis: o.queues.redis,
    lockKey: `${o.queues.prefix}:kiln:retention`,
    intervalMs: o.intervalMs ?? 600_000,
    firstAfterMs: 1_000,
    run: async () => {
      await retainOnce(o);
    },
    onError: (err) => o.log?.warn({ err }, 'retention pass failed (retried next interval)'),
  });
  return task.stop;
}
