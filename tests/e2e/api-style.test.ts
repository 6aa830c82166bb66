import { randomUUID } from 'node:crypto';
import { createDb, createSqlPool, type Db, type SqlPool } from '@kiln/db';
import { createClient } from '@kiln/client';
import { KilnQueues } from '@kiln/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { main } from '../../packages/cli/src/main.js';
import { retainOnce, startRetention } from '../../services/api/src/retention.js';
import { startQuboWorker } from '../../services/worker-qubo/src/worker.js';
import { get, type Platform, post, quietLog, redisUrl, startPlatform, waitForJob } from '../helpers.js';

// One API style (issue 13, part 5): every list pages by keyset cursor with a `next` URL and a
// Link header; every 201 names its resource in Location; datasets, problems, models and jobs can be
// deleted (refused while in use); finished jobs older than the retention are deleted with their results.

const N = 250;
/** A log every upload check accepts (8 users × 6 items). */
const dataset = Array.from({ length: 48 }, (_, k) => `${Math.floor(k / 6) + 1} ${(k % 6) + 1}\n`).join('');
const modelConfig = { hiddenSize: 8, numLayers: 1, dState: 4, dConv: 2, expand: 1, dropout: 0, maxLen: 10, nItems: 6 };

describe('one API style', () => {
  let p: Platform;
  let pool: SqlPool;
  let db: Db;
  let queues: KilnQueues;
  let worker: { close(): Promise<void> } | undefined;
  let datasetId = '';
  let problemId = '';
  let quboPayload: unknown;

  /** Rows of `table` from JSON objects (one statement). */
  const insert = (table: string, rows: Array<Record<string, unknown>>) =>
    pool.query(`INSERT INTO "${table}" SELECT * FROM json_populate_recordset(null::"${table}", $1::json)`, [JSON.stringify(rows)]);
  /** Timestamps with ties (three rows per second) so the order needs its id tiebreak. */
  const at = (k: number) => new Date(Date.UTC(2026, 0, 1) + Math.floor(k / 3) * 1000).toISOString();
  const upload = (url: string, body: string) => p.api.inject({ method: 'POST', url, payload: body, headers: { 'content-type': 'text/plain' } });

  beforeAll(async () => {
    p = await startPlatform();
    pool = createSqlPool({ url: p.db.url });
    db = createDb({ url: p.db.url });
    queues = new KilnQueues({ redisUrl, prefix: p.prefix });
    const ds = await upload('/v1/datasets?format=sasrec&name=base&kcore=0', dataset);
    expect(ds.statusCode).toBe(201);
    datasetId = ds.json().id;
    const pr = await upload('/v1/qubo/problems?format=json&name=base', '{"n":3,"terms":[[0,1,1],[0,0,-1],[2,2,-1]]}');
    problemId = pr.json().id;
    // A real payload (every default filled in) for the job rows written below; the queue is paused so it waits.
    await post(p.api, '/v1/queues/qubo-solve/pause', {});
    const sub = await post(p.api, '/v1/jobs', { kind: 'qubo.solve', payload: { problemId, params: { seed: 1, timeLimitMs: 200 } } });
    quboPayload = (await get(p.api, `/v1/jobs/${sub.body.id}`)).body.payload;
    await post(p.api, `/v1/jobs/${sub.body.id}/cancel`, {});
    await post(p.api, '/v1/queues/qubo-solve/resume', {});
  });
  afterAll(async () => {
    await worker?.close();
    await queues?.close();
    await db?.$disconnect();
    await pool?.end();
    await p?.close();
  });

  /** Follows `next` from `first` to the end; checks the Link header on the way. */
  async function walk(first: string): Promise<{ ids: string[]; pages: number }> {
    const ids: string[] = [];
    let url: string | null = first;
    let pages = 0;
    while (url) {
      const res = await p.api.inject({ method: 'GET', url });
      expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
      const body = res.json() as { items: Array<{ id: string }>; next: string | null; nextCursor: string | null };
      ids.push(...body.items.map((i) => i.id));
      if (body.next) {
        expect(res.headers.link).toBe(`<${body.next}>; rel="next"`);
        expect(body.next).toContain(`cursor=${body.nextCursor}`);
      } else {
        expect(res.headers.link).toBeUndefined();
        expect(body.nextCursor).toBeNull();
      }
      url = body.next;
      pages++;
    }
    return { ids, pages };
  }

  /** The ids of a table in list order (newest first, id breaking ties). */
  const expected = async (table: string, where = 'true') =>
    (await pool.query<{ id: string }>(`SELECT "id" FROM "${table}" WHERE ${where} ORDER BY "createdAt" DESC, "id" DESC`)).rows.map((r) => r.id);

  it('pages through 250 items of every list with `next`, each once, in order', async () => {
    const ids = Array.from({ length: N }, () => randomUUID());
    await insert(
      'Dataset',
      ids.map((id, k) => ({ id, name: `d${k}`, format: 'sasrec', kcore: 0, users: 1, items: 1, interactions: 1, rawInteractions: 1, createdAt: at(k) })),
    );
    await insert(
      'Model',
      ids.map((id, k) => ({
        id,
        name: 'm',
        version: k + 1,
        datasetId,
        jobId: `train-${k}`,
        config: modelConfig,
        weights: '\\x00',
        metrics: { valid: {}, test: {} },
        epochs: [],
        backend: 'cpu',
        parameters: 1,
        bestEpoch: 1,
        createdAt: at(k),
      })),
    );
    await insert(
      'QuboProblem',
      ids.map((id, k) => ({
        id,
        name: `p${k}`,
        format: 'json',
        kind: 'qubo',
        sense: 'min',
        n: 1,
        numTerms: 0,
        offset: 0,
        terms: '\\x',
        meta: {},
        createdAt: at(k),
      })),
    );
    await insert(
      'QuboSolution',
      ids.map((id, k) => ({
        id,
        jobId: `solve-${k}`,
        problemId: k % 2 ? problemId : null,
        kind: 'qubo',
        n: 1,
        energy: 0,
        value: 0,
        feasible: true,
        assignment: '0',
        timeToBestMs: 0,
        elapsedMs: 0,
        flipAttempts: 0,
        mode: 'auto',
        params: {},
        trace: [],
        createdAt: at(k),
      })),
    );
    await insert(
      'ApiKey',
      ids.map((id, k) => ({ id, name: `k${k}`, prefix: 'kiln_x', hash: `h${k}-${id}`, scopes: ['read'], createdAt: at(k) })),
    );
    // Jobs: 250 waiting (the filter), and failed ones the filtered list must skip.
    const now = new Date().toISOString();
    await insert(
      'Job',
      [...ids, ...ids.slice(0, 20).map(() => randomUUID())].map((id, k) => ({
        id,
        kind: 'qubo.solve',
        queue: 'qubo-solve',
        state: k < N ? 'waiting' : 'failed',
        payload: quboPayload,
        options: {},
        attempts: 0,
        cancelRequested: false,
        createdAt: at(k % N),
        updatedAt: now,
      })),
    );

    const lists: Array<[string, string, string]> = [
      ['/v1/datasets?limit=40', 'Dataset', 'true'],
      ['/v1/models?limit=40', 'Model', 'true'],
      ['/v1/qubo/problems?limit=40', 'QuboProblem', 'true'],
      ['/v1/qubo/solutions?limit=40', 'QuboSolution', 'true'],
      [`/v1/qubo/solutions?problemId=${problemId}&limit=30`, 'QuboSolution', `"problemId" = '${problemId}'`],
      ['/v1/keys?limit=40', 'ApiKey', 'true'],
      ['/v1/jobs?kind=qubo.solve&state=waiting&limit=40', 'Job', `"state" = 'waiting'`],
      [`/v1/models?datasetId=${datasetId}&limit=64`, 'Model', 'true'],
    ];
    for (const [url, table, where] of lists) {
      const want = await expected(table, where);
      expect(want.length, table).toBeGreaterThanOrEqual(table === 'QuboSolution' && where !== 'true' ? N / 2 : N);
      const { ids: got, pages } = await walk(url);
      expect(got, url).toEqual(want);
      expect(new Set(got).size).toBe(got.length);
      const limit = Number(new URL(url, 'http://x').searchParams.get('limit'));
      expect(pages, url).toBe(Math.max(1, Math.ceil(want.length / limit)));
    }
    // The default limit still pages (and the filters travel in `next`).
    const first = await get(p.api, '/v1/jobs?state=waiting');
    expect(first.body.items).toHaveLength(50);
    expect(first.body.next).toMatch(/^\/v1\/jobs\?state=waiting&cursor=[A-Za-z0-9_-]+&limit=50$/);
    // An old-style cursor (the id of the last job of the previous page) still works on /v1/jobs.
    const legacy = await get(p.api, `/v1/jobs?state=waiting&limit=50&cursor=${first.body.items[49].id}`);
    const modern = await get(p.api, first.body.next);
    expect(legacy.body.items.map((j: { id: string }) => j.id)).toEqual(modern.body.items.map((j: { id: string }) => j.id));
  });

  it('refuses a cursor that is not one with a 400 naming `cursor`', async () => {
    const forged = Buffer.from(JSON.stringify(['yesterday', 'x'])).toString('base64url');
    for (const path of ['/v1/datasets', '/v1/models', '/v1/qubo/problems', '/v1/qubo/solutions', '/v1/keys', '/v1/jobs']) {
      for (const cursor of ['garbage', forged, 'x'.repeat(300), Buffer.from('[1,2]').toString('base64url')]) {
        const res = await get(p.api, `${path}?cursor=${cursor}`);
        expect(res.status, `${path}?cursor=${cursor}`).toBe(400);
        expect(res.body.error.code).toBe('KILN_ERR_VALIDATION');
        expect(JSON.stringify(res.body.error.details)).toContain('query.cursor');
      }
    }
  });

  it('answers every 201 with a Location that resolves to the resource', async () => {
    const created = [
      await upload('/v1/datasets?format=sasrec&name=loc&kcore=0', dataset),
      await upload('/v1/qubo/problems?format=json&name=loc', '{"n":2,"terms":[[0,1,1]]}'),
      await p.api.inject({ method: 'POST', url: '/v1/keys', payload: { name: 'loc', scopes: ['read'] } }),
      await p.api.inject({ method: 'POST', url: '/v1/jobs', payload: { kind: 'qubo.solve', payload: { problemId, params: { seed: 1, timeLimitMs: 100 } } } }),
    ];
    for (const res of created) {
      expect(res.statusCode).toBe(201);
      const location = res.headers.location as string;
      expect(location).toMatch(/^\/v1\//);
      const there = await get(p.api, location);
      expect(there.status, location).toBe(200);
      expect(there.body.id).toBe(res.json().id);
    }
    // A bqp file makes several problems: Location names the first, `problems` lists them all.
    const bqp = await upload('/v1/qubo/problems?format=bqp&name=two', '2\n2 1\n1 2 3\n2 1\n1 1 -1\n');
    expect(bqp.statusCode).toBe(201);
    expect(bqp.headers.location).toBe(`/v1/qubo/problems/${bqp.json().problems[0].id}`);
  });

  it('deletes datasets, models, problems and jobs, refusing while they are in use', async () => {
    const ds = (await upload('/v1/datasets?format=sasrec&name=del&kcore=0', dataset)).json().id as string;
    const pr = (await upload('/v1/qubo/problems?format=json&name=del', '{"n":2,"terms":[[0,1,-1]]}')).json().id as string;
    const del = (url: string) => p.api.inject({ method: 'DELETE', url });
    const cancel = (id: string) => post(p.api, `/v1/jobs/${id}/cancel`, {});

    // Nothing runs while the queues are paused: every job below stays unfinished until cancelled.
    await post(p.api, '/v1/queues/ssm-train/pause', {});
    await post(p.api, '/v1/queues/ssm-score/pause', {});
    await post(p.api, '/v1/queues/qubo-solve/pause', {});

    // A dataset: refused while an unfinished training job uses it, and while a model is trained on it.
    const train = await post(p.api, '/v1/jobs', { kind: 'ssm.train', payload: { datasetId: ds, training: { maxEpochs: 1 } } });
    expect(train.status).toBe(201);
    let res = await del(`/v1/datasets/${ds}`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('KILN_ERR_IN_USE');
    expect(res.json().error.details.jobs).toEqual([train.body.id]);
    expect(res.json().error.message).toContain(train.body.id);
    await cancel(train.body.id);
    const modelId = randomUUID();
    await insert('Model', [
      {
        id: modelId,
        name: 'del',
        version: 1,
        datasetId: ds,
        jobId: train.body.id,
        config: modelConfig,
        weights: '\\x00',
        metrics: { valid: {}, test: {} },
        epochs: [],
        backend: 'cpu',
        parameters: 1,
        bestEpoch: 1,
        createdAt: new Date().toISOString(),
      },
    ]);
    res = await del(`/v1/datasets/${ds}`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details.models).toEqual([modelId]);

    // A model: refused while an unfinished scoring job uses it.
    const score = await post(p.api, '/v1/jobs', { kind: 'ssm.score', payload: { modelId } });
    expect(score.status).toBe(201);
    res = await del(`/v1/models/${modelId}`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details.jobs).toEqual([score.body.id]);
    // A job: refused until it is finished.
    res = await del(`/v1/jobs/${score.body.id}`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('KILN_ERR_CONFLICT');
    await cancel(score.body.id);
    expect((await del(`/v1/models/${modelId}`)).statusCode).toBe(204);
    expect((await get(p.api, `/v1/models/${modelId}`)).status).toBe(404);
    expect((await del(`/v1/models/${modelId}`)).statusCode).toBe(404);
    // The model gone, the dataset can go (its items and users with it).
    expect((await del(`/v1/datasets/${ds}`)).statusCode).toBe(204);
    expect((await get(p.api, `/v1/datasets/${ds}`)).status).toBe(404);
    expect((await pool.query('SELECT 1 FROM "DatasetUser" WHERE "datasetId" = $1', [ds])).rowCount).toBe(0);
    expect((await del(`/v1/datasets/${ds}`)).statusCode).toBe(404);
    // A submit naming a deleted model or dataset is refused at once.
    expect((await post(p.api, '/v1/jobs', { kind: 'ssm.score', payload: { modelId } })).status).toBe(404);

    // A problem: refused while an unfinished qubo.solve job uses it.
    const solve = await post(p.api, '/v1/jobs', { kind: 'qubo.solve', payload: { problemId: pr, params: { seed: 1, timeLimitMs: 100 } } });
    res = await del(`/v1/qubo/problems/${pr}`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details.jobs).toEqual([solve.body.id]);
    await cancel(solve.body.id);
    expect((await del(`/v1/qubo/problems/${pr}`)).statusCode).toBe(204);
    expect((await get(p.api, `/v1/qubo/problems/${pr}`)).status).toBe(404);
    expect((await post(p.api, '/v1/jobs', { kind: 'qubo.solve', payload: { problemId: pr } })).status).toBe(404);

    // Cancelled jobs can be deleted: row and BullMQ job.
    for (const id of [train.body.id, score.body.id, solve.body.id]) {
      expect((await del(`/v1/jobs/${id}`)).statusCode).toBe(204);
      expect((await get(p.api, `/v1/jobs/${id}`)).status).toBe(404);
      expect((await del(`/v1/jobs/${id}`)).statusCode).toBe(404);
    }
    await post(p.api, '/v1/queues/ssm-train/resume', {});
    await post(p.api, '/v1/queues/ssm-score/resume', {});
    await post(p.api, '/v1/queues/qubo-solve/resume', {});

    // A completed job goes with its solution, its inline problem and its BullMQ job.
    worker = await startQuboWorker({ redisUrl, databaseUrl: p.db.url, prefix: p.prefix, concurrency: 1, threads: 1, log: quietLog });
    const inline = await post(p.api, '/v1/jobs', {
      kind: 'qubo.solve',
      payload: { problem: { n: 2, terms: [[0, 1, -1]] }, params: { seed: 1, timeLimitMs: 100 } },
    });
    const done = await waitForJob(p.api, inline.body.id);
    expect(done.state).toBe('completed');
    expect(await queues.queue('qubo.solve').getJob(inline.body.id)).toBeTruthy();
    expect((await get(p.api, `/v1/qubo/solutions/${inline.body.id}`)).status).toBe(200);
    expect((await del(`/v1/jobs/${inline.body.id}`)).statusCode).toBe(204);
    expect((await get(p.api, `/v1/qubo/solutions/${inline.body.id}`)).status).toBe(404);
    expect((await get(p.api, `/v1/qubo/problems/${done.payload.problemId}`)).status).toBe(404);
    expect(await queues.queue('qubo.solve').getJob(inline.body.id)).toBeFalsy();
  });

  it('retention deletes old finished jobs with their results and keeps recent and unfinished ones', async () => {
    const ids = {
      oldDone: randomUUID(),
      oldFailed: randomUUID(),
      oldTrain: randomUUID(),
      oldScore: randomUUID(),
      recent: randomUUID(),
      oldWaiting: randomUUID(),
    };
    const old = new Date(Date.now() - 40 * 24 * 3600 * 1000).toISOString();
    const recent = new Date(Date.now() - 24 * 3600 * 1000).toISOString();
    const row = (id: string, kind: string, state: string, finishedAt: string | null) => ({
      id,
      kind,
      queue: kind.replace('.', '-'),
      state,
      payload: kind === 'qubo.solve' ? quboPayload : { version: 1 },
      options: {},
      attempts: 1,
      cancelRequested: false,
      createdAt: old,
      updatedAt: finishedAt ?? old,
      finishedAt,
    });
    await insert('Job', [
      row(ids.oldDone, 'qubo.solve', 'completed', old),
      row(ids.oldFailed, 'qubo.solve', 'failed', old),
      row(ids.oldTrain, 'ssm.train', 'completed', old),
      row(ids.oldScore, 'ssm.score', 'cancelled', old),
      row(ids.recent, 'qubo.solve', 'completed', recent),
      row(ids.oldWaiting, 'qubo.solve', 'waiting', null),
    ]);
    const solution = (jobId: string) => ({
      id: randomUUID(),
      jobId,
      problemId,
      kind: 'qubo',
      n: 1,
      energy: 0,
      value: 0,
      feasible: true,
      assignment: '0',
      timeToBestMs: 0,
      elapsedMs: 0,
      flipAttempts: 0,
      mode: 'auto',
      params: {},
      trace: [],
      createdAt: old,
    });
    await insert('QuboSolution', [solution(ids.oldDone), solution(ids.recent)]);
    const runId = randomUUID();
    await insert('TrainingRun', [{ id: runId, jobId: ids.oldTrain, datasetId, config: {}, createdAt: old, updatedAt: old }]);
    await insert('EpochMetric', [{ runId, epoch: 1, loss: 1, valid: {}, seconds: 1, trainSeconds: 1, validSeconds: 0, createdAt: old }]);
    await insert('TrainingCheckpoint', [{ runId, epoch: 1, state: '\\x00', updatedAt: old }]);
    await insert('Recommendation', [
      { jobId: ids.oldScore, userIdx: 0, modelId: randomUUID(), userExternalId: 'u', items: ['a'], scores: [1], createdAt: old },
    ]);
    // A finished job of the old ones is still in BullMQ: retention removes it there too.
    await queues.queue('qubo.solve').add('qubo.solve', quboPayload, { jobId: ids.oldFailed, delay: 3_600_000 });

    const pass = await retainOnce({ db, queues, days: 30, batchSize: 2 });
    expect(pass.deleted).toBe(4);
    const left = (await pool.query<{ id: string }>('SELECT "id" FROM "Job" WHERE "id" = ANY($1)', [Object.values(ids)])).rows.map((r) => r.id).sort();
    expect(left).toEqual([ids.recent, ids.oldWaiting].sort());
    const count = async (sql: string, args: unknown[]) => Number((await pool.query<{ n: string }>(sql, args)).rows[0]?.n);
    expect(await count('SELECT count(*) AS n FROM "QuboSolution" WHERE "jobId" = ANY($1)', [[ids.oldDone, ids.recent]])).toBe(1);
    expect(await count('SELECT count(*) AS n FROM "TrainingRun" WHERE "id" = $1', [runId])).toBe(0);
    expect(await count('SELECT count(*) AS n FROM "EpochMetric" WHERE "runId" = $1', [runId])).toBe(0);
    expect(await count('SELECT count(*) AS n FROM "TrainingCheckpoint" WHERE "runId" = $1', [runId])).toBe(0);
    expect(await count('SELECT count(*) AS n FROM "Recommendation" WHERE "jobId" = $1', [ids.oldScore])).toBe(0);
    expect(await queues.queue('qubo.solve').getJob(ids.oldFailed)).toBeFalsy();
    // The problem the old solve used is an upload, not inline: it stays.
    expect((await get(p.api, `/v1/qubo/problems/${problemId}`)).status).toBe(200);
    // A second pass finds nothing more.
    expect((await retainOnce({ db, queues, days: 30 })).deleted).toBe(0);
    // A 0.5-day retention takes the recent one too.
    expect((await retainOnce({ db, queues, days: 0.5 })).deleted).toBe(1);
  });

  it('runs retention on one replica at a time, and BullMQ keeps finished jobs as many days', async () => {
    const id = randomUUID();
    const old = new Date(Date.now() - 10 * 24 * 3600 * 1000).toISOString();
    await insert('Job', [
      {
        id,
        kind: 'qubo.solve',
        queue: 'qubo-solve',
        state: 'completed',
        payload: quboPayload,
        options: {},
        attempts: 1,
        cancelRequested: false,
        createdAt: old,
        updatedAt: old,
        finishedAt: old,
      },
    ]);
    // Two replicas: whichever holds the lock deletes it; both stop cleanly.
    const stops = [startRetention({ db, queues, days: 7, intervalMs: 200 }), startRetention({ db, queues, days: 7, intervalMs: 200 })];
    while ((await pool.query('SELECT 1 FROM "Job" WHERE "id" = $1', [id])).rowCount) await new Promise((r) => setTimeout(r, 100));
    await Promise.all(stops.map((stop) => stop()));

    const other = new KilnQueues({ redisUrl, prefix: `${p.prefix}-retention`, retentionDays: 3 });
    try {
      await other.enqueue('qubo.solve', id, quboPayload);
      const job = await other.queue('qubo.solve').getJob(id);
      expect(job?.opts.removeOnComplete).toEqual({ age: 3 * 24 * 3600, count: 10_000 });
      expect(job?.opts.removeOnFail).toEqual({ age: 3 * 24 * 3600, count: 10_000 });
      await other.queue('qubo.solve').obliterate({ force: true });
    } finally {
      await other.close();
    }
  });

  it('pages and deletes through the client and the CLI', async () => {
    const baseUrl = await p.api.listen({ port: 0, host: '127.0.0.1' });
    const client = createClient({ baseUrl, apiKey: p.adminKey });
    const all: string[] = [];
    for await (const d of client.all(client.listDatasets, { limit: 64 })) all.push(d.id);
    expect(all).toEqual(await expected('Dataset'));
    const page = await client.listModels({ limit: 5 });
    expect(page.items).toHaveLength(5);
    expect((await client.listModels({ limit: 5, cursor: page.nextCursor as string })).items[0]?.id).toBe((await expected('Model'))[5]);

    const kiln = async (...argv: string[]) => {
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
      const code = await main(argv, { io: { out, err }, env: { KILN_API_URL: baseUrl, KILN_API_KEY: p.adminKey }, signal: new AbortController().signal });
      return { code, stdout, stderr };
    };
    const ls = await kiln('qubo', 'ls', '--limit', '7');
    expect(ls.code).toBe(0);
    expect(ls.stdout).toMatch(/more: kiln qubo ls --cursor [A-Za-z0-9_-]+ \(or --all\)/);
    const json = await kiln('datasets', 'ls', '--all', '--limit', '100', '--json');
    expect((JSON.parse(json.stdout) as Array<{ id: string }>).map((d) => d.id)).toEqual(all);
    const keys = await kiln('keys', 'ls', '--limit', '3', '--json');
    expect(JSON.parse(keys.stdout)).toHaveLength(3);
    expect(keys.stderr).toContain('more: kiln keys ls --cursor');

    // rm: refused while in use (exit 3, the user named), then done.
    const pr = (await upload('/v1/qubo/problems?format=json&name=cli', '{"n":2,"terms":[[0,1,-1]]}')).json().id as string;
    await post(p.api, '/v1/queues/qubo-solve/pause', {});
    const solve = await post(p.api, '/v1/jobs', { kind: 'qubo.solve', payload: { problemId: pr, params: { seed: 1, timeLimitMs: 100 } } });
    const refused = await kiln('qubo', 'rm', pr);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('KILN_ERR_IN_USE');
    expect(refused.stderr).toContain(solve.body.id);
    expect((await kiln('jobs', 'rm', solve.body.id)).code).toBe(3);
    await post(p.api, `/v1/jobs/${solve.body.id}/cancel`, {});
    await post(p.api, '/v1/queues/qubo-solve/resume', {});
    expect((await kiln('jobs', 'rm', solve.body.id)).stdout).toContain(`job ${solve.body.id} deleted`);
    expect((await kiln('qubo', 'rm', pr)).code).toBe(0);
    const ds = (await upload('/v1/datasets?format=sasrec&name=cli&kcore=0', dataset)).json().id as string;
    expect((await kiln('datasets', 'rm', ds)).code).toBe(0);
    expect((await kiln('datasets', 'rm', ds)).code).toBe(3);
    await client.deleteModel((await expected('Model'))[0] as string);
    expect((await kiln('models', 'ls', '--all', '--json')).stdout).not.toContain('"version": 250,');
  });
});
