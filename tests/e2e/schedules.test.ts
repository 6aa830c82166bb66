import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createDb, type Db } from '@kiln/db';
import { createRedis, KilnSchedules } from '@kiln/queue';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../packages/cli/src/main.js';
import { buildApi } from '../../services/api/src/app.js';
import { startQuboWorker } from '../../services/worker-qubo/src/worker.js';
import { get, type Platform, post, quietLog, redisUrl, startPlatform, testAdminKey, waitForJob, withKey } from '../helpers.js';

const quboJob = {
  kind: 'qubo.solve',
  payload: {
    problem: {
      n: 4,
      terms: [
        [0, 1, -1],
        [1, 2, 2],
        [2, 3, -1],
        [0, 0, 0.5],
      ],
    },
    params: { seed: 1, sweeps: 20, timeLimitMs: 200 },
  },
};

/** Runs `kiln …` in this process against `url`; its exit code and what it wrote. */
async function kiln(url: string, key: string, ...argv: string[]) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (d) => {
    stdout += d;
  });
  err.on('data', (d) => {
    stderr += d;
  });
  const code = await main(argv, { io: { out, err }, env: { KILN_API_URL: url, KILN_API_KEY: key }, signal: new AbortController().signal });
  return { code, stdout, stderr };
}

/** Polls until `done` holds (the test's timeout bounds the wait). */
async function until<T>(read: () => Promise<T>, done: (x: T) => boolean): Promise<T> {
  for (;;) {
    const x = await read();
    if (done(x)) return x;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('schedules: jobs and pipelines fired by BullMQ job schedulers', () => {
  let p: Platform;
  let db: Db;
  let worker: Awaited<ReturnType<typeof startQuboWorker>>;
  let second: FastifyInstance | undefined;
  beforeAll(async () => {
    p = await startPlatform();
    db = createDb({ url: p.db.url });
    worker = await startQuboWorker({ redisUrl, databaseUrl: p.db.url, prefix: p.prefix, concurrency: 2, threads: 1, log: quietLog });
  });
  afterAll(async () => {
    await second?.close();
    await worker?.close();
    await db?.$disconnect();
    await p?.close();
  });

  const firingsOf = (id: string) => db.scheduleFiring.findMany({ where: { scheduleId: id }, orderBy: { firedAt: 'asc' } });
  const jobsOf = (id: string) => db.job.findMany({ where: { idempotencyKey: { startsWith: `~schedule:${id}:` } } });
  /** The number of jobs a schedule made, once a firing that was under way when it was paused or deleted has landed. */
  const settledJobs = async (id: string) => {
    let last = -1;
    for (;;) {
      const n = (await jobsOf(id)).length;
      if (n === last) return n;
      last = n;
      await new Promise((r) => setTimeout(r, 400));
    }
  };

  it('fires every 500 ms; each firing created a job that completed', async () => {
    const created = await post(p.api, '/v1/schedules', { name: 'often', everyMs: 500, target: { job: quboJob } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'often', everyMs: 500, cron: null, state: 'active' });
    const id = created.body.id;
    const firings = await until(
      () => firingsOf(id),
      (f) => f.length >= 2,
    );
    for (const f of firings.slice(0, 2)) {
      expect(f.error).toBeNull();
      const job = await waitForJob(p.api, f.jobId as string);
      expect(job.state).toBe('completed');
      expect(job.kind).toBe('qubo.solve');
    }
    const shown = await get(p.api, `/v1/schedules/${id}`);
    expect(shown.body.firings.length).toBeGreaterThanOrEqual(2);
    expect(shown.body.nextAt).toEqual(expect.any(String));
    await post(p.api, `/v1/schedules/${id}/pause`, {});
  });

  it('two API processes over the same database and queues never run a firing twice', async () => {
    second = await buildApi({ databaseUrl: p.db.url, redisUrl, queuePrefix: p.prefix, auth: { bootstrapAdminKey: testAdminKey } });
    withKey(second, testAdminKey);
    await second.ready();
    const created = await post(second, '/v1/schedules', { name: 'shared', everyMs: 300, target: { job: quboJob } });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const firings = await until(
      () => firingsOf(id),
      (f) => f.length >= 5,
    );
    // Both processes answer for it.
    expect((await get(p.api, `/v1/schedules/${id}`)).body.name).toBe('shared');
    await post(p.api, `/v1/schedules/${id}/pause`, {});
    await settledJobs(id);
    const after = await until(
      () => firingsOf(id),
      (f) => f.length >= firings.length,
    );
    const jobs = await jobsOf(id);
    // One job per firing, each firing's own; the firings are the scheduler's ticks, each once (300 ms apart).
    expect(jobs).toHaveLength(after.length);
    expect(new Set(after.map((f) => f.jobId)).size).toBe(after.length);
    expect(new Set(jobs.map((j) => j.id))).toEqual(new Set(after.map((f) => f.jobId)));
    for (let k = 1; k < after.length; k++) expect((after[k]?.firedAt.getTime() ?? 0) - (after[k - 1]?.firedAt.getTime() ?? 0)).toBeGreaterThanOrEqual(300);
  });

  it('keeps firing when the process that created it is gone', async () => {
    const created = await post(second as FastifyInstance, '/v1/schedules', { name: 'survivor', everyMs: 300, target: { job: quboJob } });
    const id = created.body.id;
    await until(
      () => firingsOf(id),
      (f) => f.length >= 1,
    );
    await second?.close();
    second = undefined;
    const seen = (await firingsOf(id)).length;
    await until(
      () => firingsOf(id),
      (f) => f.length >= seen + 2,
    );
    await post(p.api, `/v1/schedules/${id}/pause`, {});
  });

  it('an API that starts puts back the timer of a schedule that Redis lost', async () => {
    const created = await post(p.api, '/v1/schedules', { name: 'lost', everyMs: 300, target: { job: quboJob } });
    const id = created.body.id;
    await until(
      () => firingsOf(id),
      (f) => f.length >= 1,
    );
    // Redis loses the scheduler (a flush, a failover without persistence).
    const connection = createRedis(redisUrl, 'producer');
    const raw = new KilnSchedules({ redisUrl, prefix: p.prefix, connection });
    try {
      await raw.remove(id);
      const lost = await settledJobs(id);
      await new Promise((r) => setTimeout(r, 1000));
      expect((await jobsOf(id)).length).toBe(lost);
      expect((await get(p.api, `/v1/schedules/${id}`)).body.nextAt).toBeNull();
      // A process starts: the schedule fires again.
      const restarted = await buildApi({ databaseUrl: p.db.url, redisUrl, queuePrefix: p.prefix, auth: { bootstrapAdminKey: testAdminKey } });
      try {
        await until(
          () => jobsOf(id),
          (j) => j.length > lost,
        );
      } finally {
        await restarted.close();
      }
    } finally {
      await raw.close();
      connection.disconnect();
      await post(p.api, `/v1/schedules/${id}/pause`, {});
    }
  });

  it('a paused schedule does not fire until resumed; a deleted one never fires again', async () => {
    const created = await post(p.api, '/v1/schedules', { name: 'toggle', everyMs: 300, target: { job: quboJob } });
    const id = created.body.id;
    await until(
      () => firingsOf(id),
      (f) => f.length >= 1,
    );
    const paused = await post(p.api, `/v1/schedules/${id}/pause`, {});
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ state: 'paused', nextAt: null });
    const atPause = await settledJobs(id);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await jobsOf(id)).length).toBe(atPause);

    const resumed = await post(p.api, `/v1/schedules/${id}/resume`, {});
    expect(resumed.body.state).toBe('active');
    await until(
      () => jobsOf(id),
      (j) => j.length > atPause,
    );

    const del = await p.api.inject({ method: 'DELETE', url: `/v1/schedules/${id}` });
    expect(del.statusCode).toBe(204);
    const atDelete = await settledJobs(id);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await jobsOf(id)).length).toBe(atDelete);
    expect((await get(p.api, `/v1/schedules/${id}`)).status).toBe(404);
    expect((await p.api.inject({ method: 'DELETE', url: `/v1/schedules/${id}` })).statusCode).toBe(404);
  });

  it('fires a pipeline on a cron expression (with seconds)', async () => {
    const created = await post(p.api, '/v1/schedules', {
      name: 'cron pipeline',
      cron: '* * * * * *',
      tz: 'Europe/Paris',
      target: { pipeline: { name: 'two solves', steps: [quboJob, quboJob] } },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const [first] = await until(
      () => firingsOf(id),
      (f) => f.length >= 1,
    );
    await post(p.api, `/v1/schedules/${id}/pause`, {});
    const pipeline = await until(
      () => get(p.api, `/v1/pipelines/${first?.pipelineId}`),
      (r) => r.body.state === 'completed',
    );
    expect(pipeline.body.steps.map((s: { state: string }) => s.state)).toEqual(['completed', 'completed']);
  });

  it('lists schedules a page at a time', async () => {
    const page = await get(p.api, '/v1/schedules?limit=2');
    expect(page.body.items).toHaveLength(2);
    expect(page.body.next).toEqual(expect.any(String));
    const rest = await get(p.api, page.body.next);
    expect(rest.body.items.length).toBeGreaterThan(0);
    expect(rest.body.items.map((s: { id: string }) => s.id)).not.toContain(page.body.items[0].id);
  });

  it('works through the CLI: create, ls, pause, resume, rm', async () => {
    const url = await p.api.listen({ port: 0, host: '127.0.0.1' });
    const dir = mkdtempSync(join(tmpdir(), 'kiln-schedules-'));
    try {
      const file = join(dir, 'job.json');
      writeFileSync(file, JSON.stringify(quboJob));
      const created = await kiln(url, p.adminKey, 'schedule', 'create', '--name', 'cli', '--every', '1h', '--job', file, '--json');
      expect(created.code).toBe(0);
      const s = JSON.parse(created.stdout);
      expect(s).toMatchObject({ name: 'cli', everyMs: 3_600_000, state: 'active' });
      const ls = await kiln(url, p.adminKey, 'schedule', 'ls', '--all');
      expect(ls.stdout).toContain(s.id);
      expect(ls.stdout).toContain('every 3600000 ms');
      expect(JSON.parse((await kiln(url, p.adminKey, 'schedule', 'pause', s.id, '--json')).stdout).state).toBe('paused');
      expect(JSON.parse((await kiln(url, p.adminKey, 'schedule', 'resume', s.id, '--json')).stdout).state).toBe('active');
      expect((await kiln(url, p.adminKey, 'schedule', 'rm', s.id)).code).toBe(0);
      expect((await kiln(url, p.adminKey, 'schedule', 'rm', s.id)).code).toBe(3);
      const bad = await kiln(url, p.adminKey, 'schedule', 'create', '--name', 'bad', '--cron', 'nope', '--job', file);
      expect(bad.code).toBe(3);
      expect(bad.stderr).toContain('cron');
      expect((await kiln(url, p.adminKey, 'schedule', 'create', '--name', 'x', '--job', file)).code).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses bad input with a 400 naming the field', async () => {
    const field = async (body: unknown) => {
      const r = await post(p.api, '/v1/schedules', body);
      expect(r.status).toBe(400);
      return r.body.error.details.issues[0].field as string;
    };
    const target = { job: quboJob };
    expect(await field({ name: 'x', cron: 'every tuesday', target })).toBe('cron');
    expect(await field({ name: 'x', cron: '61 * * * *', target })).toBe('cron');
    expect(await field({ name: 'x', cron: '* * * * *', everyMs: 1000, target })).toBe('cron');
    expect(await field({ name: 'x', target })).toBe('cron');
    expect(await field({ name: 'x', cron: '0 3 * * *', tz: 'Mars/Olympus', target })).toBe('tz');
    expect(await field({ name: 'x', everyMs: 10, target })).toBe('everyMs');
    expect(await field({ everyMs: 1000, target })).toBe('name');
    expect(await field({ name: 'x', everyMs: 1000, target: { nope: 1 } })).toMatch(/^target/);
    expect(await field({ name: 'x', everyMs: 1000, target: { pipeline: { steps: [{ kind: 'ssm.score', payload: {} }] } } })).toBe(
      'target.pipeline.steps.0.payload.modelId',
    );
    const unknown = await post(p.api, '/v1/schedules', {
      name: 'x',
      everyMs: 1000,
      target: { job: { kind: 'qubo.solve', payload: { problemId: '00000000-0000-4000-8000-000000000000' } } },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('KILN_ERR_PROBLEM_UNKNOWN');
    expect((await post(p.api, '/v1/schedules/nope/pause', {})).status).toBe(404);
  });
});
