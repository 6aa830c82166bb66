import { createDb, jobLifecycleHooks } from '@kiln/db';
import { WorkerHarness } from '@kiln/queue';
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
  const harness = new WorkerHarness({
    kind: 'qubo.solve',
    redisUrl: options.redisUrl,
    prefix: options.prefix,
    concurrency: options.concurrency,
    log: options.log,
    hooks: jobLifecycleHooks(db),
    handler: createSolveHandler({ db, threads: options.threads }),
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
