import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { countQuboSolutions, createDb, type Db } from '@kiln/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQuboWorker } from '../../services/worker-qubo/src/worker.js';
import { get, type Platform, post, quietLog, redisUrl, startPlatform, waitForJob } from '../helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** A QUBO that no run can finish early: the target is unreachable, so it anneals until its time limit. */
const longJob = (timeLimitMs: number) => ({
  kind: 'qubo.solve',
  payload: {
    problem: { n: 64, terms: Array.from({ length: 63 }, (_, i) => [i, i + 1, i % 2 ? 1 : -1]) },
    params: { seed: 5, sweeps: 50, timeLimitMs, target: -1e12 },
  },
});

function spawnWorker(p: Platform): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'services/worker-qubo/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: p.db.url,
      REDIS_URL: redisUrl,
      KILN_QUEUE_PREFIX: p.prefix,
      QUBO_THREADS: '1',
      KILN_LOCK_DURATION_MS: '1500',
      KILN_STALLED_INTERVAL_MS: '1000',
      LOG_LEVEL: process.env.KILN_CHILD_LOG ?? 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

describe('job lifecycle: idempotency, cancel, crash and shutdown', () => {
  let p: Platform;
  let db: Db;
  beforeAll(async () => {
    p = await startPlatform();
    db = createDb({ url: p.db.url });
  });
  afterAll(async () => {
    await db?.$disconnect();
    await p?.close();
  });

  it('gives the same job for the same Idempotency-Key, and 409 for another request under it', async () => {
    const body = { kind: 'qubo.solve', payload: { problem: { n: 2, terms: [[0, 1, 1]] } } };
    const a = await post(p.api, '/v1/jobs', body, { 'idempotency-key': 'same-key' });
    const b = await post(p.api, '/v1/jobs', body, { 'idempotency-key': 'same-key' });
    expect(a.status).toBe(201);
    expect(b.status).toBe(200);
    expect(b.body.id).toBe(a.body.id);
    const c = await post(p.api, '/v1/jobs', { ...body, options: { priority: 3 } }, { 'idempotency-key': 'same-key' });
    expect(c.status).toBe(409);
    expect(c.body.error.code).toBe('KILN_ERR_IDEMPOTENCY_CONFLICT');
    const queues = (await get(p.api, '/v1/queues')).body.items;
    expect(queues.find((q: { kind: string }) => q.kind === 'qubo.solve').counts.waiting).toBe(1);
    const cancel = await post(p.api, `/v1/jobs/${a.body.id}/cancel`, {});
    expect(cancel.body.state).toBe('cancelled');
  });

  it('removes a waiting job on cancel', async () => {
    const sub = await post(p.api, '/v1/jobs', longJob(1000));
    expect((await get(p.api, `/v1/jobs/${sub.body.id}`)).body.state).toBe('waiting');
    const res = await post(p.api, `/v1/jobs/${sub.body.id}/cancel`, {});
    expect(res.status).toBe(202);
    expect(res.body.state).toBe('cancelled');
    const job = (await get(p.api, `/v1/jobs/${sub.body.id}`)).body;
    expect(job.state).toBe('cancelled');
    expect(job.error.code).toBe('KILN_ERR_JOB_CANCELLED');
    const queues = (await get(p.api, '/v1/queues')).body.items;
    expect(queues.find((q: { kind: string }) => q.kind === 'qubo.solve').counts.waiting).toBe(0);
  });

  it('aborts a running job on cancel, ends it cancelled and keeps the worker serving', async () => {
    const worker = await startQuboWorker({ redisUrl, databaseUrl: p.db.url, prefix: p.prefix, concurrency: 1, threads: 1, log: quietLog });
    try {
      const sub = await post(p.api, '/v1/jobs', longJob(600_000));
      await waitForJob(p.api, sub.body.id, (j) => j.state === 'active');
      const res = await post(p.api, `/v1/jobs/${sub.body.id}/cancel`, {});
      expect(res.status).toBe(202);
      const job = await waitForJob(p.api, sub.body.id);
      expect(job.state).toBe('cancelled');
      expect(await countQuboSolutions(db, sub.body.id)).toBe(0);
      // The worker takes the next job.
      const next = await post(p.api, '/v1/jobs', longJob(200));
      expect((await waitForJob(p.api, next.body.id)).state).toBe('completed');
    } finally {
      await worker.close();
    }
  });

  it('retries a job whose worker was killed with SIGKILL and writes its result exactly once', async () => {
    const first = spawnWorker(p);
    const sub = await post(p.api, '/v1/jobs', longJob(3000));
    await waitForJob(p.api, sub.body.id, (j) => j.state === 'active');
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    expect(await countQuboSolutions(db, sub.body.id)).toBe(0);
    const second = spawnWorker(p);
    try {
      const job = await waitForJob(p.api, sub.body.id);
      expect(job.state).toBe('completed');
      // BullMQ's stalled-job check re-ran it without counting an attempt; Kiln counts it: attempt 2.
      expect(job.attempts).toBe(2);
      expect(await countQuboSolutions(db, sub.body.id)).toBe(1);
      const solution = (await get(p.api, `/v1/qubo/solutions/${sub.body.id}`)).body;
      expect(solution.energy).toBe(job.result.energy);
    } finally {
      second.kill('SIGTERM');
      await new Promise((r) => second.once('exit', r));
    }
  });

  it('hands a running job back to the queue on graceful shutdown, without spending an attempt', async () => {
    const a = await startQuboWorker({ redisUrl, databaseUrl: p.db.url, prefix: p.prefix, concurrency: 1, threads: 1, log: quietLog });
    const sub = await post(p.api, '/v1/jobs', longJob(2000));
    await waitForJob(p.api, sub.body.id, (j) => j.state === 'active');
    await a.close();
    const handedBack = (await get(p.api, `/v1/jobs/${sub.body.id}`)).body;
    expect(['waiting', 'delayed']).toContain(handedBack.state);
    const b = await startQuboWorker({ redisUrl, databaseUrl: p.db.url, prefix: p.prefix, concurrency: 1, threads: 1, log: quietLog });
    try {
      const job = await waitForJob(p.api, sub.body.id);
      expect(job.state).toBe('completed');
      expect(job.attempts).toBe(1);
      expect(await countQuboSolutions(db, sub.body.id)).toBe(1);
    } finally {
      await b.close();
    }
  });

  it('retries a failed or cancelled job on request', async () => {
    const sub = await post(p.api, '/v1/jobs', longJob(100));
    await post(p.api, `/v1/jobs/${sub.body.id}/cancel`, {});
    const notAgain = await post(p.api, `/v1/jobs/${sub.body.id}/cancel`, {});
    expect(notAgain.body.state).toBe('cancelled');
    const retry = await post(p.api, `/v1/jobs/${sub.body.id}/retry`, {});
    expect(retry.status).toBe(202);
    const worker = await startQuboWorker({ redisUrl, databaseUrl: p.db.url, prefix: p.prefix, concurrency: 1, threads: 1, log: quietLog });
    try {
      expect((await waitForJob(p.api, sub.body.id)).state).toBe('completed');
      const again = await post(p.api, `/v1/jobs/${sub.body.id}/retry`, {});
      expect(again.status).toBe(409);
    } finally {
      await worker.close();
    }
  });
});
