/**
 * Online recommendations from the SSM's recurrent state (issue 14, docs/adr/0021): what one event
 * costs in process and through the API, against re-scoring the user's last maxLen items, and
 * whether the recurrence agrees with the model's full forward pass.
 *
 *   npm run bench:online -- --data ../shared/data/ml-1m/ml-1m.txt [--epochs 6] [--model ID | --weights FILE]
 *                           [--save-weights FILE] [--api-procs 1]
 *                           [--seconds 60] [--rate 1000] [--clients 32]
 *
 * Trains a short model with the default preset (or reads model ID's weights from DATABASE_URL, or
 * a weights file written by --save-weights; either must come from the same file), then measures, on this machine:
 *   1. prime: every user's state after their whole history (native kernel, all cores);
 *   2. agreement: each user's hidden state and top-10 by the recurrence vs the full forward pass
 *      over the same whole history (TensorFlow.js with Kiln's kernels);
 *   3. test metrics (leave-one-out) with the unbounded recurrent history vs the 200-item window
 *      of training and batch scoring, and with the state stored in fp16 vs fp32;
 *   4. step: one event (advance + top-10 over all items, seen items left out) in process, one thread;
 *   5. CPU per event: the online path (state decode, step, top-10, encode) vs re-scoring the last
 *      maxLen items with the batch path (scoreTopK);
 *   6. API: POST /v1/models/:id/users/:user/events from `clients` keep-alive connections at `rate`
 *      events/s (open loop, bench/online-load.ts) for `seconds`, over every user, against an API
 *      child process with its own database and Redis prefix; beside it the same load on GET /healthz
 *      (the floor of the HTTP stack on this machine) and the ratio of the two p99s.
 * Prints a table and, last, one JSON line. Never asserts anything.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createReadStream, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { createDataset, createDb, getModelWeights, upsertModelForJob } from '@kiln/db';
import { createTestDatabase } from '@kiln/db/testing';
import { loadNative } from '@kiln/kernels';
import { createRedis, OnlineStateStore } from '@kiln/queue';
import {
  createStepper,
  decodeState,
  decodeWeights,
  encodeState,
  initBackend,
  loadMamba4Rec,
  type Mamba4RecConfig,
  MAMBA4REC_DEFAULTS,
  parseInteractions,
  primedState,
  rankMetrics,
  readWeightsHeader,
  rankOfTarget,
  resolveTrainingConfig,
  scoreTopK,
  topK,
  trainMamba4Rec,
  withSeen,
} from '@kiln/ssm';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    epochs: { type: 'string', default: '6' },
    model: { type: 'string' },
    weights: { type: 'string' },
    'save-weights': { type: 'string' },
    seconds: { type: 'string', default: '60' },
    rate: { type: 'string', default: '1000' },
    clients: { type: 'string', default: '32' },
    'step-events': { type: 'string', default: '20000' },
    'recompute-events': { type: 'string', default: '300' },
    /** Only the API run (stages 1 and 6), e.g. to profile it: KILN_BENCH_API_NODE_OPTIONS='--cpu-prof'. */
    'api-only': { type: 'boolean', default: false },
    'api-procs': { type: 'string', default: '1' },
  },
});
if (!values.data) {
  console.error('usage: npm run bench:online -- --data <sasrec file> [--epochs 6] [--model ID] [--seconds 60] [--rate 1000] [--clients 32]');
  process.exit(2);
}
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const databaseUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/kiln';
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};
const round = (x: number, d = 3) => Number(x.toFixed(d));

loadNative();
const backend = await initBackend();
const data = await parseInteractions(createReadStream(values.data), { format: 'sasrec', kcore: 5 });
const U = data.sequences.length;
console.log(`${data.stats.users} users, ${data.stats.items} items, ${data.stats.interactions} interactions; backend ${backend}, ${cpus().length} cores`);

