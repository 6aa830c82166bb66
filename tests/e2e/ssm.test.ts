import { createDataset, createDb } from '@kiln/db';
import { nativeStatus } from '@kiln/kernels';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSsmWorker } from '../../services/worker-ssm/src/worker.js';
import { get, type Platform, post, quietLog, redisUrl, startPlatform, waitForJob } from '../helpers.js';

/**
 * A learnable log: every user walks a cycle of 30 items (i → i+1), starting anywhere, 12 steps,
 * written as CSV with timestamps and external ids that are strings.
 */
function cyclicCsv(users: number, items: number, length: number, seed: number): string {
  let s = seed;
  const rnd = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const rows = ['user_id,item_id,timestamp'];
  for (let u = 0; u < users; u++) {
    let item = Math.floor(rnd() * items);
    for (let t = 0; t < length; t++) {
      rows.push(`u${u},item-${item},${1_000_000 + u * 100 + t}`);
      item = (item + 1) % items;
    }
  }
  return `${rows.join('\n')}\n`;
}

/** `users` users with `length` random items each out of `space` ids (kcore 0 keeps them all). */
function randomCsv(users: number, length: number, space: number, seed: number): string {
  let s = seed;
  const rows = ['user_id,item_id,timestamp'];
  for (let u = 0; u < users; u++) {
    for (let t = 0; t < length; t++) {
      s = (s * 1103515245 + 12345) % 2147483648;
      rows.push(`u${u},i${s % space},${t}`);
    }
  }
  return `${rows.join('\n')}\n`;
}

