import { availableParallelism } from 'node:os';
import { envVars, parseEnv } from '@kiln/config';
import { z } from 'zod';

/** Every variable worker-qubo reads; the only file of the service that touches process.env. */
export const QuboWorkerEnv = z.object({
  REDIS_URL: envVars.REDIS_URL,
  DATABASE_URL: envVars.DATABASE_URL,
  KILN_QUEUE_PREFIX: envVars.KILN_QUEUE_PREFIX,
  LOG_LEVEL: envVars.LOG_LEVEL,
  QUBO_CONCURRENCY: envVars
    .positiveInt(64)
    .describe('qubo.solve jobs taken at once by this process: their I/O overlaps, at most QUBO_SLOTS anneal at a time (short solves need many).'),
  QUBO_THREADS: envVars.positiveInt(availableParallelism()).describe('Annealing threads per job (default: all cores).'),
  QUBO_SLOTS: z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .describe('Annealing threads at once over all jobs (default: the cores); small problems (≤ 64 variables) use one each.'),
  UV_THREADPOOL_SIZE: envVars
    .positiveInt(4)
    .describe("libuv's pool (Node reads it at start): each native anneal holds one of its threads while it runs, so keep it above QUBO_SLOTS."),
  KILN_LOCK_DURATION_MS: envVars.positiveInt(30_000).describe("A job's lock lifetime; a dead worker's job is retried after it."),
  KILN_STALLED_INTERVAL_MS: envVars.positiveInt(30_000).describe('How often stalled (orphaned) jobs are looked for.'),
  KILN_METRICS_PORT: envVars
    .port(9466)
    .describe(
      'Port of GET /metrics, /healthz and /readyz (0: no server). Taken by another process (several workers on one host): a warning, and this one goes on without it.',
    ),
  KILN_METRICS_HOST: envVars.KILN_METRICS_HOST,
  OTEL_EXPORTER_OTLP_ENDPOINT: envVars.OTEL_EXPORTER_OTLP_ENDPOINT,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: envVars.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
});
export type QuboWorkerEnv = z.infer<typeof QuboWorkerEnv>;

export function loadQuboWorkerEnv(env: NodeJS.ProcessEnv = process.env): QuboWorkerEnv {
  return parseEnv(QuboWorkerEnv, env);
}
