import { jobKinds } from '@kiln/contracts';
import { createRedis } from '@kiln/queue';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard, type DashboardOptions } from '../../services/dashboard/src/index.js';
import { type Platform, redisUrl, startPlatform } from '../helpers.js';

// The dashboard's login, sessions (Redis), CSRF checks and viewer role, over real sockets against
// the real API, Postgres and Redis. The browser side is in dashboard.test.ts.

interface Res {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

describe('dashboard login, sessions and CSRF against the real API', () => {
  let platform: Platform;
  let apiUrl: string;
  let viewerKey: string;
  let operatorKey: string;
  const logLines: string[] = [];
  const dashboards: FastifyInstance[] = [];
  let base: string;
  const redis = createRedis(redisUrl, 'producer');

  const start = async (options: Partial<DashboardOptions> = {}) => {
    const app = await buildDashboard({
      apiUrl,
      redisUrl,
      keyPrefix: platform.prefix,
      logger: { level: 'trace', stream: { write: (line: string) => void logLines.push(line) } },
      ...options,
    });
    dashboards.push(app);
    return app.listen({ port: 0, host: '127.0.0.1' });
  };

  const call = async (url: string, init: Omit<RequestInit, 'headers'> & { headers?: Record<string, string> } = {}): Promise<Res> => {
    const res = await fetch(url, { redirect: 'manual', ...init });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {}
    return { status: res.status, headers: res.headers, text, json };
  };

  /** Logs in through POST /login; the cookie and the session's CSRF token. */
  const login = async (key: string, at = base) => {
    const res = await call(`${at}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key }) });
    expect(res.status, res.text).toBe(200);
    const setCookie = res.headers.get('set-cookie') ?? '';
    const cookie = setCookie.split(';')[0] as string;
    const session = await call(`${at}/session`, { headers: { cookie } });
    expect(session.status).toBe(200);
    return { cookie, csrf: session.json.csrfToken as string, setCookie, body: res.json, session: session.json };
  };

  const queuePaused = async (name: string) => {
    const res = await platform.api.inject({ method: 'GET', url: '/v1/queues' });
    return (res.json().items as Array<{ name: string; paused: boolean }>).find((q) => q.name === name)?.paused;
  };

  const sessionKeys = () => redis.keys(`${platform.prefix}:dashboard:session:*`);

  beforeAll(async () => {
    platform = await startPlatform();
    apiUrl = await platform.api.listen({ port: 0, host: '127.0.0.1' });
    const make = async (name: string, scopes: string[]) => {
      const res = await platform.api.inject({ method: 'POST', url: '/v1/keys', payload: { name, scopes } });
      expect(res.statusCode).toBe(201);
      return res.json().key as string;
    };
    viewerKey = await make('viewer', ['read']);
    operatorKey = await make('operator', ['submit']);
    base = await start();
  });

  afterAll(async () => {
    for (const app of dashboards) await app.close();
    await platform?.close();
    redis.disconnect();
  });

  it('refuses a wrong key with a message and sets no cookie', async () => {
    const res = await call(`${base}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: 'kiln_not-a-real-key-0123456789' }),
    });
    expect(res.status).toBe(401);
    expect(res.json.error).toEqual({ code: 'KILN_ERR_UNAUTHENTICATED', message: 'This API key was not accepted: it is unknown or revoked.' });
    expect(res.headers.get('set-cookie')).toBeNull();
    for (const body of [{ key: '' }, { key: 'has spaces inside' }, {}, { key: 42 }]) {
      const bad = await call(`${base}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(bad.json.error.code).toBe('KILN_ERR_VALIDATION');
    }
  });

  it('logs in an admin key: an HttpOnly, SameSite=Strict cookie with a 256-bit random id, and the key stays on the server', async () => {
    const before = new Set(await sessionKeys());
    const { cookie, setCookie, body, session } = await login(platform.adminKey);
    const attributes = setCookie.split(';').map((part) => part.trim());
    expect(attributes[0]).toMatch(/^kiln_session=[A-Za-z0-9_-]{43}$/);
    expect(attributes).toContain('HttpOnly');
    expect(attributes).toContain('SameSite=Strict');
    expect(attributes).toContain('Path=/');
    expect(attributes).not.toContain('Secure'); // plain http here; see the Secure test
    expect(body).toEqual({ name: 'KILN_BOOTSTRAP_ADMIN_KEY', scopes: ['read', 'submit', 'admin'] });
    expect(session).toEqual({ keyId: 'bootstrap', name: 'KILN_BOOTSTRAP_ADMIN_KEY', scopes: ['read', 'submit', 'admin'], csrfToken: expect.any(String) });
    expect(session.csrfToken.length).toBeGreaterThanOrEqual(43);
    expect(`${setCookie} ${JSON.stringify(body)} ${JSON.stringify(session)}`).not.toContain(platform.adminKey);

    // One new entry in Redis, with the idle timeout as its TTL, named by neither the id nor the key and holding neither in clear.
    const added = (await sessionKeys()).filter((k) => !before.has(k));
    expect(added).toHaveLength(1);
    const entry = added[0] as string;
    const ttl = await redis.ttl(entry);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(12 * 3600);
    const stored = (await redis.get(entry)) ?? '';
    const id = cookie.split('=')[1] as string;
    expect(entry).not.toContain(id);
    expect(stored).not.toContain(platform.adminKey);
    expect(stored).not.toContain(id);
  });

  it('proxies /api/v1 with the session key, and answers 401 without a session (an Authorization header is no substitute)', async () => {
    const { cookie } = await login(platform.adminKey);
    const me = await call(`${base}/api/v1/auth/me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(me.json).toEqual({ id: 'bootstrap', name: 'KILN_BOOTSTRAP_ADMIN_KEY', scopes: ['read', 'submit', 'admin'] });
    expect((await call(`${base}/api/v1/queues`, { headers: { cookie } })).json.items).toHaveLength(jobKinds.length);

    for (const headers of [{}, { authorization: `Bearer ${platform.adminKey}` }, { cookie: `kiln_session=${'x'.repeat(43)}` }] as Record<string, string>[]) {
      const res = await call(`${base}/api/v1/queues`, { headers });
      expect(res.status).toBe(401);
      expect(res.json.error.code).toBe('KILN_ERR_UNAUTHENTICATED');
    }
  });