describe('ssm.train and ssm.score through the API and worker-ssm', () => {
  let p: Platform;
  let worker: Awaited<ReturnType<typeof startSsmWorker>>;
  beforeAll(async () => {
    p = await startPlatform();
    worker = await startSsmWorker({
      redisUrl,
      databaseUrl: p.db.url,
      prefix: p.prefix,
      trainConcurrency: 1,
      scoreConcurrency: 1,
      log: quietLog,
      // A cancelled batch that runs longer than this gets its thread terminated (the default is 1 s).
      abortGraceMs: 200,
    });
  });
  afterAll(async () => {
    await worker?.close();
    await p?.close();
  });

  it('uploads, trains to an NDCG@10 far above random, stores the model, and scores every user', async () => {
    const nItems = 30;
    const up = await p.api.inject({
      method: 'POST',
      url: '/v1/datasets?format=csv&name=cycles',
      payload: cyclicCsv(120, nItems, 12, 5),
      headers: { 'content-type': 'text/csv' },
    });
    expect(up.statusCode).toBe(201);
    const ds = up.json();
    expect(ds).toMatchObject({ users: 120, items: nItems, interactions: 120 * 12 });

    const train = await post(p.api, '/v1/jobs', {
      kind: 'ssm.train',
      payload: {
        datasetId: ds.id,
        name: 'cycles',
        model: { hiddenSize: 16, maxLen: 12, dState: 8, dropout: 0.1 },
        training: { maxEpochs: 12, patience: 12, batchSize: 32, lr: 0.01, seed: 7 },
      },
    });
    expect(train.status).toBe(201);
    const job = await waitForJob(p.api, train.body.id);
    expect(job.error).toBeNull();
    expect(job.state).toBe('completed');
    // Random ranking over 30 items gives NDCG@10 ≈ 0.15; the cycle is fully predictable.
    expect(job.result.test['ndcg@10']).toBeGreaterThan(0.6);
    expect(job.result.valid['ndcg@10']).toBeGreaterThan(0.6);
    expect(job.progress.kind).toBe('ssm.train');

    const model = await get(p.api, `/v1/models/${job.result.modelId}`);
    expect(model.status).toBe(200);
    expect(model.body.version).toBe(1);
    expect(model.body.epochs.length).toBe(job.result.epochs);
    const epochs = await get(p.api, `/v1/jobs/${train.body.id}/epochs`);
    expect(epochs.body.items.map((e: { epoch: number }) => e.epoch)).toEqual(Array.from({ length: job.result.epochs }, (_, i) => i + 1));
    expect(epochs.body.bestEpoch).toBe(job.result.bestEpoch);
    // The native backend whenever the addon is built (npm run setup builds it), else tfjs's own.
    if (nativeStatus().loaded) expect(model.body.backend).toBe('kiln');
    else expect(['wasm', 'cpu', 'tensorflow']).toContain(model.body.backend);

    const score = await post(p.api, '/v1/jobs', { kind: 'ssm.score', payload: { modelId: job.result.modelId, users: 'all', k: 5, excludeSeen: false } });
    expect(score.status).toBe(201);
    const scored = await waitForJob(p.api, score.body.id);
    expect(scored.state).toBe('completed');
    expect(scored.result.users).toBe(120);
    const recs = await get(p.api, `/v1/jobs/${score.body.id}/recommendations?limit=200`);
    expect(recs.body.items).toHaveLength(120);
    // The next item of the cycle is the top recommendation for most users.
    const csvUsers = new Map<string, number>();
    for (const line of cyclicCsv(120, nItems, 12, 5).trim().split('\n').slice(1)) {
      const [u, item] = line.split(',');
      csvUsers.set(u!, Number(item!.slice(5)));
    }
    let hits = 0;
    for (const r of recs.body.items) {
      expect(r.items).toHaveLength(5);
      expect(r.items.map((x: { rank: number }) => x.rank)).toEqual([1, 2, 3, 4, 5]);
      const next = `item-${((csvUsers.get(r.user) ?? 0) + 1) % nItems}`;
      if (r.items[0].item === next) hits++;
    }
    expect(hits).toBeGreaterThan(60);

    const seen = await post(p.api, '/v1/jobs', { kind: 'ssm.score', payload: { modelId: job.result.modelId, users: ['u1', 'u2'], k: 25, excludeSeen: true } });
    await waitForJob(p.api, seen.body.id);
    const seenRecs = await get(p.api, `/v1/jobs/${seen.body.id}/recommendations`);
    expect(seenRecs.body.items).toHaveLength(2);
    // 12 of 30 items are in each history: only 18 are left to recommend.
    for (const r of seenRecs.body.items) expect(r.items).toHaveLength(18);
  });

  it('cancels a running training job, and the worker keeps serving', async () => {
    const up = await p.api.inject({
      method: 'POST',
      url: '/v1/datasets?format=csv&name=cycles-cancel',
      payload: cyclicCsv(60, 30, 12, 9),
      headers: { 'content-type': 'text/csv' },
    });
    const train = await post(p.api, '/v1/jobs', {
      kind: 'ssm.train',
      payload: { datasetId: up.json().id, model: { hiddenSize: 8, maxLen: 12, dState: 4 }, training: { maxEpochs: 1000, patience: 1000, batchSize: 8 } },
    });
    await waitForJob(p.api, train.body.id, (j) => j.state === 'active' && (j.progress?.epoch ?? 0) >= 1);
    const cancel = await post(p.api, `/v1/jobs/${train.body.id}/cancel`, {});
    expect(cancel.status).toBe(202);
    const job = await waitForJob(p.api, train.body.id);
    expect(job.state).toBe('cancelled');
    expect((await get(p.api, '/v1/models')).body.items.filter((m: { jobId: string }) => m.jobId === train.body.id)).toEqual([]);
    const again = await post(p.api, '/v1/jobs', {
      kind: 'ssm.train',
      payload: { datasetId: up.json().id, model: { hiddenSize: 8, maxLen: 12, dState: 4 }, training: { maxEpochs: 1, batchSize: 16 } },
    });
    expect((await waitForJob(p.api, again.body.id)).state).toBe('completed');
  });

  it('cancels a training job stuck in one long batch: the thread is terminated and replaced, and the worker serves the next job', async () => {
    // One batch: 64 windows × 200 positions, a softmax over ~11,500 items at hidden size 128 (about a second of compute).
    const up = await p.api.inject({
      method: 'POST',
      url: '/v1/datasets?format=csv&name=wide&kcore=0',
      payload: randomCsv(64, 202, 50_000, 3),
      headers: { 'content-type': 'text/csv' },
    });
    expect(up.statusCode).toBe(201);
    const before = { ...worker.pool.stats };
    const train = await post(p.api, '/v1/jobs', {
      kind: 'ssm.train',
      payload: { datasetId: up.json().id, model: { hiddenSize: 128, maxLen: 200 }, training: { batchSize: 64, maxEpochs: 5 } },
    });
    expect(train.status).toBe(201);
    // Training has started (its first progress): the compute thread is in its first batch.
    await waitForJob(p.api, train.body.id, (j) => j.progress?.kind === 'ssm.train');
    expect((await post(p.api, `/v1/jobs/${train.body.id}/cancel`, {})).status).toBe(202);
    const job = await waitForJob(p.api, train.body.id);
    expect(job.state).toBe('cancelled');
    expect(job.progress.epoch).toBe(0);
    expect(worker.pool.stats.aborted).toBe(before.aborted + 1);
    expect(worker.pool.stats.terminated).toBe(before.terminated + 1);
    expect(worker.pool.stats.replaced).toBe(before.replaced + 1);
    const small = await p.api.inject({
      method: 'POST',
      url: '/v1/datasets?format=csv&name=after-cancel',
      payload: cyclicCsv(40, 30, 12, 4),
      headers: { 'content-type': 'text/csv' },
    });
    const next = await post(p.api, '/v1/jobs', {
      kind: 'ssm.train',
      payload: { datasetId: small.json().id, model: { hiddenSize: 8, maxLen: 12, dState: 4 }, training: { maxEpochs: 1 } },
    });
    expect((await waitForJob(p.api, next.body.id)).state).toBe('completed');
  });

  it('refuses at upload a dataset leave-one-out cannot split (400 KILN_ERR_DATASET_TOO_SMALL) and stores nothing', async () => {
    const before = (await get(p.api, '/v1/datasets')).body.items.length;
    const cases = [
      // Two users with 3 items: validation and test targets, but not one training target.
      'user_id,item_id,timestamp\n1,a,1\n1,b,2\n1,c,3\n2,b,1\n2,c,2\n2,a,3\n',
      // One user: metrics over a single user.
      `user_id,item_id,timestamp\n${Array.from({ length: 10 }, (_, t) => `1,i${t},${t}`).join('\n')}\n`,
    ];
    for (const body of cases) {
      const res = await p.api.inject({
        method: 'POST',
        url: '/v1/datasets?format=csv&name=tiny&kcore=0',
        payload: body,
        headers: { 'content-type': 'text/csv' },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('KILN_ERR_DATASET_TOO_SMALL');
      expect(res.json().error.message).toContain('at least 2 users with ≥ 3 interactions');
    }
    expect((await get(p.api, '/v1/datasets')).body.items.length).toBe(before);
  });

  it('refuses at submit training on a dataset stored before the size rule', async () => {
    const db = createDb({ url: p.db.url });
    try {
      const old = await createDataset(db, {
        name: 'stored-before-the-rule',
        format: 'csv',
        kcore: 0,
        users: ['1', '2'],
        items: ['a', 'b', 'c'],
        sequences: [Int32Array.from([1, 2, 3]), Int32Array.from([2, 3, 1])],
        rawInteractions: 6,
      });
      const res = await post(p.api, '/v1/jobs', { kind: 'ssm.train', payload: { datasetId: old.id } });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('KILN_ERR_DATASET_TOO_SMALL');
      expect(res.body.error.details).toMatchObject({ evaluatedUsers: 2, trainingTargets: 0 });
    } finally {
      await db.$disconnect();
    }
  });

  it('refuses at submit a training job whose memory estimate exceeds KILN_SSM_MEMORY_MB, saying what to reduce', async () => {
    const up = await p.api.inject({
      method: 'POST',
      url: '/v1/datasets?format=csv&name=cycles-big',
      payload: cyclicCsv(40, 30, 12, 6),
      headers: { 'content-type': 'text/csv' },
    });
    const jobsBefore = (await get(p.api, '/v1/jobs?kind=ssm.train&limit=100')).body.items.length;
    const res = await post(p.api, '/v1/jobs', {
      kind: 'ssm.train',
      payload: { datasetId: up.json().id, model: { hiddenSize: 1024, numLayers: 4, maxLen: 1000 }, training: { batchSize: 4096 } },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('KILN_ERR_RESOURCE_LIMIT');
    expect(res.body.error.message).toMatch(/would need about \d+ MB, more than the 4096 MB .*KILN_SSM_MEMORY_MB.*reduce training\.batchSize/);
    expect(res.body.error.details.estimateBytes).toBeGreaterThan(res.body.error.details.budgetBytes);
    expect((await get(p.api, '/v1/jobs?kind=ssm.train&limit=100')).body.items.length).toBe(jobsBefore);
    // The same dataset with a default model fits.
    const fits = await post(p.api, '/v1/jobs', { kind: 'ssm.train', payload: { datasetId: up.json().id, training: { maxEpochs: 1 } } });
    expect(fits.status).toBe(201);
    await post(p.api, `/v1/jobs/${fits.body.id}/cancel`, {});
    await waitForJob(p.api, fits.body.id);
  });

  it('rejects malformed uploads with a 400 naming the line and stores nothing', async () => {
    const cases: Array<[string, string, number]> = [
      ['movielens', '1::2::5::978300760\n1::3::5\n', 2],
      ['recbole', 'user_id:token\titem_id:token\ttimestamp:float\n1\t2\t3\n1\t2\tabc\n', 3],
      ['csv', 'user,item,timestamp\n1,2,3\n,4,5\n', 3],
      ['sasrec', '1 2\n1\n', 2],
    ];
    const before = (await get(p.api, '/v1/datasets')).body.items.length;
    for (const [format, body, line] of cases) {
      const res = await p.api.inject({
        method: 'POST',
        url: `/v1/datasets?format=${format}&name=bad&kcore=0`,
        payload: body,
        headers: { 'content-type': 'text/plain' },
      });
      expect(res.statusCode, format).toBe(400);
      expect(res.json().error.code).toBe('KILN_ERR_DATASET_PARSE');
      expect(res.json().error.details.line, format).toBe(line);
    }
    const missing = await p.api.inject({ method: 'POST', url: '/v1/datasets?format=xml&name=bad', payload: 'x', headers: { 'content-type': 'text/plain' } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toContain('query.format');
    expect((await get(p.api, '/v1/datasets')).body.items.length).toBe(before);
  });

  it('rejects training and scoring jobs that name unknown datasets or models', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const t = await post(p.api, '/v1/jobs', { kind: 'ssm.train', payload: { datasetId: id } });
    expect(t.status).toBe(404);
    expect(t.body.error.code).toBe('KILN_ERR_DATASET_UNKNOWN');
    const s = await post(p.api, '/v1/jobs', { kind: 'ssm.score', payload: { modelId: id } });
    expect(s.body.error.code).toBe('KILN_ERR_MODEL_UNKNOWN');
    const bad = await post(p.api, '/v1/jobs', { kind: 'ssm.train', payload: { datasetId: id, model: { hiddenSize: -1 } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues[0].field).toBe('payload.model.hiddenSize');
    const kind = await post(p.api, '/v1/jobs', { kind: 'ssm.fly', payload: {} });
    expect(kind.status).toBe(400);
    expect(kind.body.error.message).toContain('kind');
  });
});
