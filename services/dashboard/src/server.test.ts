import { randomUUID } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRedis } from '@kiln/queue';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardOptions, buildDashboard } from './server.js';

const publicDir = fileURLToPath(new URL('../public/', import.meta.url));

// Sessions live in the real Redis, under a prefix of this file's own.
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const keyPrefix = `kiln-test-dash-${randomUUID().slice(0, 8)}`;
const ADMIN_KEY = `admin-${randomUUID()}`;
const dashboard = (options: DashboardOptions) => buildDashboard({ redisUrl, keyPrefix, ...options });

/**
 * A stand-in for the Kiln API's `GET /v1/auth/me` (at `/v1` and under the `/kiln` base path): the
 * admin key is known, everything else is a 401.
 */
function fakeAuthMe(app: FastifyInstance): void {
  const me = async (req: { headers: Record<string, unknown> }, reply: { code(n: number): { send(x: unknown): unknown } }) =>
    req.headers.authorization === `Bearer ${ADMIN_KEY}`
      ? reply.code(200).send({ id: 'k1', name: 'tester', scopes: ['read', 'submit', 'admin'] })
      : reply.code(401).send({ error: { code: 'KILN_ERR_UNAUTHENTICATED', message: 'unknown or revoked API key' } });
  app.get('/v1/auth/me', me);
  app.get('/kiln/v1/auth/me', me);
}

/** Logs in through `POST /login`; the headers a logged-in page sends (cookie and CSRF token). */
async function login(app: FastifyInstance, key = ADMIN_KEY): Promise<{ cookie: string; 'x-csrf-token': string }> {
  const res = await app.inject({ method: 'POST', url: '/login', payload: { key } });
  expect(res.statusCode, res.body).toBe(200);
  const setCookie = res.headers['set-cookie'];
  const cookie = String(Array.isArray(setCookie) ? setCookie[0] : setCookie).split(';')[0] as string;
  const session = await app.inject({ method: 'GET', url: '/session', headers: { cookie } });
  return { cookie, 'x-csrf-token': session.json().csrfToken as string };
}

let upstream: FastifyInstance;
let upstreamUrl: string;
/** Ends the event stream of GET /v1/events-stream (its first event is sent at once). */
let endStream: () => void = () => undefined;

