import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, type Platform, post, startPlatform } from '../helpers.js';

// POST /v1/jobs/batch through the real API, Postgres and Redis (no workers: the jobs wait).
describe('POST /v1/jobs/batch', () => {
  let p: Platform;
  let problemId = '';
  const count = async () => (await p.api.inject({ method: 'GET', url: '/v1/jobs?limit=500' })).json().items.length as number;
  const waiting = async () => (await get(p.api, '/v1/queues')).body.items.find((q: { name: string }) => q.name === 'qubo-solve').counts;

  beforeAll(async () => {
    p = await startPlatform();
    await post(p.api, '/v1/queues/qubo-solve/pause', {});
    const up = await p.api.inject({
      method: 'POST',
      url: '/v1/qubo/problems?format=json&name=b',
      payload: '{"n":2,"terms":[[0,1,1]]}',
      headers: { 'content-type': 'text/plain' },
    });
    problemId = up.json().id;
  });
  afterAll(() => p?.close());

  const solveJob = (extra: Record<string, unknown> = {}) => ({ kind: 'qubo.solve', payload: { problemId, params: { timeLimitMs: 100 } }, ...extra });

  it('queues every job of a batch, each in Postgres and in the queue, with its defaults filled in', async () => {
    const jobs = [...Array.from({ length: 250 }, () => solveJob()), { kind: 'qubo.solve', payload: { problem: { n: 2, terms: [[0, 1, -1]] } } }];
    const r = await post(p.api, '/v1/jobs/batch', { jobs });
    expect(r.status).toBe(201);
    expect(r.body.items).toHaveLength(251);
    expect(new Set(r.body.items.map((i: { id: string }) => i.id)).size).toBe(251);
    expect(r.body.items.every((i: { state: string; replayed: boolean }) => i.state === 'waiting' && !i.replayed)).toBe(true);
    expect(await count()).toBe(251);
    expect((await waiting()).waiting).toBe(251);
    const last = (await get(p.api, `/v1/jobs/${r.body.items[250].id}`)).body;
    expect(last.payload).toMatchObject({ version: 1, params: { mode: 'auto', timeLimitMs: 10_000, seed: 1, restarts: true } });
  });

  it('is all or nothing: one bad item refuses the batch, names the item, and writes nothing', async () => {
    const before = await count();
    const bad = await post(p.api, '/v1/jobs/batch', {
      jobs: [solveJob(), solveJob(), { kind: 'qubo.solve', payload: { problemId, params: { mode: 'fast' } } }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues[0].field).toBe('jobs.2.payload.params.mode');
    // A reference that does not exist is found while preparing: also nothing written, the item named.
    const missing = await post(p.api, '/v1/jobs/batch', {
      jobs: [
        solveJob(),
        { kind: 'qubo.solve', payload: { problem: { n: 2, terms: [[0, 1, 3]] } } },
        { kind: 'qubo.solve', payload: { problemId: crypto.randomUUID() } },
      ],
    });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 'KILN_ERR_PROBLEM_UNKNOWN', details: { items: [{ index: 2, code: 'KILN_ERR_PROBLEM_UNKNOWN' }] } });
    expect(await count()).toBe(before);
    // The inline problem of the refused batch was removed again.
    expect((await get(p.api, '/v1/qubo/problems')).body.items.filter((x: { name: string }) => x.name === 'inline')).toHaveLength(1);
    const tooMany = await post(p.api, '/v1/jobs/batch', { jobs: Array.from({ length: 1001 }, () => solveJob()) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.details.issues[0].field).toBe('jobs');
    expect(await count()).toBe(before);
  });

  it('keys each item: the same batch again is replayed item by item, another request under a used key refuses the batch', async () => {
    const jobs = [solveJob({ idempotencyKey: 'b-1' }), solveJob({ idempotencyKey: 'b-2' }), solveJob()];
    const first = await post(p.api, '/v1/jobs/batch', { jobs });
    expect(first.status).toBe(201);
    const before = await count();
    const again = await post(p.api, '/v1/jobs/batch', { jobs: jobs.slice(0, 2) });
    expect(again.status).toBe(200);
    expect(again.body.items.map((i: { id: string; replayed: boolean }) => [i.id, i.replayed])).toEqual([
      [first.body.items[0].id, true],
      [first.body.items[1].id, true],
    ]);
    // A single submit under an item's key is the same job too.
    const single = await post(p.api, '/v1/jobs', solveJob(), { 'idempotency-key': 'b-1' });
    expect(single.status).toBe(200);
    expect(single.body.id).toBe(first.body.items[0].id);
    expect(await count()).toBe(before);

    const conflict = await post(p.api, '/v1/jobs/batch', {
      jobs: [solveJob({ idempotencyKey: 'b-3' }), { ...solveJob({ idempotencyKey: 'b-2' }), payload: { problemId, params: { timeLimitMs: 200 } } }],
    });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.details.items).toEqual([expect.objectContaining({ index: 1, code: 'KILN_ERR_IDEMPOTENCY_CONFLICT' })]);
    const longKey = await post(p.api, '/v1/jobs', solveJob(), { 'idempotency-key': 'k'.repeat(201) });
    expect(longKey.status).toBe(400);
    expect(longKey.body.error.details.issues[0].field).toBe('headers.idempotency-key');
    const twice = await post(p.api, '/v1/jobs/batch', {
      jobs: [solveJob({ idempotencyKey: 'b-4' }), { ...solveJob({ idempotencyKey: 'b-4' }), options: { priority: 3 } }],
    });
    expect(twice.status).toBe(409);
    expect(await count()).toBe(before);
  });
});
