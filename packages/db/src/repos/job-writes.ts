import { Batcher } from '../batcher.js';
import type { SqlPool } from '../sql.js';
import type { JobRow, NewJob } from './jobs.js';

const columns = `"id", "kind", "queue", "state", "payload", "options", "progress", "result", "error", "attempts", "idempotencyKey",
  "cancelRequested", "createdAt", "updatedAt", "startedAt", "finishedAt"`;

/**
 * Inserts many job rows in one statement (group commit). A row whose id or idempotency key is
 * already taken is skipped; the ids actually inserted come back.
 */
export async function insertJobs(pool: SqlPool, jobs: readonly NewJob[]): Promise<Set<string>> {
  if (jobs.length === 0) return new Set();
  const rows = jobs.map((j) => ({
    id: j.id,
    kind: j.kind,
    queue: j.queue,
    state: j.state,
    payload: j.payload,
    options: j.options,
    key: j.idempotencyKey ?? null,
  }));
  const res = await pool.query<{ id: string }>(
    `INSERT INTO "Job" ("id", "kind", "queue", "state", "payload", "options", "idempotencyKey", "updatedAt")
     SELECT r.id, r.kind, r.queue, r.state::"JobState", r.payload, r.options, r.key, now()
     FROM jsonb_to_recordset($1::jsonb) AS r(id text, kind text, queue text, state text, payload jsonb, options jsonb, key text)
     ON CONFLICT DO NOTHING
     RETURNING "id"`,
    [JSON.stringify(rows)],
  );
  return new Set(res.rows.map((r) => r.id));
}

/** The rows with these ids or idempotency keys (the ones a group insert skipped). */
export async function findJobs(pool: SqlPool, ids: readonly string[], keys: readonly string[] = []): Promise<JobRow[]> {
  if (ids.length === 0 && keys.length === 0) return [];
  const res = await pool.query<JobRow>(`SELECT ${columns} FROM "Job" WHERE "id" = ANY($1::text[]) OR "idempotencyKey" = ANY($2::text[])`, [ids, keys]);
  return res.rows;
}

export async function findJob(pool: SqlPool, id: string): Promise<JobRow | null> {
  return (await findJobs(pool, [id]))[0] ?? null;
}

/** Removes rows that never reached the queue (a failed group commit), so none waits forever. */
export async function deleteJobs(pool: SqlPool, ids: readonly string[]): Promise<void> {
  if (ids.length > 0) await pool.query(`DELETE FROM "Job" WHERE "id" = ANY($1::text[]) AND "state" IN ('waiting', 'delayed')`, [ids]);
}

type LifecycleOp =
  | { op: 'active'; id: string; attempt: number }
  | { op: 'progress'; id: string; progress: unknown }
  | { op: 'completed'; id: string; result: unknown; progress?: unknown }
  | { op: 'failed'; id: string; error: unknown; final: boolean; attempts: number }
  | { op: 'cancelled'; id: string; error: unknown }
  | { op: 'waiting'; id: string };

/**
 * The job rows' side of the workers' lifecycle, written in groups: concurrent jobs' state changes
 * share one UPDATE per kind of change (a batch of 50 sub-millisecond jobs costs 3 statements, not
 * 150). Each call resolves once its row is written; within a flush the statements run in lifecycle
 * order (active, progress, then the endings), so a job's row never goes back from completed. A
 * progress older than the latest of the same job in the same flush is dropped.
 */
export class JobRowWriter {
  private readonly batcher: Batcher<LifecycleOp>;

  constructor(private readonly pool: SqlPool) {
    this.batcher = new Batcher((ops) => this.write(ops));
  }

