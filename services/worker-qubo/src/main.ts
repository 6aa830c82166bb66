import { availableParallelism } from 'node:os';
import { onShutdown } from '@kiln/config';
import { startTracing } from '@kiln/telemetry';
import { pino } from 'pino';
import { loadQuboWorkerEnv } from './env.js';
import { startQuboWorker } from './worker.js';

const env = loadQuboWorkerEnv();
const log = pino({ level: env.LOG_LEVEL, name: 'worker-qubo' });
// Before anything that makes spans; off (no provider, no-op spans) without an OTLP endpoint.
const tracing = startTracing({
  serviceName: 'worker-qubo',
  ...(env.OTEL_EXPORTER_OTLP_ENDPOINT ? { endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT } : {}),
  ...(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ? { tracesEndpoint: env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT } : {}),
});
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
  ...(env.KILN_METRICS_PORT !== 0 ? { metricsPort: env.KILN_METRICS_PORT, metricsHost: env.KILN_METRICS_HOST } : {}),
  tracing: tracing.enabled,
});
// A native anneal runs on a libuv pool thread: a pool smaller than the slots leaves slots idle.
const slots = Math.max(env.QUBO_THREADS, env.QUBO_SLOTS ?? availableParallelism());
if (env.UV_THREADPOOL_SIZE < slots + 1) {
  log.warn(
    { UV_THREADPOOL_SIZE: env.UV_THREADPOOL_SIZE, slots },
    `UV_THREADPOOL_SIZE=${env.UV_THREADPOOL_SIZE} caps this worker at ${env.UV_THREADPOOL_SIZE} anneals at once (fewer while files are read); start it with UV_THREADPOOL_SIZE=${slots + 2}`,
  );
}
log.info({ concurrency: env.QUBO_CONCURRENCY, threads: env.QUBO_THREADS, metrics: worker.metricsUrl ?? 'off', tracing: tracing.enabled }, 'worker-qubo ready');

onShutdown(
  async () => {
    await worker.close();
    await tracing.shutdown();
  },
  log,
  'closing: running jobs go back to the queue',
);
