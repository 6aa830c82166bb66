import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature } from '@kiln/client';
import { createTestDatabase, type TestDatabase } from '@kiln/db/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../services/api/src/app.js';
import { startQuboWorker } from '../../services/worker-qubo/src/worker.js';
import { get, post, quietLog, redisUrl, testAdminKey, waitForJob, withKey } from '../helpers.js';
import { checkResponsesAgainstOpenApi, type OpenApiChecker } from '../openapi-check.js';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A receiver on loopback: records every POST; `/flaky` answers 500 to its first call, 200 after. */
function receiver(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  let flaky = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(path === '/flaky' && flaky++ === 0 ? 500 : 200).end('ok');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received })),
  );
}

async function until<T>(fn: () => T | undefined | Promise<T | undefined>): Promise<T> {
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('webhooks and job callbacks: signed, retried, logged', () => {
  let db: TestDatabase;
  let api: FastifyInstance;
  let openapi: OpenApiChecker;
  let worker: { close(): Promise<void> };
  let rx: Awaited<ReturnType<typeof receiver>>;
  const prefix = `kiln-test-${randomUUID().slice(0, 8)}`;
  const solve = (options: Record<string, unknown> = {}) =>
    post(api, '/v1/jobs', { kind: 'qubo.solve', payload: { problem: { n: 3, terms: [[0, 1, -1]] }, params: { timeLimitMs: 50 } }, options });

  beforeAll(async () => {
    db = await createTestDatabase();
    // Retries after 100 ms, 200 ms, …: the schedule's shape, quick enough for a test.
    api = await buildApi({ databaseUrl: db.url, redisUrl, queuePrefix: prefix, auth: { bootstrapAdminKey: testAdminKey }, webhooks: { backoffMs: 100 } });
    withKey(api, testAdminKey);
    const hook = checkResponsesAgainstOpenApi(api);
    await api.ready();
    openapi = await hook.ready();
    worker = await startQuboWorker({ redisUrl, databaseUrl: db.url, prefix, concurrency: 2, threads: 1, log: quietLog });
    rx = await receiver();
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await db?.drop();
    await new Promise((r) => rx?.server.close(r));
    expect(openapi.violations).toEqual([]);
  });

  it('delivers a signed job.completed that verifies with the secret and not with another', async () => {
    const made = await post(api, '/v1/webhooks', { url: `${rx.url}/ok`, kinds: ['qubo.solve'] });
    expect(made.status).toBe(201);
    expect(made.body.secret).toMatch(/^whsec_/);
    const listed = await get(api, '/v1/webhooks');
    expect(listed.body.items).toEqual([{ id: made.body.id, url: `${rx.url}/ok`, kinds: ['qubo.solve'], states: [], createdAt: made.body.createdAt }]);

    const job = await solve();
    await waitForJob(api, job.body.id);
    const hit = await until(() => rx.received.find((r) => r.path === '/ok' && JSON.parse(r.body).data.job.id === job.body.id));
    const signature = hit.headers['kiln-signature'] as string;
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(made.body.secret, signature, hit.body)).toBe(true);
    expect(verifyWebhookSignature(`${made.body.secret}x`, signature, hit.body)).toBe(false);
    expect(verifyWebhookSignature(made.body.secret, signature, hit.body.replace('completed', 'failed'))).toBe(false);
    // Too old: outside the tolerance.
    expect(verifyWebhookSignature(made.body.secret, signature, hit.body, 300, Date.now() / 1000 + 3600)).toBe(false);
    const body = JSON.parse(hit.body);
    expect(body).toMatchObject({ type: 'job.completed', data: { job: { id: job.body.id, kind: 'qubo.solve', state: 'completed', attempt: 1 } } });
    expect(body.data.job.result.energy).toBe(-1);
    expect(hit.headers['kiln-event-id']).toBe(body.id);

    const log = await until(async () => {
      const r = await get(api, `/v1/webhooks/${made.body.id}/deliveries`);
      return r.body.items.length > 0 ? r.body : undefined;
    });
    expect(log.items[0]).toMatchObject({ jobId: job.body.id, event: 'job.completed', attempt: 1, status: 200, error: null });
    expect((await api.inject({ method: 'DELETE', url: `/v1/webhooks/${made.body.id}` })).statusCode).toBe(204);
    expect((await get(api, '/v1/webhooks')).body.items).toEqual([]);
    expect((await api.inject({ method: 'DELETE', url: `/v1/webhooks/${made.body.id}` })).statusCode).toBe(404);
  });

  it('retries a delivery answered 500 and logs both attempts', async () => {
    const made = await post(api, '/v1/webhooks', { url: `${rx.url}/flaky` });
    const job = await solve();
    await waitForJob(api, job.body.id);
    const log = await until(async () => {
      const r = await get(api, `/v1/webhooks/${made.body.id}/deliveries`);
      return r.body.items.length >= 2 ? r.body : undefined;
    });
    // Newest first.
    expect(log.items.map((d: { attempt: number; status: number; error: string | null }) => [d.attempt, d.status, d.error])).toEqual([
      [2, 200, null],
      [1, 500, 'answered 500'],
    ]);
    const hits = rx.received.filter((r) => r.path === '/flaky');
    expect(hits).toHaveLength(2);
    expect(hits.map((h) => h.headers['kiln-delivery-attempt'])).toEqual(['1', '2']);
    expect(hits[0]?.body).toBe(hits[1]?.body);
    // Paged: one per page, then the cursor.
    const page = await get(api, `/v1/webhooks/${made.body.id}/deliveries?limit=1`);
    expect(page.body.items).toHaveLength(1);
    const next = await get(api, `/v1/webhooks/${made.body.id}/deliveries?limit=1&cursor=${page.body.nextCursor}`);
    expect(next.body.items[0].attempt).toBe(1);
    expect(next.body.nextCursor).toBeNull();
    await api.inject({ method: 'DELETE', url: `/v1/webhooks/${made.body.id}` });
  });

  it("sends a job's callbackUrl its final state, signed with the key's callback secret", async () => {
    const secret = await post(api, '/v1/webhooks/callback-secret', {});
    expect(secret.status).toBe(201);
    const job = await solve({ callbackUrl: `${rx.url}/callback` });
    expect(job.status).toBe(201);
    const hit = await until(() => rx.received.find((r) => r.path === '/callback'));
    expect(verifyWebhookSignature(secret.body.secret, hit.headers['kiln-signature'] as string, hit.body)).toBe(true);
    expect(JSON.parse(hit.body)).toMatchObject({ type: 'job.completed', data: { job: { id: job.body.id } } });
    const log = await until(async () => {
      const r = await get(api, `/v1/jobs/${job.body.id}/deliveries`);
      return r.body.items.length > 0 ? r.body : undefined;
    });
    expect(log.items[0]).toMatchObject({ webhookId: null, jobId: job.body.id, url: `${rx.url}/callback`, attempt: 1, status: 200 });
  });

  it('refuses URLs that are not http(s) or point at private addresses, and keeps keys apart', async () => {
    const ftp = await post(api, '/v1/webhooks', { url: 'ftp://example.com/x' });
    expect(ftp.status).toBe(400);
    expect(ftp.body.error.code).toBe('KILN_ERR_VALIDATION');
    const internal = await post(api, '/v1/webhooks', { url: 'http://169.254.169.254/latest/meta-data' });
    expect(internal.status).toBe(400);
    expect(internal.body.error.code).toBe('KILN_ERR_WEBHOOK_URL');
    expect((await post(api, '/v1/webhooks', { url: 'http://10.1.2.3/' })).body.error.code).toBe('KILN_ERR_WEBHOOK_URL');
    const file = await solve({ callbackUrl: 'file:///etc/passwd' });
    expect(file.status).toBe(400);
    // A callback to a private address is refused when it would be sent: logged once, not retried.
    const internalCallback = await solve({ callbackUrl: 'http://10.0.0.1/hook' });
    const refused = await until(async () => {
      const r = await get(api, `/v1/jobs/${internalCallback.body.id}/deliveries`);
      return r.body.items.length > 0 ? r.body.items : undefined;
    });
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ attempt: 1, status: null });
    expect(refused[0].error).toMatch(/^refused: 10\.0\.0\.1 is a private/);

    const other = await post(api, '/v1/keys', { name: 'other', scopes: ['submit'] });
    const mine = await post(api, '/v1/webhooks', { url: `${rx.url}/mine` });
    const theirs = await api.inject({ method: 'GET', url: '/v1/webhooks', headers: { authorization: `Bearer ${other.body.key}` } });
    expect(theirs.json().items).toEqual([]);
    const del = await api.inject({ method: 'DELETE', url: `/v1/webhooks/${mine.body.id}`, headers: { authorization: `Bearer ${other.body.key}` } });
    expect(del.statusCode).toBe(404);
    const deliveries = await api.inject({
      method: 'GET',
      url: `/v1/webhooks/${mine.body.id}/deliveries`,
      headers: { authorization: `Bearer ${other.body.key}` },
    });
    expect(deliveries.statusCode).toBe(404);
  });
});
