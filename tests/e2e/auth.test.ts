import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { createTestDatabase, type TestDatabase } from '@kiln/db/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../services/api/src/app.js';
import { type Platform, redisUrl, startPlatform } from '../helpers.js';

// API keys through the real API: scopes, revocation, per-key idempotency, rate limits, redaction.
describe('API keys', () => {
  let p: Platform;
  const as = (key: string | null) => ({ authorization: key === null ? '' : `Bearer ${key}` });
  const call = (method: 'GET' | 'POST', url: string, key: string | null, payload?: unknown) =>
    p.api.inject({ method, url, headers: as(key), ...(payload !== undefined ? { payload: payload as string } : {}) });
  let readKey = '';
  let submitKey = '';
  let submitId = '';

  beforeAll(async () => {
    p = await startPlatform();
    const r = await call('POST', '/v1/keys', p.adminKey, { name: 'viewer', scopes: ['read'] });
    expect(r.statusCode).toBe(201);
    readKey = r.json().key;
    const s = await call('POST', '/v1/keys', p.adminKey, { name: 'pipeline', scopes: ['submit'] });
    submitKey = s.json().key;
    submitId = s.json().id;
  });
  afterAll(() => p?.close());

  const job = { kind: 'qubo.solve', payload: { problem: { n: 2, terms: [[0, 1, 1]] }, params: { timeLimitMs: 100 } } };

  it('refuses requests without a key, or with an unknown one, before reading their body; health stays open', async () => {
    const none = await call('POST', '/v1/jobs', null, job);
    expect(none.statusCode).toBe(401);
    expect(none.json().error.code).toBe('KILN_ERR_UNAUTHENTICATED');
    expect((await call('GET', '/v1/jobs', 'kiln_not-a-key')).statusCode).toBe(401);
    expect((await p.api.inject({ method: 'GET', url: '/v1/jobs', headers: { authorization: 'Basic abc' } })).statusCode).toBe(401);
    const upload = await p.api.inject({
      method: 'POST',
      url: '/v1/datasets?format=sasrec&name=x',
      payload: '1 1\n',
      headers: { ...as(null), 'content-type': 'text/plain' },
    });
    expect(upload.statusCode).toBe(401);
    for (const url of ['/healthz', '/readyz', '/metrics', '/docs/json']) expect((await call('GET', url, null)).statusCode, url).toBe(200);
    expect((await call('GET', '/v1/datasets', null)).statusCode).toBe(401);
  });

  it('gives each scope what it names: read reads, submit submits, only admin pauses queues and manages keys', async () => {
    expect((await call('GET', '/v1/jobs', readKey)).statusCode).toBe(200);
    const denied = await call('POST', '/v1/jobs', readKey, job);
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error).toMatchObject({ code: 'KILN_ERR_FORBIDDEN', details: { need: 'submit' } });
    expect((await call('POST', '/v1/jobs', submitKey, job)).statusCode).toBe(201);
    expect((await call('POST', '/v1/queues/qubo-solve/pause', submitKey)).statusCode).toBe(403);
    expect((await call('POST', '/v1/keys', submitKey, { name: 'x', scopes: ['admin'] })).statusCode).toBe(403);
    expect((await call('GET', '/v1/keys', readKey)).statusCode).toBe(403);
    expect((await call('GET', '/v1/auth/me', submitKey)).json()).toEqual({ id: submitId, name: 'pipeline', scopes: ['read', 'submit'] });
    const keys = (await call('GET', '/v1/keys', p.adminKey)).json().items as Array<{ name: string; prefix: string }>;
    expect(keys.map((k) => k.name).sort()).toEqual(['pipeline', 'viewer']);
    expect(JSON.stringify(keys)).not.toContain(submitKey);
    expect(submitKey.startsWith(keys.find((k) => k.name === 'pipeline')?.prefix ?? '?')).toBe(true);
  });

  it('scopes Idempotency-Keys per API key, and a revoked key stops working', async () => {
    const a = await p.api.inject({ method: 'POST', url: '/v1/jobs', payload: job, headers: { ...as(submitKey), 'idempotency-key': 'same' } });
    const b = await p.api.inject({ method: 'POST', url: '/v1/jobs', payload: job, headers: { ...as(p.adminKey), 'idempotency-key': 'same' } });
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(a.json().id).not.toBe(b.json().id);
    const again = await p.api.inject({ method: 'POST', url: '/v1/jobs', payload: job, headers: { ...as(submitKey), 'idempotency-key': 'same' } });
    expect(again.json().id).toBe(a.json().id);
    expect((await call('POST', `/v1/keys/${submitId}/revoke`, p.adminKey)).json().revokedAt).toBeTruthy();
    expect((await call('GET', '/v1/jobs', submitKey)).statusCode).toBe(401);
  });
});

describe('rate limits and log redaction', () => {
  let db: TestDatabase;
  let api: FastifyInstance;
  const lines: string[] = [];
  const admin = `kiln-test-admin-${randomUUID()}`;
  beforeAll(async () => {
    db = await createTestDatabase();
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    api = await buildApi({
      databaseUrl: db.url,
      redisUrl,
      queuePrefix: `kiln-rl-${randomUUID().slice(0, 8)}`,
      auth: { bootstrapAdminKey: admin },
      rateLimitPerMinute: 5,
      logger: { level: 'debug', stream },
    });
  });
  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  it('answers 429 in Kiln’s error shape past the limit of a key, with retry-after; health is not counted', async () => {
    const get = () => api.inject({ method: 'GET', url: '/v1/jobs', headers: { authorization: `Bearer ${admin}` } });
    for (let i = 0; i < 5; i++) expect((await get()).statusCode).toBe(200);
    for (let i = 0; i < 10; i++) expect((await api.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const over = await get();
    expect(over.statusCode).toBe(429);
    expect(over.json().error.code).toBe('KILN_ERR_RATE_LIMITED');
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('never writes keys or cookies to the logs', async () => {
    // Fastify's request serializer leaves headers out; a line that carries them anyway is redacted.
    api.log.info({ headers: { authorization: `Bearer ${admin}`, cookie: 'kiln_session=s3cret' } }, 'a line with secrets');
    await api.inject({ method: 'GET', url: '/v1/auth/me', headers: { authorization: `Bearer ${admin}`, cookie: 'kiln_session=s3cret' } });
    const text = lines.join('');
    expect(text).toContain('a line with secrets');
    expect(text).toContain('[redacted]');
    expect(text).not.toContain(admin);
    expect(text).not.toContain('s3cret');
  });
});
