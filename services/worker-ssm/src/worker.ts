import { createDb, createSqlPool, JobRowWriter } from '@kiln/db';
import { loadNative, nativeStatus } from '@kiln/kernels';
import { createRedis, type JobHandlers, OnlineStateStore, WorkerHarness } from '@kiln/queue';
import { jobObserver, KilnMetrics, startTelemetryServer } from '@kiln/telemetry';
import type { BackendPreference } from '@kiln/ssm';
import type { Logger } from 'pino';
import { ComputePool } from './run-compute.js';
import { createPrimeHandler } from './prime-job.js';
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
  /** The memory one training job may use (KILN_SSM_MEMORY_MB, default 4096): jobs estimated above it are refused. */
  memoryBudgetMb?: number;
  /** How long a cancelled computation may take to stop by itself before its thread is terminated (default 1,000 ms). */
  abortGraceMs?: number;
  /** Serve GET /metrics, /healthz and /readyz on this port (0: any free one); absent: no server. */
  metricsPort?: number;
  /** Default 0.0.0.0. */
  metricsHost?: string;
  /** Record trace spans (a tracer provider is registered: main.ts does it when an OTLP endpoint is set). */
  tracing?: boolean;
  /** How online states are stored (KILN_ONLINE_STATE_PRECISION, default fp16; docs/adr/0021). */
  onlinePrecision?: 'fp16' | 'fp32';
}

/**
 * A running worker-ssm: `close()` stops gracefully; `pool` is its compute threads (diagnostics,
 * tests); `metricsUrl` its /metrics server's base URL (none when off or its port was taken).
 */
export interface SsmWorker {
  close(): Promise<void>;
  pool: ComputePool;
  metricsUrl?: string;
}

/** Starts consuming `ssm.train` and `ssm.score`; `close()` stops gracefully. */
export async function startSsmWorker(options: SsmWorkerOptions): Promise<SsmWorker> {
  // The addon is loaded here, in the main thread, once: compute threads then share it, and a
  // thread's exit can never unload it under libgomp's pool (docs/adr/0009).
  loadNative();
  const native = nativeStatus();
  if (native.loaded) options.log.info({ addon: native.path }, 'native kernels loaded');
  else options.log.warn({ reason: native.reason }, 'native kernels unavailable: falling back to TensorFlow.js kernels');
  const db = createDb({ url: options.databaseUrl });
  const sql = createSqlPool({ url: options.databaseUrl, max: 4 });
  const rows = new JobRowWriter(sql);
  const metrics = new KilnMetrics({
    service: 'worker-ssm',
    onQueueReadError: (err) => options.log.warn({ err }, 'metrics: the queue counts could not be read from Redis'),
  });
  const common = {
    redisUrl: options.redisUrl,
    prefix: options.prefix,
    log: options.log,
    hooks: rows.hooks(),
    observer: jobObserver(metrics, { tracing: options.tracing ?? false }),
    ...(options.lockDurationMs ? { lockDurationMs: options.lockDurationMs } : {}),
    ...(options.stalledIntervalMs ? { stalledIntervalMs: options.stalledIntervalMs } : {}),
  };
  const pool = new ComputePool({
    maxIdle: options.trainConcurrency + options.scoreConcurrency,
    ...(options.abortGraceMs !== undefined ? { abortGraceMs: options.abortGraceMs } : {}),
  });
  // The online states' store (ssm.prime, and the priming at the end of ssm.train).
  const stateRedis = createRedis(options.redisUrl, 'producer');
  const online = { db, pool, store: new OnlineStateStore(stateRedis, options.prefix), precision: options.onlinePrecision ?? 'fp16' } as const;
  const handlerOptions = {
    db,
    sql,
    pool,
    online,
    memoryBudgetBytes: (options.memoryBudgetMb ?? 4096) * 2 ** 20,
    ...(options.backend ? { backend: options.backend } : {}),
  };
  // One handler per kind the catalog gives this worker: a missing one fails the type check.
  const handlers: JobHandlers<'ssm'> = {
    'ssm.train': createTrainHandler(handlerOptions),
    'ssm.score': createScoreHandler(handlerOptions),
    'ssm.prime': createPrimeHandler(online),
  };
  const harness = new WorkerHarness({
    ...common,
    worker: 'ssm',
    handlers,
    concurrency: { 'ssm.train': options.trainConcurrency, 'ssm.score': options.scoreConcurrency, 'ssm.prime': options.scoreConcurrency },
  });
  const warming = pool.warm(options.backend).then(
    (backend) => options.log.info({ backend }, 'compute thread ready'),
    (err) => options.log.warn({ err }, 'compute thread warm-up failed'),
  );
  await harness.start();
  metrics.watchQueues(() => harness.queueInfo());
  const server =
    options.metricsPort === undefined
      ? null
      : await startTelemetryServer({
          port: options.metricsPort,
          ...(options.metricsHost ? { host: options.metricsHost } : {}),
          metrics,
          checks: { redis: () => harness.ping(), postgres: () => sql.query('SELECT 1') },
          log: options.log,
          portVariable: 'KILN_METRICS_PORT',
        });
  return {
    pool,
    ...(server ? { metricsUrl: server.url } : {}),
    async close() {
      await server?.close();
      await harness.close();
      await warming;
      await pool.close();
      await rows.drain();
      await sql.end();
      stateRedis.disconnect();
      await db.$disconnect();
    },
  };
}