beforeAll(async () => {
  upstream = Fastify();
  fakeAuthMe(upstream);
  // Echo exactly what arrived: method, url, selected headers and the raw body.
  upstream.removeAllContentTypeParsers();
  upstream.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  const echo =
    (status: number) =>
    async (req: { method: string; url: string; headers: Record<string, unknown>; body: unknown }, reply: { code(n: number): { send(x: unknown): unknown } }) =>
      reply.code(status).send({
        method: req.method,
        url: req.url,
        body: req.body ?? null,
        contentType: req.headers['content-type'] ?? null,
        idempotencyKey: req.headers['idempotency-key'] ?? null,
        cookie: req.headers.cookie ?? null,
        authorization: req.headers.authorization ?? null,
        csrf: req.headers['x-csrf-token'] ?? null,
      });
  upstream.get('/v1/jobs', echo(200));
  upstream.get('/v1/events-stream', (req, reply) => {
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
    reply.raw.write(`id: 1\nevent: state\ndata: {"n":1,"lastEventId":${JSON.stringify(req.headers['last-event-id'] ?? null)}}\n\n`);
    endStream = () => reply.raw.end('id: 2\nevent: state\ndata: {"n":2}\n\n');
  });
  // An upload route: counts the bytes that arrived (past the dashboard's 1 MiB limit for other bodies).
  upstream.post('/v1/datasets', { bodyLimit: 64 << 20 }, async (req, reply) => {
    const body = String(req.body ?? '');
    return reply.code(201).send({ bytes: Buffer.byteLength(body), transferEncoding: req.headers['transfer-encoding'] ?? null, url: req.url });
  });
  upstream.post('/v1/jobs', echo(201));
  upstream.delete('/v1/things/:id', echo(200));
  upstream.get('/kiln/v1/queues', echo(200));
  upstream.post('/v1/jobs/:id/retry', async (_req, reply) => reply.code(409).send({ error: { code: 'KILN_ERR_CONFLICT', message: 'job j1 is active' } }));
  upstream.post('/v1/queues/:name/pause', async (req) => ({ name: (req.params as { name: string }).name, paused: true }));
  upstream.get('/v1/empty', async (_req, reply) => reply.code(204).send());
  upstream.get('/v1/created', async (_req, reply) =>
    reply.code(201).header('location', '/v1/jobs/j9').header('idempotent-replayed', 'true').send({ id: 'j9' }),
  );
  upstream.get('/v1/slow', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    return { late: true };
  });
  upstreamUrl = await upstream.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await upstream?.close();
  const redis = createRedis(redisUrl, 'producer');
  try {
    const keys = await redis.keys(`${keyPrefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
});

/** A raw GET, so the path reaches the server byte for byte (no client-side `..` normalisation). */
function rawGet(base: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; contentType: string; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function listJsFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listJsFiles(path)));
    else if (entry.name.endsWith('.js')) out.push(path);
  }
  return out;
}

/** A port nothing listens on: bind one, note it, close it. */
async function closedPort(): Promise<number> {
  const probe = Fastify();
  await probe.listen({ port: 0, host: '127.0.0.1' });
  const { port } = probe.server.address() as AddressInfo;
  await probe.close();
  return port;
}

describe('static UI', () => {
  let app: FastifyInstance;
  let base: string;
  let session: { cookie: string };

  beforeAll(async () => {
    app = await dashboard({ apiUrl: upstreamUrl });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    session = await login(app);
  });
  afterAll(async () => {
    await app.close();
  });

  it.each([
    ['/login', 'text/html; charset=utf-8'],
    ['/login.js', 'text/javascript; charset=utf-8'],
    ['/style.css', 'text/css; charset=utf-8'],
    ['/favicon.svg', 'image/svg+xml'],
  ])('serves the public %s as %s without a session', async (path, contentType) => {
    const res = await app.inject({ method: 'GET', url: path });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(contentType);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['referrer-policy']).toBe('same-origin');
  });

  it('redirects the pages to /login without a session, and answers 401 for everything else', async () => {
    for (const url of ['/', '/index.html']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(302);
      expect(res.headers.location).toBe('/login');
    }
    for (const url of ['/app.js', '/lib/api.js', '/views/jobs.js', '/catalog.json', '/session', '/api/v1/jobs', '/api/healthz']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(401);
      expect(res.json(), url).toMatchObject({ error: { code: 'KILN_ERR_UNAUTHENTICATED' } });
    }
    // A made-up cookie is no session either.
    const forged = await app.inject({ method: 'GET', url: '/app.js', headers: { cookie: `kiln_session=${'A'.repeat(43)}` } });
    expect(forged.statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
  });

  it('the login page loads nothing that needs a session', async () => {
    const page = (await app.inject({ method: 'GET', url: '/login' })).body;
    expect(page).toContain('<script type="module" src="/login.js"></script>');
    expect(page).not.toMatch(/https?:\/\//);
    const script = (await app.inject({ method: 'GET', url: '/login.js' })).body;
    expect(script).not.toMatch(/^\s*import /m);
    for (const [, ref] of page.matchAll(/(?:src|href)="(\/[^"]*)"/g)) {
      expect((await app.inject({ method: 'GET', url: ref as string })).statusCode, ref).toBe(200);
    }
  });

  it.each([
    ['/', 'text/html; charset=utf-8'],
    ['/index.html', 'text/html; charset=utf-8'],
    ['/app.js', 'text/javascript; charset=utf-8'],
    ['/views/jobs.js', 'text/javascript; charset=utf-8'],
    ['/style.css', 'text/css; charset=utf-8'],
    ['/favicon.svg', 'image/svg+xml'],
  ])('serves %s as %s with a session', async (path, contentType) => {
    const res = await app.inject({ method: 'GET', url: path, headers: session });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(contentType);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.body.length).toBeGreaterThan(0);
  });

  it('serves the page that loads app.js as a module', async () => {
    const res = await app.inject({ method: 'GET', url: '/', headers: session });
    expect(res.body).toContain('<script type="module" src="/app.js"></script>');
    expect(res.body).not.toMatch(/https?:\/\//); // no CDN, no external fonts
  });

  it('serves every module the UI imports', async () => {
    for (const file of await listJsFiles(publicDir)) {
      const source = await readFile(file, 'utf8');
      for (const [, spec] of source.matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
        const url = new URL(spec as string, `http://x/${file.slice(publicDir.length)}`).pathname;
        const res = await app.inject({ method: 'GET', url, headers: session });
        expect(res.statusCode, `${url} imported by ${file}`).toBe(200);
        expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
      }
    }
  });

  it('never parses data as HTML in the UI code', async () => {
    for (const file of await listJsFiles(publicDir)) {
      const source = await readFile(file, 'utf8');
      expect(source, file).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/);
    }
  });

  it.each([
    '/../package.json',
    '/%2e%2e/package.json',
    '/%2E%2E/src/server.ts',
    '/views/../../package.json',
    '/views/..%2f..%2fpackage.json',
    '/..%5c..%5cpackage.json',
    '/views/%2e%2e/%2e%2e/src/env.ts',
    '//etc/passwd',
    '/public/index.html',
    '/src/server.ts',
    '/package.json',
    '/views/',
    '/app.js%00.css',
  ])('rejects %s', async (path) => {
    const res = await rawGet(base, path, session);
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'KILN_ERR_NOT_FOUND' } });
    expect(res.body).not.toContain('@kiln/dashboard');
    expect(res.body).not.toContain('buildDashboard');
  });

  it('answers its own health check and publishes the job catalog', async () => {
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const catalog = (await app.inject({ method: 'GET', url: '/catalog.json', headers: session })).json();
    expect(catalog.kinds.map((k: { kind: string }) => k.kind)).toEqual(['ssm.train', 'ssm.score', 'ssm.prime', 'qubo.solve']);
    expect(catalog.kinds.map((k: { queue: string }) => k.queue)).toEqual(['ssm-train', 'ssm-score', 'ssm-prime', 'qubo-solve']);
    expect(catalog.states).toContain('cancelled');
  });
});

