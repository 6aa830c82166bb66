import { createSqlPool, insertJobs, type SqlPool } from '@kiln/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcileOnce } from '../../services/api/src/reconciler.js';
import { startQuboWorker } from '../../services/worker-qubo/src/worker.js';
import { get, type Platform, post, quietLog, redisUrl, startPlatform, waitForJob } from '../helpers.js';

// Postgres is the ledger: the reconciler puts back into BullMQ every accepted, unfinished job that
// Redis does not have (an API that died between INSERT and queue write; a Redis that lost data),
// and each then runs to exactly one result.
describe('the ledger reconciler', () => {
  let p: Platform;
  let pool: SqlPool;
  let worker: { close(): Promise<void> } | undefined;
  let problemId = '';
  beforeAll(async () => {
    p = await startPlatform();
    pool = createSqlPool({ url: p.db.url });
    const up = await p.api.inject({
      method: 'POST',
      url: '/v1/qubo/problems?format=json&name=r',
      payload: '{"n":3,"terms":[[0,1,1],[0,0,-1],[2,2,-1]]}',
      headers: { 'content-type': 'text/plain' },
    });
    problemId = up.json().id;
  });
  afterAll(async () => {
    await worker?.close();
    await pool?.end();
    await p?.close();
  });

  const payload = () => ({ version: 1, problemId, params: { mode: 'auto', timeLimitMs: 500, seed: 1, restarts: true, target: -2 } });
  const waitingInRedis = async () =>
    (await get(p.api, '/v1/queues')).body.items.find((q: { name: string }) => q.name === 'qubo-solve').counts.waiting as number;

  it('re-adds a job whose row was written but whose queue write never happened, once', async () => {
    // A crash between the INSERT and the queue write: the row, backdated past the grace period.
    await insertJobs(pool, [{ id: 'lost-1', kind: 'qubo.solve', queue: 'qubo-solve', state: 'waiting', payload: payload(), options: {} }]);
    await pool.query(`UPDATE "Job" SET "createdAt" = now() - interval '1 minute' WHERE id = 'lost-1'`);
    const { KilnQueues } = await import('@kiln/queue');
    const q = new KilnQueues({ redisUrl, prefix: p.prefix });
    try {
      await post(p.api, '/v1/queues/qubo-solve/pause', {});
      const first = await reconcileOnce({ pool, queues: q, graceMs: 10_000 });
      expect(first.requeued).toEqual(['lost-1']);
      const again = await reconcileOnce({ pool, queues: q, graceMs: 10_000 });
      expect(again.requeued).toEqual([]);
      expect(await waitingInRedis()).toBe(1);
      // A fresh row (a submit in flight) is left alone.
      await insertJobs(pool, [{ id: 'young', kind: 'qubo.solve', queue: 'qubo-solve', state: 'waiting', payload: payload(), options: {} }]);
      expect((await reconcileOnce({ pool, queues: q, graceMs: 10_000 })).requeued).toEqual([]);
      await pool.query(`DELETE FROM "Job" WHERE id = 'young'`);
    } finally {
      await q.close();
    }
  });

  it('re-adds every unfinished job after Redis lost its data, and each completes with one result', async () => {
    const sub = await post(p.api, '/v1/jobs/batch', {
      jobs: Array.from({ length: 20 }, () => ({ kind: 'qubo.solve', payload: { problemId, params: { timeLimitMs: 500, target: -2 } } })),
    });
    expect(sub.status).toBe(201);
    const ids: string[] = sub.body.items.map((i: { id: string }) => i.id);
    // Redis loses everything of this platform's queues (a restart without AOF).
    const { Redis } = await import('ioredis');
    const r = new Redis(redisUrl);
    const keys = await r.keys(`${p.prefix}:qubo-solve:*`);
    if (keys.length) await r.del(...keys);
    await r.quit();
    expect(await waitingInRedis()).toBe(0);
    await pool.query(`UPDATE "Job" SET "createdAt" = now() - interval '1 minute'`);
    const { KilnQueues } = await import('@kiln/queue');
    const q = new KilnQueues({ redisUrl, prefix: p.prefix });
    try {
      const report = await reconcileOnce({ pool, queues: q, graceMs: 10_000 });
      expect(report.requeued.sort()).toEqual([...ids, 'lost-1'].sort());
    } finally {
      await q.close();
    }
    worker = await startQuboWorker({ redisUrl, databaseUrl: p.db.url, prefix: p.prefix, concurrency: 8, threads: 1, log: quietLog });
    const done = await Promise.all([...ids, 'lost-1'].map((id) => waitForJob(p.api, id)));
    expect(done.every((j) => j.state === 'completed' && j.result.energy === -2)).toBe(true);
    const solutions = await pool.query('SELECT "jobId", count(*)::int AS n FROM "QuboSolution" GROUP BY "jobId"');
    expect(solutions.rows.length).toBe(21);
    expect(solutions.rows.every((row: { n: number }) => row.n === 1)).toBe(true);
  });

  it('copies to a row still waiting the ending BullMQ recorded while the row write was lost', async () => {
    const sub = await post(p.api, '/v1/jobs', { kind: 'qubo.solve', payload: { problemId, params: { timeLimitMs: 500, target: -2 } } });
    const done = await waitForJob(p.api, sub.body.id);
    expect(done.state).toBe('completed');
    // The worker's completion never reached Postgres (it was down): the row still says waiting.
    await pool.query(
      `UPDATE "Job" SET "state" = 'waiting', "result" = NULL, "finishedAt" = NULL, "createdAt" = now() - interval '1 minute', "updatedAt" = now() - interval '1 minute' WHERE id = $1`,
      [sub.body.id],
    );
    const { KilnQueues } = await import('@kiln/queue');
    const q = new KilnQueues({ redisUrl, prefix: p.prefix });
    try {
      const report = await reconcileOnce({ pool, queues: q, graceMs: 10_000 });
      expect(report.synced).toEqual([sub.body.id]);
      expect(report.requeued).toEqual([]);
    } finally {
      await q.close();
    }
    const row = (await get(p.api, `/v1/jobs/${sub.body.id}`)).body;
    expect(row.state).toBe('completed');
    expect(row.result).toEqual(done.result);
  });
});
