/**
 * `npm run test:containers [-- --keep] [-- --rebuild-stand-ins]`: Kiln's image and docker-compose.yml,
 * run for real with podman (minutes; not part of `npm test`).
 *
 * 1. Builds the local stand-ins of node:22-bookworm-slim, redis:7 and postgres:15 when missing
 *    (tests/containers/stand-ins.ts; podman's storage keeps them for the next run).
 * 2. Builds infra/Dockerfile against the Node stand-in (`--build-arg BASE=…`). This machine's
 *    npm registry sits behind a TLS proxy: the build gets the host's CA store as a volume and
 *    NODE_EXTRA_CA_CERTS as a build argument, from here, never from the Dockerfile.
 * 3. Starts every service of docker-compose.yml (tests/containers/compose-runner.ts: dependency
 *    order, healthchecks, limits, two replicas of each worker) with an env file made from
 *    infra/compose/kiln.env.example, API on 127.0.0.1:18080, dashboard :18081, Postgres :15432.
 * 4. Runs a qubo.solve, an ssm.train on a generated dataset and an ssm.score with its model through
 *    the API with the admin key, and checks the rows in the containers' Postgres.
 * 5. Starts a longer ssm.train, kills (SIGKILL) the worker-ssm container running it, and waits for
 *    the other replica to finish it from the last checkpoint.
 * 6. Stops everything with SIGTERM (each service must exit 0) and removes containers, volumes and
 *    the network; on failure it first prints every container's log.
 *
 * The last line printed is one JSON object: the verdict, the wall time and each phase's time.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createClient, type Job, type KilnClient } from '@kiln/client';
import { bruteForce, validateAndBuild } from '@kiln/qubo';
import pg from 'pg';
import { ComposeRun } from './compose-runner.js';
import { containerState, imageId, podman, podmanUlimits } from './podman.js';
import { ensureStandIns, standInFor, standIns } from './stand-ins.js';

const { values: flags } = parseArgs({
  options: {
    keep: { type: 'boolean', default: false },
    'rebuild-stand-ins': { type: 'boolean', default: false },
  },
});

const repo = new URL('../../', import.meta.url).pathname;
const project = 'kiln-ct';
const label = `io.kiln.containers-test=${project}`;
const kilnImage = 'localhost/kiln-containers-test/kiln:latest';
const hostPorts = { redis: 16379, postgres: 15432, api: 18080, dashboard: 18081 };
const caBundle = '/etc/ssl/certs/ca-certificates.crt';

const started = Date.now();
const phases: Record<string, number> = {};
const summary: Record<string, unknown> = {};
const say = (msg: string) => console.log(`[containers] ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const minutes = (n: number) => Date.now() + n * 60_000;

async function phase<T>(name: string, f: () => T | Promise<T>): Promise<T> {
  const t0 = Date.now();
  say(`--- ${name}`);
  try {
    return await f();
  } finally {
    phases[name] = Math.round((Date.now() - t0) / 100) / 10;
  }
}

function check(ok: unknown, what: string): asserts ok {
  if (!ok) throw new Error(`check failed: ${what}`);
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

// ---- the image ------------------------------------------------------------------------------

/** Image ids from `id` up its parent chain. */
function ancestry(id: string): string[] {
  const chain: string[] = [];
  for (let cur: string | undefined = id; cur && chain.length < 500; ) {
    chain.push(cur);
    const r = podman(['image', 'inspect', '--format', '{{.Parent}}', cur], { allowFail: true });
    cur = r.status === 0 ? r.stdout.trim() || undefined : undefined;
  }
  return chain;
}

/**
 * Removes untagged images left by earlier builds of this test (an earlier Kiln image, build-cache
 * layers no tagged image needs): dangling images whose parent chain reaches one of `bases`.
 * Other images on the machine are not touched.
 */
function pruneStaleImages(bases: string[]): number {
  let removed = 0;
  for (let round = 0; round < 50; round++) {
    const dangling = podman(['images', '-q', '--no-trunc', '--filter', 'dangling=true']).stdout.split('\n').filter(Boolean);
    const ours = dangling.map((d) => d.replace(/^sha256:/, '')).filter((d) => ancestry(d).some((a) => bases.includes(a)));
    if (!ours.length) break;
    for (const id of ours) if (podman(['rmi', id], { allowFail: true }).status === 0) removed++;
  }
  return removed;
}

