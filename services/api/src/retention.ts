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
  const interval = o.intervalMs ?? 600_000;
  const lockKey = `${o.queues.prefix}:kiln:retention`;
  const me = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const tick = async () => {
    if (stopped) return;
    try {
      const got = await o.queues.redis.set(lockKey, me, 'PX', interval * 3, 'NX');
      const mine = got === 'OK' || (await o.queues.redis.get(lockKey)) === me;
      if (!mine) return;
      await o.queues.redis.pexpire(lockKey, interval * 3);
      await retainOnce(o);
    } catch (err) {
      o.log?.warn({ err }, 'retention pass failed (retried next interval)');
    }
  };
  const timer = setInterval(() => {
    running = running.then(tick);
  }, interval);
  timer.unref();
  // A first pass soon after start, not a whole interval later.
  const first = setTimeout(() => {
    running = running.then(tick);
  }, 1_000);
  first.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    clearTimeout(first);
    await running;
    await o.queues.redis
      .eval("if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end", 1, lockKey, me)
      .catch(() => undefined);
  };
}
