import { onShutdown } from '@kiln/config';
import { startTracing } from '@kiln/telemetry';
import { pino } from 'pino';
import { loadSsmWorkerEnv } from './env.js';
import { startSsmWorker } from './worker.js';

const env = loadSsmWorkerEnv();
const log = pino({ level: env.LOG_LEVEL, name: 'worker-ssm' });
// Before anything that makes spans; off (no provider, no-op spans) without an OTLP endpoint.
const tracing = startTracing({
  serviceName: 'worker-ssm',
  ...(env.OTEL_EXPORTER_OTLP_ENDPOINT ? { endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT } : {}),
  ...(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ? { tracesEndpoint: env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT } : {}),
});
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
  onlinePrecision: env.KILN_ONLINE_STATE_PRECISION,
  ...(env.KILN_METRICS_PORT !== 0 ? { metricsPort: env.KILN_METRICS_PORT, metricsHost: env.KILN_METRICS_HOST } : {}),
  tracing: tracing.enabled,
});
log.info({ metrics: worker.metricsUrl ?? 'off', tracing: tracing.enabled }, 'worker-ssm ready');

onShutdown(
  async () => {
    await worker.close();
    await tracing.shutdown();
  },
  log,
  'closing: running jobs go back to the queue',
);
