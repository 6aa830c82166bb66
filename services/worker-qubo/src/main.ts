import { onShutdown } from '@kiln/config';
import { pino } from 'pino';
import { loadQuboWorkerEnv } from './env.js';
import { startQuboWorker } from './worker.js';

const env = loadQuboWorkerEnv();
const log = pino({ level: env.LOG_LEVEL, name: 'worker-qubo' });
const worker = await startQuboWorker({
  redisUrl: env.REDIS_URL,
  databaseUrl: env.DATABASE_URL,
  prefix: env.KILN_QUEUE_PREFIX,
  concurrency: env.QUBO_CONCURRENCY,
  threads: env.QUBO_THREADS,
  ...(env.QUBO_SLOTS ? { slots: env.QUBO_SLOTS } : {}),
  log,
  lockDurationMs: env.KILN_LOCK_DURATION_MS,
  stalledIntervalMs: env.KILN_STALLED_INTERVAL_MS,
});
log.info({ concurrency: env.QUBO_CONCURRENCY, threads: env.QUBO_THREADS }, 'worker-qubo ready');

onShutdown(() => worker.close(), log, 'closing: running jobs go back to the queue');
