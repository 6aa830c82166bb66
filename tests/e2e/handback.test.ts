import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQuboWorker } from '../../services/worker-qubo/src/worker.js';
import { get, type Platform, post, quietLog, redisUrl, startPlatform, waitForJob } from '../helpers.js';

// worker-qubo's compute units: a long solve holds the cores; small jobs that cannot start go back
// to the queue (no attempt spent) instead of waiting inside this process, then run once it is free.
describe('compute units and hand-back in worker-qubo', () => {
  let p: Platform;
  let worker: { close(): Promise<void> };
  beforeAll(async () => {
    p = await startPlatform();
    worker = await startQuboWorker({ redisUrl, databaseUrl: p.db.url, prefix: p.prefix, concurrency: 8, threads: 2, slots: 2, handBackMs: 100, log: quietLog });
  });
  afterAll(async () => {
    await worker?.close();
    await p?.close();
  });

  it('runs a long solve on every unit, hands the small ones back, and completes each job once', async () => {
    // A ring of 200 nodes (n > 64: both units) with no target: it anneals for its whole time limit.
    const ring = `200 200\n${Array.from({ length: 200 }, (_, i) => `${i + 1} ${((i + 1) % 200) + 1} 1`).join('\n')}\n`;
    const big = await p.api.inject({
      method: 'POST',
      url: '/v1/qubo/problems?format=gset&name=ring',
      payload: ring,
      headers: { 'content-type': 'text/plain' },
    });
    const long = await post(p.api, '/v1/jobs', { kind: 'qubo.solve', payload: { problemId: big.json().id, params: { mode: 'sa', timeLimitMs: 2500 } } });
    await waitForJob(p.api, long.body.id, (j) => j.state === 'active');
    const small = await post(p.api, '/v1/jobs/batch', {
      jobs: Array.from({ length: 4 }, (_, k) => ({
        kind: 'qubo.solve',
        payload: { problem: { n: 3, terms: [[0, 1, 1 + k]] }, params: { timeLimitMs: 200, target: 0 } },
      })),
    });
    expect(small.status).toBe(201);
    const done = await Promise.all([long.body.id, ...small.body.items.map((i: { id: string }) => i.id)].map((id) => waitForJob(p.api, id)));
    expect(done.map((j) => j.state)).toEqual(['completed', 'completed', 'completed', 'completed', 'completed']);
    // Handed back without spending an attempt, and the long solve kept both threads.
    expect(done.map((j) => j.attempts)).toEqual([1, 1, 1, 1, 1]);
    const sol = (await get(p.api, `/v1/qubo/solutions/${long.body.id}`)).body;
    expect(sol.params.threads).toBe(2);
    // Every small job started after the long one ended: none shared its cores.
    const longEnd = new Date(done[0]?.finishedAt).getTime();
    for (const j of done.slice(1)) expect(new Date(j.startedAt).getTime()).toBeGreaterThanOrEqual(longEnd - 50);
  });
});
