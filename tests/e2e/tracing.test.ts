import { randomBytes, randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@kiln/db/testing';
import { startTracing, type Tracing } from '@kiln/telemetry';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../../services/api/src/app.js';
import { type QuboWorker, startQuboWorker } from '../../services/worker-qubo/src/worker.js';
import { post, quietLog, redisUrl, testAdminKey, waitForJob, withKey } from '../helpers.js';

const solve = (k: number) => ({ kind: 'qubo.solve', payload: { problem: { n: 3, terms: [[0, 1, -1 - k]] }, params: { timeLimitMs: 200, target: -1 - k } } });

// One trace from the HTTP request to the Postgres writes of the worker that ran its job: the API's
// request span → BullMQ's producer span → the worker's process span → the harness's job span → its writes.
describe('a submitted job traced from the API request to its worker', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let db: TestDatabase;
  let api: FastifyInstance;
  let worker: QuboWorker;
  beforeAll(async () => {
    tracing = startTracing({ serviceName: 'kiln-test', spanProcessors: [new SimpleSpanProcessor(exporter)] });
    db = await createTestDatabase();
    const prefix = `kiln-test-${randomUUID().slice(0, 8)}`;
    api = await buildApi({ databaseUrl: db.url, redisUrl, queuePrefix: prefix, auth: { bootstrapAdminKey: testAdminKey }, tracing: true });
    withKey(api, testAdminKey);
    await api.ready();
    worker = await startQuboWorker({ redisUrl, databaseUrl: db.url, prefix, concurrency: 2, threads: 1, log: quietLog, tracing: true });
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await db?.drop();
    await tracing?.shutdown();
  });

  /** The finished spans, once the worker's process span of job `id` has ended (it ends after the job row says completed). */
  async function spansOf(id: string): Promise<ReadableSpan[]> {
    for (;;) {
      const spans = exporter.getFinishedSpans();
      if (spans.some((s) => s.kind === SpanKind.CONSUMER && s.attributes['bullmq.job.id'] === id)) return spans;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  const idOf = (s: ReadableSpan | undefined) => s?.spanContext().spanId;
  const parentOf = (s: ReadableSpan | undefined) => s?.parentSpanContext?.spanId;

  it('connects the request, the BullMQ producer, the worker, the job and its Postgres writes in one trace', async () => {
    const sub = await post(api, '/v1/jobs', solve(0));
    expect(sub.status).toBe(201);
    expect((await waitForJob(api, sub.body.id)).state).toBe('completed');
    const spans = await spansOf(sub.body.id);

    const process = spans.find((s) => s.kind === SpanKind.CONSUMER && s.attributes['bullmq.job.id'] === sub.body.id);
    const traceId = process?.spanContext().traceId;
    const trace = spans.filter((s) => s.spanContext().traceId === traceId);
    const one = (name: string) => {
      const hits = trace.filter((s) => s.name === name);
      expect(
        hits.map((s) => s.name),
        name,
      ).toEqual([name]);
      return hits[0] as ReadableSpan;
    };
    const request = one('POST /v1/jobs');
    const producer = one('addBulk qubo-solve');
    const job = one('handle qubo.solve');
    expect(request.kind).toBe(SpanKind.SERVER);
    expect(request.attributes['http.response.status_code']).toBe(201);
    expect(request.parentSpanContext).toBeUndefined();
    expect(producer.kind).toBe(SpanKind.PRODUCER);
    expect(parentOf(producer)).toBe(idOf(request));
    expect(process?.name).toBe('process qubo-solve');
    expect(parentOf(process)).toBe(idOf(producer));
    expect(parentOf(job)).toBe(idOf(process));
    expect(job.attributes['kiln.job.id']).toBe(sub.body.id);
    for (const name of ['db job.active', 'db qubo_solution.upsert', 'db job.completed']) {
      const write = one(name);
      expect(parentOf(write), name).toBe(idOf(job));
      expect(write.attributes['db.system.name']).toBe('postgresql');
    }
    // The same service name on every span (the test's provider stands for each service).
    expect(new Set(trace.map((s) => s.resource.attributes['service.name']))).toEqual(new Set(['kiln-test']));
  });

  it("keeps each request's job in that request's trace when submits share a group write, and continues a caller's traceparent", async () => {
    // More submits at once than writes in flight (2): the later ones wait and share one group write.
    const traceIds = Array.from({ length: 12 }, () => randomBytes(16).toString('hex'));
    const subs = await Promise.all(
      traceIds.map((t, k) => post(api, '/v1/jobs', solve(k + 1), { traceparent: `00-${t}-${randomBytes(8).toString('hex')}-01` })),
    );
    for (const s of subs) expect((await waitForJob(api, s.body.id)).state).toBe('completed');
    for (const [k, s] of subs.entries()) {
      const spans = await spansOf(s.body.id);
      const process = spans.find((x) => x.kind === SpanKind.CONSUMER && x.attributes['bullmq.job.id'] === s.body.id);
      const request = spans.find((x) => x.name === 'POST /v1/jobs' && x.spanContext().traceId === traceIds[k]);
      expect(request).toBeDefined();
      expect(process?.spanContext().traceId).toBe(traceIds[k]);
      const job = spans.find((x) => x.name === 'handle qubo.solve' && x.attributes['kiln.job.id'] === s.body.id);
      expect(parentOf(job)).toBe(idOf(process));
    }
  });
});