  active = (id: string, attempt: number) => this.batcher.add({ op: 'active', id, attempt });
  progress = (id: string, progress: unknown) => this.batcher.add({ op: 'progress', id, progress });
  completed = (id: string, result: unknown, progress?: unknown) => this.batcher.add({ op: 'completed', id, result, progress });
  failed = (id: string, error: unknown, final: boolean, attempts: number) => this.batcher.add({ op: 'failed', id, error, final, attempts });
  cancelled = (id: string, error: unknown = { code: 'KILN_ERR_JOB_CANCELLED', message: 'cancelled by user' }) =>
    this.batcher.add({ op: 'cancelled', id, error });
  waiting = (id: string) => this.batcher.add({ op: 'waiting', id });

  /** The harness's LifecycleHooks, written through this writer. */
  hooks() {
    return {
      onActive: this.active,
      onProgress: this.progress,
      onCompleted: this.completed,
      onFailed: this.failed,
      onCancelled: (id: string) => this.cancelled(id),
      onHandedBack: this.waiting,
    };
  }

  drain(): Promise<void> {
    return this.batcher.drain();
  }

  private async write(ops: LifecycleOp[]): Promise<void> {
    const of = <K extends LifecycleOp['op']>(op: K) => ops.filter((o): o is Extract<LifecycleOp, { op: K }> => o.op === op);
    const run = (sql: string, rows: unknown[]) => (rows.length ? this.pool.query(sql, [JSON.stringify(rows)]) : undefined);
    const active = of('active');
    await run(
      `UPDATE "Job" j SET "state" = 'active', "attempts" = v.attempt, "startedAt" = now(), "error" = NULL, "updatedAt" = now()
       FROM jsonb_to_recordset($1::jsonb) AS v(id text, attempt int)
       WHERE j."id" = v.id AND j."state" NOT IN ('completed', 'failed', 'cancelled')`,
      active.map((o) => ({ id: o.id, attempt: o.attempt })),
    );
    const latest = new Map<string, unknown>();
    for (const o of of('progress')) latest.set(o.id, o.progress);
    await run(
      `UPDATE "Job" j SET "progress" = v.progress, "updatedAt" = now()
       FROM jsonb_to_recordset($1::jsonb) AS v(id text, progress jsonb)
       WHERE j."id" = v.id AND j."state" = 'active'`,
      [...latest].map(([id, progress]) => ({ id, progress })),
    );
    await run(
      `UPDATE "Job" j SET "state" = 'completed', "result" = v.result, "progress" = COALESCE(v.progress, j."progress"), "error" = NULL,
         "finishedAt" = now(), "updatedAt" = now()
       FROM jsonb_to_recordset($1::jsonb) AS v(id text, result jsonb, progress jsonb)
       WHERE j."id" = v.id`,
      of('completed').map((o) => ({ id: o.id, result: o.result ?? null, progress: o.progress ?? null })),
    );
    await run(
      `UPDATE "Job" j SET "state" = CASE WHEN v.final THEN 'failed'::"JobState" ELSE 'delayed'::"JobState" END, "error" = v.error,
         "attempts" = v.attempts, "finishedAt" = CASE WHEN v.final THEN now() ELSE j."finishedAt" END, "updatedAt" = now()
       FROM jsonb_to_recordset($1::jsonb) AS v(id text, error jsonb, final boolean, attempts int)
       WHERE j."id" = v.id AND j."state" NOT IN ('completed', 'cancelled')`,
      of('failed').map((o) => ({ id: o.id, error: o.error, final: o.final, attempts: o.attempts })),
    );
    await run(
      `UPDATE "Job" j SET "state" = 'cancelled', "error" = v.error, "finishedAt" = now(), "cancelRequested" = true, "updatedAt" = now()
       FROM jsonb_to_recordset($1::jsonb) AS v(id text, error jsonb)
       WHERE j."id" = v.id AND j."state" NOT IN ('completed', 'failed')`,
      of('cancelled').map((o) => ({ id: o.id, error: o.error })),
    );
    await run(
      `UPDATE "Job" j SET "state" = 'waiting', "updatedAt" = now()
       FROM jsonb_to_recordset($1::jsonb) AS v(id text)
       WHERE j."id" = v.id AND j."state" = 'active'`,
      of('waiting').map((o) => ({ id: o.id })),
    );
  }
}
