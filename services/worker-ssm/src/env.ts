import { envVars, parseEnv } from '@kiln/config';
import { z } from 'zod';

/** Every variable worker-ssm reads; the only file of the service that touches process.env. */
export const SsmWorkerEnv = z.object({
  REDIS_URL: envVars.REDIS_URL,
  DATABASE_URL: envVars.DATABASE_URL,
  KILN_QUEUE_PREFIX: envVars.KILN_QUEUE_PREFIX,
  LOG_LEVEL: envVars.LOG_LEVEL,
  SSM_TRAIN_CONCURRENCY: envVars.positiveInt(1).describe('ssm.train jobs run at once by this process (each in its own thread).'),
  SSM_SCORE_CONCURRENCY: envVars.positiveInt(1).describe('ssm.score jobs run at once by this process.'),
  KILN_TF_BACKEND: z
    .enum(['tensorflow', 'wasm', 'cpu'])
    .optional()
    .describe('Start the tfjs backend search here (cpu forces cpu); default: fastest that works.'),
  KILN_LOCK_DURATION_MS: envVars.positiveInt(30_000).describe("A job's lock lifetime; a dead worker's job is retried after it."),
  KILN_STALLED_INTERVAL_MS: envVars.positiveInt(30_000).describe('How often stalled (orphaned) jobs are looked for.'),
  KILN_METRICS_PORT: envVars
    .port(9465)
    .describe(
      'Port of GET /metrics, /healthz and /readyz (0: no server). Taken by another process (several workers on one host): a warning, and this one goes on without it.',
    ),
  KILN_METRICS_HOST: envVars.KILN_METRICS_HOST,
  OTEL_EXPORTER_OTLP_ENDPOINT: envVars.OTEL_EXPORTER_OTLP_ENDPOINT,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: envVars.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
  KILN_SSM_MEMORY_MB: envVars
    .positiveInt(4096)
    .describe("Memory one training job may use (estimated from its config; the API's KILN_SSM_MEMORY_MB should say the same)."),
  KILN_ONLINE_STATE_PRECISION: z
    .enum(['fp16', 'fp32'])
    .default('fp16')
    .describe("How users' online states are stored (docs/adr/0021): fp16 halves the bytes; the API reads either."),
});
export type SsmWorkerEnv = z.infer<typeof SsmWorkerEnv>;

export function loadSsmWorkerEnv(env: NodeJS.ProcessEnv = process.env): SsmWorkerEnv {
  return parseEnv(SsmWorkerEnv, env);
}
