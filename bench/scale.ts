/**
 * Throughput of small QUBO jobs with 1, 2 and 4 worker-qubo processes, beside raw BullMQ workers
 * with as many processes on the same Redis, in one run:
 *
 *   npm run bench:scale [-- --jobs 4000 --cpu-jobs 400 --procs 1,2,4]
 *
 * Each worker-qubo process anneals one job at a time (QUBO_SLOTS=1: one core, as a pod limited to
 * one CPU), so P processes want P cores. Three workloads, each drained by P processes (started and
 * ready before the timer starts):
 * - `raw`: BullMQ Workers that return at once (the box's ceiling for N processes on one Redis);
 * - `tiny`: Kiln qubo.solve of an n = 8 problem whose `target` is its optimum, so every solve stops
 *   at once (platform overhead: fetch, row writes, solution write);
 * - `cpu`: Kiln qubo.solve of an n = 64 chain that anneals for 10 ms (QUBO_THREADS=1): compute-bound.
 * It starts a throw-away database and the API as a child process; jobs go in through the API's
 * batch submit while the queue is paused. Jobs lost or run twice are counted. The last line is one
 * JSON object. Never asserts.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createDb } from '@kiln/db';
import { createTestDatabase } from '@kiln/db/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '4000' },
    'cpu-jobs': { type: 'string', default: '400' },
    procs: { type: 'string', default: '1,2,4' },
  },
});
const J = Number(values.jobs);
const CJ = Number(values['cpu-jobs']);
const PROCS = values.procs.split(',').map(Number);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const root = new URL('../', import.meta.url).pathname;
const cores = availableParallelism();

const children = new Set<ChildProcess>();
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

/** Starts `node --import tsx file`; resolves once it prints a JSON log line with `readyMsg`. */
function startReady(file: string, env: Record<string, string>, readyMsg: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', `${root}${file}`], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${file} exited (${code}) before it was ready`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.includes(readyMsg)) resolve(child);
    });
  });
}

async function stopAll(procs: ChildProcess[]): Promise<void> {
  await Promise.all(
    procs.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          c.once('exit', () => resolve());
          c.kill('SIGTERM');
        }),
    ),
  );
}

const apiKey = `bench-admin-${randomUUID()}`;
const tdb = await createTestDatabase();
const prefix = `kiln-bench-${randomUUID().slice(0, 8)}`;
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const api = await startReady(
  'services/api/src/main.ts',
  { PORT: String(port), DATABASE_URL: tdb.url, REDIS_URL: redisUrl, KILN_QUEUE_PREFIX: prefix, LOG_LEVEL: 'info', KILN_BOOTSTRAP_ADMIN_KEY: apiKey },
  'Server listening',
);
const db = createDb({ url: tdb.url });

async function http(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

// n = 8 with its optimum (brute force) as the target: the solve stops at once.
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
const tinyUp = await http('POST', '/v1/qubo/problems?format=json&name=bench-n8', { n, terms });
const chainUp = await http('POST', '/v1/qubo/problems?format=json&name=bench-chain64', {
  n: 64,
  terms: Array.from({ length: 63 }, (_, i) => [i, i + 1, i % 2 ? 1 : -1]),
});
if (tinyUp.status !== 201 || chainUp.status !== 201) throw new Error(`upload failed: ${tinyUp.status} ${chainUp.status}`);
const tinyJob = { kind: 'qubo.solve', payload: { problemId: tinyUp.json.id, params: { timeLimitMs: 1000, target: optimum } } };
const cpuJob = { kind: 'qubo.solve', payload: { problemId: chainUp.json.id, params: { timeLimitMs: 10, sweeps: 1_000_000, target: -1e12 } } };

/** Kiln: `count` jobs in through the API (queue paused), `procs` worker-qubo processes drain them. */
async function kilnRound(job: unknown, count: number, procs: number): Promise<{ perS: number; lost: number; twice: number }> {
  await http('POST', '/v1/queues/qubo-solve/pause');
  // Each round starts from an empty table: the wait below counts rows without a list of ids.
  await db.quboSolution.deleteMany({});
  await db.job.deleteMany({});
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1000) {
    const r = await http('POST', '/v1/jobs/batch', { jobs: Array.from({ length: Math.min(1000, count - i) }, () => job) });
    if (r.status !== 201) throw new Error(`batch submit: ${r.status} ${JSON.stringify(r.json)}`);
    for (const item of r.json.items) ids.push(item.id);
  }
  const workers = await Promise.all(
    Array.from({ length: procs }, () =>
      startReady(
        'services/worker-qubo/src/main.ts',
        {
          DATABASE_URL: tdb.url,
          REDIS_URL: redisUrl,
          KILN_QUEUE_PREFIX: prefix,
          LOG_LEVEL: 'info',
          QUBO_THREADS: '1',
          QUBO_SLOTS: '1',
          KILN_METRICS_PORT: '0',
        },
        'worker-qubo ready',
      ),
    ),
  );
  const t0 = performance.now();
  await http('POST', '/v1/queues/qubo-solve/resume');
  let done = 0;
  while (done < count) {
    done = await db.job.count({ where: { state: { in: ['completed', 'failed', 'cancelled'] } } });
    if (done < count) await new Promise((r) => setTimeout(r, 50));
  }
  const seconds = (performance.now() - t0) / 1000;
  await stopAll(workers);
  const rows = await db.job.findMany({ where: { id: { in: ids } }, select: { id: true, state: true, attempts: true } });
  const solved = await db.quboSolution.count({ where: { jobId: { in: ids } } });
  const completed = rows.filter((r) => r.state === 'completed').length;
  return { perS: count / seconds, lost: count - Math.min(completed, solved), twice: rows.filter((r) => r.attempts > 1).length };
}

