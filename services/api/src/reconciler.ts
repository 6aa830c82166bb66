import { startLeaderTask } from './leader-task.js';
import { isErrorCode, type JobKind, JobOptions, jobCatalog } from '@kiln/contracts';
import type { SqlPool } from '@kiln/db';
import type { KilnQueues } from '@kiln/queue';
import type { FastifyBaseLogger } from 'fastify';

/**
 * Postgres is the ledger: a job the API acknowledged is a row first. The reconciler makes sure
 * every accepted, unfinished row has its BullMQ job (re-adding it under the same id is idempotent:
 * BullMQ keeps one job per id), whatever happened between them: an API that died between its
 * INSERT and its queue write, a Redis restart that lost data, a failover. It also brings back to
 * the row an ending that BullMQ recorded but the row missed (a worker that failed the job while
 * Postgres was down). One replica reconciles at a time (a Redis lock); rows younger than
 * `graceMs` are left to the submit in flight.
 */
export interface ReconcileOptions {
  pool: SqlPool;
  queues: KilnQueues;
  log?: FastifyBaseLogger;
  /** Leave rows younger than this to the submit that is writing them (default 10 s). */
  graceMs?: number;
  /** Rows per page (default 1000). */
  pageSize?: number;
}

export interface ReconcileReport {
  checked: number;
  /** Unfinished rows whose job was missing from Redis: added again. */
  requeued: string[];
  /** Rows that BullMQ had already ended: their state copied to the row. */
  synced: string[];
}

interface Row {
  id: string;
  kind: string;
  state: string;
  payload: unknown;
  options: Record<string, unknown> | null;
  createdAt: Date;
  updatedAt: Date;
}

export async function reconcileOnce(o: ReconcileOptions): Promise<ReconcileReport> {
  const report: ReconcileReport = { checked: 0, requeued: [], synced: [] };
  const grace = o.graceMs ?? 10_000;
  const pageSize = o.pageSize ?? 1000;
  let after: { createdAt: Date; id: string } | null = null;
  for (;;) {
    const res: { rows: Row[] } = await o.pool.query<Row>(
      `SELECT "id", "kind", "state"::text AS "state", "payload", "options", "createdAt", "updatedAt" FROM "Job"
       WHERE "state" IN ('waiting', 'delayed', 'active') AND "createdAt" < now() - ($1 || ' milliseconds')::interval
         AND ($2::timestamp IS NULL OR ("createdAt", "id") > ($2::timestamp, $3::text))
       ORDER BY "createdAt", "id" LIMIT $4`,
      [String(grace), after?.createdAt ?? null, after?.id ?? '', pageSize],
    );
    const rows = res.rows.filter((r) => Object.hasOwn(jobCatalog, r.kind));
    if (res.rows.length === 0) break;
    const last = res.rows[res.rows.length - 1] as Row;
    after = { createdAt: last.createdAt, id: last.id };
    report.checked += rows.length;

    // One round trip for the page: does each job still exist in Redis?
    const pipe = o.queues.redis.pipeline();
    for (const r of rows) pipe.exists(`${o.queues.prefix}:${jobCatalog[r.kind as JobKind].queue}:${r.id}`);
    const exists = ((await pipe.exec()) ?? []).map(([, v]) => v === 1);

    const missing = new Map<JobKind, Array<{ id: string; payload: unknown; options: JobOptions }>>();
    const present: Row[] = [];
    rows.forEach((r, k) => {
      if (exists[k]) {
        present.push(r);
        return;
      }
      const { requestHash: _h, ...rest } = (r.options ?? {}) as Record<string, unknown>;
      const parsed = JobOptions.safeParse(rest);
      const options: JobOptions = parsed.success ? parsed.data : {};
      // A delayed job keeps what is left of its delay.
      if (options.delayMs !== undefined) options.delayMs = Math.max(0, r.createdAt.getTime() + options.delayMs - Date.now());
      const kind = r.kind as JobKind;
      missing.set(kind, [...(missing.get(kind) ?? []), { id: r.id, payload: r.payload, options }]);
    });
    for (const [kind, jobs] of missing) {
      await o.queues.enqueueMany(kind, jobs);
      report.requeued.push(...jobs.map((j) => j.id));
    }

    // Unfinished rows not touched for a while: has BullMQ ended the job without the row knowing (a
    // worker that finished it while Postgres was down, or whose row write was lost)? One round trip
    // asks BullMQ's finished sets about the whole page; only the ended ones are read.
    const quiet = present.filter((x) => Date.now() - x.updatedAt.getTime() > grace);
    const ends = o.queues.redis.pipeline();
    for (const r of quiet) {
      const q = `${o.queues.prefix}:${jobCatalog[r.kind as JobKind].queue}`;
      ends.zscore(`${q}:failed`, r.id);
      ends.zscore(`${q}:completed`, r.id);
    }
    const scores = quiet.length > 0 ? ((await ends.exec()) ?? []).map(([, v]) => v !== null && v !== undefined) : [];
    for (const [k, r] of quiet.entries()) {
      if (!scores[2 * k] && !scores[2 * k + 1]) continue;
      const job = await o.queues.queue(r.kind as JobKind).getJob(r.id);
      const state = job ? await job.getState() : null;
      if (job && state === 'failed') {
        await o.pool.query(
          `UPDATE "Job" SET "state" = 'failed', "error" = $2::jsonb, "finishedAt" = now(), "updatedAt" = now() WHERE "id" = $1 AND "state" IN ('waiting', 'delayed', 'active')`,
          [r.id, JSON.stringify({ ...errorOfReason(job.failedReason), details: { syncedFrom: 'bullmq' } })],
        );
        report.synced.push(r.id);
      } else if (job && state === 'completed' && job.returnvalue !== undefined && job.returnvalue !== null) {
        await o.pool.query(
          `UPDATE "Job" SET "state" = 'completed', "result" = $2::jsonb, "finishedAt" = now(), "updatedAt" = now() WHERE "id" = $1 AND "state" IN ('waiting', 'delayed', 'active')`,
          [r.id, JSON.stringify(job.returnvalue)],
        );
        report.synced.push(r.id);
      }
    }
  }
  if (report.requeued.length || report.synced.length) {
    o.log?.warn({ requeued: report.requeued.length, synced: report.synced.length, first: report.requeued.slice(0, 5) }, 'reconciler repaired jobs');
  }
  return report;
}

/**
 * Runs reconcileOnce every `intervalMs` on the replica that holds the lock (renewed while it
 * runs); returns a stop function.
 */
export function startReconciler(o: ReconcileOptions & { intervalMs?: number }): () => Promise<void> {
  const task = startLeaderTask({
    redis: o.queues.redis,
    lockKey: `${o.queues.prefix}:kiln:reconciler`,
    intervalMs: o.intervalMs ?? 5_000,
    run: async () => {
      await reconcileOnce(o);
    },
    onError: (err) => o.log?.warn({ err }, 'reconciler pass failed (retried next interval)'),
  });
  return task.stop;
}

/** The harness fails a job for good with `CODE: message`; anything else is an internal error. */
function errorOfReason(reason: string | undefined): { code: string; message: string } {
  const m = /^(KILN_ERR_[A-Z_]+): ([\s\S]*)$/.exec(reason ?? '');
  if (m && isErrorCode(m[1])) return { code: m[1], message: m[2] ?? '' };
  return { code: 'KILN_ERR_INTERNAL', message: reason || 'failed' };
}
