import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from './client.js';
import { migrate } from './migrate.js';
import { createSqlPool } from './sql.js';
import * as repo from './index.js';
import { createTestDatabase, type TestDatabase } from './testing.js';

// Proves prisma/migrations matches prisma/schema.prisma: every model is written and read back
// through the generated client against a database built only from the migration SQL.
describe('schema and migrations', () => {
  let tdb: TestDatabase;
  let db: Db;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    db = createDb({ url: tdb.url });
  });
  afterAll(async () => {
    await db?.$disconnect();
    await tdb?.drop();
  });

  it('records migrations as Prisma does and re-running applies nothing', async () => {
    const again = await migrate({ url: tdb.url });
    expect(again.applied).toEqual([]);
    const folders = (await readdir(new URL('../../../prisma/migrations/', import.meta.url), { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(folders.slice(0, 2)).toEqual(['20261128140000_init', '20261205180000_auth_and_checkpoints']);
    expect(again.alreadyApplied).toEqual(folders);
    const client = new pg.Client({ connectionString: tdb.url });
    await client.connect();
    const rows = await client.query('SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name');
    await client.end();
    expect(rows.rows).toHaveLength(folders.length);
    for (const row of rows.rows) {
      const sql = await readFile(new URL(`../../../prisma/migrations/${row.migration_name}/migration.sql`, import.meta.url), 'utf8');
      expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
      expect(row.finished_at).not.toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
  });

  it('reads and writes every model through the client', async () => {
    const ds = await repo.createDataset(db, {
      name: 'tiny',
      format: 'sasrec',
      kcore: 0,
      users: ['u1', 'u2'],
      items: ['a', 'b', 'c'],
      sequences: [Int32Array.from([1, 2, 3]), Int32Array.from([3, 2])],
      rawInteractions: 5,
    });
    expect(ds.interactions).toBe(5);
    const loaded = await repo.loadDataset(db, ds.id);
    expect(loaded?.items).toEqual(['a', 'b', 'c']);
    expect(Array.from(loaded?.sequences[1] ?? [])).toEqual([3, 2]);

    const { job, created } = await repo.insertJob(db, {
      id: 'j1',
      kind: 'ssm.train',
      queue: 'ssm-train',
      state: 'waiting',
      payload: { a: 1 },
      options: {},
      idempotencyKey: 'k1',
    });
    expect(created).toBe(true);
    const again = await repo.insertJob(db, {
      id: 'j2',
      kind: 'ssm.train',
      queue: 'ssm-train',
      state: 'waiting',
      payload: { a: 1 },
      options: {},
      idempotencyKey: 'k1',
    });
    expect(again.created).toBe(false);
    expect(again.job.id).toBe(job.id);
    await repo.markJobActive(db, 'j1', 1);
    await repo.setJobProgress(db, 'j1', { epoch: 1 });
    await repo.markJobCompleted(db, 'j1', { ok: true });
    expect((await repo.getJob(db, 'j1'))?.state).toBe('completed');
    expect((await repo.listJobs(db, { kind: 'ssm.train' })).items).toHaveLength(1);

    const run = await repo.upsertTrainingRun(db, { jobId: 'j1', datasetId: ds.id, config: { hidden: 8 } });
    await repo.upsertEpoch(db, run.id, { epoch: 1, loss: 2.5, valid: { 'ndcg@10': 0.1 }, seconds: 1, trainSeconds: 0.8, validSeconds: 0.2 });
    await repo.upsertEpoch(db, run.id, { epoch: 1, loss: 2.4, valid: { 'ndcg@10': 0.2 }, seconds: 1, trainSeconds: 0.8, validSeconds: 0.2 });
    await repo.finishTrainingRun(db, run.id, 1);
    const runBack = await repo.getTrainingRun(db, 'j1');
    expect(runBack?.epochs).toHaveLength(1);
    expect(runBack?.epochs[0]?.loss).toBe(2.4);

    const m = await repo.upsertModelForJob(db, {
      jobId: 'j1',
      name: 'm',
      datasetId: ds.id,
      config: {},
      weights: new Uint8Array([1, 2, 3]),
      metrics: { test: {} },
      epochs: [],
      backend: 'cpu',
      parameters: 10,
      bestEpoch: 1,
    });
    const m2 = await repo.upsertModelForJob(db, {
      jobId: 'j1',
      name: 'm',
      datasetId: ds.id,
      config: {},
      weights: new Uint8Array([9]),
      metrics: {},
      epochs: [],
      backend: 'cpu',
      parameters: 10,
      bestEpoch: 1,
    });
    expect(m2.id).toBe(m.id);
    expect(m.version).toBe(1);
    expect(Array.from((await repo.getModelWeights(db, m.id))?.weights ?? [])).toEqual([1, 2, 3]);

    await repo.saveCheckpoint(db, run.id, 1, new Uint8Array([1, 2, 3]));
    await repo.saveCheckpoint(db, run.id, 2, new Uint8Array([4, 5]));
    expect(await repo.loadCheckpoint(db, run.id)).toEqual({ epoch: 2, state: new Uint8Array([4, 5]) });
    await repo.deleteCheckpoint(db, run.id);
    expect(await repo.loadCheckpoint(db, run.id)).toBeNull();

    const key = await repo.createApiKey(db, { name: 'ci', scopes: ['read', 'submit', 'read'] });
    expect(key.key).toMatch(/^kiln_[A-Za-z0-9_-]{43}$/);
    expect(key.scopes).toEqual(['read', 'submit']);
    expect((await repo.findApiKeyByHash(db, repo.hashApiKey(key.key)))?.id).toBe(key.id);
    await repo.touchApiKey(db, key.id);
    expect((await repo.listApiKeys(db))[0]?.lastUsedAt).toBeInstanceOf(Date);
    expect((await repo.revokeApiKey(db, key.id))?.revokedAt).toBeInstanceOf(Date);
    expect(await repo.findApiKeyByHash(db, repo.hashApiKey(key.key))).toBeNull();
    expect(await repo.countApiKeys(db)).toBe(0);

    const rows = [{ userIdx: 0, userExternalId: 'u1', items: ['b', 'c'], scores: [0.5, 0.25] }];
    expect(await repo.writeRecommendations(db, 'j1', m.id, rows)).toBe(1);
    expect(await repo.writeRecommendations(db, 'j1', m.id, rows)).toBe(0);
    expect(await repo.listRecommendations(db, 'j1')).toEqual([{ userExternalId: 'u1', items: ['b', 'c'], scores: [0.5, 0.25] }]);

    const terms = { i: Int32Array.from([0, 0]), j: Int32Array.from([1, 0]), w: Float64Array.from([2.5, -1]) };
    const [p] = await repo.createQuboProblems(db, [{ name: 'p', format: 'json', kind: 'qubo', sense: 'min', n: 2, offset: 0.5, terms }]);
    const pBack = await repo.loadQuboProblem(db, p!.id);
    expect(Array.from(pBack?.terms.w ?? [])).toEqual([2.5, -1]);
    expect(pBack?.graph).toBeNull();
    const sol = {
      jobId: 'j1',
      problemId: p!.id,
      kind: 'qubo',
      n: 2,
      energy: -0.5,
      value: -0.5,
      feasible: true,
      assignment: '10',
      timeToBestMs: 1,
      elapsedMs: 2,
      flipAttempts: 100,
      mode: 'sa',
      params: {},
      trace: [],
    };
    await repo.upsertQuboSolution(db, sol);
    await repo.upsertQuboSolution(db, { ...sol, energy: -1 });
    expect(await repo.countQuboSolutions(db, 'j1')).toBe(1);
    expect((await repo.getQuboSolution(db, 'j1'))?.energy).toBe(-1);
    const solved = await repo.getQuboSolution(db, 'j1');
    const set = [
      { rank: 0, assignment: '10', energy: -1, numOccurrences: 3 },
      { rank: 1, assignment: '01', energy: 0.5, numOccurrences: 1 },
    ];
    // j1 completed: its set is kept as it is (none here); an unfinished job's attempt replaces its own.
    await repo.writeQuboSamples(db, 'j1', solved!.id, set);
    expect(await repo.countQuboSamples(db, solved!.id)).toBe(0);
    await repo.writeQuboSamples(db, 'j-unfinished', solved!.id, set);
    await repo.writeQuboSamples(db, 'j-unfinished', solved!.id, set);
    expect(await repo.listQuboSamples(db, solved!.id, { limit: 1 })).toEqual({ items: [set[0]], nextCursor: 0 });
    expect(await repo.countQuboSamples(db, solved!.id)).toBe(2);
  });

  it('reads and writes pipelines, their steps, schedules and their firings', async () => {
    const steps = [
      { kind: 'ssm.train', request: { datasetId: 'd' } },
      { kind: 'ssm.score', request: { k: 3 }, options: { priority: 1 } },
    ];
    expect(await repo.insertPipeline(db, { id: 'p1', name: 'nightly', idempotencyKey: 'pk', steps })).toEqual({ created: true });
    expect(await repo.insertPipeline(db, { id: 'p2', idempotencyKey: 'pk', steps })).toEqual({ created: false });
    await repo.setPipelineStepJob(db, 'p1', 0, 'j1');
    await repo.markPipelineRunning(db, 'p1');
    const p = await repo.getPipeline(db, 'p1');
    expect(p?.state).toBe('running');
    expect(p?.steps.map((s) => [s.idx, s.kind, s.jobId, s.job?.id ?? null])).toEqual([
      [0, 'ssm.train', 'j1', 'j1'],
      [1, 'ssm.score', null, null],
    ]);
    expect(await repo.endPipeline(db, 'p1', 'failed', { code: 'X', message: 'm' }, { state: 'failed' })).toBe(true);
    expect(await repo.endPipeline(db, 'p1', 'completed', null)).toBe(false);
    const ended = await repo.getPipeline(db, 'p1');
    expect([ended?.state, ended?.steps[1]?.state, ended?.finishedAt]).toEqual(['failed', 'failed', expect.any(Date)]);
    expect((await repo.listPipelines(db, { limit: 10 })).map((x) => x.id)).toEqual(['p1']);
    expect(await repo.unfinishedPipelineIds(db)).toEqual([]);
    expect(await repo.pipelinesToAdvance(db)).toEqual([]);

    const s = await repo.insertSchedule(db, { name: 'every', everyMs: 500, target: { job: { kind: 'qubo.solve' } } });
    expect((await repo.getSchedule(db, s.id))?.state).toBe('active');
    expect((await repo.setScheduleState(db, s.id, 'paused'))?.state).toBe('paused');
    const at = new Date(1_700_000_000_000);
    await repo.recordScheduleFiring(db, { scheduleId: s.id, firedAt: at, jobId: 'j1' });
    await repo.recordScheduleFiring(db, { scheduleId: s.id, firedAt: at, jobId: 'j2' });
    expect((await repo.listScheduleFirings(db, s.id)).map((f) => f.jobId)).toEqual(['j1']);
    expect((await repo.listSchedules(db, { limit: 10 })).map((x) => x.id)).toEqual([s.id]);
    expect(await repo.deleteSchedule(db, s.id)).toBe(true);
    expect(await repo.countScheduleFirings(db, s.id)).toBe(0);
  });

  it('reads and writes tunes and their trials', async () => {
    const tune = {
      id: 't1',
      name: 'lr sweep',
      datasetId: 'd',
      base: { training: { maxEpochs: 2 } },
      search: { 'training.lr': [0.001, 0.002] },
      strategy: 'grid',
      maxTrials: 2,
      parallelism: 1,
      seed: 0,
      spaceSize: 2,
      idempotencyKey: 'tk',
      trials: [{ 'training.lr': 0.001 }, { 'training.lr': 0.002 }],
    };
    expect(await repo.insertTune(db, tune)).toEqual({ created: true });
    expect(await repo.insertTune(db, { ...tune, id: 't2' })).toEqual({ created: false });
    expect(await repo.tunesToAdvance(db)).toEqual(['t1']);
    await repo.setTuneTrialJob(db, 't1', 0, 'j1');
    await repo.setTuneTrialJob(db, 't1', 0, 'j2'); // a trial keeps its first job
    await repo.markTuneRunning(db, 't1');
    expect(await repo.recordTuneTrial(db, 't1', 0, { state: 'completed', modelId: 'm1', objective: 0.5, metrics: { valid: { 'ndcg@10': 0.5 } } })).toBe(true);
    expect(await repo.recordTuneTrial(db, 't1', 0, { state: 'failed' })).toBe(false);
    const t = await repo.getTune(db, 't1');
    expect(t?.state).toBe('running');
    expect(t?.trials.map((x) => [x.idx, x.state, x.jobId, x.job?.id ?? null, x.objective, x.params])).toEqual([
      [0, 'completed', 'j1', 'j1', 0.5, { 'training.lr': 0.001 }],
      [1, 'pending', null, null, null, { 'training.lr': 0.002 }],
    ]);
    expect(await repo.endTune(db, 't1', 'cancelled', { error: { code: 'X', message: 'm' } })).toBe(true);
    expect(await repo.endTune(db, 't1', 'completed')).toBe(false);
    await repo.setTuneBest(db, 't1', { trial: 0, modelId: 'm1', objective: 0.5 });
    const ended = await repo.getTune(db, 't1');
    expect([ended?.state, ended?.trials[1]?.state, ended?.bestModelId, ended?.bestObjective, ended?.endedAt]).toEqual([
      'cancelled',
      'cancelled',
      'm1',
      0.5,
      expect.any(Date),
    ]);
    expect((await repo.listTunes(db, { limit: 10, datasetId: 'd' })).map((x) => x.id)).toEqual(['t1']);
    expect(await repo.tunesToAdvance(db)).toEqual([]);
    await repo.deleteTune(db, 't1');
    expect(await repo.getTune(db, 't1')).toBeNull();
  });

  it('reads and writes webhooks, their deliveries and callback secrets', async () => {
    const pool = createSqlPool({ url: tdb.url, max: 1 });
    try {
      const hook = await repo.createWebhook(db, { apiKeyId: 'k1', url: 'https://example.com/hook', kinds: ['qubo.solve'], states: ['completed'] });
      expect(hook.secret).toMatch(/^whsec_/);
      expect((await repo.listWebhooks(db, 'k1')).map((h) => h.id)).toEqual([hook.id]);
      expect(await repo.getWebhook(db, 'k2', hook.id)).toBeNull();
      expect((await repo.webhooksOfKeys(pool, ['k1']))[0]?.secret).toBe(hook.secret);
      expect(await repo.signingSecret(pool, { webhookId: hook.id })).toBe(hook.secret);
      const cb = await repo.rotateCallbackSecret(db, 'k1');
      expect(await repo.signingSecret(pool, { apiKeyId: 'k1' })).toBe(cb.secret);
      await repo.recordDelivery(pool, {
        webhookId: hook.id,
        jobId: 'j1',
        eventId: '1-0',
        event: 'job.completed',
        url: hook.url,
        attempt: 1,
        status: 500,
        durationMs: 1.5,
        error: 'answered 500',
      });
      const [d] = await repo.listDeliveries(db, { webhookId: hook.id }, { limit: 10 });
      expect(d).toMatchObject({ attempt: 1, status: 500, durationMs: 1.5, error: 'answered 500' });
      expect((await repo.getDelivery(db, d?.id as string))?.eventId).toBe('1-0');
      expect(await repo.deleteWebhook(db, 'k2', hook.id)).toBe(false);
      expect(await repo.deleteWebhook(db, 'k1', hook.id)).toBe(true);
      expect(await repo.listDeliveries(db, { webhookId: hook.id }, { limit: 10 })).toEqual([]);
    } finally {
      await pool.end();
    }
  });
});
