/**
 * Kiln's fault suite (issue 11, point 8). It starts a platform of its own (Redis with AOF
 * everysec, a Postgres cluster, 1–2 APIs, worker-qubo and worker-ssm processes, a TCP proxy
 * between the workers and Redis), submits a ledger of jobs through `@kiln/client` with
 * Idempotency-Keys and client-side retries while it injects faults (SIGKILL of workers and APIs,
 * Redis SIGKILL + restart, Postgres restart and outage, a network cut), and then checks every
 * acknowledged job: one final state, at most one result, nothing stuck; and how long the platform
 * took to complete a job again after each fault. The suite plays the orchestrator: a process it
 * killed is started again after a short delay (it says so).
 *
 * Entry points: `npm run test:faults` (tests/faults/run.ts, the long run) and
 * tests/faults/smoke.test.ts (a short run inside `npm test`).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createClient, type KilnClient, type SubmitRequest } from '@kiln/client';
import { errorCodes, jobKinds } from '@kiln/contracts';
import { createSqlPool, type SqlPool } from '@kiln/db';
import { KilnQueues } from '@kiln/queue';
import { type AuditEvent, completions, installAudit, readAudit } from './audit.js';
import { freePort, makeTempDir, PgCluster, RedisServer, repoRoot, runExitHooks, Service, TcpProxy } from './procs.js';

export const faultKinds = ['worker_kill', 'api_kill', 'redis_restart', 'pg_restart', 'pg_outage', 'partition'] as const;
export type FaultKind = (typeof faultKinds)[number];

export interface SuiteOptions {
  /** qubo.solve jobs in the ledger (half with an inline problem, half naming an uploaded one). */
  qubo: number;
  /** ssm.score jobs (each scores every user of the small dataset with the first trained model). */
  score: number;
  /** ssm.train jobs besides the first (which trains the model the scores use, before the faults). */
  train: number;
  apis: number;
  quboWorkers: number;
  /** How many of each fault, in a shuffled order (0 or absent: none). */
  faults: Partial<Record<FaultKind, number>>;
  /** Length of a Postgres outage and of a network cut. */
  pgOutageMs: number;
  partitionMs: number;
  /**
   * Redis restarts lose the writes of this many ms before the SIGKILL (the append-only file is cut
   * back, as a machine crash under `appendfsync everysec` would leave it); 0: a plain SIGKILL, which
   * loses nothing Redis answered.
   */
  redisLoseMs: number;
  /** Worker kills: the first hits worker-ssm mid-training and the rest any worker ('training-first'), or all hit worker-ssm mid-training. */
  workerKill: 'training-first' | 'training-only';
  /** Quiet time between two faults (the platform recovers in it; submissions go on). */
  gapMs: number;
  /** Before each fault (but API kills, which send their own burst, and the training kill), a burst of solves so that work is in flight when it hits. */
  preload: boolean;
  /** Submits in flight at once. */
  submitConcurrency: number;
  /** After the faults: how long to wait for every job to end. */
  quiesceTimeoutMs: number;
  /** Quiescence also ends when nothing changed for this long and Redis has nothing pending (a stuck job). */
  quiesceStallMs: number;
  lockMs: number;
  stalledMs: number;
  reconcileIntervalMs: number;
  reconcileGraceMs: number;
  restartDelayMs: number;
  seed: number;
  /** Keep the temp dir (logs, data) for a post-mortem. */
  keep: boolean;
  say: (line: string) => void;
}

export const defaultOptions: SuiteOptions = {
  qubo: 2000,
  score: 40,
  train: 5,
  apis: 2,
  quboWorkers: 2,
  faults: { worker_kill: 3, api_kill: 3, redis_restart: 3, pg_restart: 3, pg_outage: 3, partition: 3 },
  pgOutageMs: 10_000,
  partitionMs: 7_000,
  redisLoseMs: 1_000,
  workerKill: 'training-first',
  gapMs: 7_000,
  preload: true,
  submitConcurrency: 4,
  quiesceTimeoutMs: 180_000,
  quiesceStallMs: 30_000,
  lockMs: 5_000,
  stalledMs: 5_000,
  reconcileIntervalMs: 2_000,
  reconcileGraceMs: 3_000,
  restartDelayMs: 1_000,
  seed: 1,
  keep: false,
  say: (line) => console.error(line),
};

/**
 * The smoke run of `npm test` (tests/faults/smoke.test.ts, `npm run test:faults -- --smoke`): one
 * fault of each kind (two worker kills), a small ledger, one API and one worker of each kind.
 */
export const smokeOptions: Partial<SuiteOptions> = {
  qubo: 150,
  score: 3,
  train: 1,
  apis: 1,
  quboWorkers: 1,
  // Every fault in its long-run form, shorter: the first worker kill hits a training after a
  // checkpoint, the second the worker-qubo; the outage outlasts the retry backoff (2 s + 4 s), the
  // cut outlasts the 5 s lock, the Redis restarts lose their last second.
  faults: { worker_kill: 2, api_kill: 1, redis_restart: 1, pg_restart: 1, pg_outage: 1, partition: 1 },
  pgOutageMs: 7_000,
  partitionMs: 6_000,
  redisLoseMs: 1_000,
  workerKill: 'training-first',
  gapMs: 1_500,
  preload: true,
  submitConcurrency: 4,
  quiesceTimeoutMs: 90_000,
  quiesceStallMs: 20_000,
  seed: 11,
};

export interface FaultRecord {
  n: number;
  kind: FaultKind;
  target: string;
  /** Wall-clock ms. */
  start: number;
  end: number;
  /** Seconds from the fault's end to the first job completed after it (null: none completed). */
  recoveryS: number | null;
  /** The jobs BullMQ was running when it began. */
  inFlight: string[];
  /** Seconds from the fault's end until every one of those jobs had completed (null: some never did, or none ran). */
  drainS: number | null;
  note?: string;
}

export interface Problem {
  category: 'lost' | 'duplicated' | 'stuck' | 'rejected' | 'unacknowledged' | 'mismatch' | 'crash' | 'resume';
  jobId?: string;
  kind?: string;
  detail: string;
  /** The fault it most likely came from (its number in the fault log), by the job's timeline. */
  fault?: number;
}

export interface SuiteReport {
  jobs: number;
  acknowledged: number;
  completed: number;
  failedFatal: number;
  lost: number;
  duplicated: number;
  stuck: number;
  faults: Record<FaultKind, number>;
  maxRecoveryS: number | null;
  faultLog: FaultRecord[];
  problems: Problem[];
  /** Per kind: acknowledged, completed, failed (fatal), lost, duplicated, stuck. */
  byKind: Record<string, Record<string, number>>;
  stats: Record<string, number | string>;
  /** The human table (several lines). */
  table: string;
  /** The last line: one JSON object. */
  json: string;
  seconds: number;
}

// ---- small helpers ------------------------------------------------------------------------------

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Term = [number, number, number];

