import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlPool, type SqlPool } from '../sql.js';
import { createTestDatabase, type TestDatabase } from '../testing.js';
import { findJobs, insertJobs, JobRowWriter } from './job-writes.js';
import { QuboSolutionWriter } from './qubo.js';

// The grouped writes of the submit and worker paths, on a real Postgres.
describe('grouped job writes', () => {
  let db: TestDatabase;
  let pool: SqlPool;
  beforeAll(async () => {
    db = await createTestDatabase();
    pool = createSqlPool({ url: db.url });
  });
  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  const job = (id: string, key?: string) => ({
    id,
    kind: 'qubo.solve',
    queue: 'qubo-solve',
    state: 'waiting' as const,
    payload: { n: 1 },
    options: {},
    ...(key ? { idempotencyKey: key } : {}),
  });

  it('inserts many rows in one statement and skips ids or keys already taken', async () => {
    expect(await insertJobs(pool, [job('a'), job('b', 'key-b')])).toEqual(new Set(['a', 'b']));
    expect(await insertJobs(pool, [job('a'), job('c', 'key-b'), job('d'), job('d')])).toEqual(new Set(['d']));
    expect((await findJobs(pool, ['a', 'b', 'c', 'd'], ['key-b'])).map((r) => r.id).sort()).toEqual(['a', 'b', 'd']);
  });

  it('folds a flush’s changes of one job in lifecycle order, and never takes a finished job back', async () => {
    await insertJobs(
      pool,
      ['w1', 'w2', 'w3', 'w4', 'w5'].map((id) => job(id)),
    );
    const rows = new JobRowWriter(pool);
    // One flush: started, reported, completed with its last progress.
    await Promise.all([
      rows.active('w1', 1),
      rows.progress('w1', { step: 1 }),
      rows.progress('w1', { step: 2 }),
      rows.completed('w1', { value: 7 }, { step: 3 }),
      rows.active('w2', 1),
      rows.failed('w2', { code: 'X' }, false, 1),
      rows.active('w3', 1),
      rows.active('w4', 1),
    ]);
    // Later flushes: a late progress and a late start do not undo the completion; a retry ends failed.
    await rows.progress('w1', { step: 4 });
    await rows.active('w1', 2);
    await rows.active('w2', 2);
    await rows.failed('w2', { code: 'Y' }, true, 2);
    await rows.cancelled('w2');
    await rows.cancelled('w3');
    await rows.completed('w3', { late: true });
    await rows.waiting('w4');
    await rows.waiting('w5');
    const byId = new Map((await findJobs(pool, ['w1', 'w2', 'w3', 'w4', 'w5'])).map((r) => [r.id, r]));
    expect(byId.get('w1')).toMatchObject({ state: 'completed', attempts: 1, result: { value: 7 }, progress: { step: 3 }, error: null });
    expect(byId.get('w1')?.startedAt).toBeInstanceOf(Date);
    expect(byId.get('w1')?.finishedAt).toBeInstanceOf(Date);
    expect(byId.get('w2')).toMatchObject({ state: 'failed', attempts: 2, error: { code: 'Y' } });
    // A completion always lands (the work is done); a cancel never overrides a completion afterwards.
    expect(byId.get('w3')).toMatchObject({ state: 'completed', result: { late: true } });
    expect(byId.get('w4')).toMatchObject({ state: 'waiting', attempts: 1 });
    expect(byId.get('w5')).toMatchObject({ state: 'waiting', attempts: 0 });
  });

  it('writes concurrent solutions in few statements, one row per job, and a re-run keeps its row', async () => {
    const solutions = new QuboSolutionWriter(pool);
    const row = (jobId: string, energy: number) => ({
      jobId,
      problemId: null,
      kind: 'qubo',
      n: 2,
      energy,
      value: energy,
      feasible: true,
      assignment: '10',
      timeToBestMs: 0.1,
      elapsedMs: 0.2,
      flipAttempts: 4,
      mode: 'tabu',
      params: { a: 1 },
      trace: [{ tMs: 0.1, energy }],
    });
    const ids = await Promise.all(Array.from({ length: 50 }, (_, i) => solutions.upsert(row(`s-${i}`, -i))));
    expect(new Set(ids.map((r) => r.id)).size).toBe(50);
    const again = await solutions.upsert(row('s-7', -70));
    expect(again.id).toBe(ids[7]?.id);
    const stored = await pool.query('SELECT "jobId", energy FROM "QuboSolution" WHERE "jobId" = $1', ['s-7']);
    expect(stored.rows).toEqual([{ jobId: 's-7', energy: -70 }]);
  });
});
