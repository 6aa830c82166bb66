import { createConfig, lintFromString } from '@redocly/openapi-core';
import { jobKinds } from '@kiln/contracts';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenApiChecker } from '../../../tests/openapi-check.js';
import { buildApi } from './app.js';

type Operation = {
  operationId?: string;
  summary?: string;
  tags?: string[];
  parameters?: Array<{ in: string; name: string }>;
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
};
type Doc = { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };

// The OpenAPI document is generated from the same zod schemas the routes validate with.
describe('GET /docs/json', () => {
  let app: FastifyInstance;
  let doc: Doc;
  let text: string;
  beforeAll(async () => {
    // Real connection strings; building the document makes no query.
    app = await buildApi({
      databaseUrl: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/kiln',
      redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    });
    const res = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    text = res.body;
    doc = res.json();
  });
  afterAll(() => app.close());

  const operations = () => Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));

  it('is OpenAPI 3.1 and passes the Redocly linter (recommended rules)', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const config = await createConfig({
      extends: ['recommended'],
      // Operations that take no input (health, metrics, unfiltered lists) cannot answer 4xx.
      rules: { 'operation-4xx-response': 'off' },
    });
    const problems = await lintFromString({ source: text, absoluteRef: 'openapi.json', config });
    expect(problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)).toEqual([]);
  });

  it('gives every operation an id, a summary, a tag, and a schema for every response; errors share one shape', () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThanOrEqual(23);
    const ids = new Set<string>();
    for (const { path, method, op } of ops) {
      const where = `${method.toUpperCase()} ${path}`;
      expect(op.operationId, where).toMatch(/^[a-z][A-Za-z]+$/);
      expect(ids.has(op.operationId as string), `${where}: duplicate operationId`).toBe(false);
      ids.add(op.operationId as string);
      expect(op.summary, where).toBeTruthy();
      expect(op.tags?.length, where).toBe(1);
      for (const [status, response] of Object.entries(op.responses)) {
        const content = Object.values(response.content ?? {});
        expect(content.length, `${where} ${status}: no content`).toBeGreaterThan(0);
        for (const c of content) expect(c.schema, `${where} ${status}: no schema`).toBeTruthy();
        if (Number(status) >= 400 && !(path === '/readyz' && status === '503'))
          expect(response.content?.['application/json']?.schema, `${where} ${status}`).toEqual({ $ref: '#/components/schemas/Error' });
      }
      if (path !== '/metrics') {
        expect(op.responses['500'], `${where}: 500`).toBeDefined();
        expect(op.responses['503'], `${where}: 503`).toBeDefined();
      }
      // Input: path parameters are declared; POSTs with a body declare it.
      for (const name of path.match(/\{(\w+)\}/g) ?? []) {
        expect(
          op.parameters?.some((p) => p.in === 'path' && `{${p.name}}` === name),
          `${where}: path parameter ${name}`,
        ).toBe(true);
        expect(op.responses['404'] ?? op.responses['400'], `${where}: a 4xx for a bad ${name}`).toBeDefined();
      }
    }
  });

  it('declares the request bodies: a discriminated union per job kind, the Idempotency-Key header, upload content types', () => {
    const submit = doc.paths['/v1/jobs']?.post as Operation;
    expect(submit.requestBody?.content['application/json']?.schema).toEqual({ $ref: '#/components/schemas/SubmitJob' });
    const union = doc.components.schemas.SubmitJob as { oneOf?: unknown[]; anyOf?: unknown[] };
    expect((union.oneOf ?? union.anyOf ?? []).length).toBe(jobKinds.length);
    expect(submit.parameters).toContainEqual(expect.objectContaining({ in: 'header', name: 'idempotency-key' }));
    expect(Object.keys(submit.responses).sort()).toEqual(['200', '201', '400', '401', '403', '404', '409', '413', '415', '429', '500', '503']);
    for (const path of ['/v1/datasets', '/v1/qubo/problems']) {
      const upload = doc.paths[path]?.post as Operation;
      expect(Object.keys(upload.requestBody?.content ?? {}), path).toEqual(expect.arrayContaining(['application/octet-stream', 'text/plain', 'text/csv']));
      expect(
        upload.parameters?.some((p) => p.in === 'query' && p.name === 'format'),
        path,
      ).toBe(true);
    }
    const job = JSON.stringify(doc.components.schemas.Job);
    for (const kind of ['ssm.train', 'ssm.score', 'qubo.solve']) expect(job).toContain(kind);
  });

  it('the response checker used by the e2e tests flags a body or a status the document does not declare', () => {
    const checker = new OpenApiChecker(doc);
    checker.check('GET', '/v1/jobs/:id', 404, 'application/json', JSON.stringify({ error: { code: 'KILN_ERR_NOT_FOUND', message: 'no job x' } }));
    expect(checker.violations).toEqual([]);
    checker.check('GET', '/v1/jobs/:id', 404, 'application/json', JSON.stringify({ message: 'no job x' }));
    checker.check('GET', '/v1/jobs/:id', 418, 'application/json', '{}');
    checker.check('GET', '/v1/datasets/:id', 200, 'application/json', JSON.stringify({ id: 'not-a-uuid' }));
    expect(checker.violations.map((v) => `${v.path} ${v.status}`)).toEqual(['/v1/jobs/{id} 404', '/v1/jobs/{id} 418', '/v1/datasets/{id} 200']);
    expect(checker.checked).toBe(4);
  });
});