describe('/api proxy, upstream down', () => {
  it('answers 502 KILN_ERR_DASHBOARD_UPSTREAM (with a session from another replica)', async () => {
    // Log in on a replica whose API answers; the session (in Redis) works on one whose API is down.
    const up = await dashboard({ apiUrl: upstreamUrl });
    const app = await dashboard({ apiUrl: `http://127.0.0.1:${await closedPort()}` });
    try {
      const session = await login(up);
      for (const [method, url] of [
        ['GET', '/api/v1/queues'],
        ['POST', '/api/v1/queues/qubo-solve/pause'],
      ] as const) {
        const res = await app.inject({ method, url, headers: session });
        expect(res.statusCode).toBe(502);
        expect(res.headers['content-type']).toContain('application/json');
        const body = res.json();
        expect(body.error.code).toBe('KILN_ERR_DASHBOARD_UPSTREAM');
        expect(body.error.message).toMatch(/unreachable: ECONNREFUSED/);
      }
      // Logging in needs the API too.
      const refused = await app.inject({ method: 'POST', url: '/login', payload: { key: ADMIN_KEY } });
      expect(refused.statusCode).toBe(502);
      expect(refused.json().error.code).toBe('KILN_ERR_DASHBOARD_UPSTREAM');
    } finally {
      await app.close();
      await up.close();
    }
  });
});

