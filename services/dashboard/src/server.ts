import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import { errorCodeOf, jobCatalog, jobKinds, jobStates } from '@kiln/contracts';
import { createRedis } from '@kiln/queue';
import { MAMBA4REC_DEFAULTS, SCORE_DEFAULTS, TRAINING_PRESETS } from '@kiln/ssm/config';
import { z } from 'zod';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import { DashboardAuth } from './auth.js';
import { errorBody, statusOf } from './errors.js';
import { apiProxy } from './proxy.js';
import { SessionStore } from './session.js';
import { listStaticFiles } from './static-files.js';

export interface DashboardOptions {
  /** Base URL of the Kiln producer API that `/api/*` is proxied to. */
  apiUrl: string;
  /** Redis for the login sessions (shared by every replica); default redis://127.0.0.1:6379. */
  redisUrl?: string;
  /** Key prefix (`KILN_QUEUE_PREFIX`): sessions live under `${keyPrefix}:dashboard:session:`; default `kiln`. */
  keyPrefix?: string;
  /**
   * The URL browsers use, when a reverse proxy in front rewrites the Host header
   * (`https://kiln.example.com`): state-changing requests must then come from its origin. Unset: from
   * the Host they were sent to.
   */
  publicUrl?: string;
  /** Mark the session cookie `Secure` (browsers reach the dashboard over https); default: whether `publicUrl` is https. */
  cookieSecure?: boolean;
  /** A session ends after this many seconds without a request; default 12 h. */
  sessionIdleSeconds?: number;
  /** And at the latest this many seconds after login; default 7 days. */
  sessionMaxSeconds?: number;
  /** `true` logs at info, `{ level }` picks a pino level (and `stream` where lines go); default off. */
  logger?: boolean | { level: string; stream?: { write(line: string): void } };
  /** Upstream timeout for proxied requests, default 30 s. */
  upstreamTimeoutMs?: number;
  /** Folder with the single-page UI, default `services/dashboard/public`. */
  publicDir?: string;
}

export function resolveDashboardOptions(options: DashboardOptions) {
  return {
    apiUrl: new URL(options.apiUrl).href.replace(/\/+$/, ''),
    redisUrl: options.redisUrl ?? 'redis://127.0.0.1:6379',
    keyPrefix: options.keyPrefix ?? 'kiln',
    publicOrigin: options.publicUrl === undefined ? undefined : new URL(options.publicUrl).origin,
    cookieSecure: options.cookieSecure ?? (options.publicUrl !== undefined && new URL(options.publicUrl).protocol === 'https:'),
    sessionIdleSeconds: options.sessionIdleSeconds ?? 12 * 3600,
    sessionMaxSeconds: options.sessionMaxSeconds ?? 7 * 24 * 3600,
    logger: options.logger ?? false,
    upstreamTimeoutMs: options.upstreamTimeoutMs ?? 30_000,
    publicDir: options.publicDir ?? fileURLToPath(new URL('../public/', import.meta.url)),
  };
}

/** Secrets never reach the logs: the session cookie, an API key, the CSRF token. */
export const logRedactions = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["x-csrf-token"]',
];

/**
 * The UI may only load what it ships with and talk to its own origin; inline SVG built through the
 * DOM API and CSSOM style properties are unaffected.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** Reachable without a session: the login page and what it loads. */
const PUBLIC_FILES = new Set(['/login', '/login.html', '/login.js', '/style.css', '/favicon.svg']);
/** Pages a browser navigates to: without a session they redirect to the login page. */
const PAGES = new Set(['/', '/index.html']);

/**
 * Builds (does not start) the dashboard server: the login page, the static single-page UI at `/`
 * (for a session only), a reverse proxy from `/api/*` to the Kiln API with the session's key, and
 * `/healthz` for the dashboard process itself. `app.close()` closes its Redis connection.
 */