/** A small random QUBO and its optimum by brute force (the solve's target, so it stops at once). */
function randomQubo(rnd: () => number, n: number): { n: number; terms: Term[]; optimum: number } {
  const terms: Term[] = [];
  for (let i = 0; i < n; i++)
    for (let j = i; j < n; j++) {
      if (i !== j && rnd() < 0.4) continue;
      const w = Math.round((rnd() * 2 - 1) * 9) || 1;
      terms.push([i, j, w]);
    }
  let optimum = Number.POSITIVE_INFINITY;
  for (let m = 0; m < 1 << n; m++) {
    let e = 0;
    for (const [i, j, w] of terms) if ((m >> i) & 1 && (m >> j) & 1) e += w;
    optimum = Math.min(optimum, e);
  }
  return { n, terms, optimum };
}

/** A learnable interaction log: every user walks a cycle of items (as tests/e2e/ssm.test.ts). */
function cyclicCsv(users: number, items: number, length: number, seed: number): string {
  const rnd = prng(seed);
  const rows = ['user_id,item_id,timestamp'];
  for (let u = 0; u < users; u++) {
    let item = Math.floor(rnd() * items);
    for (let t = 0; t < length; t++) {
      rows.push(`u${u},item-${item},${1_000_000 + u * 100 + t}`);
      item = (item + 1) % items;
    }
  }
  return `${rows.join('\n')}\n`;
}

const fmt = (x: number | null | undefined, digits = 1) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits));

/** Retries `f` while it throws (Postgres or Redis may be down during a fault), up to `ms`. */
async function retrying<T>(f: () => Promise<T>, ms = 60_000, pauseMs = 250): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      return await f();
    } catch (error) {
      if (Date.now() > until) throw error;
      await sleep(pauseMs);
    }
  }
}

/** `tsx scripts/migrate.ts` against the suite's cluster: creates the database and applies the migrations, as a deployment does. */
function migrateWithScript(databaseUrl: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = spawn(`${repoRoot}node_modules/.bin/tsx`, [`${repoRoot}scripts/migrate.ts`], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    c.stderr?.on('data', (d) => {
      err += d;
    });
    c.on('error', reject);
    c.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`scripts/migrate.ts exited ${code}: ${err.slice(-1000)}`))));
  });
}

// ---- the ledger ---------------------------------------------------------------------------------

interface Entry {
  i: number;
  key: string;
  request: SubmitRequest;
  kind: SubmitRequest['kind'];
  /** For qubo.solve: the optimum the result's energy must equal. */
  expectEnergy?: number;
  id?: string;
  status?: number;
  ackAt?: number;
  sends: number;
  firstSentAt?: number;
  /** A 4xx other than 429: the platform refused a valid request. */
  rejected?: string;
  gaveUp?: string;
}

interface Api {
  svc: Service;
  port: number;
  client: KilnClient;
}

/** `fetch` with a per-request deadline: an answer that never comes is an unknown outcome (retried with the same key). */
const fetchWithTimeout =
  (ms: number): typeof fetch =>
  (input, init) =>
    fetch(input, { ...init, signal: AbortSignal.timeout(ms) });

/** Which submit outcomes are worth another try with the same key. */
const retryable = (status: number) => status >= 500 || status === 429 || status === 408;

