import { PassThrough } from 'node:stream';
import { createSqlPool, type SqlPool } from '@kiln/db';
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

const ENDED = ['completed', 'failed', 'cancelled'];
const tiny = { hiddenSize: 8, maxLen: 8, dState: 4 };
const missing = '00000000-0000-4000-8000-000000000000';

/** Polls a tune until `done` holds (the test's timeout bounds the wait). */
async function waitForTune(p: Platform, id: string, done: (t: Record<string, any>) => boolean = (t) => ENDED.includes(t.state) && t.counts.running === 0) {
  for (;;) {
    const { body } = await get(p.api, `/v1/tunes/${id}`);
    if (done(body)) return body;
    await new Promise((r) => setTimeout(r, 100));
  }
}

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

describe('tunes: hyperparameter search as ssm.train trials', () => {
  let p: Platform;
  let sql: SqlPool;
  let worker: Awaited<ReturnType<typeof startSsmWorker>>;
  let datasetId: string;
  /** Rows written: tunes, and ssm.train jobs (a refused create writes neither). */
  const written = async () => {
    const { rows } = await sql.query<{ tunes: number; jobs: number }>(
      `SELECT (SELECT count(*)::int FROM "Tune") AS tunes, (SELECT count(*)::int FROM "Job" WHERE "kind" = 'ssm.train') AS jobs`,
    );
    return rows[0];
  };

  beforeAll(async () => {
    p = await startPlatform();
    sql = createSqlPool({ url: p.db.url, max: 1 });
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
    await sql?.end();
    await p?.close();
  });

  it('runs a grid of 2 trials as real ssm.train jobs, records their objectives and keeps the best model', async () => {
    const created = await post(p.api, '/v1/tunes', {
      name: 'lr grid',
      datasetId,
      base: { model: tiny, training: { maxEpochs: 2, patience: 2, batchSize: 32, seed: 1 } },
      search: { 'training.lr': [0.0001, 0.01] },
      strategy: 'grid',
      parallelism: 2,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      name: 'lr grid',
      strategy: 'grid',
      objective: 'valid.ndcg@10',
      maxTrials: 2,
      parallelism: 2,
      seed: null,
      space: { size: 2, trials: 2, truncated: false },
      best: null,
    });
    expect(created.body.trials.map((t: { params: unknown }) => t.params)).toEqual([{ 'training.lr': 0.0001 }, { 'training.lr': 0.01 }]);

    const done = await waitForTune(p, created.body.id);
    expect(done.error).toBeNull();
    expect(done.state).toBe('completed');
    expect(done.counts).toEqual({ pending: 0, running: 0, completed: 2, failed: 0, cancelled: 0 });
    for (const trial of done.trials) {
      expect(trial.state).toBe('completed');
      // The objective is the model's validation NDCG@10 at its best epoch, as stored with the model.
      const model = await get(p.api, `/v1/models/${trial.modelId}`);
      expect(model.status).toBe(200);
      expect(trial.objective).toBe(model.body.metrics.valid['ndcg@10']);
      expect(trial.test['ndcg@10']).toBe(model.body.metrics.test['ndcg@10']);
      expect(trial.test['hr@10']).toEqual(expect.any(Number));
      // Each trial ran the normal ssm.train job: its payload has the base settings and its own value.
      const job = await get(p.api, `/v1/jobs/${trial.jobId}`);
      expect(job.body.kind).toBe('ssm.train');
      expect(job.body.payload.training).toMatchObject({ lr: trial.params['training.lr'], maxEpochs: 2, batchSize: 32, seed: 1 });
      expect(job.body.payload.model).toMatchObject(tiny);
      expect(job.body.result.modelId).toBe(trial.modelId);
    }
    const [a, b] = done.trials as Array<{ objective: number }>;
    const bestIndex = (b as { objective: number }).objective > (a as { objective: number }).objective ? 1 : 0;
    expect(done.best).toMatchObject({ trial: bestIndex, modelId: done.trials[bestIndex].modelId, objective: done.trials[bestIndex].objective });
    expect(done.best.params).toEqual(done.trials[bestIndex].params);
    expect((await get(p.api, `/v1/models/${done.best.modelId}`)).status).toBe(200);

    // Listed (with a filter and paging), and each trial's job carries the tune's own key.
    const listed = await get(p.api, `/v1/tunes?state=completed&datasetId=${datasetId}`);
    expect(listed.body.items.map((t: { id: string }) => t.id)).toContain(created.body.id);
    const { rows } = await sql.query<{ key: string }>(`SELECT "idempotencyKey" AS key FROM "Job" WHERE "idempotencyKey" LIKE $1 ORDER BY 1`, [
      `~tune:${created.body.id}:%`,
    ]);
    expect(rows.map((r) => r.key)).toEqual([`~tune:${created.body.id}:0`, `~tune:${created.body.id}:1`]);
  });

  it('draws a random search within its budget, the same trials for the same seed', async () => {
    const body = {
      datasetId,
      base: { model: tiny, training: { maxEpochs: 1, batchSize: 32 } },
      search: { 'training.lr': { min: 0.0001, max: 0.01, log: true }, 'model.hiddenSize': { min: 8, max: 16 }, 'model.dropout': [0, 0.1, 0.2] },
      strategy: 'random',
      maxTrials: 5,
      seed: 42,
    };
    const a = await post(p.api, '/v1/tunes', body);
    const b = await post(p.api, '/v1/tunes', body);
    const c = await post(p.api, '/v1/tunes', { ...body, seed: 43 });
    for (const x of [a, b, c]) {
      expect(x.status).toBe(201);
      // Nothing of these needs to run: cancelled at once (a trial already submitted is cancelled too).
      expect((await post(p.api, `/v1/tunes/${x.body.id}/cancel`, {})).status).toBe(202);
    }
    expect(a.body.trials).toHaveLength(5);
    expect(a.body.seed).toBe(42);
    expect(a.body.space).toEqual({ size: null, trials: 5, truncated: false });
    const params = (x: typeof a) => x.body.trials.map((t: { params: unknown }) => t.params);
    expect(params(b)).toEqual(params(a));
    expect(params(c)).not.toEqual(params(a));
    for (const t of params(a) as Array<Record<string, number>>) {
      expect(t['training.lr']).toBeGreaterThanOrEqual(0.0001);
      expect(t['training.lr']).toBeLessThanOrEqual(0.01);
      expect(Number.isInteger(t['model.hiddenSize'])).toBe(true);
      expect([0, 0.1, 0.2]).toContain(t['model.dropout']);
    }
    // Without a seed one is drawn, and shown so the search can be repeated.
    const unseeded = await post(p.api, '/v1/tunes', { ...body, seed: undefined, maxTrials: 1 });
    expect(unseeded.body.seed).toEqual(expect.any(Number));
    await post(p.api, `/v1/tunes/${unseeded.body.id}/cancel`, {});
    // A grid larger than the budget is cut to it, and says so.
    const cut = await post(p.api, '/v1/tunes', {
      datasetId,
      base: body.base,
      search: { 'model.dropout': [0, 0.1, 0.2], 'training.lr': [0.001, 0.002] },
      maxTrials: 4,
    });
    expect(cut.status).toBe(201);
    expect(cut.body.space).toEqual({ size: 6, trials: 4, truncated: true });
    await post(p.api, `/v1/tunes/${cut.body.id}/cancel`, {});
    for (const x of [a, b, c, unseeded, cut]) await waitForTune(p, x.body.id);
  });

  it('refuses a bad field, a bad value, an empty grid or an unknown dataset with a 4xx naming it, and writes nothing', async () => {
    const before = await written();
    const refuse = async (body: Record<string, unknown>, status: number, field: string) => {
      const res = await post(p.api, '/v1/tunes', { datasetId, strategy: 'grid', ...body });
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      const fields = [...(res.body.error.details?.issues ?? []).map((i: { field: string }) => i.field), res.body.error.details?.field];
      expect(fields, JSON.stringify(res.body)).toContain(field);
      return res.body.error;
    };
    const foo = await refuse({ search: { 'training.foo': [1, 2] } }, 400, 'search["training.foo"]');
    expect(foo.code).toBe('KILN_ERR_VALIDATION');
    expect(foo.message).toContain('training.lr'); // it lists the searchable fields
    await refuse({ search: { datasetId: [missing] } }, 400, 'search["datasetId"]');
    const lr = await refuse({ search: { 'training.lr': [0.001, 5] } }, 400, 'search["training.lr"][1]');
    expect(lr.message).toMatch(/\(0, 1\]/);
    await refuse({ search: { 'model.dropout': { min: 0.1, max: 0.95 } }, strategy: 'random', maxTrials: 2 }, 400, 'search["model.dropout"]["max"]');
    await refuse({ search: { 'training.lrSchedule': ['linear'] } }, 400, 'search["training.lrSchedule"][0]');
    await refuse({ search: {} }, 400, 'search');
    await refuse({ search: { 'model.dropout': [] } }, 400, 'search["model.dropout"]');
    await refuse({ search: { 'training.lr': { min: 0.001, max: 0.01 } } }, 400, 'search["training.lr"]');
    await refuse({ search: { 'training.lr': { min: 0.001, max: 0.01 } }, strategy: 'random' }, 400, 'maxTrials');
    await refuse({ search: { 'training.lr': [0.001] }, maxTrials: 65 }, 400, 'maxTrials');
    await refuse({ search: { 'training.lr': [0.001] }, base: { training: { nope: 1 } } }, 400, 'base.training');
    const unknown = await refuse({ datasetId: missing, search: { 'training.lr': [0.001] } }, 404, 'datasetId');
    expect(unknown.code).toBe('KILN_ERR_DATASET_UNKNOWN');
    expect(unknown.message).toMatch(/^datasetId: no dataset/);
    // A trial the workers could not run (estimated memory over their budget) is refused up front, named by trial.
    const big = await refuse({ search: { 'model.hiddenSize': [8, 1024] }, base: { model: { maxLen: 8 }, training: { batchSize: 65536 } } }, 400, 'trials[1]');
    expect(big.code).toBe('KILN_ERR_RESOURCE_LIMIT');
    expect(big.message).toMatch(/^trials\[1\] \(model\.hiddenSize=1024\): training would need/);
    expect(await written()).toEqual(before);
    expect((await get(p.api, '/v1/tunes/nope')).status).toBe(404);
    expect((await get(p.api, '/v1/tunes?cursor=zzz')).status).toBe(400);
  });

  it('cancelling a tune stops its running trial; the trials not started never run', async () => {
    const created = await post(p.api, '/v1/tunes', {
      datasetId,
      base: { model: tiny, training: { maxEpochs: 500, patience: 500, batchSize: 4, seed: 2 } },
      search: { 'training.lr': [0.001, 0.002, 0.003] },
    });
    expect(created.status).toBe(201);
    const running = await waitForTune(p, created.body.id, (t) => t.trials[0].state === 'active');
    expect(running.state).toBe('running');
    expect(running.trials[1]).toMatchObject({ state: 'pending', jobId: null }); // parallelism 1
    const cancel = await post(p.api, `/v1/tunes/${created.body.id}/cancel`, {});
    expect(cancel.status).toBe(202);
    expect(cancel.body.state).toBe('cancelled');
    const done = await waitForTune(p, created.body.id);
    expect(done.state).toBe('cancelled');
    expect(done.error.code).toBe('KILN_ERR_JOB_CANCELLED');
    expect(done.trials.map((t: { state: string }) => t.state)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect((await get(p.api, `/v1/jobs/${done.trials[0].jobId}`)).body.state).toBe('cancelled');
    expect(done.best).toBeNull();
    // Cancelling again changes nothing; a pass of the advancer later, no trial got a job.
    expect((await post(p.api, `/v1/tunes/${created.body.id}/cancel`, {})).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1200));
    const later = await get(p.api, `/v1/tunes/${created.body.id}`);
    expect(later.body.trials.slice(1).map((t: { jobId: string | null }) => t.jobId)).toEqual([null, null]);
  });

  it('submits each trial once: a trial that lost the record of its job gets the same job back', async () => {
    // The trials wait in a paused queue while the ledger is taken back.
    expect((await post(p.api, '/v1/queues/ssm-train/pause', {})).status).toBe(200);
    const created = await post(p.api, '/v1/tunes', {
      datasetId,
      base: { model: tiny, training: { maxEpochs: 1, batchSize: 32, seed: 3 } },
      search: { 'model.dropout': [0, 0.2] },
      parallelism: 2,
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const submitted = await waitForTune(p, id, (t) => t.trials.every((x: { jobId: string | null }) => x.jobId !== null));
    const jobIds = submitted.trials.map((t: { jobId: string }) => t.jobId);
    // What an advancer that died between the submit and the record leaves behind: a pending trial
    // whose job exists. The next pass submits it again under the same key: the same job.
    await sql.query(`UPDATE "TuneTrial" SET "state" = 'pending', "jobId" = NULL WHERE "tuneId" = $1 AND "idx" = 1`, [id]);
    const again = await waitForTune(p, id, (t) => t.trials[1].jobId !== null);
    expect(again.trials.map((t: { jobId: string }) => t.jobId)).toEqual(jobIds);
    expect((await post(p.api, '/v1/queues/ssm-train/resume', {})).status).toBe(200);
    const done = await waitForTune(p, id);
    expect(done.state).toBe('completed');
    expect(done.trials.map((t: { jobId: string }) => t.jobId)).toEqual(jobIds);
    // Many advancer passes ran meanwhile: still one job per trial.
    const { rows } = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Job" WHERE "idempotencyKey" LIKE $1`, [`~tune:${id}:%`]);
    expect(rows[0]?.n).toBe(2);
  });

  it('a trial whose job fails or is cancelled is recorded and the search goes on; the tune fails only when every trial did', async () => {
    const created = await post(p.api, '/v1/tunes', {
      datasetId,
      base: { model: tiny, training: { patience: 500, batchSize: 4, seed: 4 } },
      search: { 'training.maxEpochs': [500, 1] },
    });
    expect(created.status).toBe(201);
    const running = await waitForTune(p, created.body.id, (t) => t.trials[0].state === 'active');
    // Its job cancelled on its own (not the tune): the trial ends, trial 1 runs.
    expect((await post(p.api, `/v1/jobs/${running.trials[0].jobId}/cancel`, {})).status).toBe(202);
    const done = await waitForTune(p, created.body.id);
    expect(done.state).toBe('completed');
    expect(done.trials.map((t: { state: string }) => t.state)).toEqual(['cancelled', 'completed']);
    expect(done.trials[0].error.code).toBe('KILN_ERR_JOB_CANCELLED');
    expect(done.trials[0].objective).toBeNull();
    expect(done.best).toMatchObject({ trial: 1, modelId: done.trials[1].modelId });

    const lone = await post(p.api, '/v1/tunes', {
      datasetId,
      base: { model: tiny, training: { maxEpochs: 500, patience: 500, batchSize: 4, seed: 5 } },
      search: { 'training.lr': [0.001] },
    });
    const active = await waitForTune(p, lone.body.id, (t) => t.trials[0].state === 'active');
    await post(p.api, `/v1/jobs/${active.trials[0].jobId}/cancel`, {});
    const failed = await waitForTune(p, lone.body.id);
    expect(failed.state).toBe('failed');
    expect(failed.error.code).toBe('KILN_ERR_JOB_CANCELLED');
    expect(failed.error.message).toMatch(/^no trial completed/);
    expect(failed.best).toBeNull();
  });

  it('an Idempotency-Key gives the same tune, and 409 for another request under it', async () => {
    const body = { datasetId, base: { model: tiny, training: { maxEpochs: 1, batchSize: 32 } }, search: { 'training.lr': [0.001] } };
    const a = await post(p.api, '/v1/tunes', body, { 'idempotency-key': 'tune-1' });
    const b = await post(p.api, '/v1/tunes', body, { 'idempotency-key': 'tune-1' });
    expect(a.status).toBe(201);
    expect(b.status).toBe(200);
    expect(b.body.id).toBe(a.body.id);
    const c = await post(p.api, '/v1/tunes', { ...body, search: { 'training.lr': [0.002] } }, { 'idempotency-key': 'tune-1' });
    expect(c.status).toBe(409);
    expect(c.body.error.code).toBe('KILN_ERR_IDEMPOTENCY_CONFLICT');
    await post(p.api, `/v1/tunes/${a.body.id}/cancel`, {});
    await waitForTune(p, a.body.id);
  });

  it('works through the CLI: start --watch, list, show, cancel', async () => {
    const url = await p.api.listen({ port: 0, host: '127.0.0.1' });
    const started = await kiln(
      url,
      p.adminKey,
      'tune',
      'start',
      '--dataset',
      datasetId,
      '--name',
      'from-cli',
      '--search',
      'training.lr=0.001,0.01',
      '--set',
      'training.maxEpochs=1',
      '--set',
      'training.batchSize=32',
      '--set',
      'model.hiddenSize=8',
      '--set',
      'model.maxLen=8',
      '--parallel',
      '2',
      '--watch',
      '--json',
    );
    expect(started.code, started.stderr).toBe(0);
    const done = JSON.parse(started.stdout);
    expect(done.state).toBe('completed');
    expect(done.trials.map((t: { params: unknown }) => t.params)).toEqual([{ 'training.lr': 0.001 }, { 'training.lr': 0.01 }]);
    expect(done.best.modelId).toEqual(expect.any(String));
    const ls = await kiln(url, p.adminKey, 'tune', 'list', '--state', 'completed');
    expect(ls.code).toBe(0);
    expect(ls.stdout).toContain(done.id);
    const show = await kiln(url, p.adminKey, 'tune', 'show', done.id);
    expect(show.stdout).toContain('VALID NDCG@10');
    expect(show.stdout).toContain(done.best.modelId);
    const cancel = await kiln(url, p.adminKey, 'tune', 'cancel', done.id, '--json');
    expect(JSON.parse(cancel.stdout).state).toBe('completed');
    // A random search with a log range from the command line, refused by the API for a bad field (exit 3).
    const bad = await kiln(
      url,
      p.adminKey,
      'tune',
      'start',
      '--dataset',
      datasetId,
      '--strategy',
      'random',
      '--trials',
      '2',
      '--search',
      'training.nope=0.1..0.2:log',
    );
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('search["training.nope"]');
    expect((await kiln(url, p.adminKey, 'tune', 'start', '--dataset', datasetId)).code).toBe(2);
    expect((await kiln(url, p.adminKey, 'tune', 'show', 'nope')).code).toBe(3);
  });
});
