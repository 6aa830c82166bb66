import { createClient, parseEventStream, type SseMessage } from '@kiln/client';
import { PassThrough } from 'node:stream';
import { eventKeys, KilnQueues } from '@kiln/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../packages/cli/src/main.js';
import { startQuboWorker } from '../../services/worker-qubo/src/worker.js';
import { startSsmWorker } from '../../services/worker-ssm/src/worker.js';
import { type Platform, post, quietLog, redisUrl, startPlatform, waitForJob } from '../helpers.js';

interface Frame {
  id: string | undefined;
  event: string;
  data: Record<string, any>;
}

/** Reads an event stream over real HTTP until `stop(frames)` holds or the server ends it. */
async function readEvents(
  url: string,
  key: string,
  opts: { lastEventId?: string; stop?: (frames: Frame[]) => boolean; onOpen?: () => Promise<void> } = {},
): Promise<{ status: number; type: string | null; frames: Frame[]; ended: boolean }> {
  const ac = new AbortController();
  const res = await fetch(url, {
    headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream', ...(opts.lastEventId ? { 'last-event-id': opts.lastEventId } : {}) },
    signal: ac.signal,
  });
  const frames: Frame[] = [];
  if (!res.body || !String(res.headers.get('content-type')).startsWith('text/event-stream')) {
    await res.body?.cancel();
    return { status: res.status, type: res.headers.get('content-type'), frames, ended: true };
  }
  await opts.onOpen?.();
  let ended = true;
  try {
    for await (const m of parseEventStream(res.body) as AsyncGenerator<SseMessage>) {
      frames.push({ id: m.id, event: m.event, data: JSON.parse(m.data) });
      if (opts.stop?.(frames)) {
        ended = false;
        ac.abort();
        break;
      }
    }
  } catch (error) {
    if (!ac.signal.aborted) throw error;
  }
  return { status: res.status, type: res.headers.get('content-type'), frames, ended };
}

const states = (frames: Frame[]) => frames.filter((f) => f.event === 'state').map((f) => f.data.state);
const cmp = (a: string, b: string) => {
  const [am, as] = a.split('-').map(BigInt) as [bigint, bigint];
  const [bm, bs] = b.split('-').map(BigInt) as [bigint, bigint];
  return am === bm ? Number(as - bs) : am < bm ? -1 : 1;
};

async function until<T>(fn: () => T | undefined): Promise<T> {
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
}

function cyclicCsv(users: number, items: number, length: number): string {
  const rows = ['user_id,item_id,timestamp'];
  for (let u = 0; u < users; u++) for (let t = 0; t < length; t++) rows.push(`u${u},item-${(u + t) % items},${u * 100 + t}`);
  return `${rows.join('\n')}\n`;
}

