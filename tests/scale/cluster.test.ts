import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createDb, type Db } from '@kiln/db';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQuboWorker } from '../../services/worker-qubo/src/worker.js';
import { startSsmWorker } from '../../services/worker-ssm/src/worker.js';
import { get, type Platform, post, quietLog, startPlatform, waitForJob } from '../helpers.js';
import { clusterUnavailable, type LocalCluster, startLocalCluster } from './redis-cluster.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const unavailable = clusterUnavailable();
if (unavailable) console.warn(`[scale tests] skipped: ${unavailable}`);

/** Every user walks a cycle of `items` items: learnable in a few epochs. */
function cyclicCsv(users: number, items: number, length: number): string {
  const rows = ['user_id,item_id,timestamp'];
  for (let u = 0; u < users; u++) for (let t = 0; t < length; t++) rows.push(`u${u},i${(u * 7 + t) % items},${t}`);
  return `${rows.join('\n')}\n`;
}

/** A small QUBO whose target no run reaches: it anneals for `ms` (work that overlaps between processes). */
const solve = (seed: number, ms: number) => ({
  kind: 'qubo.solve',
  payload: {
    problem: { n: 16, terms: Array.from({ length: 15 }, (_, i) => [i, i + 1, i % 2 ? 1 : -1]) },
    params: { seed, sweeps: 20, timeLimitMs: ms, target: -1e12 },
  },
});

const train = (datasetId: string, seed: number) => ({
  kind: 'ssm.train',
  payload: {
    datasetId,
    name: `cluster-${seed}`,
    model: { hiddenSize: 8, maxLen: 8, dState: 4 },
    training: { maxEpochs: 2, patience: 2, batchSize: 32, seed },
  },
});

async function uploadCycles(p: Platform, name: string): Promise<string> {
  const up = await p.api.inject({
    method: 'POST',
    url: `/v1/datasets?format=csv&name=${name}`,
    payload: cyclicCsv(60, 20, 8),
    headers: { 'content-type': 'text/csv' },
  });
  expect(up.statusCode).toBe(201);
  return up.json().id;
}

/** Keys under the platform's prefix on the master at `port`. */
async function keysOn(port: number, prefix: string): Promise<number> {
  const r = new Redis(port, '127.0.0.1');
  try {
    let n = 0;
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      n += keys.length;
      cursor = next;
    } while (cursor !== '0');
    return n;
  } finally {
    r.disconnect();
  }
}

