import { Readable } from 'node:stream';
import { errorCodes, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
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
  /** Largest body relayed for requests that are not uploads (buffered); default 1 MiB. Uploads are streamed and limited by the API. */
  bodyLimitBytes?: number;
}

/**
 * Upload routes (`POST /v1/datasets`, `POST /v1/qubo/problems`, and `POST|PUT /v1/models…` for model
 * files): their bodies are piped to the API as they arrive, never buffered, so the API's own upload
 * limit (256 MiB by default) is the only one. Matched on the checked target path, after proxyTarget.
 */
export function isUploadTarget(method: string, apiPath: string): boolean {
  if (method !== 'POST' && method !== 'PUT') return false;
  return /^\/v1\/(datasets|qubo\/problems|models(\/[^/]+)?(\/(weights|upload|import))?)$/.test(apiPath);
}

/** Reads a (non-upload) body into a Buffer, refusing it once it passes `limit` bytes (413). */
function collectBody(
  payload: NodeJS.ReadableStream & { destroy?(): void },
  declared: number,
  limit: number,
  done: (error: Error | null, body?: Buffer) => void,
) {
  const tooLarge = () => new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE();
  if (Number.isFinite(declared) && declared > limit) {
    done(tooLarge());
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  const finish = (error: Error | null, body?: Buffer) => {
    if (finished) return;
    finished = true;
    done(error, body);
  };
  payload.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) {
      payload.removeAllListeners('data');
      payload.resume();
      finish(tooLarge());
      return;
    }
    chunks.push(chunk);
  });
  payload.on('end', () => finish(null, Buffer.concat(chunks)));
  payload.on('error', (error: Error) => finish(error));
}

/** Request headers worth forwarding; everything else (cookies, the browser's authorization, hop-by-hop, host) stays here. */
const FORWARDED_REQUEST_HEADERS = ['accept', 'content-type', 'idempotency-key', 'x-request-id', 'last-event-id'];
/** Response headers passed back; content-length/encoding are recomputed because fetch decodes the body. */
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'content-disposition', 'link', 'location', 'retry-after', 'x-request-id', 'idempotent-replayed'];

/**
 * JSON answers are read whole (small, and a failure midway becomes a clean 502); anything else
 * (Server-Sent Events, CSV/JSONL/Parquet exports, model files) is piped to the browser as it comes.
 */
const isBuffered = (contentType: string) => contentType === '' || /^application\/(json|problem\+json)\b/i.test(contentType);

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
  const checked = new WeakMap<FastifyRequest, { url: URL; session: Session; upload: boolean }>();
  const bodyLimit = options.bodyLimitBytes ?? 1 << 20;

  // Request bodies stay raw bytes: the API validates them, the dashboard only relays them. Uploads
  // stay a stream (piped to the API as they arrive); anything else is buffered up to bodyLimit.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (request, payload, done) => {
    if (checked.get(request)?.upload === true) {
      done(null, payload);
      return;
    }
    collectBody(payload, Number(request.headers['content-length']), bodyLimit, done as (error: Error | null, body?: Buffer) => void);
  });

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
    checked.set(request, {
      url: target.url,
      session,
      upload: isUploadTarget(request.method, target.url.pathname.slice(base.pathname.replace(/\/+$/, '').length)),
    });
  });

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const pass = checked.get(request);
    if (pass === undefined) throw new Error('proxy request without its checks');
    const { url: target, session, upload } = pass;

    const headers = new Headers();
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = request.headers[name];
      if (typeof value === 'string') headers.set(name, value);
    }
    headers.set('authorization', `Bearer ${session.apiKey}`);
    const stream = upload && request.body instanceof Readable ? request.body : undefined;
    const body = stream
      ? (Readable.toWeb(stream) as ReadableStream<Uint8Array>)
      : Buffer.isBuffer(request.body) && request.body.length > 0
        ? request.body
        : undefined;

    // The timeout counts from the end of the request body: a large upload from a slow browser may
    // take longer than timeoutMs to arrive, and the API then has timeoutMs to answer.
    const controller = new AbortController();
    const expire = () => controller.abort(new DOMException(`no answer within ${options.timeoutMs} ms`, 'TimeoutError'));
    let timer: NodeJS.Timeout | undefined;
    if (stream) {
      stream.once('end', () => {
        timer = setTimeout(expire, options.timeoutMs);
      });
      // The browser gave up on the upload: so does the proxy.
      request.raw.once('close', () => {
        if (!request.raw.complete) controller.abort(new DOMException('the browser broke off the upload', 'AbortError'));
      });
    } else {
      timer = setTimeout(expire, options.timeoutMs);
    }

    let upstream: Response;
    let payload: Buffer | undefined;
    let piped: Readable | undefined;
    try {
      upstream = await fetch(target, {
        method: request.method,
        headers,
        body,
        redirect: 'manual',
        signal: controller.signal,
        ...(stream ? { duplex: 'half' } : {}),
      } as RequestInit);
      if (upstream.body !== null && !isBuffered(upstream.headers.get('content-type') ?? '')) {
        // Streamed: the timeout covered the wait for the answer's headers; an event stream may then
        // stay open as long as the browser keeps it, and closing the tab ends the upstream request.
        clearTimeout(timer);
        reply.raw.once('close', () => controller.abort(new DOMException('the browser closed the response', 'AbortError')));
        piped = Readable.fromWeb(upstream.body as import('node:stream/web').ReadableStream<Uint8Array>);
        piped.on('error', (error) => request.log.debug({ reason: describeFetchError(error) }, 'streamed API response ended early'));
      } else {
        payload = Buffer.from(await upstream.arrayBuffer());
      }
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      const reason = describeFetchError(error);
      request.log.warn({ target: target.href, reason }, 'Kiln API request failed');
      const message = timedOut
        ? `Kiln API at ${base.origin} did not answer within ${options.timeoutMs} ms`
        : `Kiln API at ${base.origin} is unreachable: ${reason}`;
      return reply.code(statusOf('KILN_ERR_DASHBOARD_UPSTREAM')).send(errorBody('KILN_ERR_DASHBOARD_UPSTREAM', message));
    } finally {
      clearTimeout(timer);
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
    if (piped !== undefined) return reply.send(piped);
    return reply.send(payload !== undefined && payload.length > 0 ? payload : undefined);
  };

  app.route({ method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], url: '/*', handler });
}
