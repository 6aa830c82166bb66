/**
 * Kiln's submit and run path beside the BullMQ it wraps, in one run on the same Redis:
 *
 *   npm run bench:queue [-- --jobs 10000 --concurrency 32 --batch 1000 --e2e-jobs 10000 --api URL]
 *
 * 1. raw BullMQ `queue.add` of a qubo.solve payload from --concurrency loops, and `addBulk` of
 *    --batch jobs at a time (the ceiling);
 * 2. Kiln: `POST /v1/jobs` of the same job (the problem uploaded once, referenced by id) from
 *    --concurrency HTTP clients (keep-alive), with each request's latency; then
 *    `POST /v1/jobs/batch` of --batch jobs per request (when the API has it);
 * 3. end to end: --e2e-jobs tiny qubo.solve jobs (n = 8, `target` = the optimum, so each solve stops
 *    at once) through the API to one worker-qubo process, until every result is in Postgres; then
 *    counts jobs lost (no completed row or no solution) and run twice (attempts > 1).
 *
 * Without --api it starts what it needs: a throw-away database (migrated), the API and a
 * worker-qubo as child processes (`npm start`'s settings, LOG_LEVEL info), a unique queue prefix.
 * The queue is paused while submits are measured. The last line is one JSON object. Never asserts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { connect, createServer, type Socket } from 'node:net';
import { parseArgs } from 'node:util';
import { createDb } from '@kiln/db';
import { createTestDatabase } from '@kiln/db/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '32' },
    batch: { type: 'string', default: '1000' },
    'e2e-jobs': { type: 'string', default: '10000' },
    'qubo-concurrency': { type: 'string' },
    api: { type: 'string' },
  },
});
const N = Number(values.jobs);
const C = Number(values.concurrency);
const B = Number(values.batch);
const E = Number(values['e2e-jobs']);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const root = new URL('../', import.meta.url).pathname;

const children: ChildProcess[] = [];
let cleanup: Array<() => Promise<void>> = [];
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

function startService(file: string, env: Record<string, string>): ChildProcess {
  const child = spawn(`${root}node_modules/.bin/tsx`, [`${root}${file}`], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  child.stdout?.resume(); // its logs: read and dropped, as a log shipper would
  children.push(child);
  return child;
}

// HTTP/1.1 over kept-alive sockets, written and parsed by hand: a load generator must cost far less
// than the server it measures (node:http's client costs about as much per request as the API).
class Conn {
  private buf: Buffer = Buffer.alloc(0);
  private waiting: ((r: { status: number; body: string }) => void) | null = null;
  private failed: ((e: Error) => void) | null = null;
  constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => {
      this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
      this.pump();
    });
    socket.on('error', (e) => this.failed?.(e));
  }
  static open(url: URL): Promise<Conn> {
    return new Promise((resolve, reject) => {
      const s = connect(Number(url.port), url.hostname, () => resolve(new Conn(s)));
      s.once('error', reject);
    });
  }
  private pump(): void {
    const end = this.buf.indexOf('\r\n\r\n');
    if (end < 0 || !this.waiting) return;
    const head = this.buf.subarray(0, end).toString('latin1');
    const m = /content-length: *(\d+)/i.exec(head);
    const len = m ? Number(m[1]) : 0;
    if (this.buf.length < end + 4 + len) return;
    const body = this.buf.subarray(end + 4, end + 4 + len).toString();
    this.buf = this.buf.subarray(end + 4 + len);
    const done = this.waiting;
    this.waiting = null;
    done({ status: Number(head.slice(9, 12)), body });
  }
  send(req: Buffer): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failed = reject;
      this.socket.write(req);
    });
  }
  close(): void {
    this.socket.destroy();
  }
}

/** The API key the benchmark sends (it starts the API with it as the bootstrap admin key, or takes KILN_API_KEY with --api). */
const apiKey = values.api ? (process.env.KILN_API_KEY ?? '') : `bench-admin-${randomUUID()}`;