export async function runFaultSuite(partial: Partial<SuiteOptions> = {}): Promise<SuiteReport> {
  const o: SuiteOptions = { ...defaultOptions, ...partial, faults: { ...(partial.faults ?? defaultOptions.faults) } };
  const say = o.say;
  const t0 = Date.now();
  const rel = (t: number) => ((t - t0) / 1000).toFixed(1);
  const rnd = prng(o.seed);
  const runId = randomUUID().slice(0, 8);
  const base = makeTempDir(o.keep);
  const logDir = `${base}/logs`;
  mkdirSync(logDir, { recursive: true });
  say(`[faults] run ${runId}: temp dir ${base}${o.keep ? ' (kept)' : ''}`);

  const closers: Array<() => Promise<void>> = [];
  const services: Service[] = [];
  let pool: SqlPool | undefined;
  let queues: KilnQueues | undefined;
  try {
    // ---- the platform --------------------------------------------------------------------------
    const [redisPort, proxyPort, pgPort] = [await freePort(), await freePort(), await freePort()];
    const redis = new RedisServer(redisPort, base);
    const pg = new PgCluster(pgPort, base);
    const proxy = new TcpProxy(proxyPort, redisPort);
    closers.push(async () => {
      await proxy.close().catch(() => undefined);
      await redis.kill().catch(() => undefined);
      await pg.destroy();
    });
    await Promise.all([redis.start(), pg.init().then(() => pg.start())]);
    await proxy.start();
    const databaseUrl = pg.url('kiln');
    await migrateWithScript(databaseUrl);
    pool = createSqlPool({ url: databaseUrl, max: 4 });
    await installAudit(pool);
    say(`[faults] Redis :${redisPort} (AOF everysec), proxy :${proxyPort} → Redis for the workers, Postgres :${pgPort} (${rel(Date.now())} s)`);

    const adminKey = `kiln-faults-admin-${randomUUID()}`;
    const prefix = `kiln-faults-${runId}`;
    const common = {
      DATABASE_URL: databaseUrl,
      KILN_QUEUE_PREFIX: prefix,
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
    };
    const apis: Api[] = [];
    for (let k = 0; k < o.apis; k++) {
      const port = await freePort();
      const svc = new Service(
        {
          name: `api-${k + 1}`,
          file: 'services/api/src/main.ts',
          env: {
            ...common,
            REDIS_URL: redis.url,
            PORT: String(port),
            HOST: '127.0.0.1',
            KILN_BOOTSTRAP_ADMIN_KEY: adminKey,
            KILN_RECONCILE_INTERVAL_MS: String(o.reconcileIntervalMs),
            KILN_RECONCILE_GRACE_MS: String(o.reconcileGraceMs),
          },
        },
        logDir,
        (m) => say(`[faults] ${rel(Date.now())} s: ${m}`),
        o.restartDelayMs,
      );
      apis.push({ svc, port, client: createClient({ baseUrl: `http://127.0.0.1:${port}`, apiKey: adminKey, fetch: fetchWithTimeout(20_000) }) });
      services.push(svc);
    }
    const workerEnv = {
      ...common,
      REDIS_URL: proxy.url,
      KILN_LOCK_DURATION_MS: String(o.lockMs),
      KILN_STALLED_INTERVAL_MS: String(o.stalledMs),
    };
    const workers: Service[] = [];
    for (let k = 0; k < o.quboWorkers; k++)
      workers.push(
        new Service(
          { name: `worker-qubo-${k + 1}`, file: 'services/worker-qubo/src/main.ts', env: { ...workerEnv, QUBO_THREADS: '1' } },
          logDir,
          (m) => say(`[faults] ${rel(Date.now())} s: ${m}`),
          o.restartDelayMs,
        ),
      );
    const ssmWorker = new Service(
      { name: 'worker-ssm', file: 'services/worker-ssm/src/main.ts', env: { ...workerEnv } },
      logDir,
      (m) => say(`[faults] ${rel(Date.now())} s: ${m}`),
      o.restartDelayMs,
    );
    workers.push(ssmWorker);
    services.push(...workers);
    closers.unshift(async () => {
      await Promise.all(services.map((s) => s.stop(5_000)));
    });
    for (const s of services) s.start();

    const apiReady = async (api: Api, ms: number) => {
      const until = Date.now() + ms;
      for (;;) {
        try {
          const r = await fetch(`http://127.0.0.1:${api.port}/readyz`, { signal: AbortSignal.timeout(2000) });
          if (r.status === 200) return;
        } catch {
          // not listening yet
        }
        if (Date.now() > until) throw new Error(`${api.svc.name} not ready after ${ms} ms; see ${logDir}/${api.svc.name}.log`);
        await sleep(100);
      }
    };
    await Promise.all(apis.map((a) => apiReady(a, 90_000)));
    say(`[faults] ${o.apis} API(s), ${o.quboWorkers} worker-qubo, 1 worker-ssm started (${rel(Date.now())} s)`);
    queues = new KilnQueues({ redisUrl: redis.url, prefix });

    // ---- the ledger ----------------------------------------------------------------------------
    const ledger: Entry[] = [];
    const stats = { sends: 0, retries: 0, replays: 0, inFlight: 0 };
    const inFlightAt = new Map<Api, number>();

    /**
     * Submits one entry until it is acknowledged (201/200), refused (4xx) or `deadlineMs` passes:
     * on a network error, a timeout, a 5xx or a 429 it tries again, on the next API, with the same key.
     */
    const submit = async (e: Entry, firstApi = e.i, deadlineMs = 120_000): Promise<void> => {
      const until = Date.now() + deadlineMs;
      e.firstSentAt = Date.now();
      for (let attempt = 0; ; attempt++) {
        const api = apis[(firstApi + attempt) % apis.length] as Api;
        e.sends++;
        stats.sends++;
        if (attempt > 0) stats.retries++;
        stats.inFlight++;
        inFlightAt.set(api, (inFlightAt.get(api) ?? 0) + 1);
        let status = 0;
        let detail = '';
        try {
          const r = await api.client.http.POST('/v1/jobs', { body: e.request, params: { header: { 'idempotency-key': e.key } } });
          status = r.response.status;
          if (r.data) {
            if (e.id && e.id !== r.data.id) throw new Error(`key ${e.key} acknowledged as ${e.id}, then as ${r.data.id}`);
            e.id = r.data.id;
            e.status = status;
            e.ackAt = Date.now();
            if (status === 200) stats.replays++;
            return;
          }
          detail = JSON.stringify(r.error).slice(0, 300);
        } catch (error) {
          if ((error as Error).message?.startsWith('key ')) throw error;
          detail = String((error as Error)?.cause ?? error).slice(0, 200);
        } finally {
          stats.inFlight--;
          inFlightAt.set(api, (inFlightAt.get(api) ?? 1) - 1);
        }
        if (status !== 0 && !retryable(status)) {
          e.rejected = `${status} ${detail}`;
          return;
        }
        if (Date.now() > until) {
          e.gaveUp = `${status || 'no answer'} ${detail}`;
          return;
        }
        await sleep(Math.min(2000, 100 * 2 ** Math.min(attempt, 4)) * (0.5 + rnd()));
      }
    };

    const upload = async <T>(f: () => Promise<T>) => retrying(f, 60_000, 500);
    const client = (apis[0] as Api).client;
    const csv = cyclicCsv(200, 40, 16, o.seed);
    const dataset = await upload(() => client.uploadDataset(csv, { format: 'csv', name: `faults-${runId}` }));
    const shared = Array.from({ length: 3 }, (_, k) => randomQubo(rnd, 10 + k));
    const sharedIds: string[] = [];
    for (const [k, q] of shared.entries()) {
      const up = await upload(() => client.uploadQuboProblems(JSON.stringify({ n: q.n, terms: q.terms }), { format: 'json', name: `faults-${runId}-${k}` }));
      sharedIds.push(up.id);
    }
    // A larger problem whose solves run their whole time limit (no reachable target): work in flight when a fault hits.
    const slow = { n: 48, terms: [] as Term[] };
    for (let i = 0; i < slow.n; i++) for (let j = i; j < slow.n; j++) if (i === j || rnd() < 0.2) slow.terms.push([i, j, Math.round((rnd() * 2 - 1) * 9) || 1]);
    const slowId = (
      await upload(() => client.uploadQuboProblems(JSON.stringify({ n: slow.n, terms: slow.terms }), { format: 'json', name: `faults-${runId}-slow` }))
    ).id;

    /** A tiny training (3 epochs: well under a second once warm); `epochs` more for one a kill can land in. */
    const trainRequest = (k: number, epochs = 3): SubmitRequest => ({
      kind: 'ssm.train',
      payload: {
        datasetId: dataset.id,
        name: `faults-${runId}`,
        model: { hiddenSize: 16, maxLen: 20 },
        training: { maxEpochs: epochs, patience: epochs, batchSize: 32, seed: k + 1 },
      },
    });
    const entry = (request: SubmitRequest, expectEnergy?: number): Entry => {
      const i = ledger.length;
      const e: Entry = { i, key: `faults-${runId}-${i}`, request, kind: request.kind, sends: 0, ...(expectEnergy !== undefined ? { expectEnergy } : {}) };
      ledger.push(e);
      return e;
    };

    // The first training job makes the model the score jobs use; it and a first solve also warm the workers.
    const seedTrain = entry(trainRequest(0));
    const warm = randomQubo(rnd, 6);
    const warmSolve = entry(
      { kind: 'qubo.solve', payload: { problem: { n: warm.n, terms: warm.terms }, params: { timeLimitMs: 5000, target: warm.optimum, seed: 1 } } },
      warm.optimum,
    );
    await Promise.all([submit(seedTrain), submit(warmSolve)]);
    if (!seedTrain.id || !warmSolve.id)
      throw new Error(`warm-up submits failed: ${seedTrain.rejected ?? seedTrain.gaveUp} ${warmSolve.rejected ?? warmSolve.gaveUp}`);
    const waitDone = async (id: string, ms: number) => {
      const until = Date.now() + ms;
      for (;;) {
        // The faults may take Postgres away while this waits (the training goes on through them).
        const r = await retrying(() =>
          (pool as SqlPool).query<{ state: string; result: { modelId?: string } | null; error: unknown }>(
            `SELECT "state"::text AS state, "result", "error" FROM "Job" WHERE "id" = $1`,
            [id],
          ),
        );
        const row = r.rows[0];
        if (row && ['completed', 'failed', 'cancelled'].includes(row.state)) return row;
        if (Date.now() > until) throw new Error(`warm-up job ${id} not done after ${ms} ms (state ${row?.state}); logs in ${logDir}`);
        await sleep(200);
      }
    };
    // The faults start once a solve went through; the scores wait for the model (its training goes on meanwhile).
    const seedTrainId = seedTrain.id;
    const modelReady = waitDone(seedTrainId, 180_000).then((trained) => {
      if (trained.state !== 'completed' || !trained.result?.modelId)
        throw new Error(`the first training job ended ${trained.state}: ${JSON.stringify(trained.error)}`);
      say(`[faults] ${rel(Date.now())} s: model ${trained.result.modelId} trained (job ${seedTrainId}); the scores use it`);
      return trained.result.modelId;
    });
    modelReady.catch(() => undefined);
    const solved = await waitDone(warmSolve.id, 60_000);
    if (solved.state !== 'completed') throw new Error(`the warm-up solve ended ${solved.state}: ${JSON.stringify(solved.error)}`);
    say(`[faults] first solve done (${rel(Date.now())} s)`);

    /** A solve of the larger problem that runs its whole time limit. */
    const slowEntry = (minMs: number, maxMs: number): Entry =>
      entry({
        kind: 'qubo.solve',
        payload: { problemId: slowId, params: { timeLimitMs: minMs + Math.floor(rnd() * (maxMs - minMs)), seed: 1 + Math.floor(rnd() * 1000), mode: 'sa' } },
      });
    /** One small solve: an inline problem (half) or an uploaded one, with its optimum as target; 1 in 20 is a slow one. */
    const solveEntry = (): Entry => {
      const seed = 1 + Math.floor(rnd() * 1000);
      const r = rnd();
      if (r < 0.05) return slowEntry(400, 1000);
      if (r < 0.5) {
        const q = randomQubo(rnd, 4 + Math.floor(rnd() * 7));
        return entry(
          { kind: 'qubo.solve', payload: { problem: { n: q.n, terms: q.terms }, params: { timeLimitMs: 5000, target: q.optimum, seed } } },
          q.optimum,
        );
      }
      const s = Math.floor(rnd() * shared.length);
      const q = shared[s] as (typeof shared)[number];
      return entry({ kind: 'qubo.solve', payload: { problemId: sharedIds[s] as string, params: { timeLimitMs: 5000, target: q.optimum, seed } } }, q.optimum);
    };
    // The rest of the ledger: mostly small solves, scores and trainings spread among them.
    const plan: Array<() => Entry | Promise<Entry>> = Array.from({ length: o.qubo }, () => solveEntry);
    const spread = (count: number, make: (k: number) => () => Entry | Promise<Entry>, offset: number) => {
      for (let k = 0; k < count; k++) plan.splice(Math.floor(((k + offset) / (count + 1)) * plan.length), 0, make(k));
    };
    spread(o.score, () => async () => entry({ kind: 'ssm.score', payload: { modelId: await modelReady, k: 5 } }), 1);
    spread(o.train, (k) => () => entry(trainRequest(k + 1)), 0.5);

    // The fault schedule: every kind its count, shuffled (the same seed, the same order).
    const schedule: FaultKind[] = faultKinds.flatMap((k) => Array.from({ length: o.faults[k] ?? 0 }, () => k));
    for (let k = schedule.length - 1; k > 0; k--) {
      const j = Math.floor(rnd() * (k + 1));
      [schedule[k], schedule[j]] = [schedule[j] as FaultKind, schedule[k] as FaultKind];
    }
    const expectedMs: Record<FaultKind, number> = {
      worker_kill: o.restartDelayMs + 3000,
      api_kill: o.restartDelayMs + 4000,
      redis_restart: 1500,
      pg_restart: 1000,
      pg_outage: o.pgOutageMs + 1000,
      partition: o.partitionMs,
    };
    const faultPhaseMs = schedule.reduce((s, k) => s + o.gapMs + expectedMs[k], 0) + o.gapMs;
    say(
      `[faults] ledger: ${plan.length + 2} jobs planned (${o.qubo + 1} qubo.solve, ${o.score} ssm.score, ${o.train + 1} ssm.train; more solves while faults last); ${schedule.length} faults over ~${Math.round(faultPhaseMs / 1000)} s: ${schedule.join(', ')}`,
    );

    // ---- submissions and faults at the same time -----------------------------------------------
    // Submits are paced over the expected fault phase and go on (extra solves) until the last fault
    // and its quiet time are over; then whatever is left of the plan goes at once.
    let faultsDone = false;
    let next = 0;
    const take = (): Entry | Promise<Entry> | undefined => {
      const k = next++;
      if (k < plan.length) return (plan[k] as () => Entry | Promise<Entry>)();
      return faultsDone ? undefined : solveEntry();
    };
    const extra: Array<Promise<void>> = [];
    const submitting = (async () => {
      const start = Date.now();
      const interval = faultPhaseMs / Math.max(1, plan.length);
      await Promise.all(
        Array.from({ length: o.submitConcurrency }, async () => {
          for (;;) {
            const due = start + next * interval;
            while (!faultsDone && Date.now() < due) await sleep(Math.min(50, due - Date.now()));
            const e = await take();
            if (!e) return;
            await submit(e);
          }
        }),
      );
      await Promise.all(extra);
      say(`[faults] ${rel(Date.now())} s: every submit answered (${stats.sends} requests, ${stats.retries} retries, ${stats.replays} replays)`);
    })();

    const faultLog: FaultRecord[] = [];
    /**
     * A training running now past its first checkpoint, while no score job runs (so the kill finds
     * no other ssm job half-finished). Running means in BullMQ's active list: a row stays `active`
     * while its job waits out a retry's backoff.
     */
    const checkpointedTraining = async (): Promise<{ jobId: string; runId: string; epoch: number } | undefined> => {
      try {
        const q = queues as KilnQueues;
        const [trains, scores] = await Promise.all([q.queue('ssm.train').getActive(), q.queue('ssm.score').getActiveCount()]);
        if (scores > 0 || trains.length === 0) return undefined;
        const r = await (pool as SqlPool).query<{ jobId: string; runId: string; epoch: number }>(
          `SELECT r."jobId", r."id" AS "runId", c."epoch" FROM "TrainingRun" r JOIN "TrainingCheckpoint" c ON c."runId" = r."id"
           WHERE r."jobId" = ANY($1::text[]) LIMIT 1`,
          [trains.map((j) => j.id)],
        );
        return r.rows[0];
      } catch {
        return undefined;
      }
    };
    const resumeChecks: Array<{ rec: FaultRecord; jobId: string; runId: string; epoch: number; killedAt: number }> = [];
    let ssmKills = 0;
    const killOrder = workers.filter((w) => w !== ssmWorker).sort(() => rnd() - 0.5);
    /** The jobs running now, by BullMQ (at most 1 s to ask: the fault does not wait longer). */
    const runningIds = async (): Promise<string[]> => {
      const q = queues as KilnQueues;
      const ask = Promise.all(jobKinds.map((k) => q.queue(k).getActive())).then((js) => js.flat().map((j) => j.id as string));
      return Promise.race([ask, sleep(1000).then(() => [])]).catch(() => []);
    };
    const inject = async (kind: FaultKind, n: number): Promise<FaultRecord> => {
      const rec: FaultRecord = { n, kind, target: '', start: 0, end: 0, recoveryS: null, inFlight: [], drainS: null };
      const begin = async () => {
        rec.inFlight = await runningIds();
        rec.start = Date.now();
      };
      switch (kind) {
        case 'worker_kill': {
          // The first kill goes to worker-ssm in the middle of a training, after its first checkpoint
          // (a training is submitted for it if none runs); the retried job must resume from it.
          let target: Service | undefined;
          let training: Awaited<ReturnType<typeof checkpointedTraining>>;
          if (ssmKills === 0 || o.workerKill === 'training-only') {
            // A longer training (20 epochs) is submitted when none is queued or running, again if it ends uncaught.
            const until = Date.now() + 60_000;
            let asked: Entry | undefined;
            let tries = 0;
            for (;;) {
              training = await checkpointedTraining();
              if (training || Date.now() > until) break;
              const q = (queues as KilnQueues).queue('ssm.train');
              const queued = await Promise.all([q.getActiveCount(), q.getWaitingCount(), q.getDelayedCount()]).then(
                (c) => c[0] + c[1] + c[2],
                () => 1,
              );
              if (queued === 0 && tries < 3 && (!asked || asked.id)) {
                tries++;
                asked = entry(trainRequest(1000 + n * 10 + tries, 20));
                extra.push(submit(asked));
              }
              await sleep(50);
            }
            if (training) target = ssmWorker;
            else rec.note = `no training reached a checkpoint within 60 s (${tries} submitted for it): another worker killed instead`;
          }
          // The other kills: every worker-qubo once (in a random order), then any worker.
          target ??= (killOrder.shift() ?? workers[Math.floor(rnd() * workers.length)]) as Service;
          if (target === ssmWorker) ssmKills++;
          rec.target = `${target.name} (pid ${target.pid})${training ? `, training ${training.jobId.slice(0, 8)} after its epoch-${training.epoch} checkpoint` : ''}`;
          const back = target.nextStart();
          await begin();
          await target.kill();
          if (training) {
            // The checkpoint the retry should resume from: the last one written before the kill.
            const last = await retrying(() =>
              (pool as SqlPool).query<{ epoch: number }>(`SELECT "epoch" FROM "TrainingCheckpoint" WHERE "runId" = $1`, [training?.runId]),
            );
            training.epoch = last.rows[0]?.epoch ?? training.epoch;
            rec.target = `${target.name} (pid ${target.pid}), training ${training.jobId.slice(0, 8)} after its epoch-${training.epoch} checkpoint`;
            resumeChecks.push({ rec, ...training, killedAt: rec.start });
          }
          rec.end = await back;
          break;
        }
        case 'api_kill': {
          // Mid-submit: a burst of submits goes to the API that is killed while they are in flight.
          const k = Math.floor(rnd() * apis.length);
          const target = apis[k] as Api;
          for (let b = 0; b < 16; b++) extra.push(submit(solveEntry(), k));
          for (let w = 0; w < 100 && (inFlightAt.get(target) ?? 0) === 0; w++) await sleep(2);
          await sleep(3);
          rec.target = `${target.svc.name} (pid ${target.svc.pid}, ${inFlightAt.get(target) ?? 0} submits in flight to it)`;
          const back = target.svc.nextStart();
          await begin();
          await target.svc.kill();
          await back;
          await apiReady(target, 90_000);
          rec.end = Date.now();
          break;
        }
        case 'redis_restart': {
          const pid = redis.child?.pid;
          await begin();
          const cut = await redis.kill(o.redisLoseMs);
          rec.target = `redis-server (pid ${pid}) SIGKILL${o.redisLoseMs > 0 ? `, its AOF cut back to ${o.redisLoseMs} ms before (${cut} bytes lost)` : ''}, restarted on it`;
          await sleep(o.restartDelayMs);
          await redis.start();
          rec.end = Date.now();
          break;
        }
        case 'pg_restart': {
          rec.target = 'postgres (pg_ctl restart -m fast)';
          await begin();
          await pg.restart();
          rec.end = Date.now();
          break;
        }
        case 'pg_outage': {
          rec.target = `postgres (pg_ctl stop -m fast, ${o.pgOutageMs / 1000} s, start)`;
          await begin();
          await pg.stop();
          await sleep(o.pgOutageMs);
          await pg.start();
          rec.end = Date.now();
          break;
        }
        case 'partition': {
          rec.target = `workers ↮ Redis (${proxy.connections} connections cut, ${o.partitionMs / 1000} s)`;
          await begin();
          proxy.cut(o.partitionMs);
          await sleep(o.partitionMs);
          rec.end = Date.now();
          break;
        }
      }
      return rec;
    };
    /**
     * With `preload`: work in flight when the fault hits (results being written, locks held): a
     * burst of slow solves (1–2 s, more than the workers' annealing slots, so some wait in the
     * queue) and small ones, then the fault once at least two solves run.
     */
    const preload = async (kind: FaultKind) => {
      if (!o.preload || kind === 'api_kill' || (kind === 'worker_kill' && ssmKills === 0)) return;
      for (let b = 0; b < 8; b++) extra.push(submit(slowEntry(1000, 2000)));
      for (let b = 0; b < 16; b++) extra.push(submit(solveEntry()));
      const q = (queues as KilnQueues).queue('qubo.solve');
      for (let w = 0; w < 60; w++) {
        if ((await q.getActiveCount().catch(() => 0)) >= 2) break;
        await sleep(50);
      }
    };
    const faulting = (async () => {
      try {
        for (const [k, kind] of schedule.entries()) {
          await sleep(o.gapMs);
          await preload(kind);
          const rec = await inject(kind, k + 1);
          faultLog.push(rec);
          say(
            `[faults] ${rel(rec.start)} s: fault ${k + 1}/${schedule.length} ${kind}: ${rec.target}; over after ${((rec.end - rec.start) / 1000).toFixed(1)} s`,
          );
        }
        await sleep(o.gapMs);
      } finally {
        faultsDone = true;
      }
    })();
    await Promise.all([submitting, faulting]);

    // ---- quiescence ------------------------------------------------------------------------------
    const acked = ledger.filter((e) => e.id);
    const ids = acked.map((e) => e.id as string);
    const qStart = Date.now();
    let lastSig = '';
    let lastChange = Date.now();
    let quiet = false;
    for (;;) {
      const unfinished = await retrying(async () => {
        const r = await (pool as SqlPool).query<{ n: number }>(
          `SELECT $2::int - count(*) FILTER (WHERE "state" IN ('completed', 'failed', 'cancelled'))::int AS n FROM "Job" WHERE "id" = ANY($1::text[])`,
          [ids, ids.length],
        );
        return (r.rows[0] as { n: number }).n;
      });
      const pending = await retrying(async () =>
        (await (queues as KilnQueues).info()).reduce((s, q) => s + q.counts.waiting + q.counts.active + q.counts.delayed + q.counts.prioritized, 0),
      );
      const seq = await retrying(
        async () => (await (pool as SqlPool).query<{ s: string }>(`SELECT coalesce(max("seq"), 0)::text AS s FROM "faults_audit"`)).rows[0]?.s,
      );
      if (unfinished === 0 && pending === 0) {
        quiet = true;
        break;
      }
      const sig = `${unfinished}/${pending}/${seq}`;
      if (sig !== lastSig) {
        lastSig = sig;
        lastChange = Date.now();
      }
      if (pending === 0 && Date.now() - lastChange > o.quiesceStallMs) break;
      if (Date.now() - qStart > o.quiesceTimeoutMs) break;
      await sleep(1000);
    }
    say(
      `[faults] ${rel(Date.now())} s: ${quiet ? 'quiescent' : 'gave up waiting for quiescence'} after ${((Date.now() - qStart) / 1000).toFixed(1)} s (${o.quiesceTimeoutMs / 1000} s at most)`,
    );

    // ---- the checks ----------------------------------------------------------------------------
    const report = await analyse({ o, ledger, pool, faultLog, stats, services, t0, queues, resumeChecks });
    return report;
  } finally {
    for (const c of closers) await c().catch((err) => say(`[faults] cleanup: ${String(err)}`));
    await queues?.close().catch(() => undefined);
    await pool?.end().catch(() => undefined);
    // Whatever is left (a service that would not stop, the temp dir unless kept).
    runExitHooks();
  }
}

