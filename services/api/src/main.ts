import { onShutdown } from '@kiln/config';
import { buildApi } from './app.js';
import { loadApiEnv } from './env.js';

const env = loadApiEnv();
const app = await buildApi({
  databaseUrl: env.DATABASE_URL,
  redisUrl: env.REDIS_URL,
  queuePrefix: env.KILN_QUEUE_PREFIX,
  logger: { level: env.LOG_LEVEL },
  bodyLimitBytes: env.KILN_BODY_LIMIT_BYTES,
  uploadLimitBytes: env.KILN_UPLOAD_LIMIT_BYTES,
  quboMaxN: env.KILN_QUBO_MAX_N,
  quboMaxTerms: env.KILN_QUBO_MAX_TERMS,
});
await app.listen({ port: env.PORT, host: env.HOST });
app.log.info(`Kiln API on http://${env.HOST}:${env.PORT} (OpenAPI at /docs)`);

onShutdown(() => app.close(), app.log, 'closing');
