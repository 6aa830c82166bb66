import { envVars, parseEnv } from '@kiln/config';
import { z } from 'zod';

/** Every variable the API reads. This is the only file of the API that touches process.env. */
export const ApiEnv = z.object({
  PORT: envVars.port(8080).describe('HTTP port.'),
  HOST: z.string().default('127.0.0.1').describe('Interface to listen on (0.0.0.0 in containers).'),
  REDIS_URL: envVars.REDIS_URL,
  DATABASE_URL: envVars.DATABASE_URL,
  KILN_QUEUE_PREFIX: envVars.KILN_QUEUE_PREFIX,
  LOG_LEVEL: envVars.LOG_LEVEL,
  KILN_BODY_LIMIT_BYTES: envVars.positiveInt(1 << 20).describe('Largest JSON request body.'),
  KILN_UPLOAD_LIMIT_BYTES: envVars.positiveInt(256 << 20).describe('Largest dataset or QUBO upload.'),
  KILN_QUBO_MAX_N: envVars.positiveInt(100_000).describe('Most variables a QUBO may have.'),
  KILN_QUBO_MAX_TERMS: envVars.positiveInt(5_000_000).describe('Most terms a QUBO may have.'),
  KILN_SSM_MEMORY_MB: envVars
    .positiveInt(4096)
    .describe('Memory one ssm.train job may use on a worker-ssm (its estimate from the config; larger jobs get a 400). Set it as on the workers.'),
  KILN_AUTH: z.enum(['on', 'off']).default('on').describe("API keys (on). 'off' only for a local experiment: every request acts as an admin."),
  KILN_BOOTSTRAP_ADMIN_KEY: z
    .string()
    .min(32, 'KILN_BOOTSTRAP_ADMIN_KEY must have at least 32 characters')
    .optional()
    .describe('A key of ≥ 32 characters accepted as an admin key (deployments, tests); keep it secret.'),
  KILN_METRICS_REQUIRE_KEY: z.enum(['true', 'false']).default('false').describe('Require a read key for /metrics.'),
  KILN_RECONCILE_INTERVAL_MS: envVars
    .positiveInt(5_000)
    .describe('How often the reconciler checks that every accepted, unfinished job is in the queue (one replica at a time).'),
  KILN_RECONCILE_GRACE_MS: envVars.positiveInt(10_000).describe('Rows younger than this are left to the submit that is writing them.'),
  KILN_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(0)
    .default(0)
    .describe(
      'Finished jobs older than this many days are deleted with their results, from Postgres and BullMQ (0: kept forever in Postgres; BullMQ keeps completed jobs 7 days, failed 30).',
    ),
  KILN_RETENTION_INTERVAL_MS: envVars.positiveInt(600_000).describe('How often the retention pass runs (one replica at a time).'),
  KILN_RATE_LIMIT_PER_MIN: envVars.positiveInt(600_000).describe('Requests per minute per API key (shared by all replicas through Redis).'),
  KILN_WEBHOOK_PRIVATE: z
    .enum(['deny', 'loopback', 'allow'])
    .default('loopback')
    .describe(
      "Webhook and callback addresses: 'deny' public ones only (set it in production), 'loopback' also 127.0.0.1/::1 (development), 'allow' private networks too (docs/adr/0019).",
    ),
  KILN_WEBHOOK_ATTEMPTS: envVars.positiveInt(6).describe('Attempts per webhook delivery (exponential backoff between them).'),
  KILN_WEBHOOK_BACKOFF_MS: envVars.positiveInt(10_000).describe('The first retry delay of a webhook delivery (then doubled each attempt).'),
  KILN_WEBHOOK_DELIVER: z.enum(['true', 'false']).default('true').describe('Run the webhook dispatcher and delivery worker in this API process.'),
  OTEL_EXPORTER_OTLP_ENDPOINT: envVars.OTEL_EXPORTER_OTLP_ENDPOINT,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: envVars.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
});
export type ApiEnv = z.infer<typeof ApiEnv>;

export function loadApiEnv(env: NodeJS.ProcessEnv = process.env): ApiEnv {
  return parseEnv(ApiEnv, env);
}
