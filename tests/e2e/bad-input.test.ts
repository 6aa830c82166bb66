import { request } from 'node:http';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@kiln/db/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../services/api/src/app.js';
import { get, type Platform, post, redisUrl, startPlatform } from '../helpers.js';

// Regressions of issue 11's defects: each answers a documented 4xx and stores nothing.
describe('bad input is a 4xx that stores nothing', () => {
  let p: Platform;
  const count = async () => {
    const jobs = (await get(p.api, '/v1/jobs?limit=500')).body.items.length as number;
    const problems = (await get(p.api, '/v1/qubo/problems')).body.items.length as number;
    const datasets = (await get(p.api, '/v1/datasets')).body.items.length as number;
    return { jobs, problems, datasets };
  };
  beforeAll(async () => {
    p = await startPlatform();
  });
  afterAll(() => p?.close());

  it('a NUL byte in an id, cursor, name or body field is a 400 naming it, never a 500', async () => {
    const before = await count();
    for (const url of ['/v1/jobs/%00', '/v1/jobs?cursor=%00', '/v1/models/a%00b', '/v1/qubo/problems/%00', '/v1/datasets/%00x']) {
      const r = await p.api.inject({ method: 'GET', url });
      expect(r.statusCode, url).toBe(400);
      expect(r.json().error.code, url).toBe('KILN_ERR_VALIDATION');
    }
    const upload = await p.api.inject({
      method: 'POST',
      url: '/v1/qubo/problems?format=json&name=a%00b',
      payload: '{"n":1,"terms":[]}',
      headers: { 'content-type': 'text/plain' },
    });
    expect(upload.statusCode).toBe(400);
    const body = await post(p.api, '/v1/jobs', { kind: 'qubo.solve', payload: { problem: { n: 1, terms: [] } }, options: {} }, { 'idempotency-key': 'x' });
    expect(body.status).toBe(201);
    const nulName = await post(p.api, '/v1/jobs', { kind: 'ssm.train', payload: { datasetId: randomUUID(), name: 'a\u0000b' } });
    expect(nulName.status).toBe(400);
    expect(nulName.body.error.details.issues[0].field).toBe('payload.name');
    const nulKey = await post(p.api, '/v1/jobs/batch', {
      jobs: [{ kind: 'qubo.solve', payload: { problem: { n: 1, terms: [] } }, idempotencyKey: 'k\u0000' }],
    });
    expect(nulKey.status).toBe(400);
    const after = await count();
    expect(after).toEqual({ ...before, jobs: before.jobs + 1, problems: before.problems + 1 });
  });

  it('an unknown cursor is a 400, a real one pages', async () => {
    const bad = await get(p.api, '/v1/jobs?cursor=garbage');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues[0].field).toBe('query.cursor');
    const first = await get(p.api, '/v1/jobs?limit=1');
    if (first.body.nextCursor) expect((await get(p.api, `/v1/jobs?limit=1&cursor=${first.body.nextCursor}`)).status).toBe(200);
  });

  it('refuses QUBO coefficients whose sums would overflow, at upload and inline', async () => {
    const before = await count();
    const huge = await p.api.inject({
      method: 'POST',
      url: '/v1/qubo/problems?format=json&name=h',
      payload: '{"n":2,"terms":[[0,1,1e308],[0,0,-1e308]]}',
      headers: { 'content-type': 'text/plain' },
    });
    expect(huge.statusCode).toBe(400);
    expect(huge.json().error.code).toBe('KILN_ERR_QUBO_RANGE');
    const gset = await p.api.inject({
      method: 'POST',
      url: '/v1/qubo/problems?format=gset&name=g',
      payload: '2 1\n1 2 5e20\n',
      headers: { 'content-type': 'text/plain' },
    });
    expect(gset.json().error.code).toBe('KILN_ERR_QUBO_RANGE');
    const inline = await post(p.api, '/v1/jobs', { kind: 'qubo.solve', payload: { problem: { n: 2, terms: [[0, 1, -1e300]] } } });
    expect(inline.status).toBe(400);
    expect(inline.body.error.code).toBe('KILN_ERR_QUBO_RANGE');
    expect(await count()).toEqual(before);
  });
});

describe('uploads over the limit', () => {
  let db: TestDatabase;
  let api: FastifyInstance;
  let port = 0;
  const admin = `kiln-test-admin-${randomUUID()}`;
  beforeAll(async () => {
    db = await createTestDatabase();
    api = await buildApi({
      databaseUrl: db.url,
      redisUrl,
      queuePrefix: `kiln-up-${randomUUID().slice(0, 8)}`,
      uploadLimitBytes: 64 * 1024,
      auth: { bootstrapAdminKey: admin },
    });
    const address = await api.listen({ port: 0, host: '127.0.0.1' });
    port = Number(new URL(address).port);
  });
  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  /** A real HTTP upload of `size` bytes: chunked, with a Content-Length, or with Expect: 100-continue. */
  function upload(size: number, how: 'chunked' | 'length' | 'expect'): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { authorization: `Bearer ${admin}`, 'content-type': 'text/plain' };
      if (how !== 'chunked') headers['content-length'] = size;
      if (how === 'expect') headers.expect = '100-continue';
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/v1/qubo/problems?format=gset&name=big', headers }, (res) => {
        let body = '';
        res.on('data', (d) => {
          body += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      const chunk = Buffer.alloc(16 * 1024, 'x');
      let sent = 0;
      const write = () => {
        while (sent < size) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', write);
        }
        req.end();
      };
      if (how === 'expect') req.on('continue', write);
      else write();
    });
  }

  it('answers 413 in the error shape (not a connection reset), however the body is sent', async () => {
    for (const how of ['chunked', 'length', 'expect'] as const) {
      const r = await upload(1024 * 1024, how);
      expect(r.status, how).toBe(413);
      expect(JSON.parse(r.body).error.code, how).toBe('KILN_ERR_BODY_TOO_LARGE');
    }
    const list = await api.inject({ method: 'GET', url: '/v1/qubo/problems', headers: { authorization: `Bearer ${admin}` } });
    expect(list.json().items).toEqual([]);
  });

  it('answers an oversized header block (a 100 KB Idempotency-Key) with 431 in the error shape', async () => {
    const r = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/v1/jobs',
          headers: { authorization: `Bearer ${admin}`, 'idempotency-key': 'k'.repeat(100_000), 'content-type': 'application/json' },
        },
        (res) => {
          let body = '';
          res.on('data', (d) => {
            body += d;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end('{}');
    });
    expect(r.status).toBe(431);
    expect(JSON.parse(r.body).error.code).toBe('KILN_ERR_HEADERS_TOO_LARGE');
  });
});
