// A newcomer's first five minutes, against a running platform (`npm start` in another terminal):
// upload a generated interaction log, train a small Mamba4Rec, score users, then solve a Max-Cut
// and a maximum independent set. Usage: npm run demo [-- --api http://127.0.0.1:8080]
// Written on @kiln/client, as any Node program would drive Kiln.
import { parseArgs } from 'node:util';
import { createClient, type Job, KilnConnectionError } from '@kiln/client';

const { values } = parseArgs({ options: { api: { type: 'string' }, epochs: { type: 'string', default: '8' } } });
const api = (values.api ?? process.env.KILN_API_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');

let seed = 20261128;
const rnd = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};

const kiln = createClient({ baseUrl: api });

/** Follows a job, printing each new progress line, and returns it once completed (throws if it failed). */
async function waitFor(id: string, show: (job: Job) => string | undefined): Promise<Job> {
  let last = '';
  const job = await kiln.waitFor(id, {
    onProgress: (j) => {
      const line = show(j);
      if (line && line !== last) console.log(`  ${line}`);
      last = line ?? last;
    },
  });
  if (job.state !== 'completed') throw new Error(`job ${id} ${job.state}: ${JSON.stringify(job.error)}`);
  return job;
}

const fmt = (x: number) => x.toFixed(4);

try {
  await kiln.health();
} catch (error) {
  if (!(error instanceof KilnConnectionError)) throw error;
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
const dataset = await kiln.uploadDataset(rows.join('\n'), { format: 'csv', name: 'demo-playlists', kcore: 5 });
console.log(`  dataset ${dataset.id}: ${dataset.users} users, ${dataset.items} items, ${dataset.interactions} interactions`);

console.log('2. Training Mamba4Rec (small config for the demo)');
const train = await kiln.submit({
  kind: 'ssm.train',
  payload: {
    datasetId: dataset.id,
    name: 'demo',
    model: { hiddenSize: 32, maxLen: 20, dState: 16 },
    training: { maxEpochs: Number(values.epochs), patience: 3, batchSize: 64, lr: 0.005 },
  },
});
const trained = await waitFor(train.id, (j) =>
  j.kind === 'ssm.train' && j.progress && j.progress.epoch > 0
    ? `epoch ${j.progress.epoch}: loss ${fmt(j.progress.loss ?? Number.NaN)}, valid NDCG@10 ${fmt(j.progress.valid?.['ndcg@10'] ?? Number.NaN)} (${(j.progress.seconds ?? 0).toFixed(1)} s)`
    : undefined,
);
if (trained.kind !== 'ssm.train' || !trained.result) throw new Error('training ended without a model');
const m = trained.result;
console.log(
  `  model ${m.modelId} v${m.modelVersion} on ${m.backend}: test HR@10 ${fmt(m.test['hr@10'] ?? 0)}, NDCG@10 ${fmt(m.test['ndcg@10'] ?? 0)}, MRR@10 ${fmt(m.test['mrr@10'] ?? 0)} (random ≈ ${fmt(10 / dataset.items)} HR@10)`,
);

console.log('3. Scoring every user (top 5, seen items excluded)');
const score = await kiln.submit({ kind: 'ssm.score', payload: { modelId: m.modelId, users: 'all', k: 5, excludeSeen: true } });
await waitFor(score.id, (j) => (j.kind === 'ssm.score' && j.progress?.total ? `${j.progress.done}/${j.progress.total} users` : undefined));
const recs = await kiln.recommendations(score.id, { limit: 3 });
for (const r of recs) console.log(`  ${r.user}: ${r.items.map((i) => `${i.item} (${i.score.toFixed(2)})`).join(', ')}`);

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
  const problem = await kiln.uploadQuboProblems(graph(n, p), { format: 'gset', name: `demo-${kind}`, kind });
  const job = await kiln.submit({ kind: 'qubo.solve', payload: { problemId: problem.id, params: { timeLimitMs: 2000, seed: 1 } } });
  const done = await waitFor(job.id, (j) =>
    j.kind === 'qubo.solve' && j.progress ? `best energy ${j.progress.bestEnergy} after ${Math.round(j.progress.elapsedMs)} ms` : undefined,
  );
  if (done.kind !== 'qubo.solve' || !done.result) throw new Error('no solution');
  const r = done.result;
  console.log(
    `  ${kind === 'maxcut' ? 'cut' : 'set size'} ${r.value}${kind === 'mis' ? ` (feasible: ${r.feasible})` : ''}, energy ${r.energy}, best found after ${r.timeToBestMs.toFixed(0)} ms, ${(r.flipAttempts / (r.elapsedMs / 1000) / 1e6).toFixed(1)} M flip attempts/s`,
  );
}
console.log(`Done. The dashboard shows all of it: ${process.env.KILN_DASHBOARD_URL ?? 'http://127.0.0.1:8081'}`);
