import { availableParallelism } from 'node:os';
import { createDb, createSqlPool, JobRowWriter, QuboSolutionWriter } from '@kiln/db';
import { type JobHandlers, WorkerHarness } from '@kiln/queue';
import { jobObserver, KilnMetrics, startTelemetryServer } from '@kiln/telemetry';
import type { Logger } from 'pino';
import { ComputeSlots } from './compute-slots.js';
import { ProblemCache } from './problem-cache.js';
import { createSolveHandler } from './solve-job.js';

export interface QuboWorkerOptions {
  redisUrl: string;
  databaseUrl: string;
  prefix: string;
  /** Jobs taken at once (their I/O overlaps; at most `slots` anneal at a time). */
  concurrency: number;
  /** Threads per anneal. */
  threads: number;
  /** Annealing threads at once, in all (default: the cores; at least `threads`). */
  slots?: number;
  /** A job that waits longer than this for a slot goes back to the queue (default 250 ms). */
  handBackMs?: number;
  log: Logger;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** How long a job waits to go again after Postgres or Redis was unreachable (default 2,000 ms). */
  unavailableDelayMs?: number;
  /** Serve GET /metrics, /healthz and /readyz on this port (0: any free one); absent: no server. */
  metricsPort?: number;
  /** Default 0.0.0.0. */
  metricsHost?: string;
  /** Record trace spans (a tracer provider is registered: main.ts does it when an OTLP endpoint is set). */
  tracing?: boolean;
}

/** A running worker-qubo: `close()` stops gracefully; `metricsUrl` is its /metrics server's base URL (none when off or its port was taken). */
export interface QuboWorker {
  close(): Promise<void>;
  metricsUrl?: string;
}

/** Starts consuming `qubo.solve`; `close()` stops gracefully (running jobs go back to the queue). */
export async function startQuboWorker(options: QuboWorkerOptions): Promise<QuboWorker> {
  const db = createDb({ url: options.databaseUrl });
  const sql = createSqlPool({ url: options.databaseUrl });
  // Short solves come by the thousand: their writes wait up to 2 ms to share a statement.
  const rows = new JobRowWriter(sql, { lingerMs: 2 });
  const metrics = new KilnMetrics({
    service: 'worker-qubo',
    onQueueReadError: (err) => options.log.warn({ err }, 'metrics: the queue counts could not be read from Redis'),
  });
  const slotCount = Math.max(options.threads, options.slots ?? availableParallelism());
  let harness: WorkerHarness<'qubo'> | undefined;
  const slots = new ComputeSlots(slotCount, {
    handBackMs: options.handBackMs ?? 250,
    busyAfterMs: 100,
    // While long solves hold every slot, take no more jobs than can run (other replicas take them).
    onBusy: (busy) => harness?.setConcurrency('qubo.solve', busy ? Math.max(1, Math.floor(slotCount / options.threads)) : options.concurrency),
  });
  const handlers: JobHandlers<'qubo'> = {
    'qubo.solve': createSolveHandler({
      db,
      solutions: new QuboSolutionWriter(sql, { lingerMs: 2 }),
      slots,
      problems: new ProblemCache(),
      threads: options.threads,
    }),
  };
  harness = new WorkerHarness({
    worker: 'qubo',
    handlers,
    redisUrl: options.redisUrl,
    prefix: options.prefix,
    concurrency: { 'qubo.solve': options.concurrency },
    log: options.log,
    hooks: rows.hooks(),
    observer: jobObserver(metrics, { tracing: options.tracing ?? false }),
    ...(options.lockDurationMs ? { lockDurationMs: options.lockDurationMs } : {}),
    ...(options.stalledIntervalMs ? { stalledIntervalMs: options.stalledIntervalMs } : {}),
    ...(options.unavailableDelayMs ? { unavailableDelayMs: options.unavailableDelayMs } : {}),
  });
  await harness.start();
  const started = harness;
  metrics.watchQueues(() => started.queueInfo());
  const server =
    options.metricsPort === undefined
      ? null
      : await startTelemetryServer({
          port: options.metricsPort,
          ...(options.metricsHost ? { host: options.metricsHost } : {}),
          metrics,
          checks: { redis: () => started.ping(), postgres: () => sql.query('SELECT 1') },
          log: options.log,
          portVariable: 'KILN_METRICS_PORT',
        });
  return {
    ...(server ? { metricsUrl: server.url } : {}),
    async close() {
      await server?.close();
      await harness?.close();
      slots.close();
      await rows.drain();
      await sql.end();
      await db.$disconnect();
    },
  };
}