function requestBytes(url: URL, method: string, path: string, body: string | undefined, contentType = 'application/json'): Buffer {
  const head = `${method} ${path} HTTP/1.1\r\nhost: ${url.host}\r\nconnection: keep-alive\r\n${apiKey ? `authorization: Bearer ${apiKey}\r\n` : ''}${body === undefined ? '' : `content-type: ${contentType}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n`}\r\n`;
  return Buffer.concat([Buffer.from(head), body === undefined ? Buffer.alloc(0) : Buffer.from(body)]);
}

const pool: Conn[] = [];
async function withConn<T>(base: string, f: (c: Conn, url: URL) => Promise<T>): Promise<T> {
  const url = new URL(base);
  const c = pool.pop() ?? (await Conn.open(url));
  try {
    return await f(c, url);
  } finally {
    pool.push(c);
  }
}

function http(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  return withConn(base, async (c, url) => {
    const r = await c.send(requestBytes(url, method, path, text, typeof body === 'string' ? 'text/plain' : 'application/json'));
    return { status: r.status, json: r.body ? JSON.parse(r.body) : undefined };
  });
}

async function waitReady(base: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await http(base, 'GET', '/readyz')).status === 200) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the API at ${base} did not become ready`);
}

/** Runs `total` calls of `fn` from `concurrency` loops; returns jobs/s and the sorted latencies (ms). */
async function load(total: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<{ perS: number; lat: number[] }> {
  let next = 0;
  const lat: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < total; i = next++) {
        const s = performance.now();
        await fn(i);
        lat.push(performance.now() - s);
      }
    }),
  );
  return { perS: total / ((performance.now() - t0) / 1000), lat: lat.sort((a, b) => a - b) };
}
const pct = (lat: number[], p: number) => lat[Math.min(lat.length - 1, Math.floor((lat.length * p) / 100))] ?? Number.NaN;

let base = values.api;
let databaseUrl: string | undefined;
const prefix = `kiln-bench-${randomUUID().slice(0, 8)}`;
if (!base) {
  const tdb = await createTestDatabase();
  cleanup.push(() => tdb.drop());
  databaseUrl = tdb.url;
  const port = await freePort();
  startService('services/api/src/main.ts', {
    PORT: String(port),
    DATABASE_URL: tdb.url,
    REDIS_URL: redisUrl,
    KILN_QUEUE_PREFIX: prefix,
    LOG_LEVEL: 'info',
    KILN_BOOTSTRAP_ADMIN_KEY: apiKey,
  });
  base = `http://127.0.0.1:${port}`;
}
await waitReady(base);
const prefixUsed = values.api ? (process.env.KILN_QUEUE_PREFIX ?? 'kiln') : prefix;

// The problem: a random n = 8 QUBO, uploaded once; its optimum by brute force is the e2e target.
const n = 8;
const terms: Array<[number, number, number]> = [];
let s = 7;
const rnd = () => {
  s = (s * 1103515245 + 12345) % 2147483648;
  return s / 2147483648;
};
for (let i = 0; i < n; i++) for (let j = i; j < n; j++) terms.push([i, j, Math.round((rnd() * 2 - 1) * 10)]);
let optimum = Number.POSITIVE_INFINITY;
for (let m = 0; m < 1 << n; m++) {
  let e = 0;
  for (const [i, j, w] of terms) if ((m >> i) & 1 && (m >> j) & 1) e += w;
  optimum = Math.min(optimum, e);
}
const up = await http(base, 'POST', '/v1/qubo/problems?format=json&name=bench-n8', JSON.stringify({ n, terms }));
if (up.status !== 201) throw new Error(`upload failed: ${up.status} ${JSON.stringify(up.json)}`);
const problemId = up.json.id as string;
const job = { kind: 'qubo.solve', payload: { problemId, params: { timeLimitMs: 1000, target: optimum } } };
const queuedPayload = { version: 1, problemId, params: { mode: 'auto', timeLimitMs: 1000, seed: 1, restarts: true, target: optimum } };
console.log(`queue bench: ${N} jobs, ${C} concurrent clients, batches of ${B}, ${E} end to end; API ${base}; Redis ${redisUrl}`);

