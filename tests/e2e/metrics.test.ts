import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { createRedis, KilnQueues } from '@kiln/queue';
import { metricDefinitions } from '@kiln/telemetry';
import { Worker } from 'bullmq';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type QuboWorker, startQuboWorker } from '../../services/worker-qubo/src/worker.js';
import { type Platform, post, quietLog, redisUrl, startPlatform, waitForJob } from '../helpers.js';
import { contractProblems, kilnMetrics as contractMetrics } from '../infra/metric-contract.js';

type Sample = { name: string; labels: Record<string, string>; value: number };

/** The samples of a Prometheus text exposition. */
function samplesOf(text: string): Sample[] {
  return text.split('\n').flatMap((line) => {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || line.startsWith('#')) return [];
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1] as string, l[2] as string]));
    return [{ name: m[1] as string, labels, value: Number(m[3]) }];
  });
}

/** The value of the one sample named `name` whose labels include `labels` (undefined when there is none). */
function sampleValue(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const hits = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (hits.length > 1) throw new Error(`${hits.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return hits[0]?.value;
}

async function scrape(url: string): Promise<Sample[]> {
  const res = await fetch(`${url}/metrics`);
  expect(res.status).toBe(200);
  return samplesOf(await res.text());
}

/** Scrapes until `done` holds (the test's timeout bounds the wait). */
async function scrapeUntil(url: string, done: (s: Sample[]) => boolean): Promise<Sample[]> {
  for (;;) {
    const samples = await scrape(url);
    if (done(samples)) return samples;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

const solve = (k: number) => ({ kind: 'qubo.solve', payload: { problem: { n: 3, terms: [[0, 1, -1 - k]] }, params: { timeLimitMs: 200, target: -1 - k } } });

describe('metrics observed as things happen, on the API and on a worker', () => {
  let p: Platform;
  let worker: QuboWorker;
  const others: QuboWorker[] = [];
  beforeAll(async () => {
    p = await startPlatform();
    worker = await startQuboWorker({
      redisUrl,
      databaseUrl: p.db.url,
      prefix: p.prefix,
      concurrency: 4,
      threads: 1,
      log: quietLog,
      metricsPort: 0,
      metricsHost: '127.0.0.1',
    });
  });
  afterAll(async () => {
    for (const w of others) await w.close();
    await worker?.close();
    await p?.close();
  });

  it('counts each submit by kind, outcome and endpoint, and each job by how it ended, with its queue wait and result write', async () => {
    const url = worker.metricsUrl as string;
    expect(url).toBeDefined();
    // Three single submits (one of them twice under its key), a batch of two, one refused.
    const ids: string[] = [];
    for (let k = 0; k < 3; k++) ids.push((await post(p.api, '/v1/jobs', solve(k), k === 0 ? { 'idempotency-key': `metrics-${p.prefix}` } : {})).body.id);
    expect((await post(p.api, '/v1/jobs', solve(0), { 'idempotency-key': `metrics-${p.prefix}` })).status).toBe(200);
    const batch = await post(p.api, '/v1/jobs/batch', { jobs: [solve(3), solve(4)] });
    expect(batch.status).toBe(201);
    ids.push(...batch.body.items.map((i: { id: string }) => i.id));
    expect((await post(p.api, '/v1/jobs', { kind: 'qubo.solve', payload: { problem: { n: 'x' } } })).status).toBe(400);
    for (const id of ids) expect((await waitForJob(p.api, id)).state).toBe('completed');

    // A long solve, cancelled while it runs; a job whose payload the worker refuses (queued behind the API's back).
    const ring = `100 100\n${Array.from({ length: 100 }, (_, i) => `${i + 1} ${((i + 1) % 100) + 1} 1`).join('\n')}\n`;
    const problem = await p.api.inject({
      method: 'POST',
      url: '/v1/qubo/problems?format=gset&name=ring',
      payload: ring,
      headers: { 'content-type': 'text/plain' },
    });
    const long = await post(p.api, '/v1/jobs', { kind: 'qubo.solve', payload: { problemId: problem.json().id, params: { mode: 'sa', timeLimitMs: 600_000 } } });
    await waitForJob(p.api, long.body.id, (j) => j.state === 'active');
    expect((await post(p.api, '/v1/jobs/' + long.body.id + '/cancel', {})).status).toBe(202);
    expect((await waitForJob(p.api, long.body.id)).state).toBe('cancelled');
    const queues = new KilnQueues({ redisUrl, prefix: p.prefix });
    await queues.enqueue('qubo.solve', randomUUID(), { version: 1, nonsense: true }, { attempts: 1 });
    await queues.close();

    const labels = { kind: 'qubo.solve', service: 'worker-qubo' };
    const run = 'kiln_job_run_duration_seconds_count';
    const samples = await scrapeUntil(
      url,
      (s) => sampleValue(s, run, { ...labels, outcome: 'failed' }) === 1 && sampleValue(s, run, { ...labels, outcome: 'cancelled' }) === 1,
    );
    expect(sampleValue(samples, run, { ...labels, outcome: 'completed' })).toBe(5);
    expect(sampleValue(samples, 'kiln_job_run_duration_seconds_bucket', { ...labels, outcome: 'completed', le: '+Inf' })).toBe(5);
    expect(sampleValue(samples, 'kiln_job_run_duration_seconds_sum', { ...labels, outcome: 'completed' })).toBeGreaterThan(0);
    // Every job's first start: the five, the long one, the refused one.
    expect(sampleValue(samples, 'kiln_job_queue_wait_seconds_count', labels)).toBe(7);
    expect(sampleValue(samples, 'kiln_job_result_write_seconds_count', labels)).toBe(5);
    expect(sampleValue(samples, 'kiln_job_result_write_seconds_sum', labels)).toBeGreaterThan(0);
    // Queue depths from BullMQ at the scrape: this worker's queue, every state.
    const depth = samples.filter((s) => s.name === 'kiln_queue_jobs');
    expect(depth.map((s) => s.labels.queue)).toEqual(depth.map(() => 'qubo-solve'));
    expect(depth.map((s) => s.labels.state).sort()).toEqual(['active', 'completed', 'delayed', 'failed', 'paused', 'prioritized', 'waiting']);
    expect(sampleValue(samples, 'kiln_queue_jobs', { state: 'completed' })).toBe(5);
    expect(sampleValue(samples, 'kiln_queue_jobs', { state: 'failed' })).toBe(2);
    expect(sampleValue(samples, 'kiln_queue_paused', { queue: 'qubo-solve' })).toBe(0);
    expect(sampleValue(samples, 'process_resident_memory_bytes', { service: 'worker-qubo' })).toBeGreaterThan(0);

    // The API: submits as they were answered, queue depths of every queue, no recount of the job table.
    const api = await p.api.inject({ method: 'GET', url: '/metrics', headers: { authorization: '' } });
    expect(api.statusCode).toBe(200);
    const apiSamples = samplesOf(api.body);
    const submit = 'kiln_submit_duration_seconds_count';
    const q = { kind: 'qubo.solve', service: 'api' };
    expect(sampleValue(apiSamples, submit, { ...q, outcome: 'accepted', endpoint: 'single' })).toBe(4);
    expect(sampleValue(apiSamples, submit, { ...q, outcome: 'duplicate', endpoint: 'single' })).toBe(1);
    expect(sampleValue(apiSamples, submit, { ...q, outcome: 'rejected', endpoint: 'single' })).toBe(1);
    expect(sampleValue(apiSamples, submit, { ...q, outcome: 'accepted', endpoint: 'batch' })).toBe(1);
    expect(sampleValue(apiSamples, 'kiln_queue_jobs', { queue: 'qubo-solve', state: 'completed', service: 'api' })).toBe(5);
    expect(sampleValue(apiSamples, 'kiln_queue_jobs', { queue: 'ssm-train', state: 'waiting', service: 'api' })).toBe(0);
    expect(apiSamples.some((s) => s.name.startsWith('kiln_jobs') || s.name.startsWith('kiln_job_duration'))).toBe(false);

    // What the alert rules, the dashboard and KEDA rely on (tests/infra's metric contract) is what the services serve.
    expect(contractProblems(api.body, 'api')).toEqual([]);
    expect(contractProblems(await (await fetch(`${url}/metrics`)).text(), 'worker-qubo')).toEqual([]);
    const listed = Object.values(metricDefinitions).map((d) => d.name);
    expect(contractMetrics.map((m) => m.name).sort()).toEqual(listed.filter((n) => n !== 'kiln_queue_paused').sort());
  });

  it('answers /healthz and /readyz; a worker whose Postgres is unreachable is alive but not ready', async () => {
    const url = worker.metricsUrl as string;
    const health = await fetch(`${url}/healthz`);
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
    const ready = await fetch(`${url}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready', redis: 'ok', postgres: 'ok' }]);

    const lost = await startQuboWorker({
      redisUrl,
      databaseUrl: `postgresql://postgres@127.0.0.1:${await closedPort()}/kiln`,
      prefix: `kiln-test-${randomUUID().slice(0, 8)}`,
      concurrency: 1,
      threads: 1,
      log: quietLog,
      metricsPort: 0,
      metricsHost: '127.0.0.1',
    });
    others.push(lost);
    expect((await fetch(`${lost.metricsUrl}/healthz`)).status).toBe(200);
    const notReady = await fetch(`${lost.metricsUrl}/readyz`);
    expect(notReady.status).toBe(503);
    const body = (await notReady.json()) as Record<string, string>;
    expect(body.status).toBe('not ready');
    expect(body.redis).toBe('ok');
    expect(body.postgres).toMatch(/^down: /);
  });

  it('counts a stalled job once, in the worker whose check put it back', async () => {
    const prefix = `kiln-test-${randomUUID().slice(0, 8)}`;
    const queues = new KilnQueues({ redisUrl, prefix });
    // A worker that takes a job and dies with it (its lock is never renewed).
    const connection = createRedis(redisUrl, 'worker');
    const dead = new Worker('qubo-solve', () => new Promise(() => undefined), {
      connection,
      prefix,
      lockDuration: 500,
      skipLockRenewal: true,
      skipStalledCheck: true,
    });
    const taken = new Promise((r) => dead.once('active', r));
    await queues.enqueue('qubo.solve', randomUUID(), { version: 1, nonsense: true }, { attempts: 1 });
    await taken;
    const checker = await startQuboWorker({
      redisUrl,
      databaseUrl: p.db.url,
      prefix,
      concurrency: 1,
      threads: 1,
      log: quietLog,
      stalledIntervalMs: 200,
      metricsPort: 0,
      metricsHost: '127.0.0.1',
    });
    others.push(checker);
    const samples = await scrapeUntil(checker.metricsUrl as string, (s) => sampleValue(s, 'kiln_jobs_stalled_total', { queue: 'qubo-solve' }) !== undefined);
    expect(sampleValue(samples, 'kiln_jobs_stalled_total', { queue: 'qubo-solve', service: 'worker-qubo' })).toBe(1);
    await dead.close(true);
    connection.disconnect();
    await queues.close();
  });

  it('warns, naming KILN_METRICS_PORT, when a second worker finds the port taken, and that worker goes on working', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
    const port = Number(new URL(worker.metricsUrl as string).port);
    const second = await startQuboWorker({
      redisUrl,
      databaseUrl: p.db.url,
      prefix: p.prefix,
      concurrency: 1,
      threads: 1,
      log,
      metricsPort: port,
      metricsHost: '127.0.0.1',
    });
    others.push(second);
    expect(second.metricsUrl).toBeUndefined();
    expect(lines.map((l) => JSON.parse(l).msg as string).filter((m) => m.includes(`KILN_METRICS_PORT=${port} is taken`))).toHaveLength(1);
    // With the first worker gone, the second one runs the next job.
    const first = worker;
    worker = undefined as unknown as QuboWorker;
    await first.close();
    const job = await post(p.api, '/v1/jobs', solve(9));
    expect((await waitForJob(p.api, job.body.id)).state).toBe('completed');
  });
});