describe('job events as Server-Sent Events (real HTTP, real workers)', () => {
  let p: Platform;
  let base: string;
  let qubo: { close(): Promise<void> };
  let ssm: { close(): Promise<void> };
  let queues: KilnQueues;
  let datasetId: string;

  beforeAll(async () => {
    p = await startPlatform();
    const address = await p.api.listen({ port: 0, host: '127.0.0.1' });
    base = address;
    queues = new KilnQueues({ redisUrl, prefix: p.prefix });
    qubo = await startQuboWorker({ redisUrl, databaseUrl: p.db.url, prefix: p.prefix, concurrency: 2, threads: 2, log: quietLog });
    ssm = await startSsmWorker({ redisUrl, databaseUrl: p.db.url, prefix: p.prefix, trainConcurrency: 1, scoreConcurrency: 1, log: quietLog });
    const up = await p.api.inject({
      method: 'POST',
      url: '/v1/datasets?format=csv&name=cycles',
      payload: cyclicCsv(60, 20, 10),
      headers: { 'content-type': 'text/csv' },
    });
    expect(up.statusCode).toBe(201);
    datasetId = up.json().id;
  });
  afterAll(async () => {
    await qubo?.close();
    await ssm?.close();
    await queues?.close();
    await p?.close();
  });

  const train = () =>
    post(p.api, '/v1/jobs', {
      kind: 'ssm.train',
      payload: { datasetId, name: 'events', model: { hiddenSize: 8, maxLen: 10, dState: 4 }, training: { maxEpochs: 3, patience: 3, batchSize: 8, seed: 1 } },
    });

  it('streams a qubo.solve: waiting, active, progress, result, completed, then ends', async () => {
    const sub = await post(p.api, '/v1/jobs', {
      kind: 'qubo.solve',
      payload: {
        problem: {
          n: 40,
          terms: [
            [0, 1, -1],
            [1, 2, 2],
            [2, 3, -3],
          ],
        },
        params: { seed: 1, timeLimitMs: 600, sweeps: 1_000_000 },
      },
    });
    expect(sub.status).toBe(201);
    const r = await readEvents(`${base}/v1/jobs/${sub.body.id}/events`, p.adminKey);
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/^text\/event-stream/);
    expect(r.ended).toBe(true);
    expect(states(r.frames)).toEqual(['waiting', 'active', 'completed']);
    expect(r.frames.some((f) => f.event === 'progress' && typeof f.data.progress.bestEnergy === 'number')).toBe(true);
    const result = r.frames.find((f) => f.event === 'result');
    expect(result?.data.result.energy).toBeTypeOf('number');
    expect(r.frames.at(-1)).toMatchObject({ event: 'state', data: { jobId: sub.body.id, kind: 'qubo.solve', state: 'completed', attempt: 1 } });
    // Ids strictly increase: each one resumes after itself.
    const ids = r.frames.map((f) => f.id as string);
    for (let i = 1; i < ids.length; i++) expect(cmp(ids[i - 1] as string, ids[i] as string)).toBeLessThan(0);
  });

  it('streams an ssm.train epoch by epoch; a dropped connection resumed with Last-Event-ID gets exactly the missed events', async () => {
    const sub = await train();
    expect(sub.status).toBe(201);
    const url = `${base}/v1/jobs/${sub.body.id}/events`;
    // Drop the connection after the first progress event.
    const first = await readEvents(url, p.adminKey, { stop: (f) => f.some((x) => x.event === 'progress') });
    expect(first.ended).toBe(false);
    const resumed = await readEvents(url, p.adminKey, { lastEventId: first.frames.at(-1)?.id as string });
    expect(resumed.ended).toBe(true);
    // The whole log, read again after the end: the two parts are exactly it, no gap, no repeat.
    const whole = await readEvents(url, p.adminKey);
    expect([...first.frames, ...resumed.frames].map((f) => f.id)).toEqual(whole.frames.map((f) => f.id));
    expect(states(whole.frames)).toEqual(['waiting', 'active', 'completed']);
    const epochs = whole.frames.filter((f) => f.event === 'progress').map((f) => f.data.progress.epoch);
    expect(Math.max(...epochs)).toBe(3);
    const result = whole.frames.find((f) => f.event === 'result');
    expect(result?.data.result.modelId).toBeTypeOf('string');
  });

  it('answers a client that connects after the end with the final state at once, and 204 once it has it', async () => {
    const sub = await post(p.api, '/v1/jobs', {
      kind: 'qubo.solve',
      payload: { problem: { n: 3, terms: [[0, 1, -1]] }, params: { seed: 2, timeLimitMs: 50 } },
    });
    await waitForJob(p.api, sub.body.id);
    const url = `${base}/v1/jobs/${sub.body.id}/events`;
    const late = await readEvents(url, p.adminKey);
    expect(late.ended).toBe(true);
    expect(late.frames.at(-1)).toMatchObject({ event: 'state', data: { state: 'completed' } });
    const again = await readEvents(url, p.adminKey, { lastEventId: late.frames.at(-1)?.id as string });
    expect(again.status).toBe(204);

    // With its event log gone (expired), the final state comes from the job's row.
    await queues.redis.del(eventKeys.job(p.prefix, sub.body.id));
    const fromRow = await readEvents(url, p.adminKey);
    expect(fromRow.frames.map((f) => f.event)).toEqual(['result', 'state']);
    expect(fromRow.frames[1]).toMatchObject({ data: { state: 'completed', jobId: sub.body.id } });
    expect(fromRow.frames[0]?.data.result.energy).toBe(-1);
    expect((await readEvents(url, p.adminKey, { lastEventId: fromRow.frames[1]?.id as string })).status).toBe(204);
    // A cancelled job's stream ends with its cancellation.
    const later = await post(p.api, '/v1/jobs', { kind: 'qubo.solve', payload: { problem: { n: 3, terms: [[0, 1, -1]] } }, options: { delayMs: 600_000 } });
    expect((await post(p.api, `/v1/jobs/${later.body.id}/cancel`, {})).status).toBe(202);
    const cancelled = await readEvents(`${base}/v1/jobs/${later.body.id}/events`, p.adminKey);
    expect(states(cancelled.frames)).toEqual(['delayed', 'cancelled']);
  });

  it('refuses without a key, 404s an unknown job, and 400s a malformed Last-Event-ID', async () => {
    expect((await fetch(`${base}/v1/jobs/nope/events`)).status).toBe(401);
    const unknown = await fetch(`${base}/v1/jobs/nope/events`, { headers: { authorization: `Bearer ${p.adminKey}` } });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('KILN_ERR_NOT_FOUND');
    const bad = await fetch(`${base}/v1/events`, { headers: { authorization: `Bearer ${p.adminKey}`, 'last-event-id': 'yesterday' } });
    expect(bad.status).toBe(400);
    expect((await fetch(`${base}/v1/events?kind=nope`, { headers: { authorization: `Bearer ${p.adminKey}` } })).status).toBe(400);
  });

  it('streams every job of a kind, state changes only, with ?kind=&type=state', async () => {
    let id = '';
    const r = await readEvents(`${base}/v1/events?kind=qubo.solve&type=state`, p.adminKey, {
      onOpen: async () => {
        // A training job's events are filtered out; the QUBO job's state changes come through.
        await train();
        id = (await post(p.api, '/v1/jobs', { kind: 'qubo.solve', payload: { problem: { n: 3, terms: [[0, 1, -1]] }, params: { timeLimitMs: 50 } } })).body.id;
      },
      stop: (f) => f.some((x) => x.data.jobId === id && x.data.state === 'completed'),
    });
    expect(r.frames.every((f) => f.event === 'state' && f.data.kind === 'qubo.solve')).toBe(true);
    expect(states(r.frames.filter((f) => f.data.jobId === id))).toEqual(['waiting', 'active', 'completed']);
  });

  it("the CLI: kiln jobs events prints a job's events until it ends; kiln webhooks create|ls|rm", async () => {
    const kiln = async (...argv: string[]) => {
      const out = new PassThrough();
      const err = new PassThrough();
      let stdout = '';
      out.on('data', (d) => {
        stdout += d;
      });
      err.resume();
      const code = await main(argv, { io: { out, err }, env: { KILN_API_URL: base, KILN_API_KEY: p.adminKey }, signal: new AbortController().signal });
      return { code, stdout };
    };
    const sub = await post(p.api, '/v1/jobs', { kind: 'qubo.solve', payload: { problem: { n: 3, terms: [[0, 1, -1]] }, params: { timeLimitMs: 50 } } });
    const r = await kiln('jobs', 'events', sub.body.id, '--json');
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.event === 'state').map((l) => l.state)).toEqual(['waiting', 'active', 'completed']);
    expect(lines.at(-2)).toMatchObject({ event: 'result', jobId: sub.body.id });
    const human = await kiln('jobs', 'events', sub.body.id);
    expect(human.stdout).toContain(`qubo.solve  ${sub.body.id}  state  completed (attempt 1)`);

    const made = await kiln('webhooks', 'create', 'http://127.0.0.1:9/hook', '--kind', 'qubo.solve', '--json');
    expect(made.code).toBe(0);
    const hook = JSON.parse(made.stdout);
    expect(hook.secret).toMatch(/^whsec_/);
    expect((await kiln('webhooks', 'ls')).stdout).toContain(hook.id);
    expect((await kiln('webhooks', 'rm', hook.id)).code).toBe(0);
    expect((await kiln('webhooks', 'ls', '--json')).stdout.trim()).toBe('[]');
  });

  it('waitFor follows the job over SSE (one stream, no polling) and sees its progress', async () => {
    const calls: string[] = [];
    const kiln = createClient({
      baseUrl: base,
      apiKey: p.adminKey,
      fetch: (input, init) => {
        calls.push(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
        return fetch(input, init);
      },
    });
    const { id } = await kiln.submit({
      kind: 'ssm.train',
      payload: { datasetId, name: 'wait', model: { hiddenSize: 8, maxLen: 10, dState: 4 }, training: { maxEpochs: 2, patience: 2, batchSize: 8, seed: 2 } },
    });
    const seen: string[] = [];
    const job = await kiln.waitFor(id, { intervalMs: 10_000, onProgress: (j) => void seen.push(j.state) });
    expect(job.state).toBe('completed');
    expect(job.result).not.toBeNull();
    expect(seen).toContain('active');
    expect(calls.filter((c) => c.endsWith(`/v1/jobs/${id}/events`))).toHaveLength(1);
    // The job read at the start and at the end; nothing polled in between.
    expect(calls.filter((c) => c.endsWith(`/v1/jobs/${id}`))).toHaveLength(2);

    // A job cancelled while it waits: waitFor ends with the cancelled row.
    const later = await kiln.submit({ kind: 'qubo.solve', payload: { problem: { n: 3, terms: [[0, 1, -1]] } }, options: { delayMs: 600_000 } });
    const states: string[] = [];
    const waiting = kiln.waitFor(later.id, { intervalMs: 10_000, onProgress: (j) => void states.push(j.state) });
    await until(() => (states.length > 0 ? true : undefined));
    await kiln.cancelJob(later.id);
    const cancelled = await waiting;
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.error?.code).toBe('KILN_ERR_JOB_CANCELLED');
  });
});
