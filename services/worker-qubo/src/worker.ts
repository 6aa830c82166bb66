import { createDb, jobLifecycleHooks } from '@kiln/db';
import { type JobHandlers, WorkerHarness } from '@kiln/queue';
import type { Logger } from 'pino';
import { createSolveHandler } from './solve-job.js';

export interface QuboWorkerOptions {
  redisUrl: string;
  databaseUrl: string;
  prefix: string;
  concurrency: number;
  threads: number;
  log: Logger;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

/** Starts consuming `qubo.solve`; `close()` stops gracefully (running jobs go back to the queue). */
export async function startQuboWorker(options: QuboWorkerOptions): Promise<{ close(): Promise<void> }> {
  const db = createDb({ url: options.databaseUrl });
  const handlers: JobHandlers<'qubo'> = { 'qubo.solve': createSolveHandler({ db, threads: options.threads }) };
  const harness = new WorkerHarness({
    worker: 'qubo',
    handlers,
    redisUrl: options.redisUrl,
    prefix: options.prefix,
    concurrency: { 'qubo.solve': options.concurrency },
    log: options.log,
    hooks: jobLifecycleHooks(db),
    ...(options.lockDurationMs ? { lockDurationMs: options.lockDurationMs } : {}),
    ...(options.stalledIntervalMs ? { stalledIntervalMs: options.stalledIntervalMs } : {}),
  });
  await harness.start();
  return {
    async close() {
      await harness.close();
      await db.$disconnect();
    },
  };
}