export async function buildDashboard(options: DashboardOptions): Promise<FastifyInstance> {
  const resolved = resolveDashboardOptions(options);
  const { logger } = resolved;
  const app = Fastify({
    logger:
      logger === false
        ? false
        : {
            level: logger === true ? 'info' : logger.level,
            redact: { paths: logRedactions, censor: '[redacted]' },
            ...(logger === true || logger.stream === undefined ? {} : { stream: logger.stream }),
          },
    // Every open dashboard polls; per-request info logs would drown everything else (see onResponse).
    logController: new LogController({ disableRequestLogging: true }),
    // Node answers a malformed request (a CR or LF in the request line, a bad header) itself: in Kiln's error shape.
    clientErrorHandler: (error, socket) => {
      const code = (error as NodeJS.ErrnoException).code;
      const [status, reason, body] =
        code === 'HPE_HEADER_OVERFLOW'
          ? [431, 'Request Header Fields Too Large', errorBody('KILN_ERR_HEADERS_TOO_LARGE', 'the request headers are larger than the server accepts')]
          : [400, 'Bad Request', errorBody('KILN_ERR_VALIDATION', `malformed HTTP request: ${error.message}`)];
      if (socket.writable) {
        const text = JSON.stringify(body);
        socket.end(
          `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`,
        );
      } else socket.destroy();
    },
  });

  const redis = createRedis(resolved.redisUrl, 'producer', { connectionName: 'kiln-dashboard' });
  // ioredis reconnects by itself; a request meanwhile answers 503 KILN_ERR_UNAVAILABLE.
  redis.on('error', (error: Error) => app.log.warn({ reason: error.message }, 'session store (Redis) error'));
  app.addHook('onClose', async () => {
    if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
    else redis.disconnect();
  });
  const store = new SessionStore({
    redis,
    prefix: resolved.keyPrefix,
    idleSeconds: resolved.sessionIdleSeconds,
    maxSeconds: resolved.sessionMaxSeconds,
  });
  const auth = new DashboardAuth({
    store,
    api: new URL(resolved.apiUrl),
    cookieSecure: resolved.cookieSecure,
    ...(resolved.publicOrigin === undefined ? {} : { publicOrigin: resolved.publicOrigin }),
    timeoutMs: resolved.upstreamTimeoutMs,
  });
  await app.register(cookie);

  app.addHook('onResponse', async (request, reply) => {
    const entry = { method: request.method, url: request.url, status: reply.statusCode, ms: reply.elapsedTime };
    if (reply.statusCode >= 500) request.log.warn(entry, 'request failed');
    else request.log.debug(entry, 'request');
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const code = errorCodeOf(error);
    if (code !== undefined && code !== 'KILN_ERR_INTERNAL') {
      if (statusOf(code) >= 500)
        request.log.warn({ code, reason: error.message, cause: (error.cause as Error | undefined)?.message }, 'dashboard request failed');
      return reply.code(statusOf(code)).send(errorBody(code, error.message));
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(statusOf('KILN_ERR_BODY_TOO_LARGE')).send(errorBody('KILN_ERR_BODY_TOO_LARGE', error.message));
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.code(statusOf('KILN_ERR_MEDIA_TYPE')).send(errorBody('KILN_ERR_MEDIA_TYPE', error.message));
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

  await app.register(auth.routes);

  /** onRequest guard of everything but the public files: pages redirect to the login page, the rest is a 401. */
  const requireSession = async (request: FastifyRequest, reply: FastifyReply) => {
    if ((await auth.sessionOf(request)) !== null) return;
    if (PAGES.has(request.routeOptions.url ?? '')) return reply.header('cache-control', 'no-store').redirect('/login', 302);
    return reply.code(statusOf('KILN_ERR_UNAUTHENTICATED')).send(errorBody('KILN_ERR_UNAUTHENTICATED', 'log in to the dashboard first (/login)'));
  };

  // The job catalog, so the UI's kinds, states and queues come from the one declaration.
  const catalog = {
    kinds: jobKinds.map((kind) => {
      const { queue, description, retry, limits } = jobCatalog[kind];
      return { kind, queue, description, attempts: retry.attempts, timeoutMs: limits.timeoutMs };
    }),
    states: jobStates,
    // What the submit forms need: each kind's request schema (its fields, enums and limits, as JSON
    // Schema from the catalog's zod) and the defaults the API fills in (the training presets and
    // Mamba4Rec's defaults in @kiln/ssm's config, the scoring defaults beside them).
    forms: {
      schemas: Object.fromEntries(jobKinds.map((kind) => [kind, z.toJSONSchema(jobCatalog[kind].request, { io: 'input', unrepresentable: 'any' })])),
      defaults: {
        'ssm.train': { presets: TRAINING_PRESETS, model: MAMBA4REC_DEFAULTS },
        'ssm.score': SCORE_DEFAULTS,
      },
    },
  };
  app.get('/catalog.json', { onRequest: requireSession }, async (_request, reply) => reply.header('cache-control', 'no-cache').send(catalog));

  await app.register(apiProxy, {
    prefix: '/api',
    apiUrl: resolved.apiUrl,
    timeoutMs: resolved.upstreamTimeoutMs,
    auth,
  });

  // One route per shipped file: anything else, including any `..` trick, falls through to the 404.
  const files = await listStaticFiles(resolved.publicDir);
  const index = files.get('/index.html');
  if (index !== undefined) files.set('/', index);
  const login = files.get('/login.html');
  if (login !== undefined) files.set('/login', login);
  for (const [path, { file, contentType }] of files) {
    app.get(path, PUBLIC_FILES.has(path) ? {} : { onRequest: requireSession }, async (_request, reply) => {
      const body = await readFile(file);
      return (
        reply
          .type(contentType)
          .header('cache-control', 'no-cache')
          .header('x-content-type-options', 'nosniff')
          // Same-origin requests keep their Referer and a real Origin (the CSRF check reads them); other sites get neither.
          .header('referrer-policy', 'same-origin')
          .header('content-security-policy', CONTENT_SECURITY_POLICY)
          .send(body)
      );
    });
  }

  return app;
}
