import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@kiln/db/testing';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { type ApiOptions, buildApi } from '../services/api/src/app.js';
import { checkResponsesAgainstOpenApi, type OpenApiChecker } from './openapi-check.js';

export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const quietLog = pino({ level: process.env.KILN_TEST_LOG ?? 'silent' });

/** The admin key every test platform accepts (KILN_BOOTSTRAP_ADMIN_KEY's role). */
export const testAdminKey = `kiln-test-admin-${randomUUID()}`;

export interface Platform {
  db: TestDatabase;
  prefix: string;
  /** `inject` sends the admin key unless the request names its own `authorization` header (use '' for none). */
  api: FastifyInstance;
  adminKey: string;
  /** Every API response is checked against the API's own OpenAPI document; close() fails on any mismatch. */
  openapi: OpenApiChecker;
  close(): Promise<void>;
}

/**
 * A fresh database, a unique queue prefix and an API over them (the real Postgres and Redis; on a
 * Redis Cluster, pass its URL: the prefix then carries a {hash tag}).
 */
export async function startPlatform(options: { redisUrl?: string; api?: Pick<ApiOptions, 'flows'> } = {}): Promise<Platform> {
  const db = await createTestDatabase();
  const url = options.redisUrl ?? redisUrl;
  const tag = `kiln-test-${randomUUID().slice(0, 8)}`;
  const prefix = url.includes('+cluster://') ? `{${tag}}` : tag;
  const api = await buildApi({ databaseUrl: db.url, redisUrl: url, queuePrefix: prefix, auth: { bootstrapAdminKey: testAdminKey }, ...options.api });
  withKey(api, testAdminKey);
  const hook = checkResponsesAgainstOpenApi(api);
  await api.ready();
  const openapi = await hook.ready();
  return {
    db,
    prefix,
    api,
    adminKey: testAdminKey,
    openapi,
    async close() {
      await api.close();
      await db.drop();
      if (openapi.violations.length > 0) {
        throw new Error(
          `responses that do not match the OpenAPI document:\n${openapi.violations.map((v) => `  ${v.method} ${v.path} ${v.status}: ${v.problem}`).join('\n')}`,
        );
      }
      if (openapi.checked === 0) throw new Error('no API response was checked against the OpenAPI document');
    },
  };
}

/** Makes `api.inject` send `key` by default (a request's own `authorization` header wins; '' sends none). */
export function withKey(api: FastifyInstance, key: string): void {
  const inject = api.inject.bind(api) as (opts: unknown) => unknown;
  (api as unknown as { inject: (opts: unknown) => unknown }).inject = (opts: unknown) => {
    if (!opts || typeof opts !== 'object') return inject(opts);
    const o = opts as { headers?: Record<string, string> };
    const headers = { authorization: `Bearer ${key}`, ...o.headers };
    if (headers.authorization === '') delete (headers as Record<string, string>).authorization;
    return inject({ ...o, headers });
  };
}

export async function post(api: FastifyInstance, url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await api.inject({ method: 'POST', url, payload: body as string, headers });
  return { status: res.statusCode, body: res.json() as Record<string, any> };
}

export async function get(api: FastifyInstance, url: string) {
  const res = await api.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.json() as Record<string, any> };
}

/** Polls a job until `done(job)` holds; the test's own timeout bounds the wait. */
export async function waitForJob(
  api: FastifyInstance,
  id: string,
  done: (job: Record<string, any>) => boolean = (j) => ['completed', 'failed', 'cancelled'].includes(j.state),
) {
  for (;;) {
    const { body } = await get(api, `/v1/jobs/${id}`);
    if (done(body)) return body;
    await new Promise((r) => setTimeout(r, 100));
  }
}
