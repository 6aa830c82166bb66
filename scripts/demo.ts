// A newcomer's first five minutes, against a running platform (`npm start` in another terminal):
// upload a generated interaction log, train a small Mamba4Rec, score users, then solve a Max-Cut
// and a maximum independent set. Usage: npm run demo [-- --api http://127.0.0.1:8080]
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { api: { type: 'string' }, epochs: { type: 'string', default: '8' } } });
const api = (values.api ?? process.env.KILN_API_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');

let seed = 20261128;
const rnd = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};

async function call(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<any> {
  const res = await fetch(`${api}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': contentType },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const json = await res.json();
  if (res.status >= 400) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function waitFor(id: string, show: (job: any) => string | undefined): Promise<any> {
  let last = '';
  for (;;) {
    const job = await call('GET', `/v1/jobs/${id}`);
    const line = show(job);
    if (line && line !== last) console.log(`  ${line}`);
    last = line ?? last;
    if (['completed', 'failed', 'cancelled'].includes(job.state)) {
      if (job.state !== 'completed') throw new Error(`job ${id} ${job.state}: ${JSON.stringify(job.error)}`);
      return job;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

const fmt = (x: number) => x.toFixed(4);

try {
  await call('GET', '/healthz');
} catch {
  console.error(`No Kiln API answers at ${api}. Start the platform first: npm start (in another terminal).`);
  process.exit(1);
}

// 1. A log where each user walks a shuffled "playlist" of 60 items with some noise.
console.log('1. Uploading a generated interaction log (CSV: user,item,timestamp)');
const order = Array.from({ length: 60 }, (_, i) => i).sort(() => rnd() - 0.5);
const rows = ['user,item,timestamp'];
for (let u = 0; u < 400; u++) {
  let pos = Math.floor(rnd() * 60);
  for (let t = 0; t < 20; t++) {
    const item = rnd() < 0.1 ? Math.floor(rnd() * 60) : order[pos % 60];
    rows.push(`user${u},movie${item},${1_700_000_000 + u * 1000 + t}`);
    pos++;
  }
}
const dataset = await call('POST', '/v1/datasets?format=csv&name=demo-playlists&kcore=5', rows.join('\n'), 'text/csv');
console.log(`  dataset ${dataset.id}: ${dataset.users} users, ${dataset.items} items, ${dataset.interactions} interactions`);

console.log('2. Training Mamba4Rec (small config for the demo)');
const train = await call('POST', '/v1/jobs', {
  kind: 'ssm.train',
  payload: {
    datasetId: dataset.id,
    name: 'demo',
    model: { hiddenSize: 32, maxLen: 20, dState: 16 },
    training: { maxEpochs: Number(values.epochs), patience: 3, batchSize: 64, lr: 0.005 },
  },
});
const trained = await waitFor(train.id, (j) =>
  j.progress?.epoch > 0
    ? `epoch ${j.progress.epoch}: loss ${fmt(j.progress.loss)}, valid NDCG@10 ${fmt(j.progress.valid['ndcg@10'])} (${j.progress.seconds.toFixed(1)} s)`
    : undefined,
);
const m = trained.result;
console.log(
  `  model ${m.modelId} v${m.modelVersion} on ${m.backend}: test HR@10 ${fmt(m.test['hr@10'])}, NDCG@10 ${fmt(m.test['ndcg@10'])}, MRR@10 ${fmt(m.test['mrr@10'])} (random ≈ ${fmt(10 / dataset.items)} HR@10)`,
);

console.log('3. Scoring every user (top 5, seen items excluded)');
const score = await call('POST', '/v1/jobs', { kind: 'ssm.score', payload: { modelId: m.modelId, users: 'all', k: 5, excludeSeen: true } });
await waitFor(score.id, (j) => (j.progress?.total ? `${j.progress.done}/${j.progress.total} users` : undefined));
const recs = await call('GET', `/v1/jobs/${score.id}/recommendations?limit=3`);
for (const r of recs.items) console.log(`  ${r.user}: ${r.items.map((i: any) => `${i.item} (${i.score.toFixed(2)})`).join(', ')}`);

// 4. Max-Cut on a random graph (G-set format) and MIS on another.
const graph = (n: number, p: number) => {
  const edges: string[] = [];
  for (let i = 1; i <= n; i++) for (let j = i + 1; j <= n; j++) if (rnd() < p) edges.push(`${i} ${j} 1`);
  return `${n} ${edges.length}\n${edges.join('\n')}\n`;
};
for (const [kind, label, n, p] of [
  ['maxcut', 'Max-Cut', 200, 0.05],
  ['mis', 'maximum independent set', 100, 0.05],
] as const) {
  console.log(`${kind === 'maxcut' ? 4 : 5}. Solving a ${label} problem (random graph, n = ${n})`);
  const problem = await call('POST', `/v1/qubo/problems?format=gset&name=demo-${kind}&kind=${kind}`, graph(n, p), 'text/plain');
  const job = await call('POST', '/v1/jobs', { kind: 'qubo.solve', payload: { problemId: problem.id, params: { timeLimitMs: 2000, seed: 1 } } });
  const done = await waitFor(job.id, (j) =>
    j.progress?.bestEnergy !== undefined ? `best energy ${j.progress.bestEnergy} after ${Math.round(j.progress.elapsedMs)} ms` : undefined,
  );
  const r = done.result;
  console.log(
    `  ${kind === 'maxcut' ? 'cut' : 'set size'} ${r.value}${kind === 'mis' ? ` (feasible: ${r.feasible})` : ''}, energy ${r.energy}, best found after ${r.timeToBestMs.toFixed(0)} ms, ${(r.flipAttempts / (r.elapsedMs / 1000) / 1e6).toFixed(1)} M flip attempts/s`,
  );
}
console.log(`Done. The dashboard shows all of it: ${process.env.KILN_DASHBOARD_URL ?? 'http://127.0.0.1:8081'}`);
