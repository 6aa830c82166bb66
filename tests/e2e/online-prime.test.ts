import { createDb, getModelWeights, loadDataset } from '@kiln/db';
import { createRedis, OnlineStateStore } from '@kiln/queue';
import { decodeState, decodeWeights, type Mamba4RecConfig, ReferenceStepper, topK } from '@kiln/ssm/online';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SsmWorker, startSsmWorker } from '../../services/worker-ssm/src/worker.js';
import { get, type Platform, post, quietLog, redisUrl, startPlatform, waitForJob } from '../helpers.js';

// Priming (issue 14): ssm.train stores every user's online state when it has stored the model, and
// an ssm.prime job recomputes them; what the API answers for a primed user is the JavaScript
// reference's recurrence over that user's history.

const nItems = 15;
const users = 30;
const length = 9;

function walksCsv(): string {
  const rows = ['user_id,item_id,timestamp'];
  for (let u = 0; u < users; u++) for (let t = 0; t < length; t++) rows.push(`p${u},it-${(u * 7 + t * (1 + (u % 3))) % nItems},${2_000_000 + u * 100 + t}`);
  return `${rows.join('\n')}\n`;
}

describe('online states primed by ssm.train and ssm.prime', () => {
  let p: Platform;
  let worker: SsmWorker;
  let modelId = '';
  let datasetId = '';
  const redis = createRedis(redisUrl, 'producer');
  beforeAll(async () => {
    p = await startPlatform();
    worker = await startSsmWorker({ redisUrl, databaseUrl: p.db.url, prefix: p.prefix, trainConcurrency: 1, scoreConcurrency: 1, log: quietLog });
    const up = await p.api.inject({
      method: 'POST',
      url: '/v1/datasets?format=csv&name=walks&kcore=0',
      payload: walksCsv(),
      headers: { 'content-type': 'text/csv' },
    });
    expect(up.statusCode).toBe(201);
    datasetId = up.json().id;
    const train = await post(p.api, '/v1/jobs', {
      kind: 'ssm.train',
      payload: { datasetId, model: { hiddenSize: 8, maxLen: 8, dState: 4 }, training: { maxEpochs: 1, patience: 1, batchSize: 16, seed: 5 } },
    });
    expect(train.status).toBe(201);
    const job = await waitForJob(p.api, train.body.id);
    expect(job.state, JSON.stringify(job.error)).toBe('completed');
    modelId = job.result.modelId;
  });
  afterAll(async () => {
    await worker?.close();
    redis.disconnect();
    await p?.close();
  });

  it('stores every user of the dataset after training, and the API answers their recurrence over the whole history', async () => {
    const db = createDb({ url: p.db.url });
    try {
      const content = await loadDataset(db, datasetId);
      const row = await getModelWeights(db, modelId);
      if (!content || !row) throw new Error('dataset or model missing');
      const config = row.config as Mamba4RecConfig;
      const reference = new ReferenceStepper(config, decodeWeights(config, row.weights));
      const store = new OnlineStateStore(redis, p.prefix);
      for (const [u, user] of content.users.entries()) {
        const stored = await store.load(modelId, user);
        expect(stored.version, user).toBeGreaterThanOrEqual(1);
        const state = decodeState(stored.blob as Buffer, { stateFloats: reference.dims.stateFloats, hidden: config.hiddenSize });
        expect(state.events).toBe(length);
        // The stored state (fp16) is the reference's within half precision.
        const want = reference.emptyState();
        const hidden = reference.advance(want, content.sequences[u] as Int32Array) as Float32Array;
        state.state.forEach((v, i) => {
          expect(Math.abs(v - (want[i] as number))).toBeLessThanOrEqual(2e-3 * Math.abs(want[i] as number) + 1e-6);
        });
        if (u % 10 === 0) {
          const seen = Int32Array.from(new Set(content.sequences[u]));
          const excluded = new Uint8Array(config.nItems + 1);
          for (const i of seen) excluded[i] = 1;
          const top = topK(reference.scores(hidden), 5, excluded);
          const recs = await get(p.api, `/v1/models/${modelId}/users/${user}/recommendations?k=5`);
          expect(recs.status).toBe(200);
          expect(recs.body.events).toBe(length);
          expect(recs.body.items.map((r: { item: string }) => r.item)).toEqual(Array.from(top.items, (i) => content.items[i - 1]));
        }
      }
    } finally {
      await db.$disconnect();
    }
  });

  it('ssm.prime recomputes every state from the dataset: events posted since are replaced, versions move on', async () => {
    const before = await post(p.api, `/v1/models/${modelId}/users/p3/events`, { items: ['it-1', 'it-2'] });
    expect(before.status).toBe(200);
    expect(before.body.events).toBe(length + 2);

    const job = await post(p.api, '/v1/jobs', { kind: 'ssm.prime', payload: { modelId } });
    expect(job.status).toBe(201);
    const done = await waitForJob(p.api, job.body.id);
    expect(done.state, JSON.stringify(done.error)).toBe('completed');
    expect(done.result).toMatchObject({ modelId, datasetId, users, skippedItems: 0 });
    expect(done.result.stateBytesPerUser).toBeGreaterThan(0);

    const after = await get(p.api, `/v1/models/${modelId}/users/p3/recommendations`);
    expect(after.body.events).toBe(length);
    expect(after.body.version).toBeGreaterThan(before.body.version);
    // The next event applies on the primed state.
    const next = await post(p.api, `/v1/models/${modelId}/users/p3/events`, { items: ['it-4'] });
    expect(next.body).toMatchObject({ events: length + 1, version: after.body.version + 1 });
  });

  it('ssm.prime over another dataset maps its items by external id and skips the ones the model lacks', async () => {
    // Two users of another upload: q1 has an item the model has never seen.
    const csv = 'user_id,item_id,timestamp\nq1,it-3,1\nq1,new-item,2\nq1,it-5,3\nq1,it-6,4\nq2,it-1,1\nq2,it-2,2\nq2,it-4,3\n';
    const up = await p.api.inject({ method: 'POST', url: '/v1/datasets?format=csv&name=other&kcore=0', payload: csv, headers: { 'content-type': 'text/csv' } });
    expect(up.statusCode).toBe(201);
    const job = await post(p.api, '/v1/jobs', { kind: 'ssm.prime', payload: { modelId, datasetId: up.json().id } });
    expect(job.status).toBe(201);
    const done = await waitForJob(p.api, job.body.id);
    expect(done.state, JSON.stringify(done.error)).toBe('completed');
    expect(done.result).toMatchObject({ modelId, datasetId: up.json().id, users: 2, skippedItems: 1 });
    // q1's state is it-3, it-5, it-6 (new-item left out): the same as posting those two events to a new user.
    const primed = await get(p.api, `/v1/models/${modelId}/users/q1/recommendations?k=5`);
    expect(primed.body.events).toBe(3);
    const posted = await post(p.api, `/v1/models/${modelId}/users/fresh-q1/events`, { items: ['it-3', 'it-5', 'it-6'], k: 5 });
    expect(primed.body.items.map((r: { item: string }) => r.item)).toEqual(posted.body.items.map((r: { item: string }) => r.item));
  });

  it('refuses ssm.prime for a model or dataset that does not exist', async () => {
    const noModel = await post(p.api, '/v1/jobs', { kind: 'ssm.prime', payload: { modelId: '00000000-0000-4000-8000-000000000000' } });
    expect(noModel.status).toBe(404);
    expect(noModel.body.error.code).toBe('KILN_ERR_MODEL_UNKNOWN');
    const noData = await post(p.api, '/v1/jobs', { kind: 'ssm.prime', payload: { modelId, datasetId: '00000000-0000-4000-8000-000000000000' } });
    expect(noData.status).toBe(404);
    expect(noData.body.error.code).toBe('KILN_ERR_DATASET_UNKNOWN');
  });
});
