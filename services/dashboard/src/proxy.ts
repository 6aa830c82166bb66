import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody, statusOf } from './errors.js';

export interface ApiProxyOptions {
  /** Base URL of the Kiln API, e.g. `http://127.0.0.1:8080` (a path prefix is allowed). */
  apiUrl: string;
  /** Abort an upstream request after this many milliseconds. */
  timeoutMs: number;
}

/** Request headers worth forwarding; everything else (cookies, hop-by-hop, host) stays here. */
const FORWARDED_REQUEST_HEADERS = ['accept', 'content-type', 'authorization', 'idempotency-key', 'x-request-id'];
/** Response headers passed back; content-length/encoding are recomputed because fetch decodes the body. */
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'location', 'retry-after', 'x-request-id', 'idempotent-replayed'];

/**
 * Fastify plugin (register it with `prefix: '/api'`): `/api/<rest>` → `${apiUrl}/<rest>`, with the
 * method, query string, body bytes and status passed through unchanged.
 */
export async function apiProxy(app: FastifyInstance, options: ApiProxyOptions): Promise<void> {
  const base = new URL(options.apiUrl);
  const basePath = base.pathname.replace(/\/+$/, '');

  // Keep request bodies as raw bytes: the API validates them, the dashboard only relays them.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    // The route only matches `/api/...`; keep the rest byte for byte (query string included).
    const rest = (request.raw.url ?? request.url).slice('/api'.length);
    const target = new URL(`${basePath}${rest}`, base.origin);
    if (!target.pathname.startsWith(`${basePath}/`)) {
      return reply.code(statusOf('KILN_ERR_VALIDATION')).send(errorBody('KILN_ERR_VALIDATION', `path: ${request.url} climbs out of the API base path`));
    }

    const headers = new Headers();
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = request.headers[name];
      if (typeof value === 'string') headers.set(name, value);
    }
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

    reply.code(upstream.status).header('cache-control', 'no-store');
    for (const name of FORWARDED_RESPONSE_HEADERS) {
      const value = upstream.headers.get(name);
      if (value !== null) reply.header(name, value);
    }
    return reply.send(payload.length > 0 ? payload : undefined);
  };

  app.route({ method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], url: '/*', handler });
}

/** `fetch failed` alone says nothing; the useful part (ECONNREFUSED, ENOTFOUND…) is in `cause`. */
function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code === undefined ? cause.message : `${code} (${cause.message})`;
  }
  return error.message;
}
