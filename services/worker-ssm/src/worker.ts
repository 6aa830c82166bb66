import { createDb, createSqlPool, JobRowWriter } from '@kiln/db';
import { loadNative, nativeStatus } from '@kiln/kernels';
import { type JobHandlers, WorkerHarness } from '@kiln/queue';
import type { BackendPreference } from '@kiln/ssm';
import type { Logger } from 'pino';
import { ComputePool } from './run-compute.js';
import { createScoreHandler } from './score-job.js';
import { createTrainHandler } from './train-job.js';

export interface SsmWorkerOptions {
  redisUrl: string;
  databaseUrl: string;
  prefix: string;
  trainConcurrency: number;
  scoreConcurrency: number;
  backend?: BackendPreference;
  log: Logger;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

/** Starts consuming `ssm.train` and `ssm.score`; `close()` stops gracefully. */
export async function startSsmWorker(options: SsmWorkerOptions): Promise<{ close(): Promise<void> }> {
  // The addon is loaded here, in the main thread, once: compute threads then share it, and a
  // thread's exit can never unload it under libgomp's pool (docs/adr/0009).
  loadNative();
  const native = nativeStatus();
  if (native.loaded) options.log.info({ addon: native.path }, 'native kernels loaded');
  else options.log.warn({ reason: native.reason }, 'native kernels unavailable: falling back to TensorFlow.js kernels');
  const db = createDb({ url: options.databaseUrl });
  const sql = createSqlPool({ url: options.databaseUrl, max: 4 });
  const rows = new JobRowWriter(sql);
  const common = {
    redisUrl: options.redisUrl,
    prefix: options.prefix,
    log: options.log,
    hooks: rows.hooks(),
    ...(options.lockDurationMs ? { lockDurationMs: options.lockDurationMs } : {}),
    ...(options.stalledIntervalMs ? { stalledIntervalMs: options.stalledIntervalMs } : {}),
  };
  const pool = new ComputePool(options.trainConcurrency + options.scoreConcurrency);
  const handlerOptions = { db, pool, ...(options.backend ? { backend: options.backend } : {}) };
  // One handler per kind the catalog gives this worker: a missing one fails the type check.
  const handlers: JobHandlers<'ssm'> = { 'ssm.train': createTrainHandler(handlerOptions), 'ssm.score': createScoreHandler(handlerOptions) };
  const harness = new WorkerHarness({
    ...common,
    worker: 'ssm',
    handlers,
    concurrency: { 'ssm.train': options.trainConcurrency, 'ssm.score': options.scoreConcurrency },
  });
  const warming = pool.warm(options.backend).then(
    (backend) => options.log.info({ backend }, 'compute thread ready'),
    (err) => options.log.warn({ err }, 'compute thread warm-up failed'),
  );
  await harness.start();
  return {
    async close() {
      await harness.close();
      await warming;
      await pool.close();
      await rows.drain();
      await sql.end();
      await db.$disconnect();
    },
  };
}
