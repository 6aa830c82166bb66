import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createDb, type Db, getModelWeights, getTrainingRun, loadCheckpoint } from '@kiln/db';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSsmWorker } from '../../services/worker-ssm/src/worker.js';
import { get, type Platform, post, quietLog, redisUrl, startPlatform, waitForJob } from '../helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Users walking a cycle of `items` items from random starts (a learnable log), as CSV. */
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
      item = rnd() < 0.2 ? Math.floor(rnd() * items) : (item + 1) % items;
    }
  }
  return `${rows.join('\n')}\n`;
}

/** worker-ssm as its own process, with locks that expire 1.5 s after it dies. */
function spawnWorker(p: Platform): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'services/worker-ssm/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: p.db.url,
      REDIS_URL: redisUrl,
      KILN_QUEUE_PREFIX: p.prefix,
      KILN_LOCK_DURATION_MS: '1500',
      KILN_STALLED_INTERVAL_MS: '1000',
      LOG_LEVEL: process.env.KILN_CHILD_LOG ?? 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** A logger that keeps every line (to find "resumed from epoch K"). */
function capturingLog(lines: Array<Record<string, unknown>>) {
  return pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
}

const figures = (e: { epoch: number; loss: number; valid: Record<string, number> }) => ({ epoch: e.epoch, loss: e.loss, valid: e.valid });

describe('ssm.train: a killed worker loses at most one epoch', () => {
  let p: Platform;
  let db: Db;
  let datasetId: string;
  beforeAll(async () => {
    p = await startPlatform();
    db = createDb({ url: p.db.url });
    const up = await p.api.inject({
      method: 'POST',
      url: '/v1/datasets?format=csv&name=cycles-resume',
      payload: cyclicCsv(240, 40, 24, 3),
      headers: { 'content-type': 'text/csv' },
    });
    expect(up.statusCode).toBe(201);
    datasetId = up.json().id;
  });
  afterAll(async () => {
    await db?.$disconnect();
    await p?.close();
  });

  it('resumes a job whose worker was SIGKILLed from its last checkpoint: attempt 2, epochs kept, the model of an uninterrupted run', async () => {
    const payload = {
      datasetId,
      model: { hiddenSize: 32, maxLen: 20, dState: 8 },
      training: { maxEpochs: 8, patience: 8, batchSize: 16, lr: 0.004, seed: 5 },
    };
    const first = spawnWorker(p);
    const lines: Array<Record<string, unknown>> = [];
    let second: Awaited<ReturnType<typeof startSsmWorker>> | undefined;
    try {
      const sub = await post(p.api, '/v1/jobs', { kind: 'ssm.train', payload });
      expect(sub.status).toBe(201);
      const id = sub.body.id as string;
      // Progress reports an epoch only once its checkpoint is saved.
      await waitForJob(p.api, id, (j) => (j.progress?.epoch ?? 0) >= 2 || ['completed', 'failed'].includes(j.state));
      first.kill('SIGKILL');
      await new Promise((r) => first.once('exit', r));
      const killed = (await get(p.api, `/v1/jobs/${id}`)).body;
      expect(killed.state).toBe('active');
      const run = await getTrainingRun(db, id);
      const checkpoint = await loadCheckpoint(db, run?.id ?? '');
      const k = checkpoint?.epoch ?? 0;
      expect(k).toBeGreaterThanOrEqual(2);
      expect(k).toBeLessThan(8);

      second = await startSsmWorker({
        redisUrl,
        databaseUrl: p.db.url,
        prefix: p.prefix,
        trainConcurrency: 1,
        scoreConcurrency: 1,
        log: capturingLog(lines),
        lockDurationMs: 1500,
        stalledIntervalMs: 1000,
      });
      const job = await waitForJob(p.api, id);
      expect(job.error).toBeNull();
      expect(job.state).toBe('completed');
      // The stalled-job check re-ran it: the second attempt, counted as such.
      expect(job.attempts).toBe(2);
      expect(lines.filter((l) => l.jobId === id).map((l) => l.msg)).toContain(`resumed from epoch ${k}`);
      const epochs = (await get(p.api, `/v1/jobs/${id}/epochs`)).body.items as Array<{ epoch: number; loss: number; valid: Record<string, number> }>;
      expect(epochs.map((e) => e.epoch)).toEqual(Array.from({ length: job.result.epochs }, (_, i) => i + 1));
      // The model is stored: its checkpoint is gone.
      expect(await loadCheckpoint(db, run?.id ?? '')).toBeNull();

      // The same job run without interruption (same payload, same seed) gives the same epochs and model.
      const again = await post(p.api, '/v1/jobs', { kind: 'ssm.train', payload });
      const reference = await waitForJob(p.api, again.body.id);
      expect(reference.state).toBe('completed');
      expect(reference.attempts).toBe(1);
      const refEpochs = (await get(p.api, `/v1/jobs/${again.body.id}/epochs`)).body.items as typeof epochs;
      expect(epochs.map(figures)).toEqual(refEpochs.map(figures));
      expect(job.result.test).toEqual(reference.result.test);
      expect(job.result.bestEpoch).toBe(reference.result.bestEpoch);
      const [a, b] = await Promise.all([getModelWeights(db, job.result.modelId), getModelWeights(db, reference.result.modelId)]);
      expect(Buffer.from(a?.weights ?? []).equals(Buffer.from(b?.weights ?? [1]))).toBe(true);
    } finally {
      if (first.exitCode === null && first.signalCode === null) first.kill('SIGKILL');
      await second?.close();
    }
  });

  it("refuses on receipt a job above the worker's memory budget (queued before the check, or a smaller worker)", async () => {
    const worker = await startSsmWorker({
      redisUrl,
      databaseUrl: p.db.url,
      prefix: p.prefix,
      trainConcurrency: 1,
      scoreConcurrency: 1,
      log: quietLog,
      memoryBudgetMb: 64,
    });
    try {
      const sub = await post(p.api, '/v1/jobs', {
        kind: 'ssm.train',
        payload: { datasetId, model: { hiddenSize: 16, maxLen: 20 }, training: { maxEpochs: 1 } },
      });
      expect(sub.status).toBe(201);
      const job = await waitForJob(p.api, sub.body.id);
      expect(job.state).toBe('failed');
      expect(job.attempts).toBe(1);
      expect(job.error.code).toBe('KILN_ERR_RESOURCE_LIMIT');
      expect(job.error.message).toMatch(/would need about \d+ MB, more than the 64 MB/);
    } finally {
      await worker.close();
    }
  });
});
