import { loadDashboardEnv } from './env.js';
import { buildDashboard } from './server.js';

const env = loadDashboardEnv();
const app = await buildDashboard({
  apiUrl: env.apiUrl,
  redisUrl: env.redisUrl,
  keyPrefix: env.keyPrefix,
  cookieSecure: env.cookieSecure,
  ...(env.publicUrl === undefined ? {} : { publicUrl: env.publicUrl }),
  sessionIdleSeconds: env.sessionIdleSeconds,
  sessionMaxSeconds: env.sessionMaxSeconds,
  logger: { level: env.logLevel },
});

let closing = false;
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  if (closing) {
    app.log.warn({ signal }, 'second signal, exiting now');
    process.exit(1);
  }
  closing = true;
  app.log.info({ signal }, 'shutting down');
  // Open browser tabs hold keep-alive connections; do not wait for them forever.
  setTimeout(() => {
    app.log.error('graceful shutdown timed out');
    process.exit(1);
  }, 10_000).unref();
  try {
    await app.close();
    app.log.info('dashboard closed');
    process.exit(0);
  } catch (error) {
    app.log.error({ err: error }, 'error while closing');
    process.exit(1);
  }
}
process.on('SIGTERM', (signal) => void shutdown(signal));
process.on('SIGINT', (signal) => void shutdown(signal));

try {
  await app.listen({ port: env.port, host: env.host });
} catch (error) {
  app.log.fatal({ err: error }, 'could not start the dashboard');
  process.exit(1);
}
const address = app.server.address();
const port = typeof address === 'object' && address !== null ? address.port : env.port;
const host = env.host.includes(':') ? `[${env.host}]` : env.host;
app.log.info({ url: `http://${host}:${port}/`, apiUrl: env.apiUrl }, `Kiln dashboard at http://${host}:${port}/`);
