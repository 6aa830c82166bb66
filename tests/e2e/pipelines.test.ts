import { PassThrough } from 'node:stream';
import { createDb, insertPipeline } from '@kiln/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../packages/cli/src/main.js';
import { startSsmWorker } from '../../services/worker-ssm/src/worker.js';
import { get, type Platform, post, quietLog, redisUrl, startPlatform } from '../helpers.js';

/** Every user walks a cycle of `items` items, `length` steps (learnable, small). */
function cyclicCsv(users: number, items: number, length: number): string {
  const rows = ['user_id,item_id,timestamp'];
  for (let u = 0; u < users; u++) for (let t = 0; t < length; t++) rows.push(`u${u},item-${(u * 7 + t) % items},${1_000_000 + u * 100 + t}`);
  return `${rows.join('\n')}\n`;
}

const terminal = ['completed', 'failed', 'cancelled'];

/** Polls a pipeline until `done` holds (the test's timeout bounds the wait). */
async function waitForPipeline(p: Platform, id: string, done: (x: Record<string, any>) => boolean = (x) => terminal.includes(x.state)) {
  for (;;) {
    const { body } = await get(p.api, `/v1/pipelines/${id}`);
    if (done(body)) return body;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const model = { hiddenSize: 8, maxLen: 8, dState: 4 };

/** Runs `kiln …` in this process against `url`; its exit code and what it wrote. */
async function kiln(url: string, key: string, ...argv: string[]) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (d) => {
    stdout += d;
  });
  err.on('data', (d) => {
    stderr += d;
  });
  const code = await main(argv, { io: { out, err }, env: { KILN_API_URL: url, KILN_API_KEY: key }, signal: new AbortController().signal });
  return { code, stdout, stderr };
}