/** Raw BullMQ: `procs` processes of a Worker that returns at once, same Redis, same job options. */
async function rawRound(count: number, procs: number): Promise<number> {
  const rawPrefix = `${prefix}-raw`;
  const conn = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const q = new Queue('raw', { connection: conn, prefix: rawPrefix });
  await q.obliterate({ force: true });
  await q.pause();
  for (let i = 0; i < count; i += 1000) {
    await q.addBulk(
      Array.from({ length: Math.min(1000, count - i) }, () => ({
        name: 'raw',
        data: { n: 8 },
        opts: { jobId: randomUUID(), attempts: 3, removeOnComplete: { age: 604800, count: 10000 } },
      })),
    );
  }
  const workers = await Promise.all(
    Array.from({ length: procs }, () => startReady('bench/scale-raw-worker.ts', { REDIS_URL: redisUrl, RAW_PREFIX: rawPrefix }, 'raw worker ready')),
  );
  const t0 = performance.now();
  await q.resume();
  for (;;) {
    const c = await q.getJobCounts('completed');
    if ((c.completed ?? 0) >= count) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  const perS = count / ((performance.now() - t0) / 1000);
  await stopAll(workers);
  await q.obliterate({ force: true });
  await q.close();
  conn.disconnect();
  return perS;
}

console.log(`scale bench: ${J} tiny and ${CJ} cpu jobs through the API, processes ${PROCS.join(', ')}, ${cores} cores; Redis ${redisUrl}`);
const out: Record<'raw' | 'tiny' | 'cpu', Record<string, number>> = { raw: {}, tiny: {}, cpu: {} };
let lost = 0;
let twice = 0;
for (const p of PROCS) {
  out.raw[p] = Math.round(await rawRound(J, p));
  const tiny = await kilnRound(tinyJob, J, p);
  const cpu = await kilnRound(cpuJob, CJ, p);
  out.tiny[p] = Math.round(tiny.perS);
  out.cpu[p] = Math.round(cpu.perS);
  lost += tiny.lost + cpu.lost;
  twice += tiny.twice + cpu.twice;
  console.log(
    `${String(p).padStart(2)} process${p > 1 ? 'es' : '  '}  raw BullMQ ${String(out.raw[p]).padStart(6)} jobs/s   Kiln tiny ${String(out.tiny[p]).padStart(6)} jobs/s (${((tiny.perS / out.raw[p]) * 100).toFixed(0)}% of raw)   Kiln cpu (10 ms) ${String(out.cpu[p]).padStart(5)} jobs/s`,
  );
}
const one = PROCS[0] ?? 1;
const speedup = (k: 'raw' | 'tiny' | 'cpu') => Object.fromEntries(PROCS.map((p) => [p, Number(((out[k][p] ?? 0) / (out[k][one] ?? 1)).toFixed(2))]));
// Per core: the best figure over the process counts that fit the cores, divided by the cores it used.
const perCore = (k: 'tiny' | 'cpu') => Math.round(Math.max(...PROCS.filter((p) => p <= cores).map((p) => (out[k][p] ?? 0) / p)));
console.log(
  `speed-up over ${one} process: raw ${JSON.stringify(speedup('raw'))}, tiny ${JSON.stringify(speedup('tiny'))}, cpu ${JSON.stringify(speedup('cpu'))}; lost ${lost}, run twice ${twice}`,
);
console.log(
  `per core (processes ≤ ${cores} cores): tiny ≈ ${perCore('tiny')} jobs/s, cpu ≈ ${perCore('cpu')} jobs/s; beyond the cores more processes only share them (API, Redis and Postgres share them too)`,
);
await db.$disconnect();
await stopAll([api]);
await tdb.drop();
console.log(
  JSON.stringify({
    bench: 'scale',
    cores,
    jobs: J,
    cpu_jobs: CJ,
    raw_per_s: out.raw,
    tiny_per_s: out.tiny,
    cpu_per_s: out.cpu,
    tiny_ratio_to_raw: Object.fromEntries(PROCS.map((p) => [p, Number(((out.tiny[p] ?? 0) / (out.raw[p] ?? 1)).toFixed(3))])),
    speedup_tiny: speedup('tiny'),
    speedup_cpu: speedup('cpu'),
    per_core_tiny_per_s: perCore('tiny'),
    per_core_cpu_per_s: perCore('cpu'),
    lost,
    duplicated: twice,
  }),
);