// ---- analysis -----------------------------------------------------------------------------------

/** A problem's kind of failure, without the job's particulars (for grouping). */
function causeOf(p: Problem): string {
  const d = p.detail;
  const m = (re: RegExp) => re.exec(d)?.[1];
  switch (p.category) {
    case 'duplicated':
      if (d.includes('result rewritten')) return 'ran again after completion: result rewritten';
      if (d.includes('completion written again')) return 'ran again after completion: completion rewritten';
      if (/completed \d+ times/.test(d)) return 'completed more than once';
      return d.replace(/^\(fault[^)]*\) /, '').split(';')[0] ?? d;
    case 'lost':
      if (d.includes('retryable code')) return `ended failed with the retryable ${m(/retryable code (\S+)/)}`;
      if (d.includes('no row')) return d.includes('deleted') ? 'acknowledged, row deleted' : 'acknowledged, no row';
      if (d.includes('result is missing')) return 'completed without its result';
      return d.split(';')[0] ?? d;
    case 'stuck':
      return `row ${m(/row (\w+) at the end/)}, BullMQ ${m(/BullMQ: ([\w ]+?)(,|;)/)}`;
    default:
      return d.slice(0, 80);
  }
}

interface JobRowLite {
  id: string;
  kind: string;
  state: string;
  attempts: number;
  result: Record<string, unknown> | null;
  error: { code?: string; message?: string; details?: unknown } | null;
}

