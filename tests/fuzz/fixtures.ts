import { randomUUID } from 'node:crypto';
import { createSqlPool, type SqlPool } from '@kiln/db';
import type { KilnQueues } from '@kiln/queue';
import { type Mamba4RecConfig, parameterShapes } from '@kiln/ssm/config';
import type { Platform } from '../helpers.js';

/** Real resources in each state the routes tell apart, for the generators to name (ids, keys, users, queues). */
export interface Fixtures {
  adminKey: string;
  readKey: string;
  /** A submit key the fuzzer may revoke. */
  victimKeyId: string;
  datasetId: string;
  datasetUsers: string[];
  problemIds: string[];
  modelId: string;
  jobs: { train: string; score: string; waiting: string; cancelled: string; failed: string; completed: string };
  queues: string[];
  /** Every id above, for path parameters. */
  ids: string[];
}

async function call(p: Platform, method: 'GET' | 'POST', url: string, payload?: unknown, headers: Record<string, string> = {}) {
  const res = await p.api.inject({ method, url, headers, ...(payload !== undefined ? { payload: payload as string } : {}) });
  if (res.statusCode >= 300) throw new Error(`fixture ${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json() as Record<string, any>;
}

/**
 * Creates the fixtures through the API where it can (keys, a dataset, problems, jobs) and in SQL
 * where only a worker would (a model, a failed and a completed job, a solution, epochs, recommendations).
 */
export async function createFixtures(p: Platform): Promise<Fixtures> {
  const readKey = (await call(p, 'POST', '/v1/keys', { name: 'r', scopes: ['read'] })).key as string;
  const victimKeyId = (await call(p, 'POST', '/v1/keys', { name: 'victim', scopes: ['submit'] })).id as string;

  const users = Array.from({ length: 8 }, (_, u) => String(u + 1));
  const lines = users.flatMap((u, k) => Array.from({ length: 6 }, (_, i) => `${u} ${((i + k) % 6) + 1}`));
  const dataset = await call(p, 'POST', '/v1/datasets?format=sasrec&name=fixture', `${lines.join('\n')}\n`, { 'content-type': 'text/plain' });
  const json = await call(p, 'POST', '/v1/qubo/problems?format=json&name=fixture', '{"n":3,"terms":[[0,1,2],[1,2,-1],[0,0,-1]]}', {
    'content-type': 'application/json',
  });
  const graph = await call(p, 'POST', '/v1/qubo/problems?format=gset&name=graph&kind=mis', '4 3\n1 2 1\n2 3 1\n3 4 1\n', { 'content-type': 'text/plain' });
  const problemIds = [json.id as string, graph.id as string];

  const submit = async (body: unknown) => (await call(p, 'POST', '/v1/jobs', body)).id as string;
  const solve = () => submit({ kind: 'qubo.solve', payload: { problemId: problemIds[0], params: { timeLimitMs: 100 } } });
  const train = await submit({ kind: 'ssm.train', payload: { datasetId: dataset.id, training: { maxEpochs: 1 } } });

  const sql: SqlPool = createSqlPool({ url: p.db.url, max: 1 });
  try {
    const modelId = randomUUID();
    const modelConfig: Mamba4RecConfig = { hiddenSize: 8, numLayers: 1, dState: 4, dConv: 2, expand: 1, dropout: 0.1, maxLen: 20, nItems: 6 };
    await sql.query(
      `INSERT INTO "Model" ("id","name","version","datasetId","jobId","config","weights","metrics","epochs","backend","parameters","bestEpoch")
       VALUES ($1,'fixture',1,$2,$3,$4,$7,$5,$6,'cpu',1000,1)`,
      [
        modelId,
        dataset.id,
        train,
        JSON.stringify(modelConfig),
        JSON.stringify({ valid: { 'ndcg@10': 0.1 }, test: { 'ndcg@10': 0.1 } }),
        JSON.stringify([{ epoch: 1, loss: 1.5, valid: { 'ndcg@10': 0.1 }, seconds: 1 }]),
        Buffer.from(kilnWeights(modelConfig)),
      ],
    );
    const runId = randomUUID();
    await sql.query(`INSERT INTO "TrainingRun" ("id","jobId","datasetId","config","backend","bestEpoch","updatedAt") VALUES ($1,$2,$3,'{}','cpu',1,now())`, [
      runId,
      train,
      dataset.id,
    ]);
    await sql.query(
      `INSERT INTO "EpochMetric" ("runId","epoch","loss","valid","seconds","trainSeconds","validSeconds") VALUES ($1,1,1.5,'{"ndcg@10":0.1}',1,0.5,0.5)`,
      [runId],
    );
    const score = await submit({ kind: 'ssm.score', payload: { modelId, users: ['1', '2'], k: 2 } });
    await sql.query(
      `INSERT INTO "Recommendation" ("jobId","userIdx","modelId","userExternalId","items","scores") VALUES ($1,0,$2,'1','{"3","4"}','{0.5,0.25}'),($1,1,$2,'2','{"1"}','{0.75}')`,
      [score, modelId],
    );
    const waiting = await solve();
    const cancelled = await solve();
    await call(p, 'POST', `/v1/jobs/${cancelled}/cancel`);
    const failed = await solve();
    await sql.query(
      `UPDATE "Job" SET "state"='failed', "attempts"=3, "error"='{"code":"KILN_ERR_INTERNAL","message":"fixture"}', "startedAt"=now(), "finishedAt"=now(), "updatedAt"=now() WHERE "id"=$1`,
      [failed],
    );
    const completed = await solve();
    const solutionId = randomUUID();
    await sql.query(
      `INSERT INTO "QuboSolution" ("id","jobId","problemId","kind","n","energy","value","feasible","assignment","timeToBestMs","elapsedMs","flipAttempts","mode","params","trace")
       VALUES ($1,$2,$3,'qubo',3,-1,-1,true,'101',1,2,10,'sa','{}','[{"tMs":1,"energy":-1}]')`,
      [solutionId, completed, problemIds[0]],
    );
    const result = { solutionId, kind: 'qubo', n: 3, energy: -1, value: -1, feasible: true, timeToBestMs: 1, elapsedMs: 2, flipAttempts: 10, mode: 'sa' };
    await sql.query(`UPDATE "Job" SET "state"='completed', "attempts"=1, "result"=$2, "startedAt"=now(), "finishedAt"=now(), "updatedAt"=now() WHERE "id"=$1`, [
      completed,
      JSON.stringify(result),
    ]);
    const queues = ((await call(p, 'GET', '/v1/queues')).items as Array<{ name: string }>).map((q) => q.name);
    const jobs = { train, score, waiting, cancelled, failed, completed };
    return {
      adminKey: p.adminKey,
      readKey,
      victimKeyId,
      datasetId: dataset.id,
      datasetUsers: users,
      problemIds,
      modelId,
      jobs,
      queues,
      ids: [...Object.values(jobs), dataset.id, ...problemIds, modelId, victimKeyId, ...queues],
    };
  } finally {
    await sql.end();
  }
}

/** Deletes the test's Redis keys (its queues, rate limits, cancel flags): a fuzz run leaves thousands of queued jobs. */
export async function dropRedisKeys(redis: KilnQueues['redis'], prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** A model's weights blob in Kiln's format (packages/ssm model/weights.ts), every value 0.01: what a trained model stores. */
function kilnWeights(config: Mamba4RecConfig): Uint8Array {
  const shapes = parameterShapes(config);
  const json = new TextEncoder().encode(
    JSON.stringify({ format: 'kiln.ssm.weights', version: 1, config, tensors: shapes.map(([name, shape]) => ({ name, shape })) }),
  );
  const dataStart = (8 + json.length + 3) & ~3;
  const floats = shapes.reduce((n, [, s]) => n + s.reduce((a, b) => a * b, 1), 0);
  const out = new Uint8Array(dataStart + 4 * floats);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x4d53534b, true); // "KSSM"
  view.setUint32(4, json.length, true);
  out.set(json, 8);
  for (let i = 0; i < floats; i++) view.setFloat32(dataStart + 4 * i, 0.01, true);
  return out;
}
