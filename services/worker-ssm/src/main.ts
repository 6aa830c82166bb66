import { onShutdown } from '@kiln/config';
import { pino } from 'pino';
import { loadSsmWorkerEnv } from './env.js';
import { startSsmWorker } from './worker.js';

const env = loadSsmWorkerEnv();
const log = pino({ level: env.LOG_LEVEL, name: 'worker-ssm' });
const worker = await startSsmWorker({
  redisUrl: env.REDIS_URL,
  databaseUrl: env.DATABASE_URL,
  prefix: env.KILN_QUEUE_PREFIX,
  trainConcurrency: env.SSM_TRAIN_CONCURRENCY,
  scoreConcurrency: env.SSM_SCORE_CONCURRENCY,
  ...(env.KILN_TF_BACKEND ? { backend: env.KILN_TF_BACKEND } : {}),
  log,
  lockDurationMs: env.KILN_LOCK_DURATION_MS,
  stalledIntervalMs: env.KILN_STALLED_INTERVAL_MS,
  memoryBudgetMb: env.KILN_SSM_MEMORY_MB,
});
log.info('worker-ssm ready');

onShutdown(() => worker.close(), log, 'closing: running jobs go back to the queue');
