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

let closing = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'closing');
    app.close().then(
      () => process.exit(0),
      (err) => {
        app.log.error({ err }, 'close failed');
        process.exit(1);
      },
    );
  });
}