async function analyse(a: {
  o: SuiteOptions;
  ledger: Entry[];
  pool: SqlPool;
  faultLog: FaultRecord[];
  stats: Record<string, number>;
  services: Service[];
  t0: number;
  queues: KilnQueues;
  resumeChecks: Array<{ rec: FaultRecord; jobId: string; runId: string; epoch: number; killedAt: number }>;
}): Promise<SuiteReport> {
  const { ledger, pool, faultLog } = a;
  const problems: Problem[] = [];
  const acked = ledger.filter((e) => e.id);
  const ids = acked.map((e) => e.id as string);
  const q = <T extends object>(sql: string, params: unknown[] = []) => retrying(async () => (await pool.query<T & Record<string, unknown>>(sql, params)).rows);

  const rows = new Map(
    (await q<JobRowLite>(`SELECT "id", "kind", "state"::text AS state, "attempts", "result", "error" FROM "Job" WHERE "id" = ANY($1::text[])`, [ids])).map(
      (r) => [r.id, r],
    ),
  );
  const solutions = await q<{ jobId: string; id: string; energy: number; n: number }>(
    `SELECT "jobId", "id", "energy", count(*) OVER (PARTITION BY "jobId")::int AS n FROM "QuboSolution" WHERE "jobId" = ANY($1::text[])`,
    [ids],
  );
  const solutionOf = new Map(solutions.map((s) => [s.jobId, s]));
  const models = await q<{ jobId: string; id: string; version: number; n: number }>(
    `SELECT "jobId", "id", "version", count(*) OVER (PARTITION BY "jobId")::int AS n FROM "Model" WHERE "jobId" = ANY($1::text[])`,
    [ids],
  );
  const modelOf = new Map(models.map((m) => [m.jobId, m]));
  const recs = new Map(
    (
      await q<{ jobId: string; n: number }>(`SELECT "jobId", count(*)::int AS n FROM "Recommendation" WHERE "jobId" = ANY($1::text[]) GROUP BY "jobId"`, [ids])
    ).map((r) => [r.jobId, r.n]),
  );
  const events: AuditEvent[] = await retrying(() => readAudit(pool));
  const byJob = new Map<string, AuditEvent[]>();
  for (const e of events) if (e.jobId) byJob.set(e.jobId, [...(byJob.get(e.jobId) ?? []), e]);

  const kinds = [...jobKinds];
  const byKind: Record<string, Record<string, number>> = Object.fromEntries(
    kinds.map((k) => [k, { acknowledged: 0, completed: 0, failed_fatal: 0, lost: 0, duplicated: 0, stuck: 0, attempts_gt_1: 0 }]),
  );
  const count = (kind: string, what: string) => {
    const k = byKind[kind] as Record<string, number>;
    k[what] = (k[what] ?? 0) + 1;
  };
  const lost = new Set<string>();
  const duplicated = new Set<string>();
  const stuck = new Set<string>();
  let completed = 0;
  let failedFatal = 0;
  const trail = (id: string) =>
    (byJob.get(id) ?? [])
      .filter((e) => e.tbl === 'Job')
      .map((e) => `${new Date(e.at).toISOString().slice(11, 23)} ${e.op} ${e.oldState ?? ''}→${e.newState ?? ''}`)
      .join(', ');

  for (const e of ledger) {
    if (e.rejected) problems.push({ category: 'rejected', kind: e.kind, detail: `key ${e.key}: ${e.rejected}` });
    if (!e.id) {
      if (!e.rejected)
        problems.push({ category: 'unacknowledged', kind: e.kind, detail: `key ${e.key}: never acknowledged (${e.gaveUp}) after ${e.sends} tries` });
      continue;
    }
    const id = e.id;
    count(e.kind, 'acknowledged');
    const row = rows.get(id);
    const evs = byJob.get(id) ?? [];
    if (!row) {
      lost.add(id);
      count(e.kind, 'lost');
      const deleted = evs.find((x) => x.tbl === 'Job' && x.op === 'delete');
      problems.push({
        category: 'lost',
        jobId: id,
        kind: e.kind,
        detail: `acknowledged (${e.status} at ${new Date(e.ackAt ?? 0).toISOString().slice(11, 23)}) but no row${deleted ? `: the row was deleted at ${deleted.at.toISOString().slice(11, 23)} (state ${deleted.oldState})` : ''}; trail: ${trail(id) || 'none'}`,
      });
      continue;
    }
    if (row.attempts > 1) count(e.kind, 'attempts_gt_1');

    // Duplicates: a second result row, a second completion, a result rewritten after completion.
    const jobEvents = evs.filter((x) => x.tbl === 'Job');
    const firstDone = jobEvents.find((x) => x.op === 'update' && x.newState === 'completed' && x.oldState !== 'completed');
    const dupReasons: string[] = [];
    const completionsN = jobEvents.filter((x) => x.op === 'update' && x.newState === 'completed' && x.oldState !== 'completed').length;
    if (completionsN > 1) dupReasons.push(`completed ${completionsN} times`);
    const rewrites = jobEvents.filter((x) => x.op === 'update' && x.oldState === 'completed');
    const resultChanged = rewrites.filter((x) => x.newResult !== null && x.newResult !== undefined);
    if (resultChanged.length > 0) {
      const first = resultChanged[0] as AuditEvent;
      const diff = Object.keys({ ...(first.oldResult as object), ...(first.newResult as object) }).filter(
        (k) => JSON.stringify((first.oldResult as Record<string, unknown>)?.[k]) !== JSON.stringify((first.newResult as Record<string, unknown>)?.[k]),
      );
      dupReasons.push(`result rewritten ${resultChanged.length}× after completion at ${first.at.toISOString().slice(11, 23)} (changed: ${diff.join(', ')})`);
    } else if (rewrites.some((x) => x.newState !== 'completed'))
      dupReasons.push(`left completed for ${rewrites.find((x) => x.newState !== 'completed')?.newState}`);
    else if (rewrites.length > 0) dupReasons.push(`completion written again ${rewrites.length}× (finishedAt moved)`);
    if (firstDone) {
      const later = evs.filter((x) => x.tbl !== 'Job' && x.op !== 'insert' && x.at.getTime() > firstDone.at.getTime());
      if (later.length > 0) dupReasons.push(`${later.map((x) => `${x.tbl} ${x.op}`).join(', ')} after completion`);
    }
    const sol = solutionOf.get(id);
    const mod = modelOf.get(id);
    if (sol && sol.n > 1) dupReasons.push(`${sol.n} QuboSolution rows`);
    if (mod && mod.n > 1) dupReasons.push(`${mod.n} Model rows`);
    const modelInserts = evs.filter((x) => x.tbl === 'Model' && x.op === 'insert').length;
    if (modelInserts > 1) dupReasons.push(`${modelInserts} Model rows inserted over time`);
    if (dupReasons.length > 0) {
      duplicated.add(id);
      count(e.kind, 'duplicated');
      problems.push({ category: 'duplicated', jobId: id, kind: e.kind, detail: `${dupReasons.join('; ')}; attempts ${row.attempts}; trail: ${trail(id)}` });
    }

    // The final state.
    if (row.state === 'completed') {
      completed++;
      count(e.kind, 'completed');
      const res = row.result ?? {};
      let missing = '';
      if (e.kind === 'qubo.solve') {
        if (!sol) missing = 'no QuboSolution row';
        else if (res.solutionId !== sol.id) missing = `result.solutionId ${String(res.solutionId)} ≠ the row's ${sol.id}`;
        else if (e.expectEnergy !== undefined && res.energy !== e.expectEnergy)
          problems.push({
            category: 'mismatch',
            jobId: id,
            kind: e.kind,
            detail: `energy ${String(res.energy)}, the optimum (its target) is ${e.expectEnergy}`,
          });
      } else if (e.kind === 'ssm.train') {
        if (!mod) missing = 'no Model row';
        else if (res.modelId !== mod.id) missing = `result.modelId ${String(res.modelId)} ≠ the row's ${mod.id}`;
      } else if (e.kind === 'ssm.score') {
        const n = recs.get(id) ?? 0;
        if (n !== res.users) missing = `${n} Recommendation rows for ${String(res.users)} users`;
      }
      if (missing) {
        lost.add(id);
        count(e.kind, 'lost');
        problems.push({ category: 'lost', jobId: id, kind: e.kind, detail: `completed, but its result is missing: ${missing}; trail: ${trail(id)}` });
      }
    } else if (row.state === 'failed') {
      const code = row.error?.code ?? 'KILN_ERR_INTERNAL';
      const fatal = code in errorCodes && !errorCodes[code as keyof typeof errorCodes].retryable;
      if (fatal) {
        failedFatal++;
        count(e.kind, 'failed_fatal');
      } else {
        // A retryable failure left as the end: the platform gave the job up to a fault it should ride out.
        lost.add(id);
        count(e.kind, 'lost');
        problems.push({
          category: 'lost',
          jobId: id,
          kind: e.kind,
          detail: `failed with a retryable code ${code} after ${row.attempts} attempt(s): ${String(row.error?.message).slice(0, 200)}; trail: ${trail(id)}`,
        });
      }
    } else if (row.state === 'cancelled') {
      lost.add(id);
      count(e.kind, 'lost');
      problems.push({ category: 'lost', jobId: id, kind: e.kind, detail: `cancelled, though nobody cancelled it; trail: ${trail(id)}` });
    } else {
      stuck.add(id);
      count(e.kind, 'stuck');
      const live = await a.queues.state(e.kind, id).catch(() => null);
      problems.push({
        category: 'stuck',
        jobId: id,
        kind: e.kind,
        detail: `row ${row.state} at the end (attempts ${row.attempts}); BullMQ: ${live ? `${live.state}, attemptsMade ${live.attemptsMade}` : 'no job'}; error ${JSON.stringify(row.error)?.slice(0, 200)}; trail: ${trail(id)}`,
      });
    }
  }

  // Which fault each job's problem most likely came from: the last fault that began before the
  // job's key moment (its first completion for a duplicate, its start otherwise) and ended no more
  // than a lock expiry and a stalled check (plus a margin) before it.
  const window = a.o.lockMs + a.o.stalledMs + 5_000;
  for (const p of problems) {
    if (!p.jobId) continue;
    const evs = (byJob.get(p.jobId) ?? []).filter((x) => x.tbl === 'Job');
    const key =
      p.category === 'duplicated'
        ? evs.find((x) => x.newState === 'completed' && x.oldState !== 'completed')
        : (evs.find((x) => x.newState === 'active') ?? evs.find((x) => x.op === 'insert'));
    if (!key) continue;
    const t = key.at.getTime();
    const f = [...faultLog].reverse().find((x) => x.start <= t + 1_000 && t <= x.end + window);
    if (f) {
      p.fault = f.n;
      p.detail = `(fault #${f.n} ${f.kind}) ${p.detail}`;
    }
  }

  // A training killed after a checkpoint: did its retry resume from it (the epochs up to it kept, not redone)?
  for (const c of a.resumeChecks) {
    const epochs = await q<{ epoch: number; createdAt: Date }>(`SELECT "epoch", "createdAt" FROM "EpochMetric" WHERE "runId" = $1 ORDER BY "epoch"`, [c.runId]);
    const row = rows.get(c.jobId);
    const kept = epochs.filter((x) => x.epoch <= c.epoch && x.createdAt.getTime() < c.killedAt).length;
    c.rec.note = `training ${c.jobId}: ${row?.state ?? 'no row'} after ${row?.attempts ?? '?'} attempt(s), ${epochs.length} epochs; ${
      kept === c.epoch ? `resumed from its epoch-${c.epoch} checkpoint (epochs 1–${c.epoch} kept from before the kill)` : 'trained again from scratch'
    }`;
    if (kept !== c.epoch)
      problems.push({
        category: 'resume',
        jobId: c.jobId,
        kind: 'ssm.train',
        detail: `killed after its epoch-${c.epoch} checkpoint, but its retry trained from scratch`,
      });
  }

  // Unfinished rows are in `stuck`; the brief's `lost` also counts them (acknowledged work that did not get done).
  const lostOrUnfinished = new Set([...lost, ...stuck]);

  // Recovery: from each fault's end to the first job completed after it (the database's clock).
  const done = completions(events).sort((x, y) => x.at - y.at);
  for (const f of faultLog) {
    const next = done.find((d) => d.at > f.end);
    f.recoveryS = next ? (next.at - f.end) / 1000 : null;
    const ends = f.inFlight.map((id) => done.find((d) => d.jobId === id)?.at);
    f.drainS = ends.length > 0 && ends.every((t) => t !== undefined) ? Math.max(0, (Math.max(...(ends as number[])) - f.end) / 1000) : null;
  }
  const recoveries = faultLog.map((f) => f.recoveryS).filter((x): x is number => x !== null);
  const maxRecoveryS = recoveries.length ? Math.max(...recoveries) : null;
  for (const s of a.services)
    for (const x of s.unexpectedExits)
      problems.push({ category: 'crash', kind: s.name, detail: `${s.name} exited by itself (${x.how}) at ${((x.at - a.t0) / 1000).toFixed(1)} s` });

  const faults = Object.fromEntries(faultKinds.map((k) => [k, faultLog.filter((f) => f.kind === k).length])) as Record<FaultKind, number>;
  const stats: Record<string, number | string> = {
    submit_requests: a.stats.sends ?? 0,
    submit_retries: a.stats.retries ?? 0,
    idempotent_replays: a.stats.replays ?? 0,
    unacknowledged: ledger.filter((e) => !e.id && !e.rejected).length,
    rejected: ledger.filter((e) => e.rejected).length,
    service_restarts: a.services.reduce((s, x) => s + x.starts - 1, 0),
    unexpected_exits: a.services.reduce((s, x) => s + x.unexpectedExits.length, 0),
  };

  // ---- the table ------------------------------------------------------------------------------
  const lines: string[] = [];
  const pad = (s: string, n: number) => s.padEnd(n);
  const padl = (s: string, n: number) => s.padStart(n);
  lines.push(
    '',
    'faults injected (start: s from the start of the run; recovery: fault over → the next job completed; running: jobs BullMQ ran when it began;',
    'drained: fault over → the last of those completed, — if one never did; lost/dup/stuck: the problems below traced to it)',
  );
  lines.push(
    `${pad('#', 4)}${pad('fault', 15)}${pad('at (UTC)', 14)}${padl('start s', 8)}${padl('length s', 9)}${padl('recovery s', 11)}${padl('running', 8)}${padl('drained s', 10)}${padl('lost', 6)}${padl('dup', 5)}${padl('stuck', 6)}  target`,
  );
  const of = (n: number, c: Problem['category']) => String(problems.filter((p) => p.fault === n && p.category === c).length);
  for (const f of faultLog)
    lines.push(
      `${pad(String(f.n), 4)}${pad(f.kind, 15)}${pad(new Date(f.start).toISOString().slice(11, 23), 14)}${padl(((f.start - a.t0) / 1000).toFixed(1), 8)}${padl(((f.end - f.start) / 1000).toFixed(1), 9)}${padl(fmt(f.recoveryS, 2), 11)}${padl(String(f.inFlight.length), 8)}${padl(f.inFlight.length ? fmt(f.drainS, 1) : '', 10)}${padl(of(f.n, 'lost'), 6)}${padl(of(f.n, 'duplicated'), 5)}${padl(of(f.n, 'stuck'), 6)}  ${f.target}${f.note ? `\n${' '.repeat(36)}→ ${f.note}` : ''}`,
    );
  lines.push('', 'recovery by fault kind (s): mean / max');
  for (const k of faultKinds) {
    const r = faultLog.filter((f) => f.kind === k && f.recoveryS !== null).map((f) => f.recoveryS as number);
    if (faults[k] > 0)
      lines.push(`  ${pad(k, 15)} ${faults[k]}×  ${r.length ? `${fmt(r.reduce((s, x) => s + x, 0) / r.length, 2)} / ${fmt(Math.max(...r), 2)}` : '—'}`);
  }
  lines.push(
    '',
    'jobs by kind (lost: acknowledged but no row, completed without its result, ended failed with a retryable code, or unfinished at the end;',
    "stuck: unfinished at the end, also counted in the JSON line's lost; duplicated: more than one result row, or ran again after completion and rewrote it)",
  );
  const cols = ['acknowledged', 'completed', 'failed_fatal', 'lost', 'duplicated', 'stuck', 'attempts_gt_1'];
  lines.push(`${pad('kind', 12)}${cols.map((c) => padl(c, 14)).join('')}`);
  for (const k of kinds) lines.push(`${pad(k, 12)}${cols.map((c) => padl(String(byKind[k]?.[c] ?? 0), 14)).join('')}`);
  lines.push(
    '',
    `submits: ${Object.entries(stats)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  if (problems.length > 0) {
    // Grouped by what happened and the fault it came from, with one job as an example.
    const groups = new Map<string, Problem[]>();
    for (const p of problems) {
      const f = faultLog.find((x) => x.n === p.fault);
      const key = `${p.category}|${f?.kind ?? 'no fault'}|${p.kind ?? ''}|${causeOf(p)}`;
      groups.set(key, [...(groups.get(key) ?? []), p]);
    }
    lines.push('', `problems (${problems.length}) by cause`, `${pad('category', 15)}${pad('fault', 15)}${pad('kind', 12)}${padl('jobs', 6)}  cause`);
    for (const [key, ps] of [...groups].sort((x, y) => y[1].length - x[1].length)) {
      const [category, fault, kind, cause] = key.split('|') as [string, string, string, string];
      const faults = [...new Set(ps.map((p) => p.fault).filter((n) => n !== undefined))].map((n) => `#${n}`).join(' ');
      lines.push(`${pad(category, 15)}${pad(fault, 15)}${pad(kind, 12)}${padl(String(ps.length), 6)}  ${cause}${faults ? ` (faults ${faults})` : ''}`);
    }
    lines.push('', 'one example of each:');
    for (const ps of groups.values()) {
      const p = ps[0] as Problem;
      lines.push(`  [${p.category}] ${p.kind ?? ''} ${p.jobId ?? ''}: ${p.detail}`);
    }
  }

  const json = JSON.stringify({
    bench: 'faults',
    jobs: ledger.length,
    acknowledged: acked.length,
    completed,
    lost: lostOrUnfinished.size,
    duplicated: duplicated.size,
    stuck: stuck.size,
    faults,
    max_recovery_s: maxRecoveryS === null ? null : Number(maxRecoveryS.toFixed(2)),
  });
  return {
    jobs: ledger.length,
    acknowledged: acked.length,
    completed,
    failedFatal,
    lost: lostOrUnfinished.size,
    duplicated: duplicated.size,
    stuck: stuck.size,
    faults,
    maxRecoveryS,
    faultLog,
    problems,
    byKind,
    stats,
    table: lines.join('\n'),
    json,
    seconds: (Date.now() - a.t0) / 1000,
  };
}