describe('session store down', () => {
  it('answers 503 KILN_ERR_UNAVAILABLE while Redis is unreachable (and never proxies without a session)', async () => {
    const app = await dashboard({ apiUrl: upstreamUrl, redisUrl: `redis://127.0.0.1:${await closedPort()}` });
    try {
      const res = await app.inject({ method: 'POST', url: '/login', payload: { key: ADMIN_KEY } });
      expect(res.statusCode).toBe(503);
      expect(res.json().error.code).toBe('KILN_ERR_UNAVAILABLE');
      expect(res.headers['set-cookie']).toBeUndefined();
      const proxied = await app.inject({ method: 'GET', url: '/api/v1/jobs', headers: { cookie: `kiln_session=${'A'.repeat(43)}` } });
      expect(proxied.statusCode).toBe(503);
      expect(proxied.json().error.code).toBe('KILN_ERR_UNAVAILABLE');
      // The login page and the health check need no Redis.
      expect((await app.inject({ method: 'GET', url: '/login' })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('/api proxy against a real upstream', () => {
  let app: FastifyInstance;
  let session: { cookie: string; 'x-csrf-token': string };

  beforeAll(async () => {
    app = await dashboard({ apiUrl: upstreamUrl, upstreamTimeoutMs: 200 });
    session = await login(app);
  });
  afterAll(async () => {
    await app.close();
  });

  it('passes method, path and query string through', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/jobs?kind=qubo.solve&state=waiting&limit=5&cursor=a%2Fb', headers: session });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ method: 'GET', url: '/v1/jobs?kind=qubo.solve&state=waiting&limit=5&cursor=a%2Fb' });
  });

  it("sends the session's key upstream, never the browser's own authorization, cookie or CSRF token", async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/jobs', headers: { ...session, authorization: 'Bearer someone-else' } });
    expect(res.json()).toMatchObject({ authorization: `Bearer ${ADMIN_KEY}`, cookie: null, csrf: null });
  });

  it('passes a JSON body and the status through, with the forwarded headers only', async () => {
    const payload = JSON.stringify({ kind: 'qubo.solve', payload: { problem: { n: 3, terms: [[0, 1, 1]], offset: 0 } } });
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/jobs',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'k-1', ...session, cookie: `${session.cookie}; other=secret` },
      payload,
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toEqual({
      method: 'POST',
      url: '/v1/jobs',
      body: payload,
      contentType: 'application/json',
      idempotencyKey: 'k-1',
      cookie: null,
      authorization: `Bearer ${ADMIN_KEY}`,
      csrf: null,
    });
  });

  it('relays body bytes untouched, even when they are not valid JSON', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/jobs', headers: { 'content-type': 'application/json', ...session }, payload: '{"kind": ' });
    expect(res.json()).toMatchObject({ body: '{"kind": ' });
  });

  it('streams upload bodies past 1 MiB to the API (datasets, problems), and refuses other bodies over 1 MiB with 413', async () => {
    const big = Buffer.alloc(3 << 20, 'a');
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/datasets?format=csv&name=big',
      headers: { 'content-type': 'text/csv', ...session },
      payload: big,
    });
    expect(res.statusCode, res.body).toBe(201);
    // Piped as it arrived (chunked), not buffered and re-sent with a length.
    expect(res.json()).toEqual({ bytes: big.length, transferEncoding: 'chunked', url: '/v1/datasets?format=csv&name=big' });
    const refused = await app.inject({ method: 'POST', url: '/api/v1/jobs', headers: { 'content-type': 'application/json', ...session }, payload: big });
    expect(refused.statusCode).toBe(413);
    expect(refused.json()).toMatchObject({ error: { code: 'KILN_ERR_BODY_TOO_LARGE' } });
  });

  it('pipes an event stream to the browser as it comes (the first event arrives while the API still holds the stream open), with Last-Event-ID', async () => {
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const res = await fetch(`${url}/api/v1/events-stream`, { headers: { cookie: session.cookie, 'last-event-id': '41' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('\n\n')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    // Only now does the upstream end the stream: a buffering proxy would have sent nothing yet.
    expect(text).toBe('id: 1\nevent: state\ndata: {"n":1,"lastEventId":"41"}\n\n');
    endStream();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    expect(text).toContain('id: 2\nevent: state\ndata: {"n":2}');
  });

  it('passes upstream errors through unchanged', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/jobs/j1/retry', headers: session });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({ error: { code: 'KILN_ERR_CONFLICT', message: 'job j1 is active' } });
  });

  it('proxies a body-less POST (pause) and other methods', async () => {
    const pause = await app.inject({ method: 'POST', url: '/api/v1/queues/qubo-solve/pause', headers: session });
    expect(pause.json()).toEqual({ name: 'qubo-solve', paused: true });
    const del = await app.inject({ method: 'DELETE', url: '/api/v1/things/7', headers: session });
    expect(del.json()).toMatchObject({ method: 'DELETE', url: '/v1/things/7' });
  });

  it('keeps 204 empty, and passes location and idempotent-replayed headers', async () => {
    const empty = await app.inject({ method: 'GET', url: '/api/v1/empty', headers: session });
    expect(empty.statusCode).toBe(204);
    expect(empty.body).toBe('');
    const created = await app.inject({ method: 'GET', url: '/api/v1/created', headers: session });
    expect(created.statusCode).toBe(201);
    expect(created.headers.location).toBe('/v1/jobs/j9');
    expect(created.headers['idempotent-replayed']).toBe('true');
  });

  it('answers 502 when the upstream does not answer in time', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/slow', headers: session });
    expect(res.statusCode).toBe(502);
    expect(res.json().error).toMatchObject({ code: 'KILN_ERR_DASHBOARD_UPSTREAM' });
    expect(res.json().error.message).toMatch(/did not answer within 200 ms/);
  });

  it('keeps proxied paths under an API base path', async () => {
    const prefixed = await dashboard({ apiUrl: `${upstreamUrl}/kiln/` });
    const base = await prefixed.listen({ port: 0, host: '127.0.0.1' });
    try {
      const prefixedSession = await login(prefixed);
      const ok = await rawGet(base, '/api/v1/queues', prefixedSession);
      expect(ok.status).toBe(200);
      expect(JSON.parse(ok.body)).toMatchObject({ url: '/kiln/v1/queues' });
      for (const path of ['/api/../v1/jobs', '/api/%2e%2e/v1/jobs', '/api/v1/%2E%2E/%2e%2e/v1/jobs']) {
        const res = await rawGet(base, path, prefixedSession);
        expect(res.status, path).toBe(400);
        expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'KILN_ERR_VALIDATION' } });
      }
    } finally {
      await prefixed.close();
    }
  });
});