const pause = await http(base, 'POST', '/v1/queues/qubo-solve/pause');
if (pause.status !== 200) throw new Error(`pause failed: ${pause.status}`);

// 1. Raw BullMQ, same Redis, its own prefix; the options Kiln uses.
const rawConn = new Redis(redisUrl, { maxRetriesPerRequest: null });
const raw = new Queue('qubo-solve', { connection: rawConn, prefix: `${prefixUsed}-raw` });
await raw.pause();
const opts = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 604800, count: 10000 },
  removeOnFail: { age: 2592000, count: 10000 },
};
// Warm-ups (untimed) on both sides: JIT, connections, Redis scripts.
const W = Math.min(2000, N);
await load(W, C, async () => {
  await raw.add('qubo.solve', queuedPayload, { ...opts, jobId: randomUUID() });
});
const rawAdd = await load(N, C, async () => {
  await raw.add('qubo.solve', queuedPayload, { ...opts, jobId: randomUUID() });
});
await raw.obliterate({ force: true });
const rawBulk = await load(Math.ceil(N / B), 2, async () => {
  await raw.addBulk(Array.from({ length: B }, () => ({ name: 'qubo.solve', data: queuedPayload, opts: { ...opts, jobId: randomUUID() } })));
});
const rawBulkPerS = rawBulk.perS * B;
await raw.obliterate({ force: true });
await raw.close();
rawConn.disconnect();

// 2. Kiln: single submits, then batches.
let failures = 0;
const submitBytes = requestBytes(new URL(base), 'POST', '/v1/jobs', JSON.stringify(job));
const submit = () => withConn(base as string, (c) => c.send(submitBytes));
await load(W, C, async () => {
  await submit();
});
const kiln = await load(N, C, async () => {
  const r = await submit();
  if (r.status !== 201) failures++;
});
let kilnBatchPerS: number | null = null;
const probe = await http(base, 'POST', '/v1/jobs/batch', { jobs: [job] });
if (probe.status === 201) {
  const batch = await load(Math.ceil(N / B), 2, async () => {
    const r = await http(base as string, 'POST', '/v1/jobs/batch', { jobs: Array.from({ length: B }, () => job) });
    if (r.status !== 201) failures++;
  });
  kilnBatchPerS = batch.perS * B;
}

// 3. End to end: an empty queue, a worker-qubo process, E jobs, every result in Postgres.
let e2e: { perS: number; lost: number; duplicated: number; seconds: number } | null = null;
if (databaseUrl) {
  const conn = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const q = new Queue('qubo-solve', { connection: conn, prefix });
  await q.obliterate({ force: true });
  const db = createDb({ url: databaseUrl });
  await db.job.deleteMany({});
  const worker = startService('services/worker-qubo/src/main.ts', {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    KILN_QUEUE_PREFIX: prefix,
    LOG_LEVEL: 'info',
    ...(values['qubo-concurrency'] ? { QUBO_CONCURRENCY: values['qubo-concurrency'] } : {}),
    // e.g. "--cpu-prof --cpu-prof-dir=/tmp/wprof" to profile the worker
    ...(process.env.KILN_BENCH_WORKER_NODE_OPTIONS ? { NODE_OPTIONS: process.env.KILN_BENCH_WORKER_NODE_OPTIONS } : {}),
  });
  await new Promise((r) => setTimeout(r, 4000)); // the worker starts (tsx, addon, connections)
  const t0 = performance.now();
  const ids: string[] = [];
  const useBatch = kilnBatchPerS !== null;
  await load(useBatch ? Math.ceil(E / B) : E, useBatch ? 2 : C, async (i) => {
    if (useBatch) {
      const count = Math.min(B, E - i * B);
      const r = await http(base as string, 'POST', '/v1/jobs/batch', { jobs: Array.from({ length: count }, () => job) });
      for (const item of r.json.items ?? []) ids.push(item.id);
    } else {
      const r = await http(base as string, 'POST', '/v1/jobs', job);
      ids.push(r.json.id);
    }
  });
  await http(base, 'POST', '/v1/queues/qubo-solve/resume');
  let done = 0;
  for (let i = 0; i < 6000 && done < E; i++) {
    done = await db.job.count({ where: { state: { in: ['completed', 'failed', 'cancelled'] } } });
    if (done < E) await new Promise((r) => setTimeout(r, 50));
  }
  const seconds = (performance.now() - t0) / 1000;
  const rows = await db.job.findMany({ select: { id: true, state: true, attempts: true } });
  const solved = new Set((await db.quboSolution.findMany({ select: { jobId: true } })).map((r) => r.jobId));
  const completed = rows.filter((r) => r.state === 'completed' && solved.has(r.id)).length;
  e2e = { perS: completed / seconds, lost: E - completed, duplicated: rows.filter((r) => r.attempts > 1).length, seconds };
  worker.kill('SIGTERM');
  await new Promise((r) => worker.once('exit', r));
  await q.obliterate({ force: true });
  await q.close();
  conn.disconnect();
  await db.$disconnect();
} else {
  await http(base, 'POST', '/v1/queues/qubo-solve/resume');
}