// ---- the model ----
let config: Mamba4RecConfig;
let weights: Uint8Array;
if (values.weights) {
  weights = new Uint8Array(readFileSync(values.weights));
  config = readWeightsHeader(weights).config;
} else if (values.model) {
  const db = createDb({ url: databaseUrl });
  const row = await getModelWeights(db, values.model);
  await db.$disconnect();
  if (!row) throw new Error(`no model ${values.model} in ${databaseUrl}`);
  config = row.config as Mamba4RecConfig;
  weights = row.weights;
  if (config.nItems !== data.items.length) throw new Error(`model ${values.model} has ${config.nItems} items, the file ${data.items.length}`);
} else {
  const t0 = performance.now();
  const training = resolveTrainingConfig({});
  const r = await trainMamba4Rec(
    { sequences: data.sequences, nItems: data.items.length },
    {
      model: { ...MAMBA4REC_DEFAULTS },
      ...training,
      maxEpochs: Number(values.epochs),
      onEpoch: (e) =>
        console.log(`  epoch ${e.epoch}: loss ${e.loss.toFixed(4)}, valid NDCG@10 ${(e.valid['ndcg@10'] ?? 0).toFixed(4)} (${e.seconds.toFixed(1)} s)`),
    },
  );
  config = r.config;
  weights = r.weights;
  if (values['save-weights']) writeFileSync(values['save-weights'], weights);
  console.log(`trained ${values.epochs} epochs in ${((performance.now() - t0) / 1000).toFixed(0)} s: test NDCG@10 ${r.test['ndcg@10']?.toFixed(4)}`);
}
const params = decodeWeights(config, weights);
const stepper = createStepper(config, params, { kernel: 'native' });
const H = config.hiddenSize;
const S = stepper.dims.stateFloats;
const V = config.nItems + 1;

// ---- 1. prime ----
const tp = performance.now();
const primed = stepper.prime(data.sequences);
const primeSeconds = (performance.now() - tp) / 1000;
// As ssm.prime stores them (stage 6 writes these to Redis; stage 5 works on a copy).
const primedBlobs = data.sequences.map((seq, u) => encodeState(primedState(primed, u, seq, stepper.dims), 'fp16'));
const stateBytes = primedBlobs.reduce((n, b) => n + b.length, 0) / U;
const fp32Bytes = encodeState({ events: 1, hidden: new Float32Array(H), state: new Float32Array(S), seen: new Int32Array(0) }, 'fp32').length;
console.log(
  `prime: ${U} users, ${data.stats.interactions} events in ${primeSeconds.toFixed(2)} s; ${Math.round(stateBytes)} B/user stored (fp16 state; fp32 would be ${fp32Bytes} B + seen)`,
);

const states = Array.from({ length: U }, (_, u) => primed.states.slice(u * S, (u + 1) * S));
const seenOf = data.sequences.map((s) => withSeen(new Int32Array(0), s));
const model = loadMamba4Rec(config, weights);

const rng = (() => {
  let x = 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
})();

