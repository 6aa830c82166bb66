import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyError, type FastifyInstance, LogController } from 'fastify';
import { jobCatalog, jobKinds, jobStates } from '@kiln/contracts';
import { errorBody, statusOf } from './errors.js';
import { apiProxy } from './proxy.js';
import { listStaticFiles } from './static-files.js';

export interface DashboardOptions {
  /** Base URL of the Kiln producer API that `/api/*` is proxied to. */
  apiUrl: string;
  /** `true` logs at info, `{ level }` picks a pino level; default off. */
  logger?: boolean | { level: string };
  /** Upstream timeout for proxied requests, default 30 s. */
  upstreamTimeoutMs?: number;
  /** Folder with the single-page UI, default `services/dashboard/public`. */
  publicDir?: string;
}

interface ResolvedDashboardOptions {
  apiUrl: string;
  logger: boolean | { level: string };
  upstreamTimeoutMs: number;
  publicDir: string;
}

export function resolveDashboardOptions(options: DashboardOptions): ResolvedDashboardOptions {
  return {
    apiUrl: new URL(options.apiUrl).href.replace(/\/+$/, ''),
    logger: options.logger ?? false,
    upstreamTimeoutMs: options.upstreamTimeoutMs ?? 30_000,
    publicDir: options.publicDir ?? fileURLToPath(new URL('../public/', import.meta.url)),
  };
}

/**
 * The UI may only load what it ships with and talk to its own origin; inline SVG built through the
 * DOM API and CSSOM style properties are unaffected.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * Builds (does not start) the dashboard server: the static single-page UI at `/`, a reverse proxy
 * from `/api/*` to the Kiln API, and `/healthz` for the dashboard process itself.
 */
export async function buildDashboard(options: DashboardOptions): Promise<FastifyInstance> {
  const resolved = resolveDashboardOptions(options);
  const app = Fastify({
    logger: resolved.logger,
    // Every open dashboard polls; per-request info logs would drown everything else (see onResponse).
    logController: new LogController({ disableRequestLogging: true }),
  });

  app.addHook('onResponse', async (request, reply) => {
    const entry = { method: request.method, url: request.url, status: reply.statusCode, ms: reply.elapsedTime };
    if (reply.statusCode >= 500) request.log.warn(entry, 'request failed');
    else request.log.debug(entry, 'request');
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(statusOf('KILN_ERR_BODY_TOO_LARGE')).send(errorBody('KILN_ERR_BODY_TOO_LARGE', error.message));
    }
    const status = error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 500;
    if (status < 500) return reply.code(status).send(errorBody('KILN_ERR_VALIDATION', error.message));
    request.log.error({ err: error }, 'dashboard error');
    return reply.code(statusOf('KILN_ERR_INTERNAL')).send(errorBody('KILN_ERR_INTERNAL', 'Internal dashboard error'));
  });

  app.setNotFoundHandler((request, reply) =>
    reply.code(statusOf('KILN_ERR_NOT_FOUND')).send(errorBody('KILN_ERR_NOT_FOUND', `no such path: ${request.method} ${request.url}`)),
  );

  app.get('/healthz', async () => ({ status: 'ok' }));

  // The job catalog, so the UI's kinds, states and queues come from the one declaration.
  const catalog = {
    kinds: jobKinds.map((kind) => {
      const { queue, description, retry, limits } = jobCatalog[kind];
      return { kind, queue, description, attempts: retry.attempts, timeoutMs: limits.timeoutMs };
    }),
    states: jobStates,
  };
  app.get('/catalog.json', async (_request, reply) => reply.header('cache-control', 'no-cache').send(catalog));

  await app.register(apiProxy, {
    prefix: '/api',
    apiUrl: resolved.apiUrl,
    timeoutMs: resolved.upstreamTimeoutMs,
  });

  // One route per shipped file: anything else, including any `..` trick, falls through to the 404.
  const files = await listStaticFiles(resolved.publicDir);
  const index = files.get('/index.html');
  if (index !== undefined) files.set('/', index);
  for (const [path, { file, contentType }] of files) {
    app.get(path, async (_request, reply) => {
      const body = await readFile(file);
      return reply
        .type(contentType)
        .header('cache-control', 'no-cache')
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .header('content-security-policy', CONTENT_SECURITY_POLICY)
        .send(body);
    });
  }

  return app;
}