describe('pipelines: train, then score with the model the training produced', () => {
  let p: Platform;
  let worker: Awaited<ReturnType<typeof startSsmWorker>>;
  let datasetId: string;
  beforeAll(async () => {
    p = await startPlatform();
    worker = await startSsmWorker({
      redisUrl,
      databaseUrl: p.db.url,
      prefix: p.prefix,
      trainConcurrency: 1,
      scoreConcurrency: 1,
      log: quietLog,
      abortGraceMs: 200,
    });
    const up = await p.api.inject({
      method: 'POST',
      url: '/v1/datasets?format=csv&name=cycles',
      payload: cyclicCsv(60, 20, 8),
      headers: { 'content-type': 'text/csv' },
    });
    expect(up.statusCode).toBe(201);
    datasetId = up.json().id;
  });
  afterAll(async () => {
    await worker?.close();
    await p?.close();
  });

  it('ends with recommendations for every user', async () => {
    const created = await post(p.api, '/v1/pipelines', {
      name: 'nightly',
      steps: [
        { kind: 'ssm.train', payload: { datasetId, name: 'cycles', model, training: { maxEpochs: 2, patience: 2, batchSize: 32, seed: 1 } } },
        { kind: 'ssm.score', payload: { users: 'all', k: 3, excludeSeen: false } },
      ],
    });
    expect(created.status).toBe(201);
    expect(created.body.steps.map((s: { kind: string }) => s.kind)).toEqual(['ssm.train', 'ssm.score']);
    expect(created.body.steps[0].jobId).toEqual(expect.any(String));
    expect(created.body.steps[1]).toMatchObject({ state: 'pending', jobId: null });

    const done = await waitForPipeline(p, created.body.id);
    expect(done.error).toBeNull();
    expect(done.state).toBe('completed');
    expect(done.steps.map((s: { state: string }) => s.state)).toEqual(['completed', 'completed']);
    const train = await get(p.api, `/v1/jobs/${done.steps[0].jobId}`);
    const score = await get(p.api, `/v1/jobs/${done.steps[1].jobId}`);
    // The score step was given the model the train step produced.
    expect(score.body.payload.modelId).toBe(train.body.result.modelId);
    expect(done.steps[1].payload.modelId).toBe(train.body.result.modelId);
    const recs = await get(p.api, `/v1/jobs/${done.steps[1].jobId}/recommendations?limit=100`);
    expect(recs.body.items).toHaveLength(60);
    expect(new Set(recs.body.items.map((r: { user: string }) => r.user))).toEqual(new Set(Array.from({ length: 60 }, (_, u) => `u${u}`)));

    // Listed, with a next link when there is more.
    await post(p.api, '/v1/pipelines', { steps: [{ kind: 'ssm.score', payload: { modelId: train.body.result.modelId, k: 1 } }] });
    const page = await get(p.api, '/v1/pipelines?limit=1');
    expect(page.body.items).toHaveLength(1);
    expect(page.body.next).toMatch(/^\/v1\/pipelines\?/);
    const rest = await get(p.api, page.body.next);
    expect(rest.body.items.map((x: { id: string }) => x.id)).toContain(created.body.id);
  });

  it('cancelling the pipeline while it trains cancels the training; the score step never runs', async () => {
    const created = await post(p.api, '/v1/pipelines', {
      steps: [
        { kind: 'ssm.train', payload: { datasetId, model, training: { maxEpochs: 500, patience: 500, batchSize: 4, seed: 2 } } },
        { kind: 'ssm.score', payload: { k: 3 } },
      ],
    });
    expect(created.status).toBe(201);
    await waitForPipeline(p, created.body.id, (x) => x.steps[0].state === 'active');
    const cancel = await post(p.api, `/v1/pipelines/${created.body.id}/cancel`, {});
    expect(cancel.status).toBe(202);
    expect(cancel.body.state).toBe('cancelled');
    const done = await waitForPipeline(p, created.body.id, (x) => terminal.includes(x.steps[0].state));
    expect(done.state).toBe('cancelled');
    expect(done.steps[0].state).toBe('cancelled');
    expect(done.steps[1]).toMatchObject({ state: 'cancelled', jobId: null });
    // Cancelling again changes nothing.
    expect((await post(p.api, `/v1/pipelines/${created.body.id}/cancel`, {})).status).toBe(200);
    // A pass of the advancer later, the score step still has no job.
    await new Promise((r) => setTimeout(r, 1200));
    expect((await get(p.api, `/v1/pipelines/${created.body.id}`)).body.steps[1].jobId).toBeNull();
  });

  it('a step that is refused fails the pipeline and the steps after it never run', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const created = await post(p.api, '/v1/pipelines', {
      steps: [
        { kind: 'ssm.train', payload: { datasetId, model, training: { maxEpochs: 1, batchSize: 32, seed: 3 } } },
        { kind: 'ssm.score', payload: { modelId: missing, k: 3 } },
        { kind: 'ssm.score', payload: { k: 3 } },
      ],
    });
    expect(created.status).toBe(201);
    const done = await waitForPipeline(p, created.body.id);
    expect(done.state).toBe('failed');
    expect(done.error.code).toBe('KILN_ERR_MODEL_UNKNOWN');
    expect(done.steps.map((s: { state: string }) => s.state)).toEqual(['completed', 'failed', 'failed']);
    expect(done.steps[1].jobId).toBeNull();
    expect(done.steps[2].jobId).toBeNull();
  });

  it('a training job cancelled on its own cancels its pipeline', async () => {
    const created = await post(p.api, '/v1/pipelines', {
      steps: [
        { kind: 'ssm.train', payload: { datasetId, model, training: { maxEpochs: 500, patience: 500, batchSize: 4, seed: 4 } } },
        { kind: 'ssm.score', payload: { k: 3 } },
      ],
    });
    await post(p.api, `/v1/jobs/${created.body.steps[0].jobId}/cancel`, {});
    const done = await waitForPipeline(p, created.body.id);
    expect(done.state).toBe('cancelled');
    expect(done.error.code).toBe('KILN_ERR_JOB_CANCELLED');
    expect(done.steps[1]).toMatchObject({ state: 'cancelled', jobId: null });
  });

  it('refuses bad input with a 400 or 404 naming the field', async () => {
    const empty = await post(p.api, '/v1/pipelines', { steps: [] });
    expect(empty.status).toBe(400);
    expect(empty.body.error.details.issues[0].field).toMatch(/steps/);
    const noModel = await post(p.api, '/v1/pipelines', { steps: [{ kind: 'ssm.score', payload: { k: 3 } }] });
    expect(noModel.status).toBe(400);
    expect(noModel.body.error.details.issues[0].field).toBe('steps.0.payload.modelId');
    const unknown = await post(p.api, '/v1/pipelines', {
      steps: [
        { kind: 'ssm.train', payload: { datasetId: '00000000-0000-4000-8000-000000000000' } },
        { kind: 'ssm.score', payload: {} },
      ],
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('KILN_ERR_DATASET_UNKNOWN');
    expect(unknown.body.error.message).toMatch(/^steps\.0\.payload\.datasetId/);
    const badKind = await post(p.api, '/v1/pipelines', { steps: [{ kind: 'nope', payload: {} }] });
    expect(badKind.status).toBe(400);
    expect((await get(p.api, '/v1/pipelines/nope')).status).toBe(404);
    expect((await get(p.api, '/v1/pipelines?cursor=zzz')).status).toBe(400);
  });

  it('works through the CLI: create --watch, ls, show, cancel', async () => {
    const url = await p.api.listen({ port: 0, host: '127.0.0.1' });
    const created = await kiln(
      url,
      p.adminKey,
      'pipeline',
      'create',
      '--dataset',
      datasetId,
      '--name',
      'from-cli',
      '--set',
      'training.maxEpochs=1',
      '--set',
      'model.hiddenSize=8',
      '--set',
      'model.maxLen=8',
      '--k',
      '2',
      '--watch',
      '--json',
    );
    expect(created.code).toBe(0);
    const done = JSON.parse(created.stdout);
    expect(done.state).toBe('completed');
    expect(done.steps.map((s: { kind: string }) => s.kind)).toEqual(['ssm.train', 'ssm.score']);
    const ls = await kiln(url, p.adminKey, 'pipeline', 'ls', '--state', 'completed');
    expect(ls.code).toBe(0);
    expect(ls.stdout).toContain(done.id);
    const show = await kiln(url, p.adminKey, 'pipeline', 'show', done.id);
    expect(show.stdout).toContain('ssm.score');
    expect(show.stdout).toContain('completed');
    const cancel = await kiln(url, p.adminKey, 'pipeline', 'cancel', done.id, '--json');
    expect(JSON.parse(cancel.stdout).state).toBe('completed');
    expect((await kiln(url, p.adminKey, 'pipeline', 'create')).code).toBe(2);
    expect((await kiln(url, p.adminKey, 'pipeline', 'show', 'nope')).code).toBe(3);
  });

  it('a pipeline whose create died before its first step was queued is picked up from the ledger', async () => {
    const db = createDb({ url: p.db.url });
    try {
      const id = '11111111-2222-4333-8444-555555555555';
      // What a create that died between its INSERT and its first submit leaves behind.
      await insertPipeline(db, {
        id,
        steps: [
          { kind: 'ssm.train', request: { datasetId, model, training: { maxEpochs: 1, batchSize: 32, seed: 6 } } },
          { kind: 'ssm.score', request: { k: 2 } },
        ],
      });
      await db.pipeline.update({ where: { id }, data: { createdAt: new Date(Date.now() - 60_000) } });
      const done = await waitForPipeline(p, id);
      expect(done.state).toBe('completed');
      expect(done.steps.every((s: { jobId: string | null }) => s.jobId !== null)).toBe(true);
    } finally {
      await db.$disconnect();
    }
  });

  it('an Idempotency-Key gives the same pipeline, and 409 for another request under it', async () => {
    const body = { steps: [{ kind: 'ssm.train', payload: { datasetId, model, training: { maxEpochs: 1, batchSize: 32, seed: 5 } } }] };
    const a = await post(p.api, '/v1/pipelines', body, { 'idempotency-key': 'pipe-1' });
    const b = await post(p.api, '/v1/pipelines', body, { 'idempotency-key': 'pipe-1' });
    expect(a.status).toBe(201);
    expect(b.status).toBe(200);
    expect(b.body.id).toBe(a.body.id);
    expect(b.body.steps[0].jobId).toBe(a.body.steps[0].jobId);
    const other = { steps: [{ kind: 'ssm.train', payload: { datasetId, model, training: { maxEpochs: 1, batchSize: 32, seed: 6 } } }] };
    const c = await post(p.api, '/v1/pipelines', other, { 'idempotency-key': 'pipe-1' });
    expect(c.status).toBe(409);
    expect(c.body.error.code).toBe('KILN_ERR_IDEMPOTENCY_CONFLICT');
    await waitForPipeline(p, a.body.id);
  });
});
