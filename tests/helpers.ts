import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@kiln/db/testing';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { buildApi } from '../services/api/src/app.js';
import { checkResponsesAgainstOpenApi, type OpenApiChecker } from './openapi-check.js';

export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const quietLog = pino({ level: process.env.KILN_TEST_LOG ?? 'silent' });

export interface Platform {
  db: TestDatabase;
  prefix: string;
  api: FastifyInstance;
  /** Every API response is checked against the API's own OpenAPI document; close() fails on any mismatch. */
  openapi: OpenApiChecker;
  close(): Promise<void>;
}

/** A fresh database, a unique queue prefix and an API over them (the real Postgres and Redis). */
export async function startPlatform(): Promise<Platform> {
  const db = await createTestDatabase();
  const prefix = `kiln-test-${randomUUID().slice(0, 8)}`;
  const api = await buildApi({ databaseUrl: db.url, redisUrl, queuePrefix: prefix });
  const hook = checkResponsesAgainstOpenApi(api);
  await api.ready();
  const openapi = await hook.ready();
  return {
    db,
    prefix,
    api,
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