function inProcess() {
  // ---- 2. agreement with the full forward pass over the same whole history ----
  const table = model.p<tf.Rank.R2>('item_embedding');
  /** Scores [users, V] of hidden states [users, H] (row u at u·V). */
  function scoreRows(hidden: Float32Array, n: number): Float32Array {
    return tf.tidy(() => tf.matMul(tf.tensor2d(hidden, [n, H]), table, false, true).dataSync() as Float32Array);
  }
  function forwardHidden(seqs: Int32Array[]): Float32Array {
    // Time-major, right-padded batches of similar length; the hidden state at each last position.
    const order = seqs.map((_, i) => i).sort((a, b) => (seqs[a] as Int32Array).length - (seqs[b] as Int32Array).length);
    const out = new Float32Array(seqs.length * H);
    for (let s = 0; s < order.length; s += 32) {
      const idx = order.slice(s, s + 32);
      const L = Math.max(...idx.map((i) => (seqs[i] as Int32Array).length));
      const B = idx.length;
      const ids = new Int32Array(L * B);
      const pos = new Int32Array(B);
      idx.forEach((i, b) => {
        const seq = seqs[i] as Int32Array;
        for (let t = 0; t < seq.length; t++) ids[t * B + b] = seq[t] as number;
        pos[b] = (seq.length - 1) * B + b;
      });
      const h = tf.tidy(() => model.forward(tf.tensor2d(ids, [L, B], 'int32'), { positions: tf.tensor1d(pos, 'int32') }).dataSync() as Float32Array);
      idx.forEach((i, b) => {
        out.set(h.subarray(b * H, (b + 1) * H), i * H);
      });
    }
    return out;
  }
  const tf0 = performance.now();
  const full = forwardHidden(data.sequences);
  const forwardSeconds = (performance.now() - tf0) / 1000;
  let agree = 0;
  let maxRel = 0;
  for (let u0 = 0; u0 < U; u0 += 256) {
    const n = Math.min(256, U - u0);
    const a = scoreRows(primed.hidden.subarray(u0 * H, (u0 + n) * H), n);
    const b = scoreRows(full.subarray(u0 * H, (u0 + n) * H), n);
    for (let r = 0; r < n; r++) {
      const u = u0 + r;
      let num = 0;
      let den = 0;
      for (let j = 0; j < H; j++) {
        num += ((primed.hidden[u * H + j] as number) - (full[u * H + j] as number)) ** 2;
        den += (full[u * H + j] as number) ** 2;
      }
      maxRel = Math.max(maxRel, Math.sqrt(num / den));
      const ta = topK(a.subarray(r * V, (r + 1) * V), 10).items.join();
      const tb = topK(b.subarray(r * V, (r + 1) * V), 10).items.join();
      if (ta === tb) agree++;
    }
  }
  const top10Agreement = agree / U;
  console.log(
    `agreement with the full forward pass (${forwardSeconds.toFixed(1)} s): top-10 identical for ${(100 * top10Agreement).toFixed(2)}% of users; max relative error of the hidden state ${maxRel.toExponential(2)}`,
  );

  // ---- 3. test metrics: unbounded history vs the training window; fp16 vs fp32 state ----
  function metricsOf(hidden: Float32Array, inputs: Int32Array[], targets: number[]): { unmasked: Record<string, number>; masked: Record<string, number> } {
    const ranks = new Int32Array(inputs.length);
    const masked = new Int32Array(inputs.length);
    for (let u0 = 0; u0 < inputs.length; u0 += 256) {
      const n = Math.min(256, inputs.length - u0);
      const sc = scoreRows(hidden.subarray(u0 * H, (u0 + n) * H), n);
      for (let r = 0; r < n; r++) {
        const row = sc.subarray(r * V, (r + 1) * V);
        ranks[u0 + r] = rankOfTarget(row, targets[u0 + r] as number);
        masked[u0 + r] = rankOfTarget(row, targets[u0 + r] as number, inputs[u0 + r] as Int32Array);
      }
    }
    const pick = (m: Record<string, number>) => ({ 'ndcg@10': round(m['ndcg@10'] as number, 4), 'hr@10': round(m['hr@10'] as number, 4) });
    return { unmasked: pick(rankMetrics(ranks, [10])), masked: pick(rankMetrics(masked, [10])) };
  }
  const evalUsers = data.sequences.map((_, u) => u).filter((u) => (data.sequences[u] as Int32Array).length >= 3);
  const testInputs = evalUsers.map((u) => (data.sequences[u] as Int32Array).subarray(0, -1));
  const targets = evalUsers.map((u) => (data.sequences[u] as Int32Array).at(-1) as number);
  const windowInputs = testInputs.map((s) => s.subarray(Math.max(0, s.length - config.maxLen)));
  const unbounded = metricsOf(stepper.prime(testInputs).hidden, testInputs, targets);
  const windowed = metricsOf(stepper.prime(windowInputs).hidden, testInputs, targets);
  // fp16: the state before the last input event stored in fp16, read back, then that event applied.
  const before = stepper.prime(testInputs.map((s) => s.subarray(0, -1)));
  const h16 = new Float32Array(testInputs.length * H);
  const h32 = new Float32Array(testInputs.length * H);
  let agree16 = 0;
  testInputs.forEach((s, i) => {
    const last = Int32Array.of(s.at(-1) as number);
    const st = before.states.slice(i * S, (i + 1) * S);
    const back = decodeState(encodeState({ events: s.length - 1, hidden: null, state: st, seen: new Int32Array(0) }, 'fp16'), {
      stateFloats: S,
      hidden: H,
    }).state;
    h16.set(stepper.advance(back, last) as Float32Array, i * H);
    h32.set(stepper.advance(st, last) as Float32Array, i * H);
    if (stepper.topK(h16.subarray(i * H, (i + 1) * H), 10).items.join() === stepper.topK(h32.subarray(i * H, (i + 1) * H), 10).items.join()) agree16++;
  });
  const m16 = metricsOf(h16, testInputs, targets);
  const m32 = metricsOf(h32, testInputs, targets);
  console.log('\n| test (leave-one-out) | NDCG@10 | HR@10 | masked NDCG@10 | masked HR@10 |\n| --- | --- | --- | --- | --- |');
  for (const [name, m] of [
    [`window of ${config.maxLen} (training, batch scoring)`, windowed],
    ['unbounded recurrent history', unbounded],
    ['state fp32, one event after', m32],
    ['state fp16, one event after', m16],
  ] as const) {
    console.log(`| ${name} | ${m.unmasked['ndcg@10']} | ${m.unmasked['hr@10']} | ${m.masked['ndcg@10']} | ${m.masked['hr@10']} |`);
  }
  console.log(`fp16 state: top-10 identical to fp32 for ${((100 * agree16) / testInputs.length).toFixed(2)}% of users`);

  // ---- 4. step in process, one thread ----
  const nStep = Number(values['step-events']);
  const stepMs: number[] = [];
  for (let i = 0; i < nStep; i++) {
    const u = Math.floor(rng() * U);
    const item = Int32Array.of(1 + Math.floor(rng() * config.nItems));
    const t0 = process.hrtime.bigint();
    const h = stepper.advance(states[u] as Float32Array, item) as Float32Array;
    stepper.topK(h, 10, seenOf[u]);
    stepMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const stepP50 = pct(stepMs, 50);
  const stepP99 = pct(stepMs, 99);
  console.log(`\nstep + top-10 in process (one thread, ${nStep} events): p50 ${stepP50.toFixed(4)} ms, p99 ${stepP99.toFixed(4)} ms`);

  // ---- 5. CPU per event: online path vs re-scoring the last maxLen items ----
  const blobs = primedBlobs.slice();
  const c0 = process.cpuUsage();
  for (let i = 0; i < nStep; i++) {
    const u = Math.floor(rng() * U);
    const item = 1 + Math.floor(rng() * config.nItems);
    const st = decodeState(blobs[u] as Buffer, { stateFloats: S, hidden: H });
    st.hidden = stepper.advance(st.state, Int32Array.of(item));
    st.events++;
    stepper.topK(st.hidden as Float32Array, 10, st.seen);
    blobs[u] = encodeState(st, 'fp16');
  }
  const c1 = process.cpuUsage(c0);
  const onlineCpuMs = (c1.user + c1.system) / 1000 / nStep;
  const nRe = Number(values['recompute-events']);
  const r0 = process.cpuUsage();
  for (let i = 0; i < nRe; i++) {
    const u = Math.floor(rng() * U);
    const seq = data.sequences[u] as Int32Array;
    const input = new Int32Array(Math.min(config.maxLen, seq.length + 1));
    input.set(seq.subarray(seq.length + 1 - input.length));
    input[input.length - 1] = 1 + Math.floor(rng() * config.nItems);
    scoreTopK(model, [input], { k: 10, excludeSeen: true, batchSize: 1 });
  }
  const r1 = process.cpuUsage(r0);
  const recomputeCpuMs = (r1.user + r1.system) / 1000 / nRe;
  const recomputeRatio = recomputeCpuMs / onlineCpuMs;
  console.log(
    `CPU per event: online ${onlineCpuMs.toFixed(4)} ms (decode fp16 state, step, top-10, encode) vs re-scoring the last ${config.maxLen} items ${recomputeCpuMs.toFixed(3)} ms: ${recomputeRatio.toFixed(1)}x`,
  );

  return {
    step_p50_ms: round(stepP50, 4),
    step_p99_ms: round(stepP99, 4),
    online_cpu_ms: round(onlineCpuMs, 4),
    recompute_cpu_ms: round(recomputeCpuMs, 3),
    recompute_ratio: round(recomputeRatio, 1),
    top10_agreement: round(top10Agreement, 4),
    hidden_max_rel_err: Number(maxRel.toExponential(2)),
    fp16_top10_agreement: round(agree16 / testInputs.length, 4),
    test: { window: windowed, unbounded, fp32: m32, fp16: m16 },
  };
}
const figures = values['api-only'] ? {} : inProcess();

// ---- 6. through the API ----
const testDb = await createTestDatabase(databaseUrl);
const prefix = `kiln-bench-online-${randomUUID().slice(0, 8)}`;
const adminKey = `kiln-bench-${randomUUID()}`;
const port = 20000 + Math.floor(rng() * 20000);
const apis: ChildProcess[] = [];
const redis = createRedis(redisUrl, 'producer');
let apiResult = { p50: Number.NaN, p99: Number.NaN, perSecond: 0, errors: 0, sent: 0, scheduledP50: Number.NaN, scheduledP99: Number.NaN };
let floorResult = apiResult;
let authResult = apiResult;
try {
  const db = createDb({ url: testDb.url });
  const ds = await createDataset(db, {
    name: 'bench-online',
    format: 'sasrec',
    kcore: 5,
    users: data.users,
    items: data.items,
    sequences: data.sequences,
    rawInteractions: data.stats.interactions,
  });
  const stored = await upsertModelForJob(db, {
    jobId: `bench-online-${randomUUID()}`,
    name: 'bench-online',
    datasetId: ds.id,
    config,
    weights,
    metrics: {},
    epochs: [],
    backend,
    parameters: 0,
    bestEpoch: 0,
  });
  await db.$disconnect();
  // The states as ssm.prime writes them (stage 1's).
  const store = new OnlineStateStore(redis, prefix);
  const tw = performance.now();
  await store.putMany(
    stored.id,
    data.users.map((user, u) => ({ user, blob: primedBlobs[u] as Buffer })),
  );
  console.log(`states of ${U} users written to Redis in ${((performance.now() - tw) / 1000).toFixed(2)} s`);
  const root = fileURLToPath(new URL('..', import.meta.url));
  const nodeArgs = (process.env.KILN_BENCH_API_NODE_OPTIONS ?? '').split(' ').filter(Boolean);
  // One API process, or --api-procs of them (replicas sharing the states through Redis; the load
  // goes round-robin over them).
  const procs = Number(values['api-procs']);
  const bases: string[] = [];
  for (let i = 0; i < procs; i++) {
    const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'services/api/src/main.ts'], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port + i),
        HOST: '127.0.0.1',
        DATABASE_URL: testDb.url,
        REDIS_URL: redisUrl,
        KILN_QUEUE_PREFIX: prefix,
        KILN_BOOTSTRAP_ADMIN_KEY: adminKey,
        KILN_RATE_LIMIT_PER_MIN: String(10_000_000),
        KILN_WEBHOOK_DELIVER: 'false',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    apis.push(child);
    bases.push(`http://127.0.0.1:${port + i}`);
  }
  for (const base of bases) {
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/healthz`)).ok) break;
      } catch {}
      if (i > 600) throw new Error('the API did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  // The load comes from its own process (bench/online-load.ts): this one's heap would add its GC
  // pauses. First the same load on GET /healthz (the API's cheapest route: the floor that the HTTP
  // stack, the load generator and this machine set), then on GET /v1/auth/me (plus the key check
  // and the Redis rate limit every /v1 route pays), then the events.
  const runLoad = async (target: 'healthz' | 'me' | 'events') => {
    const specFile = join(tmpdir(), `kiln-online-load-${process.pid}.json`);
    writeFileSync(
      specFile,
      JSON.stringify({
        bases,
        modelId: stored.id,
        key: adminKey,
        users: data.users,
        items: data.items,
        rate: Number(values.rate),
        seconds: Number(values.seconds),
        clients: Number(values.clients),
        target,
      }),
    );
    const load = spawn(process.execPath, ['--import', 'tsx', 'bench/online-load.ts', specFile], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    load.stdout.on('data', (d) => {
      out += d;
    });
    await new Promise((r) => load.once('exit', r));
    rmSync(specFile, { force: true });
    const res = JSON.parse(out.trim().split('\n').at(-1) as string) as typeof apiResult;
    console.log(
      `API ${{ events: 'POST …/events', healthz: 'GET /healthz', me: 'GET /v1/auth/me' }[target]}: ${res.sent} requests from ${values.clients} connections at ${values.rate}/s for ${values.seconds} s: ${res.perSecond.toFixed(0)}/s, p50 ${res.p50.toFixed(2)} ms, p99 ${res.p99.toFixed(2)} ms (from the due time: p50 ${res.scheduledP50.toFixed(2)}, p99 ${res.scheduledP99.toFixed(2)}), ${res.errors} errors`,
    );
    return res;
  };
  floorResult = await runLoad('healthz');
  authResult = await runLoad('me');
  apiResult = await runLoad('events');
} finally {
  for (const api of apis) {
    api.kill('SIGTERM');
    if (api.exitCode === null) await new Promise((r) => api.once('exit', r));
  }
  await new OnlineStateStore(redis, prefix).dropModel('*').catch(() => 0);
  redis.disconnect();
  await testDb.drop();
}

console.log(
  JSON.stringify({
    bench: 'online',
    ...figures,
    api_p50_ms: round(apiResult.p50, 2),
    api_p99_ms: round(apiResult.p99, 2),
    api_from_due_p50_ms: round(apiResult.scheduledP50, 2),
    api_from_due_p99_ms: round(apiResult.scheduledP99, 2),
    events_per_s: Math.round(apiResult.perSecond),
    healthz_p50_ms: round(floorResult.p50, 2),
    healthz_p99_ms: round(floorResult.p99, 2),
    p99_vs_healthz: round(apiResult.p99 / floorResult.p99, 2),
    auth_me_p50_ms: round(authResult.p50, 2),
    auth_me_p99_ms: round(authResult.p99, 2),
    api_errors: apiResult.errors,
    api_procs: Number(values['api-procs']),
    prime_seconds: round(primeSeconds, 2),
    state_bytes_per_user: Math.round(stateBytes),
    users: U,
    cores: cpus().length,
  }),
);
process.exit(0);
