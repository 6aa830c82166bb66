import { Batcher } from '../batcher.js';
import type { SqlPool } from '../sql.js';
import type { JobRow, NewJob } from './jobs.js';

const columns = `"id", "kind", "queue", "state", "payload", "options", "progress", "result", "error", "attempts", "idempotencyKey", "apiKeyId",
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
    apiKeyId: j.apiKeyId ?? null,
  }));
  const res = await pool.query<{ id: string }>(
    `INSERT INTO "Job" ("id", "kind", "queue", "state", "payload", "options", "idempotencyKey", "apiKeyId", "updatedAt")
     SELECT r.id, r.kind, r.queue, r.state::"JobState", r.payload, r.options, r.key, r."apiKeyId", now()
     FROM jsonb_to_recordset($1::jsonb) AS r(id text, kind text, queue text, state text, payload jsonb, options jsonb, key text, "apiKeyId" text)
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

/** How a job had already ended when a worker went to start it again. */
export type PriorEnding = { state: 'completed'; result: unknown } | { state: 'cancelled' } | { state: 'failed' };

type LifecycleOp =
  | { op: 'active'; id: string; attempt: number; out: { prior?: PriorEnding } }
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

  /** `lingerMs`: how long a change may wait for others to share its statement (a worker of short jobs: a few ms). */
  constructor(
    private readonly pool: SqlPool,
    options: { lingerMs?: number } = {},
  ) {
    this.batcher = new Batcher((ops) => this.write(ops), 2000, options.lingerMs ?? 0);
  }

  /** Marks the job active; resolves with how it ended when its row had already ended (then nothing is written). */
  active = async (id: string, attempt: number): Promise<PriorEnding | undefined> => {
    const out: { prior?: PriorEnding } = {};
    await this.batcher.add({ op: 'active', id, attempt, out });
    return out.prior;
  };
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

  /**
   * One statement per flush: each job's changes in this flush folded, in order, into one row
   * update. The guard is the first change's (it applies to the row as it is now; the later changes
   * follow from it): `active` applies unless the job already ended, `progress` only while active, a
   * failure unless completed or cancelled, a cancel unless completed or failed, a hand-back only
   * while active; a completion unless completed already (a job's result is written once: a re-run
   * after a lost acknowledgement does not replace what readers may have seen). An `active` whose row
   * had already ended reports that ending back to its caller.
   */
  private async write(ops: LifecycleOp[]): Promise<void> {
    type Folded = {
      id: string;
      guard: 'not_ended' | 'active' | 'not_completed' | 'not_completed_or_cancelled' | 'not_completed_or_failed';
      state?: string;
      attempts?: number;
      started?: boolean;
      progress?: unknown;
      hasProgress?: boolean;
      result?: unknown;
      hasResult?: boolean;
      error?: unknown;
      setError?: boolean;
      finished?: boolean;
      cancel?: boolean;
    };
    const guards = {
      active: 'not_ended',
      progress: 'active',
      completed: 'not_completed',
      failed: 'not_completed_or_cancelled',
      cancelled: 'not_completed_or_failed',
      waiting: 'active',
    } as const;
    const byId = new Map<string, Folded>();
    for (const o of ops) {
      let f = byId.get(o.id);
      if (!f) {
        f = { id: o.id, guard: guards[o.op] };
        byId.set(o.id, f);
      }
      switch (o.op) {
        case 'active':
          Object.assign(f, { state: 'active', attempts: o.attempt, started: true, error: null, setError: true });
          break;
        case 'progress':
          Object.assign(f, { progress: o.progress, hasProgress: true });
          break;
        case 'completed':
          Object.assign(f, { state: 'completed', result: o.result ?? null, hasResult: true, error: null, setError: true, finished: true });
          if (o.progress !== undefined) Object.assign(f, { progress: o.progress, hasProgress: true });
          break;
        case 'failed':
          Object.assign(f, { state: o.final ? 'failed' : 'delayed', error: o.error, setError: true, attempts: o.attempts, finished: o.final });
          break;
        case 'cancelled':
          Object.assign(f, { state: 'cancelled', error: o.error, setError: true, finished: true, cancel: true });
          break;
        case 'waiting':
          f.state = 'waiting';
          break;
        default: {
          const unknown: never = o;
          throw new Error(`unknown lifecycle change ${String(unknown)}`);
        }
      }
    }
    const res = await this.pool.query<{ id: string }>(
      `UPDATE "Job" j SET
         "state" = COALESCE(v.state::"JobState", j."state"),
         "attempts" = COALESCE(v.attempts, j."attempts"),
         "startedAt" = CASE WHEN v.started THEN now() ELSE j."startedAt" END,
         "progress" = CASE WHEN v."hasProgress" THEN v.progress ELSE j."progress" END,
         "result" = CASE WHEN v."hasResult" THEN v.result ELSE j."result" END,
         "error" = CASE WHEN v."setError" THEN v.error ELSE j."error" END,
         "finishedAt" = CASE WHEN v.finished THEN now() ELSE j."finishedAt" END,
         "cancelRequested" = j."cancelRequested" OR COALESCE(v.cancel, false),
         "updatedAt" = now()
       FROM jsonb_to_recordset($1::jsonb) AS v(id text, guard text, state text, attempts int, started boolean, progress jsonb, "hasProgress" boolean,
            result jsonb, "hasResult" boolean, error jsonb, "setError" boolean, finished boolean, cancel boolean)
       WHERE j."id" = v.id AND CASE v.guard
         WHEN 'not_ended' THEN j."state" NOT IN ('completed', 'failed', 'cancelled')
         WHEN 'active' THEN j."state" = 'active'
         WHEN 'not_completed_or_cancelled' THEN j."state" NOT IN ('completed', 'cancelled')
         WHEN 'not_completed_or_failed' THEN j."state" NOT IN ('completed', 'failed')
         WHEN 'not_completed' THEN j."state" <> 'completed'
         ELSE true END
       RETURNING j."id"`,
      [JSON.stringify([...byId.values()])],
    );
    // Starts that did not apply: the row had already ended (or is gone). Say how, so it is not run again.
    const starts = ops.filter((o): o is Extract<LifecycleOp, { op: 'active' }> => o.op === 'active');
    if (starts.length === 0) return;
    const applied = new Set(res.rows.map((r) => r.id));
    const skipped = starts.filter((o) => !applied.has(o.id) && byId.get(o.id)?.guard === 'not_ended');
    if (skipped.length === 0) return;
    const ended = await this.pool.query<{ id: string; state: string; result: unknown }>(
      `SELECT "id", "state", CASE WHEN "state" = 'completed' THEN "result" END AS "result" FROM "Job" WHERE "id" = ANY($1::text[])`,
      [skipped.map((o) => o.id)],
    );
    const byRow = new Map(ended.rows.map((r) => [r.id, r]));
    for (const o of skipped) {
      const row = byRow.get(o.id);
      if (row?.state === 'completed') o.out.prior = { state: 'completed', result: row.result };
      else if (row?.state === 'cancelled') o.out.prior = { state: 'cancelled' };
      else if (row?.state === 'failed') o.out.prior = { state: 'failed' };
    }
  }
}
