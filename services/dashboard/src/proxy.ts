import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type DashboardAuth, isUnsafeMethod } from './auth.js';
import { errorBody, statusOf } from './errors.js';
import { describeFetchError } from './fetch-error.js';
import { proxyTarget } from './proxy-path.js';
import type { Session } from './session.js';

export interface ApiProxyOptions {
  /** Base URL of the Kiln API, e.g. `http://127.0.0.1:8080` (a path prefix is allowed). */
  apiUrl: string;
  /** Abort an upstream request after this many milliseconds. */
  timeoutMs: number;
  /** Sessions and CSRF checks. */
  auth: DashboardAuth;
}

/** Request headers worth forwarding; everything else (cookies, the browser's authorization, hop-by-hop, host) stays here. */
const FORWARDED_REQUEST_HEADERS = ['accept', 'content-type', 'idempotency-key', 'x-request-id'];
/** Response headers passed back; content-length/encoding are recomputed because fetch decodes the body. */
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'location', 'retry-after', 'x-request-id', 'idempotent-replayed'];

/**
 * Fastify plugin (register it with `prefix: '/api'`): `/api/v1/<rest>` → `${apiUrl}/v1/<rest>` with
 * the session's API key as `Authorization: Bearer`, the method, query string, body bytes and status
 * passed through unchanged. Checked before the body is read, in this order: the path (400/404, see
 * proxy-path.ts), the session (401), and for state-changing methods the CSRF token and origin
 * (403 KILN_ERR_CSRF) and a scope beyond `read` (403 KILN_ERR_FORBIDDEN).
 */
export async function apiProxy(app: FastifyInstance, options: ApiProxyOptions): Promise<void> {
  const base = new URL(options.apiUrl);
  const { auth } = options;
  const checked = new WeakMap<FastifyRequest, { url: URL; session: Session }>();

  // Keep request bodies as raw bytes: the API validates them, the dashboard only relays them.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.addHook('onRequest', async (request, reply) => {
    const target = proxyTarget(request.raw.url ?? request.url, base);
    if (!target.ok) {
      const code = target.status === 404 ? 'KILN_ERR_NOT_FOUND' : 'KILN_ERR_VALIDATION';
      return reply.code(statusOf(code)).send(errorBody(code, `not proxied: ${target.message}`));
    }
    const session = await auth.sessionOf(request);
    if (session === null) {
      return reply.code(statusOf('KILN_ERR_UNAUTHENTICATED')).send(errorBody('KILN_ERR_UNAUTHENTICATED', 'log in to the dashboard first (/login)'));
    }
    if (isUnsafeMethod(request.method)) {
      const problem = auth.csrfProblem(request, session);
      if (problem !== null) return reply.code(statusOf('KILN_ERR_CSRF')).send(errorBody('KILN_ERR_CSRF', problem));
      if (!session.scopes.includes('submit')) {
        return reply
          .code(statusOf('KILN_ERR_FORBIDDEN'))
          .send(errorBody('KILN_ERR_FORBIDDEN', `key '${session.keyName}' is read-only: a viewer cannot change anything`, { scopes: session.scopes }));
      }
    }
    checked.set(request, { url: target.url, session });
  });

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const pass = checked.get(request);
    if (pass === undefined) throw new Error('proxy request without its checks');
    const { url: target, session } = pass;

    const headers = new Headers();
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = request.headers[name];
      if (typeof value === 'string') headers.set(name, value);
    }
    headers.set('authorization', `Bearer ${session.apiKey}`);
    const body = Buffer.isBuffer(request.body) && request.body.length > 0 ? request.body : undefined;

    let upstream: Response;
    let payload: Buffer;
    try {
      upstream = await fetch(target, {
        method: request.method,
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      payload = Buffer.from(await upstream.arrayBuffer());
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      const reason = describeFetchError(error);
      request.log.warn({ target: target.href, reason }, 'Kiln API request failed');
      const message = timedOut
        ? `Kiln API at ${base.origin} did not answer within ${options.timeoutMs} ms`
        : `Kiln API at ${base.origin} is unreachable: ${reason}`;
      return reply.code(statusOf('KILN_ERR_DASHBOARD_UPSTREAM')).send(errorBody('KILN_ERR_DASHBOARD_UPSTREAM', message));
    }

    // The API no longer takes this session's key (revoked): the session ends with it.
    if (upstream.status === 401) {
      request.log.info({ keyId: session.keyId, keyName: session.keyName }, 'API refused the session key; session ended');
      await auth.endSession(request, reply);
    }

    reply.code(upstream.status).header('cache-control', 'no-store');
    for (const name of FORWARDED_RESPONSE_HEADERS) {
      const value = upstream.headers.get(name);
      if (value !== null) reply.header(name, value);
    }
    return reply.send(payload.length > 0 ? payload : undefined);
  };

  app.route({ method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], url: '/*', handler });
}
