import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqlPool, findJobs, type SqlPool } from '@kiln/db';
import { createTestDatabase, type TestDatabase } from '@kiln/db/testing';
import { KilnQueues } from '@kiln/queue';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GroupCommit, type Submission } from './group-commit.js';

// Group commit against the real Postgres and a real Redis (a private redis-server, so it can be
// stopped mid-batch): no job lost or doubled when either fails.
const sub = (id: string, key?: string): Submission => ({
  id,
  kind: 'qubo.solve',
  queue: 'qubo-solve',
  state: 'waiting',
  payload: { version: 1, problemId: '00000000-0000-4000-8000-000000000001', params: { mode: 'auto', timeLimitMs: 1000, seed: 1, restarts: true } },
  options: key ? { requestHash: 'h' } : {},
  jobOptions: {},
  ...(key ? { idempotencyKey: key } : {}),
});

function startRedis(port: number, dir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'yes']);
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`redis-server exited ${code}`))));
  });
}

async function redisUp(url: string): Promise<void> {
  const r = new Redis(url, { maxRetriesPerRequest: 0, lazyConnect: true, retryStrategy: () => null });
  r.on('error', () => undefined);
  for (let i = 0; i < 100; i++) {
    try {
      await r.connect();
      await r.ping();
      r.disconnect();
      return;
    } catch {
      await new Promise((res) => setTimeout(res, 50));
    }
  }
  throw new Error(`${url} did not start`);
}

describe('GroupCommit', () => {
  let db: TestDatabase;
  let pool: SqlPool;
  let dir: string;
  const port = 16000 + Math.floor(Math.random() * 2000);
  const redisUrl = `redis://127.0.0.1:${port}`;
  let queues: KilnQueues;
  let statements = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = createSqlPool({ url: db.url });
    const query = pool.query.bind(pool);
    pool.query = ((...args: Parameters<typeof query>) => {
      statements++;
      return query(...args);
    }) as typeof pool.query;
    dir = mkdtempSync(join(tmpdir(), 'kiln-gc-'));
    await startRedis(port, dir);
    await redisUp(redisUrl);
    queues = new KilnQueues({ redisUrl, prefix: 'gc' });
  });
  afterAll(async () => {
    await queues?.close();
    await pool?.end();
    await db?.drop();
    spawn('redis-cli', ['-p', String(port), 'shutdown', 'nosave']);
    rmSync(dir, { recursive: true, force: true });
  });

  const waitingIds = async () => (await queues.queue('qubo.solve').getJobs(['waiting', 'prioritized', 'delayed'], 0, -1)).map((j) => j.id).sort();

  it('writes concurrent submits in shared statements: every job once in Postgres and once in Redis', async () => {
    const commit = new GroupCommit(pool, queues);
    const ids = Array.from({ length: 300 }, (_, i) => `gc-${String(i).padStart(3, '0')}`);
    const before = statements;
    const outcomes = await Promise.all(ids.map((id) => commit.submit([sub(id)])));
    expect(outcomes.every(([o]) => o?.created)).toBe(true);
    // Grouped: far fewer INSERTs than submits.
    expect(statements - before).toBeLessThan(ids.length / 4);
    expect((await findJobs(pool, ids)).map((r) => r.id).sort()).toEqual(ids);
    expect(await waitingIds()).toEqual(ids);
  });

  it('makes one job of concurrent submits under one idempotency key', async () => {
    const commit = new GroupCommit(pool, queues);
    const before = new Set(await waitingIds());
    const outcomes = (await Promise.all(Array.from({ length: 20 }, () => commit.submit([sub('gc-key-1', 'key-1')])))).map(([o]) => o);
    expect(outcomes.filter((o) => o?.created)).toHaveLength(1);
    expect(outcomes.filter((o) => o && !o.created && o.existing.id === 'gc-key-1')).toHaveLength(19);
    expect(await findJobs(pool, ['gc-key-1'])).toHaveLength(1);
    expect((await waitingIds()).filter((id) => !before.has(id))).toEqual(['gc-key-1']);
  });

  it('rejects the whole group and keeps nothing when the INSERT fails', async () => {
    const commit = new GroupCommit(pool, queues);
    const bad = { ...sub('gc-bad'), state: 'no-such-state' as Submission['state'] };
    const before = await waitingIds();
    const results = await Promise.allSettled([commit.submit([sub('gc-pg-1')]), commit.submit([bad]), commit.submit([sub('gc-pg-2')])]);
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(await findJobs(pool, ['gc-pg-1', 'gc-pg-2', 'gc-bad'])).toEqual([]);
    expect(await waitingIds()).toEqual(before);
  });

  it('deletes the group’s rows when Redis fails mid-batch; the same submits later make each job once', async () => {
    const commit = new GroupCommit(pool, queues);
    await new Promise<void>((resolve) => spawn('redis-cli', ['-p', String(port), 'shutdown', 'nosave']).on('exit', () => resolve()));
    const ids = ['gc-r-1', 'gc-r-2', 'gc-r-3'];
    const results = await Promise.allSettled(ids.map((id) => commit.submit([sub(id, `k-${id}`)])));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    // Nothing half-written: no row waits for a queue entry that never came.
    expect(await findJobs(pool, ids)).toEqual([]);

    await startRedis(port, dir);
    await redisUp(redisUrl);
    const again = await Promise.all(ids.map((id) => commit.submit([sub(id, `k-${id}`)])));
    expect(again.every(([o]) => o?.created)).toBe(true);
    const replay = await Promise.all(ids.map((id) => commit.submit([sub(id, `k-${id}`)])));
    expect(replay.every(([o]) => o && !o.created)).toBe(true);
    expect((await findJobs(pool, ids)).map((r) => r.id).sort()).toEqual(ids);
    expect((await waitingIds()).filter((id) => ids.includes(id as string))).toEqual(ids);
  });
});