describe.skipIf(unavailable)('Kiln on a local 3-master Redis Cluster', () => {
  let cluster: LocalCluster;
  let p: Platform;
  let db: Db;
  beforeAll(async () => {
    cluster = await startLocalCluster(3);
    p = await startPlatform({ redisUrl: cluster.url });
    db = createDb({ url: p.db.url });
  });
  afterAll(async () => {
    await db?.$disconnect();
    await p?.close();
    await cluster?.stop();
  });

  it('runs every kind of job end to end, its queues in the one slot of the prefix’s {hash tag}', async () => {
    expect(p.prefix).toMatch(/^\{kiln-test-[0-9a-f]+\}$/);
    const qubo = await startQuboWorker({ redisUrl: cluster.url, databaseUrl: p.db.url, prefix: p.prefix, concurrency: 8, threads: 1, log: quietLog });
    const ssm = await startSsmWorker({
      redisUrl: cluster.url,
      databaseUrl: p.db.url,
      prefix: p.prefix,
      trainConcurrency: 1,
      scoreConcurrency: 1,
      log: quietLog,
    });
    try {
      const ready = await p.api.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(200);

      const batch = await post(p.api, '/v1/jobs/batch', { jobs: Array.from({ length: 20 }, (_, i) => solve(i, 1)) });
      expect(batch.status).toBe(201);
      const ids: string[] = batch.body.items.map((j: { id: string }) => j.id);
      const datasetId = await uploadCycles(p, 'cluster-e2e');
      const trained = await post(p.api, '/v1/jobs', train(datasetId, 1));
      expect(trained.status).toBe(201);
      const trainJob = await waitForJob(p.api, trained.body.id);
      expect(trainJob.error).toBeNull();
      expect(trainJob.state).toBe('completed');
      const scored = await post(p.api, '/v1/jobs', { kind: 'ssm.score', payload: { modelId: trainJob.result.modelId, users: 'all', k: 3 } });
      const scoreJob = await waitForJob(p.api, scored.body.id);
      expect(scoreJob.state).toBe('completed');
      expect(scoreJob.result.users).toBe(60);
      for (const id of ids) {
        const job = await waitForJob(p.api, id);
        expect(job.state).toBe('completed');
        expect(job.attempts).toBe(1);
      }
      expect(await db.quboSolution.count({ where: { jobId: { in: ids } } })).toBe(ids.length);

      // Cancel reaches a running job through the cluster's pub/sub.
      const long = await post(p.api, '/v1/jobs', solve(99, 600_000));
      await waitForJob(p.api, long.body.id, (j) => j.state === 'active');
      const cancel = await post(p.api, `/v1/jobs/${long.body.id}/cancel`, {});
      expect(cancel.status).toBe(202);
      expect((await waitForJob(p.api, long.body.id)).state).toBe('cancelled');

      // Every queue key of the platform is on the master that owns the tag's slot, none elsewhere.
      const owner = await cluster.ownerOf(p.prefix);
      expect(await keysOn(owner, p.prefix)).toBeGreaterThan(0);
      for (const port of cluster.ports.filter((port) => port !== owner)) expect(await keysOn(port, p.prefix)).toBe(0);

      const queues = (await get(p.api, '/v1/queues')).body.items as Array<{ kind: string; counts: { completed: number } }>;
      expect(queues.find((q) => q.kind === 'qubo.solve')?.counts.completed).toBe(20);
    } finally {
      await qubo.close();
      await ssm.close();
    }
  });

  it('spreads jobs over 3 worker-qubo and 2 worker-ssm processes joined with `npm run worker`, each job run exactly once', async () => {
    const procs: Array<{ kind: 'qubo' | 'ssm'; proc: ChildProcess; ran: string[]; ready: Promise<void> }> = [];
    const start = (kind: 'qubo' | 'ssm') => {
      const proc = spawn(process.execPath, ['scripts/kiln.mjs', 'worker', kind], {
        cwd: root,
        env: {
          ...process.env,
          REDIS_URL: cluster.url,
          DATABASE_URL: p.db.url,
          KILN_QUEUE_PREFIX: p.prefix,
          LOG_LEVEL: 'debug',
          QUBO_THREADS: '1',
          QUBO_CONCURRENCY: '2',
          KILN_METRICS_PORT: '0',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const entry = { kind, proc, ran: [] as string[], ready: Promise.resolve() };
      entry.ready = new Promise<void>((resolve, reject) => {
        proc.once('exit', (code) => reject(new Error(`worker ${kind} exited (${code}) before it was ready`)));
        createInterface({ input: proc.stdout! }).on('line', (line) => {
          if (!line.startsWith('{')) return;
          const rec = JSON.parse(line) as { msg?: string; jobId?: string };
          if (rec.msg === `worker-${kind} ready`) resolve();
          if (rec.msg === 'job completed' && rec.jobId) entry.ran.push(rec.jobId);
        });
      });
      procs.push(entry);
    };
    try {
      for (let i = 0; i < 3; i++) start('qubo');
      for (let i = 0; i < 2; i++) start('ssm');
      await Promise.all(procs.map((w) => w.ready));

      const datasetId = await uploadCycles(p, 'cluster-procs');
      const trains = await Promise.all([2, 3].map(async (seed) => (await post(p.api, '/v1/jobs', train(datasetId, seed))).body.id as string));
      const batch = await post(p.api, '/v1/jobs/batch', { jobs: Array.from({ length: 150 }, (_, i) => solve(1000 + i, 20)) });
      expect(batch.status).toBe(201);
      const quboIds: string[] = batch.body.items.map((j: { id: string }) => j.id);
      const models: string[] = [];
      for (const id of trains) {
        const job = await waitForJob(p.api, id);
        expect(job.state).toBe('completed');
        models.push(job.result.modelId);
      }
      const scores = await Promise.all(
        Array.from(
          { length: 6 },
          async (_, i) => (await post(p.api, '/v1/jobs', { kind: 'ssm.score', payload: { modelId: models[i % 2], users: 'all', k: 3 } })).body.id as string,
        ),
      );
      for (const id of [...quboIds, ...scores]) {
        const job = await waitForJob(p.api, id);
        expect(job.state).toBe('completed');
        expect(job.attempts).toBe(1);
      }
      expect(await db.quboSolution.count({ where: { jobId: { in: quboIds } } })).toBe(quboIds.length);

      // Exactly once: every job's handler ran in one process, once; and every process took work.
      const all = [...quboIds, ...trains, ...scores];
      const runs = procs.flatMap((w) => w.ran);
      expect(runs.length).toBe(all.length);
      expect(new Set(runs)).toEqual(new Set(all));
      for (const w of procs) expect(w.ran.length, `a worker-${w.kind} process ran no job`).toBeGreaterThan(0);
      const quboRuns = procs.filter((w) => w.kind === 'qubo').flatMap((w) => w.ran);
      expect(new Set(quboRuns)).toEqual(new Set(quboIds));
    } finally {
      await Promise.all(
        procs.map(
          (w) =>
            new Promise<void>((resolve) => {
              if (w.proc.exitCode !== null || w.proc.signalCode !== null) return resolve();
              w.proc.once('exit', () => resolve());
              w.proc.kill('SIGTERM');
            }),
        ),
      );
    }
  });
});