const row = (name: string, v: number | null, ratio?: number | null) =>
  `${name.padEnd(34)} ${v === null ? '   n/a' : v.toFixed(0).padStart(8)}${ratio !== undefined && ratio !== null ? `   ${(ratio * 100).toFixed(0)}% of raw` : ''}`;
console.log(row('raw BullMQ add, jobs/s', rawAdd.perS));
console.log(row('Kiln POST /v1/jobs, jobs/s', kiln.perS, kiln.perS / rawAdd.perS));
console.log(
  `${'  Kiln submit latency'.padEnd(34)} p50 ${pct(kiln.lat, 50).toFixed(1)} ms, p99 ${pct(kiln.lat, 99).toFixed(1)} ms (raw add p50 ${pct(rawAdd.lat, 50).toFixed(1)}, p99 ${pct(rawAdd.lat, 99).toFixed(1)})`,
);
console.log(row('raw BullMQ addBulk, jobs/s', rawBulkPerS));
console.log(row('Kiln POST /v1/jobs/batch, jobs/s', kilnBatchPerS, kilnBatchPerS === null ? null : kilnBatchPerS / rawBulkPerS));
if (e2e)
  console.log(
    `${'end to end (n = 8, one worker-qubo)'.padEnd(34)} ${e2e.perS.toFixed(0).padStart(8)} jobs/s (${E} in ${e2e.seconds.toFixed(1)} s; lost ${e2e.lost}, run twice ${e2e.duplicated})`,
  );
if (failures) console.log(`(${failures} submits did not answer 201)`);
for (const c of pool) c.close();
for (const c of children) c.kill('SIGTERM');
await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
for (const f of cleanup) await f();
cleanup = [];
console.log(
  JSON.stringify({
    bench: 'queue',
    jobs: N,
    concurrency: C,
    raw_add_per_s: Math.round(rawAdd.perS),
    kiln_submit_per_s: Math.round(kiln.perS),
    submit_ratio: Number((kiln.perS / rawAdd.perS).toFixed(3)),
    submit_p50_ms: Number(pct(kiln.lat, 50).toFixed(2)),
    submit_p99_ms: Number(pct(kiln.lat, 99).toFixed(2)),
    raw_addbulk_per_s: Math.round(rawBulkPerS),
    kiln_batch_per_s: kilnBatchPerS === null ? null : Math.round(kilnBatchPerS),
    batch_ratio: kilnBatchPerS === null ? null : Number((kilnBatchPerS / rawBulkPerS).toFixed(3)),
    e2e_jobs_per_s: e2e ? Math.round(e2e.perS) : null,
    lost: e2e?.lost ?? null,
    duplicated: e2e?.duplicated ?? null,
    failures,
  }),
);
process.exit(0);
