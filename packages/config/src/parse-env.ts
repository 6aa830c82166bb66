import { z } from 'zod';

/** Thrown at boot when an environment variable is missing or malformed; names every bad variable. */
export class EnvError extends Error {
  override readonly name = 'EnvError';
  constructor(readonly problems: string[]) {
    super(`invalid environment:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses `env` with a zod object schema whose keys are the variable names. */
export function parseEnv<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  const picked: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') picked[key] = value;
  }
  const parsed = schema.safeParse(picked);
  if (!parsed.success) {
    throw new EnvError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  return parsed.data;
}

/** Shared variable schemas, so every service documents and defaults them the same way. */
export const envVars = {
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379').describe('Redis for BullMQ (noeviction, AOF in production).'),
  DATABASE_URL: z.string().url().default('postgresql://postgres@127.0.0.1:5432/kiln').describe('Postgres that holds datasets, jobs, models and results.'),
  KILN_QUEUE_PREFIX: z.string().min(1).default('kiln').describe('BullMQ key prefix; use a {hash-tag} on Redis Cluster.'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino log level.'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z
    .string()
    .url()
    .optional()
    .describe('OpenTelemetry collector (OTLP/HTTP) base URL: set, traces are sent to <it>/v1/traces; unset (and no traces endpoint), tracing is off.'),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.string().url().optional().describe('The full OTLP/HTTP URL for traces (wins over OTEL_EXPORTER_OTLP_ENDPOINT).'),
  KILN_METRICS_HOST: z
    .string()
    .min(1)
    .default('0.0.0.0')
    .describe("Interface of a worker's /metrics, /healthz and /readyz server (0.0.0.0: reachable by probes and Prometheus)."),
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  positiveInt: (fallback: number) => z.coerce.number().int().min(1).default(fallback),
};