/**
 * Builds the Kiln image. Each build stage is tagged (localhost/kiln-containers-test/stage:<name>)
 * so that its layers stay the cache of the next run while stale ones can be told apart and removed.
 */
function buildKilnImage(): { imageMB: number; staleRemoved: number } {
  const common = ['build', ...podmanUlimits, '--format', 'docker', '--layers', '-f', join(repo, 'infra/Dockerfile'), '--build-arg', `BASE=${standIns.node}`];
  if (existsSync(caBundle)) common.push('-v', '/etc/ssl/certs:/etc/ssl/certs:ro', '--build-arg', `NODE_EXTRA_CA_CERTS=${caBundle}`);
  for (const stage of ['manifests', 'deps', 'native', 'build']) {
    const t0 = Date.now();
    podman([...common, '--target', stage, '-t', `localhost/kiln-containers-test/stage:${stage}`, repo]);
    say(`stage ${stage}: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
  podman([...common, '-t', kilnImage, repo]);
  const bases = [imageId(standIns.node), imageId(standIns.debian)].filter((x): x is string => !!x);
  const staleRemoved = pruneStaleImages(bases);
  const bytes = Number(podman(['image', 'inspect', '--format', '{{.Size}}', kilnImage]).stdout.trim());
  return { imageMB: Math.round(bytes / 2 ** 20), staleRemoved };
}

// ---- the env file, as a user makes it from the example ----------------------------------------

function writeEnvFile(dir: string): { file: string; password: string; adminKey: string } {
  const password = randomBytes(18).toString('hex');
  const adminKey = randomBytes(24).toString('hex');
  const lines = readFileSync(join(repo, 'infra/compose/kiln.env.example'), 'utf8')
    .split('\n')
    .map((line) => {
      if (line.startsWith('POSTGRES_PASSWORD=')) return `POSTGRES_PASSWORD=${password}`;
      if (line.startsWith('DATABASE_URL=')) return line.replace('CHANGE_ME', password);
      if (line.startsWith('KILN_BOOTSTRAP_ADMIN_KEY=')) return `KILN_BOOTSTRAP_ADMIN_KEY=${adminKey}`;
      return line;
    });
  const text = lines.join('\n');
  check(!lines.some((l) => !l.startsWith('#') && l.includes('CHANGE_ME')), 'the example env file has a CHANGE_ME this test does not fill in');
  const file = join(dir, 'kiln.env');
  writeFileSync(file, text, { mode: 0o600 });
  return { file, password, adminKey };
}

// ---- jobs -----------------------------------------------------------------------------------

/** Users walking a cycle of `items` items (i → i+1) from a random start: learnable in a few epochs. */
function cyclicCsv(users: number, items: number, length: number, seed: number): string {
  let s = seed;
  const rnd = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
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

function randomQubo(n: number, seed: number) {
  let s = seed;
  const rnd = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const terms: Array<[number, number, number]> = [];
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) if (rnd() < 0.4) terms.push([i, j, Math.round((rnd() * 20 - 10) * 100) / 100]);
  return { n, terms, offset: 1.5 };
}

async function finished(kiln: KilnClient, id: string, deadline: number, onProgress?: (job: Job) => void): Promise<Job> {
  const signal = AbortSignal.timeout(Math.max(1, deadline - Date.now()));
  const job = await kiln.waitFor(id, { intervalMs: 500, signal, ...(onProgress ? { onProgress } : {}) });
  check(job.state === 'completed', `${job.kind} ${id} completed (it is ${job.state}: ${JSON.stringify(job.error)})`);
  return job;
}

async function runJobs(kiln: KilnClient, db: pg.Client) {
  const out: Record<string, unknown> = {};

  const problem = randomQubo(16, 7);
  const exact = bruteForce(validateAndBuild(problem));
  const solve = await kiln.submit({ kind: 'qubo.solve', payload: { problem, params: { seed: 3, sweeps: 200, timeLimitMs: 5000, target: exact.energy } } });
  const solved = await finished(kiln, solve.id, minutes(3));
  check(solved.kind === 'qubo.solve' && solved.result, 'qubo.solve has a result');
  check(Math.abs(solved.result.energy - exact.energy) < 1e-9, `qubo.solve found the optimum ${exact.energy} (got ${solved.result.energy})`);
  const sol = await db.query('SELECT energy, n FROM "QuboSolution" WHERE "jobId" = $1', [solve.id]);
  check(sol.rowCount === 1 && Math.abs(sol.rows[0].energy - exact.energy) < 1e-9 && sol.rows[0].n === 16, 'the solution row is in Postgres');
  out.quboSolve = { id: solve.id, energy: solved.result.energy };

  const ds = await kiln.uploadDataset(cyclicCsv(120, 30, 12, 5), { format: 'csv', name: 'containers-cycles' });
  const train = await kiln.submit({
    kind: 'ssm.train',
    payload: {
      datasetId: ds.id,
      name: 'containers-cycles',
      model: { hiddenSize: 16, maxLen: 12, dState: 8, dropout: 0.1 },
      training: { maxEpochs: 12, patience: 12, batchSize: 32, lr: 0.01, seed: 7 },
    },
  });
  const trained = await finished(kiln, train.id, minutes(10));
  check(trained.kind === 'ssm.train' && trained.result, 'ssm.train has a result');
  const ndcg = trained.result.test['ndcg@10'] ?? 0;
  // Random ranking over 30 items gives NDCG@10 ≈ 0.15; the cycle is predictable.
  check(ndcg > 0.3, `the model learned the cycles (test NDCG@10 ${ndcg})`);
  check(trained.result.backend === 'kiln', `training ran on the native kernels inside the container (backend ${trained.result.backend})`);
  const model = await db.query('SELECT id, backend, "bestEpoch" FROM "Model" WHERE "jobId" = $1', [train.id]);
  check(model.rowCount === 1 && model.rows[0].id === trained.result.modelId, 'the model row is in Postgres');
  out.ssmTrain = { id: train.id, modelId: trained.result.modelId, epochs: trained.result.epochs, ndcg10: ndcg, backend: trained.result.backend };

  const score = await kiln.submit({ kind: 'ssm.score', payload: { modelId: trained.result.modelId, users: 'all', k: 5, excludeSeen: false } });
  const scored = await finished(kiln, score.id, minutes(5));
  check(scored.kind === 'ssm.score' && scored.result?.users === 120, 'ssm.score scored the 120 users');
  const recs = await db.query('SELECT count(*)::int AS n, min(cardinality(items))::int AS k FROM "Recommendation" WHERE "jobId" = $1', [score.id]);
  check(recs.rows[0].n === 120 && recs.rows[0].k === 5, `120 users' top-5 are in Postgres (${JSON.stringify(recs.rows[0])})`);
  out.ssmScore = { id: score.id, users: 120 };

  const jobs = await db.query('SELECT id, state FROM "Job" WHERE id = ANY($1)', [[solve.id, train.id, score.id]]);
  check(jobs.rowCount === 3 && jobs.rows.every((r) => r.state === 'completed'), 'the three job rows are completed in Postgres');
  return out;
}

/** The worker-ssm container whose log names the job (its per-job logger carries the jobId). */
function runningOn(run: ComposeRun, jobId: string): string[] {
  return run.containers('worker-ssm').filter((c) => run.logs(c, 100_000).includes(`"jobId":"${jobId}"`));
}

async function failover(run: ComposeRun, kiln: KilnClient, db: pg.Client) {
  const ds = await kiln.uploadDataset(cyclicCsv(1500, 200, 40, 11), { format: 'csv', name: 'containers-failover' });
  const maxEpochs = 12;
  const train = await kiln.submit({
    kind: 'ssm.train',
    payload: {
      datasetId: ds.id,
      name: 'containers-failover',
      model: { hiddenSize: 64, maxLen: 40 },
      training: { maxEpochs, patience: maxEpochs, batchSize: 32, seed: 3 },
    },
  });
  // Past the first checkpoint (written at each epoch's end), and still training.
  const deadline = minutes(10);
  for (;;) {
    const job = await kiln.getJob(train.id);
    check(job.state === 'active' || job.state === 'waiting', `the long job is running (it is ${job.state})`);
    if (job.kind === 'ssm.train' && (job.progress?.epoch ?? 0) >= 2) break;
    check(Date.now() < deadline, 'the long job reached epoch 2 before the deadline');
    await sleep(500);
  }
  const holders = runningOn(run, train.id);
  check(holders.length === 1, `exactly one worker-ssm runs the job (${holders.join(', ') || 'none'})`);
  const victim = holders[0]!;
  const survivor = run.containers('worker-ssm').find((c) => c !== victim)!;
  const epochAtKill = ((await kiln.getJob(train.id)).progress as { epoch?: number } | null)?.epoch ?? 0;
  const killedAt = Date.now();
  podman(['kill', '--signal', 'KILL', victim]);
  say(`killed ${victim} at epoch ${epochAtKill}; waiting for ${survivor} to take the job over`);
  // The survivor's per-job logger names the job as soon as it starts its attempt.
  const takeoverDeadline = minutes(5);
  while (!runningOn(run, train.id).includes(survivor)) {
    check(Date.now() < takeoverDeadline, `${survivor} took the job over before the deadline`);
    await sleep(1000);
  }
  const takeoverSeconds = Math.round((Date.now() - killedAt) / 1000);
  say(`${survivor} took the job over ${takeoverSeconds} s after the kill`);
  const done = await finished(kiln, train.id, minutes(15));
  check(done.kind === 'ssm.train' && done.result?.epochs === maxEpochs, 'the job trained every epoch');
  check(containerState(victim)?.exitCode === 137, `${victim} died of SIGKILL`);
  const survivorLog = run.logs(survivor, 100_000);
  check(survivorLog.includes(`"jobId":"${train.id}"`), `${survivor} ran the job after the kill`);
  const resumed = /resumed from epoch (\d+)/.exec(survivorLog.split('\n').find((l) => l.includes(train.id) && l.includes('resumed from epoch')) ?? '');
  check(resumed, `${survivor} resumed from a checkpoint`);
  const row = await db.query('SELECT state, attempts FROM "Job" WHERE id = $1', [train.id]);
  check(row.rows[0]?.state === 'completed' && row.rows[0].attempts >= 2, `the job row counts the restart (${JSON.stringify(row.rows[0])})`);
  const epochs = await db.query(
    'SELECT count(*)::int AS n, count(DISTINCT m.epoch)::int AS d FROM "EpochMetric" m JOIN "TrainingRun" r ON r.id = m."runId" WHERE r."jobId" = $1',
    [train.id],
  );
  check(epochs.rows[0].n === maxEpochs && epochs.rows[0].d === maxEpochs, `one metric row per epoch (${JSON.stringify(epochs.rows[0])})`);
  return {
    id: train.id,
    killed: victim,
    finishedOn: survivor,
    epochAtKill,
    resumedFromEpoch: Number(resumed[1]),
    attempts: row.rows[0].attempts,
    takeoverSeconds,
    secondsAfterKill: Math.round((Date.now() - killedAt) / 1000),
  };
}

/** Each container's peak memory (cgroup v1 max_usage) in MB, where podman's cgroup is readable. */
function peakMemoryMB(names: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of names) {
    const r = podman(['container', 'inspect', '--format', '{{.Id}}', name], { allowFail: true });
    if (r.status !== 0) continue;
    const id = r.stdout.trim();
    for (const file of [`/sys/fs/cgroup/memory/libpod_parent/libpod-${id}/memory.max_usage_in_bytes`]) {
      if (existsSync(file)) out[name] = Math.round(Number(readFileSync(file, 'utf8')) / 2 ** 20);
    }
  }
  return out;
}

// ---- main -----------------------------------------------------------------------------------

const work = mkdtempSync(join(tmpdir(), 'kiln-containers-'));
chmodSync(work, 0o700);
let run: ComposeRun | undefined;
let ok = false;
let tornDown = false;

function tearDown(printLogs: boolean) {
  if (tornDown || !run) return;
  tornDown = true;
  if (printLogs) {
    for (const name of run.started) {
      const state = containerState(name);
      console.log(`\n===== ${name} (${state ? `${state.status}, exit ${state.exitCode}` : 'gone'}) =====`);
      console.log(run.logs(name, 300));
    }
  }
  if (flags.keep) {
    say(`--keep: containers left running; remove them with: podman rm -f $(podman ps -aq --filter label=${label})`);
    return;
  }
  summary.stopExitCodes = run.down();
}

for (const sig of ['SIGINT', 'SIGTERM'] as const)
  process.once(sig, () => {
    say(`${sig}: removing everything this run started`);
    tearDown(false);
    rmSync(work, { recursive: true, force: true });
    process.exit(130);
  });

try {
  for (const [what, port] of Object.entries(hostPorts)) check(await portFree(port), `127.0.0.1:${port} (${what}) is free`);

  summary.standInsBuilt = await phase('stand-ins', () => ensureStandIns(say, flags['rebuild-stand-ins']));
  summary.image = await phase('image', buildKilnImage);

  const env = writeEnvFile(work);
  run = new ComposeRun({
    file: join(repo, 'docker-compose.yml'),
    project,
    label,
    images: { ...standInFor, 'kiln:local': kilnImage },
    envFiles: { '.env': env.file },
    publish: {
      redis: { 6379: hostPorts.redis },
      postgres: { 5432: hostPorts.postgres },
      api: { 8080: hostPorts.api },
      dashboard: { 8081: hostPorts.dashboard },
    },
    log: say,
  });
  const compose = run;
  compose.removeLeftovers();
  summary.readySeconds = await phase('up', () => compose.up(minutes(5)));

  const api = `http://127.0.0.1:${hostPorts.api}`;
  const dashboard = `http://127.0.0.1:${hostPorts.dashboard}`;
  for (const url of [`${api}/healthz`, `${api}/readyz`, `${api}/metrics`, `${dashboard}/healthz`]) {
    const res = await fetch(url);
    check(res.status === 200, `GET ${url} answers 200 (got ${res.status})`);
  }
  // Service names resolve between containers: the dashboard reaches the API, Prometheus would reach the workers.
  const reach = (url: string) => `fetch('${url}').then(r=>process.exit(r.status===200?0:1),()=>process.exit(2))`;
  for (const [from, url] of [
    ['dashboard', 'http://api:8080/healthz'],
    ['api', 'http://worker-ssm:9465/metrics'],
    ['api', 'http://worker-qubo:9466/metrics'],
  ] as const) {
    const container = compose.containers(from)[0]!;
    check(podman(['exec', container, 'node', '-e', reach(url)], { allowFail: true }).status === 0, `${container} reaches ${url}`);
  }
  const anonymous = await fetch(`${api}/v1/jobs`);
  check(anonymous.status === 401, `the API refuses a request without a key (got ${anonymous.status})`);
  for (const worker of [...compose.containers('worker-ssm'), ...compose.containers('worker-qubo')]) {
    const port = worker.includes('worker-ssm') ? 9465 : 9466;
    check(
      podman(['exec', worker, 'node', '-e', reach(`http://127.0.0.1:${port}/readyz`)], { allowFail: true }).status === 0,
      `${worker} is ready (GET /readyz on :${port})`,
    );
  }

  const db = new pg.Client({ connectionString: `postgresql://kiln:${env.password}@127.0.0.1:${hostPorts.postgres}/kiln` });
  await db.connect();
  try {
    const migrations = readdirSync(join(repo, 'prisma/migrations')).filter((d) => /^\d+_/.test(d)).length;
    const applied = await db.query('SELECT count(*)::int AS n FROM "_prisma_migrations" WHERE finished_at IS NOT NULL');
    check(applied.rows[0].n === migrations, `the migrate service applied the ${migrations} migrations (${applied.rows[0].n})`);
    const kiln = createClient({ baseUrl: api, apiKey: env.adminKey });
    summary.jobs = await phase('jobs', () => runJobs(kiln, db));
    summary.failover = await phase('failover', () => failover(compose, kiln, db));
  } finally {
    await db.end();
  }
  summary.peakMemoryMB = peakMemoryMB(compose.started);
  await phase('down', () => tearDown(false));
  const exits = (summary.stopExitCodes ?? {}) as Record<string, number>;
  const killed = (summary.failover as { killed: string }).killed;
  const unclean = Object.entries(exits).filter(([name, code]) => name !== killed && code !== 0);
  check(!flags.keep ? unclean.length === 0 : true, `every service exits 0 on SIGTERM (${unclean.map(([n, c]) => `${n}: ${c}`).join(', ')})`);
  ok = true;
} catch (err) {
  console.error(`[containers] FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  summary.error = err instanceof Error ? err.message : String(err);
  tearDown(true);
} finally {
  rmSync(work, { recursive: true, force: true });
}

console.log(JSON.stringify({ ok, wallSeconds: Math.round((Date.now() - started) / 1000), phases, ...summary }));
process.exitCode = ok ? 0 : 1;
