/**
 * Batch scoring through the platform: every user's top-10 (full ranking) written to Postgres by a
 * real `ssm.score` job (API → BullMQ → worker-ssm → Postgres), on a throw-away database.
 *
 *   npx tsx bench/score-db.ts --data ../shared/data/ml-1m/ml-1m.txt [--k 10] [--exclude-seen]
 *
 * The model is freshly initialised (scoring speed does not depend on its weights) and stored as a
 * training job would store it. Prints the handler's seconds (load, score, write) and the wall time
 * from submission to completion; the last line is JSON. Never asserts a time.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { createDataset, createDb, insertJob, upsertModelForJob } from '@kiln/db';
import { createTestDatabase } from '@kiln/db/testing';
import { backendInfo, createMamba4Rec, initBackend, parseInteractions, serializeWeights } from '@kiln/ssm';
import { pino } from 'pino';
import { buildApi } from '../services/api/src/app.js';
import { startSsmWorker } from '../services/worker-ssm/src/worker.js';

const { values } = parseArgs({
  options: { data: { type: 'string' }, k: { type: 'string', default: '10' }, 'exclude-seen': { type: 'boolean', default: false } },
});
if (!values.data) {
  console.error('usage: npx tsx bench/score-db.ts --data <sasrec file> [--k 10] [--exclude-seen]');
  process.exit(2);
}
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const tdb = await createTestDatabase();
const prefix = `kiln-bench-${randomUUID().slice(0, 8)}`;
const db = createDb({ url: tdb.url });
try {
  const parsed = await parseInteractions(createReadStream(values.data), { format: 'sasrec' });
  const ds = await createDataset(db, {
    name: 'bench',
    format: 'sasrec',
    kcore: 5,
    users: parsed.users,
    items: parsed.items,
    sequences: parsed.sequences,
    rawInteractions: parsed.stats.rawInteractions,
  });
  await initBackend('cpu');
  const model = createMamba4Rec({ nItems: parsed.items.length }, { seed: 1 });
  await insertJob(db, { id: 'bench-train', kind: 'ssm.train', queue: 'ssm-train', state: 'completed', payload: {}, options: {} });
  const stored = await upsertModelForJob(db, {
    jobId: 'bench-train',
    name: 'bench',
    datasetId: ds.id,
    config: model.config,
    weights: serializeWeights(model),
    metrics: {},
    epochs: [],
    backend: 'cpu',
    parameters: model.parameterCount(),
    bestEpoch: 0,
  });
  model.dispose();

  const adminKey = `bench-admin-${randomUUID()}`;
  const api = await buildApi({ databaseUrl: tdb.url, redisUrl, queuePrefix: prefix, auth: { bootstrapAdminKey: adminKey } });
  const worker = await startSsmWorker({
    redisUrl,
    databaseUrl: tdb.url,
    prefix,
    trainConcurrency: 1,
    scoreConcurrency: 1,
    log: pino({ level: process.env.LOG_LEVEL ?? 'warn' }),
  });
  try {
    const users = parsed.users.length;
    const runs: Array<{ handler: number; wall: number; backend?: string }> = [];
    for (let r = 0; r < 3; r++) {
      const t0 = performance.now();
      const res = await api.inject({
        headers: { authorization: `Bearer ${adminKey}` },
        method: 'POST',
        url: '/v1/jobs',
        payload: { kind: 'ssm.score', payload: { modelId: stored.id, users: 'all', k: Number(values.k), excludeSeen: values['exclude-seen'] } },
      });
      const id = res.json().id as string;
      let job: any;
      for (;;) {
        job = (await api.inject({ method: 'GET', url: `/v1/jobs/${id}`, headers: { authorization: `Bearer ${adminKey}` } })).json();
        if (['completed', 'failed', 'cancelled'].includes(job.state)) break;
        await new Promise((x) => setTimeout(x, 20));
      }
      if (job.state !== 'completed') throw new Error(`scoring job ${job.state}: ${JSON.stringify(job.error)}`);
      const wall = (performance.now() - t0) / 1000;
      runs.push({ handler: job.result.seconds, wall });
      console.log(
        `run ${r + 1}: ${users} users, top-${values.k} written in ${job.result.seconds.toFixed(2)} s (handler), ${wall.toFixed(2)} s submit → completed`,
      );
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
    const handler = median(runs.map((r) => r.handler));
    const wall = median(runs.map((r) => r.wall));
    const written = await db.recommendation.count();
    console.log(`rows written: ${written} (${runs.length} jobs × ${users} users); worker backend: see worker log; this process: ${backendInfo().backend}`);
    console.log(
      JSON.stringify({
        bench: 'score-db',
        users,
        k: Number(values.k),
        handler_seconds: Number(handler.toFixed(3)),
        end_to_end_seconds: Number(wall.toFixed(3)),
        users_per_s: Math.round(users / handler),
      }),
    );
  } finally {
    await worker.close();
    await api.close();
  }
} finally {
  await db.$disconnect();
  await tdb.drop();
}