  it('refuses a state-changing call without the CSRF token, with a wrong one, or from another origin, even with a valid cookie (403 KILN_ERR_CSRF)', async () => {
    const { cookie, csrf } = await login(platform.adminKey);
    const pause = `${base}/api/v1/queues/qubo-solve/pause`;
    const here = new URL(base).origin;
    for (const headers of [
      { cookie },
      { cookie, 'x-csrf-token': '' },
      { cookie, 'x-csrf-token': `${csrf.slice(0, -1)}x` },
      { cookie, 'x-csrf-token': csrf, origin: 'http://evil' },
      { cookie, 'x-csrf-token': csrf, origin: 'null' },
      { cookie, 'x-csrf-token': csrf, origin: `http://127.0.0.1:${Number(new URL(base).port) + 1}` },
      { cookie, 'x-csrf-token': csrf, referer: 'http://evil/page' },
      { cookie, 'x-csrf-token': csrf, origin: here, referer: 'http://evil/page' },
    ] as Record<string, string>[]) {
      const res = await call(pause, { method: 'POST', headers });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.json.error.code).toBe('KILN_ERR_CSRF');
    }
    // A cross-site form post (no token at all) to the job API.
    const form = await call(`${base}/api/v1/jobs`, {
      method: 'POST',
      headers: { cookie, origin: 'http://evil', 'content-type': 'text/plain' },
      body: '{"kind":"qubo.solve"}',
    });
    expect(form.status).toBe(403);
    expect(await queuePaused('qubo-solve')).toBe(false);

    // The same call from this origin with the token goes through.
    const ok = await call(pause, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf, origin: here, referer: `${here}/#/queues` } });
    expect(ok.status).toBe(200);
    expect(await queuePaused('qubo-solve')).toBe(true);
    expect((await call(`${base}/api/v1/queues/qubo-solve/resume`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf } })).status).toBe(200);
    expect(await queuePaused('qubo-solve')).toBe(false);

    // Logging in from another site is refused too.
    const crossLogin = await call(`${base}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://evil' },
      body: JSON.stringify({ key: platform.adminKey }),
    });
    expect(crossLogin.status).toBe(403);
    expect(crossLogin.json.error.code).toBe('KILN_ERR_CSRF');
  });

  it('logs out: the cookie no longer works and the session is gone from Redis', async () => {
    const { cookie, csrf } = await login(platform.adminKey);
    const count = (await sessionKeys()).length;
    // Logout is state-changing: without the token it is refused and the session lives on.
    const refused = await call(`${base}/logout`, { method: 'POST', headers: { cookie } });
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('KILN_ERR_CSRF');
    expect((await call(`${base}/session`, { headers: { cookie } })).status).toBe(200);

    const out = await call(`${base}/logout`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf } });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^kiln_session=;.*Expires=Thu, 01 Jan 1970/);
    expect((await sessionKeys()).length).toBe(count - 1);
    for (const url of ['/session', '/api/v1/queues', '/app.js', '/catalog.json']) {
      expect((await call(`${base}${url}`, { headers: { cookie } })).status, url).toBe(401);
    }
    const page = await call(`${base}/`, { headers: { cookie } });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/login');
  });

  it('a viewer (read-only key) reads, but its state-changing calls are refused before they reach the API', async () => {
    const { cookie, csrf, body } = await login(viewerKey);
    expect(body).toEqual({ name: 'viewer', scopes: ['read'] });
    expect((await call(`${base}/api/v1/jobs`, { headers: { cookie } })).status).toBe(200);
    for (const [path, payload] of [
      ['/api/v1/queues/qubo-solve/pause', undefined],
      ['/api/v1/jobs', JSON.stringify({ kind: 'qubo.solve', payload: { problem: { n: 1, terms: [[0, 0, -1]] } } })],
      ['/api/v1/jobs/some-job/cancel', undefined],
      ['/api/v1/keys', JSON.stringify({ name: 'x', scopes: ['admin'] })],
    ] as const) {
      const res = await call(`${base}${path}`, {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': csrf, ...(payload ? { 'content-type': 'application/json' } : {}) },
        body: payload,
      });
      expect(res.status, path).toBe(403);
      // The dashboard's own refusal (the API's names the scope it needs).
      expect(res.json.error).toMatchObject({ code: 'KILN_ERR_FORBIDDEN', message: "key 'viewer' is read-only: a viewer cannot change anything" });
    }
    expect(await queuePaused('qubo-solve')).toBe(false);
    // The API refuses the key as well.
    const direct = await platform.api.inject({ method: 'POST', url: '/v1/queues/qubo-solve/pause', headers: { authorization: `Bearer ${viewerKey}` } });
    expect(direct.statusCode).toBe(403);
    expect(direct.json().error.code).toBe('KILN_ERR_FORBIDDEN');
  });

  it("an operator (submit) key's admin-only calls pass the dashboard and are refused by the API", async () => {
    const { cookie, csrf, body } = await login(operatorKey);
    expect(body.scopes).toEqual(['read', 'submit']);
    const res = await call(`${base}/api/v1/queues/qubo-solve/pause`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf } });
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('KILN_ERR_FORBIDDEN');
    expect(res.json.error.message).toContain("'admin' scope");
  });

  it('shares sessions between replicas through Redis: log in on one, use and end it on another', async () => {
    const other = await start();
    const { cookie, csrf } = await login(platform.adminKey, base);
    expect((await call(`${other}/api/v1/queues`, { headers: { cookie } })).status).toBe(200);
    expect((await call(`${other}/logout`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf } })).status).toBe(204);
    expect((await call(`${base}/api/v1/queues`, { headers: { cookie } })).status).toBe(401);
  });

  it('ends the session when the API stops accepting its key (revoked)', async () => {
    const created = await platform.api.inject({ method: 'POST', url: '/v1/keys', payload: { name: 'short-lived', scopes: ['submit'] } });
    const { id, key } = created.json() as { id: string; key: string };
    const { cookie } = await login(key);
    expect((await call(`${base}/api/v1/queues`, { headers: { cookie } })).status).toBe(200);
    expect((await platform.api.inject({ method: 'POST', url: `/v1/keys/${id}/revoke` })).statusCode).toBe(200);
    // The API caches keys for a few seconds; wait (bounded by the test timeout) until it refuses this one.
    for (;;) {
      const res = await call(`${base}/api/v1/queues`, { headers: { cookie } });
      if (res.status === 401) break;
      expect(res.status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect((await call(`${base}/session`, { headers: { cookie } })).status).toBe(401);
    const again = await call(`${base}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key }) });
    expect(again.status).toBe(401);
  });

  it('with the Secure setting, names the cookie __Host-kiln_session and marks it Secure', async () => {
    const secure = await start({ cookieSecure: true });
    const { setCookie, cookie } = await login(platform.adminKey, secure);
    const attributes = setCookie.split(';').map((part) => part.trim());
    expect(attributes[0]).toMatch(/^__Host-kiln_session=/);
    expect(attributes).toEqual(expect.arrayContaining(['Secure', 'HttpOnly', 'SameSite=Strict', 'Path=/']));
    expect(attributes.some((a) => a.startsWith('Domain'))).toBe(false);
    expect((await call(`${secure}/api/v1/queues`, { headers: { cookie } })).status).toBe(200);
    // The plain name means nothing to it.
    expect((await call(`${secure}/api/v1/queues`, { headers: { cookie: cookie.replace('__Host-', '') } })).status).toBe(401);
  });

  it('behind a reverse proxy that rewrites Host, takes the origin from DASHBOARD_PUBLIC_URL (and Secure from its scheme)', async () => {
    const proxied = await start({ publicUrl: 'https://kiln.example.com/' });
    const { setCookie } = await login(platform.adminKey, proxied);
    expect(setCookie).toMatch(/^__Host-kiln_session=.*; Secure/);
    const cookie = setCookie.split(';')[0] as string;
    const resume = `${proxied}/api/v1/queues/qubo-solve/resume`;
    const { csrfToken } = (await call(`${proxied}/session`, { headers: { cookie } })).json;
    const fromPublic = await call(resume, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken, origin: 'https://kiln.example.com' } });
    expect(fromPublic.status).toBe(200);
    // Matching the Host header is not enough any more; neither is the public host over http.
    for (const origin of [new URL(proxied).origin, 'http://kiln.example.com', 'https://evil.example.com']) {
      const res = await call(resume, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken, origin } });
      expect(res.status, origin).toBe(403);
      expect(res.json.error.code).toBe('KILN_ERR_CSRF');
    }
  });

  it('keeps the idle timeout within the absolute lifetime', async () => {
    const short = await start({ sessionIdleSeconds: 3600, sessionMaxSeconds: 60 });
    const before = new Set(await sessionKeys());
    const { cookie } = await login(platform.adminKey, short);
    expect((await call(`${short}/api/v1/queues`, { headers: { cookie } })).status).toBe(200);
    const entry = (await sessionKeys()).find((k) => !before.has(k)) as string;
    const ttl = await redis.ttl(entry);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
  });

  it('never wrote an API key, a session id or a CSRF token to its logs', async () => {
    const { cookie, csrf } = await login(viewerKey);
    await call(`${base}/api/v1/queues`, { headers: { cookie, authorization: `Bearer ${platform.adminKey}` } });
    await call(`${base}/api/v1/queues/x/pause`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf } });
    const logs = logLines.join('');
    expect(logs).toContain('dashboard login');
    expect(logs).toContain('"keyName":"viewer"');
    for (const secret of [platform.adminKey, viewerKey, operatorKey, cookie.split('=')[1] as string, csrf]) expect(logs).not.toContain(secret);
  });
});
