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
