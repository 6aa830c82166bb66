import { onShutdown } from '@kiln/config';
import { startTracing } from '@kiln/telemetry';
import { buildApi } from './app.js';
import { loadApiEnv } from './env.js';

const env = loadApiEnv();
// Before anything that makes spans; off (no provider, no-op spans) without an OTLP endpoint.
const tracing = startTracing({
  serviceName: 'api',
  ...(env.OTEL_EXPORTER_OTLP_ENDPOINT ? { endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT } : {}),
  ...(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ? { tracesEndpoint: env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT } : {}),
});
const app = await buildApi({
  databaseUrl: env.DATABASE_URL,
  redisUrl: env.REDIS_URL,
  queuePrefix: env.KILN_QUEUE_PREFIX,
  logger: { level: env.LOG_LEVEL },
  bodyLimitBytes: env.KILN_BODY_LIMIT_BYTES,
  uploadLimitBytes: env.KILN_UPLOAD_LIMIT_BYTES,
  quboMaxN: env.KILN_QUBO_MAX_N,
  quboMaxTerms: env.KILN_QUBO_MAX_TERMS,
  ssmMemoryMb: env.KILN_SSM_MEMORY_MB,
  auth: {
    enabled: env.KILN_AUTH === 'on',
    ...(env.KILN_BOOTSTRAP_ADMIN_KEY ? { bootstrapAdminKey: env.KILN_BOOTSTRAP_ADMIN_KEY } : {}),
    metricsRequireKey: env.KILN_METRICS_REQUIRE_KEY === 'true',
  },
  rateLimitPerMinute: env.KILN_RATE_LIMIT_PER_MIN,
  reconcile: { intervalMs: env.KILN_RECONCILE_INTERVAL_MS, graceMs: env.KILN_RECONCILE_GRACE_MS },
  ...(env.KILN_RETENTION_DAYS > 0 ? { retention: { days: env.KILN_RETENTION_DAYS, intervalMs: env.KILN_RETENTION_INTERVAL_MS } } : {}),
  tracing: tracing.enabled,
  webhooks: {
    privateAddresses: env.KILN_WEBHOOK_PRIVATE,
    attempts: env.KILN_WEBHOOK_ATTEMPTS,
    backoffMs: env.KILN_WEBHOOK_BACKOFF_MS,
    deliver: env.KILN_WEBHOOK_DELIVER === 'true',
  },
});
if (env.KILN_AUTH === 'off') app.log.warn('KILN_AUTH=off: every request acts as an admin; never expose this API');
await app.listen({ port: env.PORT, host: env.HOST });
app.log.info(`Kiln API on http://${env.HOST}:${env.PORT} (OpenAPI at /docs)`);

onShutdown(
  async () => {
    await app.close();
    await tracing.shutdown();
  },
  app.log,
  'closing',
);
