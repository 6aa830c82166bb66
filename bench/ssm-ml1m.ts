/**
 * Mamba4Rec accuracy on MovieLens-1M (or any SASRec-format file) against the paper, with the
 * documented preset, over several seeds.
 *
 *   npm run bench:ssm:ml1m -- --data ../shared/data/ml-1m/ml-1m.txt [--seeds 3] [--local] [--api http://127.0.0.1:8080]
 *
 * By default it trains through a running platform's API (upload → ssm.train jobs → results);
 * `--local` trains in this process instead. Prints a table (ours vs the paper) and, as its last
 * line, one JSON object. Never asserts anything.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ModelConfig, TrainingConfig } from '@kiln/contracts';
import { loadNative } from '@kiln/kernels';
import { dataRule, initBackend, lengthPercentile99, MAMBA4REC_DEFAULTS, parseInteractions, resolveTrainingConfig, trainMamba4Rec } from '@kiln/ssm';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    seeds: { type: 'string', default: '3' },
    local: { type: 'boolean', default: false },
    api: { type: 'string', default: process.env.KILN_API_URL ?? 'http://127.0.0.1:8080' },
    'max-epochs': { type: 'string' },
    training: { type: 'string' },
    model: { type: 'string' },
    /** The file's format (sasrec: `user item` lines; seq: one user per line, S3Rec's Amazon files) and k-core (those files are 5-core already). */
    format: { type: 'string', default: 'sasrec' },
    kcore: { type: 'string', default: '5' },
  },
});
if (!values.data) {
  console.error('usage: npm run bench:ssm:ml1m -- --data <sasrec file> [--seeds 3] [--local] [--api URL] [--max-epochs N]');
  process.exit(2);
}

/**
 * The documented preset, as an `ssm.train` job gets it: @kiln/ssm's defaults with maxLen, dropout,
 * batchSize and maxEpochs from the data's shape (dataRule). --training / --model: JSON overrides,
 * validated with the job payload's own schemas. Through the API only the overrides are sent, so
 * the platform applies its own rule; locally the same rule runs here.
 */
const overrides = {
  model: ModelConfig.partial().parse(values.model ? JSON.parse(values.model) : {}),
  training: TrainingConfig.partial().parse(values.training ? JSON.parse(values.training) : {}),
};
// The paper's figures are for ML-1M only; other files get no reference column.
const paper: Record<string, number> = /ml-1m/i.test(values.data) ? { 'hr@10': 0.3121, 'ndcg@10': 0.1822, 'mrr@10': 0.1425 } : {};
const seeds = Array.from({ length: Number(values.seeds) }, (_, i) => i + 1);
const maxEpochs = values['max-epochs'] ? Number(values['max-epochs']) : undefined;
const started = performance.now();

interface Outcome {
  seed: number;
  test: Record<string, number>;
  /** Validation NDCG@10 of the best epoch: what chooses, where test only reports. */
  validNdcg: number;
  testMasked: Record<string, number>;
  epochs: number;
  bestEpoch: number;
  seconds: number;
}

async function viaApi(): Promise<Outcome[]> {
  const api = values.api.replace(/\/$/, '');
  const call = async (method: string, path: string, body?: string, type = 'application/json') => {
    const headers: Record<string, string> = body ? { 'content-type': type } : {};
    if (process.env.KILN_API_KEY) headers.authorization = `Bearer ${process.env.KILN_API_KEY}`;
    const res = await fetch(`${api}${path}`, { method, headers, body });
    const json = (await res.json()) as any;
    if (res.status >= 400) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const ds = await call(
    'POST',
    `/v1/datasets?format=${values.format}&name=ml1m-bench&kcore=${values.kcore}`,
    readFileSync(values.data as string, 'utf8'),
    'text/plain',
  );
  console.log(`uploaded: ${ds.users} users, ${ds.items} items, ${ds.interactions} interactions`);
  const out: Outcome[] = [];
  for (const seed of seeds) {
    const job = await call(
      'POST',
      '/v1/jobs',
      JSON.stringify({
        kind: 'ssm.train',
        payload: {
          datasetId: ds.id,
          name: 'ml1m-bench',
          model: overrides.model,
          training: { ...overrides.training, seed, ...(maxEpochs ? { maxEpochs } : {}) },
        },
      }),
    );
    let last = 0;
    let shown = false;
    for (;;) {
      const j = await call('GET', `/v1/jobs/${job.id}`);
      if (!shown && j.payload) {
        shown = true;
        console.log(`  seed ${seed}: model ${JSON.stringify(j.payload.model)}, training ${JSON.stringify(j.payload.training)}`);
      }
      if (j.progress?.epoch > last) {
        last = j.progress.epoch;
        console.log(`  seed ${seed} epoch ${last}: loss ${j.progress.loss.toFixed(4)}, valid NDCG@10 ${j.progress.valid['ndcg@10'].toFixed(4)}`);
      }
      if (j.state === 'completed') {
        out.push({
          seed,
          test: j.result.test,
          validNdcg: j.result.valid['ndcg@10'],
          testMasked: j.result.testMasked,
          epochs: j.result.epochs,
          bestEpoch: j.result.bestEpoch,
          seconds: j.result.seconds,
        });
        break;
      }
      if (j.state === 'failed' || j.state === 'cancelled') throw new Error(`training ${j.state}: ${JSON.stringify(j.error)}`);
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  return out;
}

async function locally(): Promise<Outcome[]> {
  loadNative();
  const backend = await initBackend();
  const data = await parseInteractions(createReadStream(values.data as string), {
    format: values.format as 'sasrec' | 'seq',
    kcore: Number(values.kcore),
  });
  console.log(`local training on ${backend}: ${data.stats.users} users, ${data.stats.items} items`);
  const lengths = data.sequences.map((q) => q.length);
  const rule = dataRule({
    users: data.sequences.length,
    items: data.items.length,
    interactions: lengths.reduce((a, b) => a + b, 0),
    lengthP99: lengthPercentile99(lengths),
  });
  for (const reason of rule.reasons) console.log(`  rule: ${reason}`);
  const model = ModelConfig.parse({ ...MAMBA4REC_DEFAULTS, ...rule.model, ...overrides.model });
  const training = TrainingConfig.parse(resolveTrainingConfig({ ...rule.training, ...overrides.training }));
  console.log(`  model ${JSON.stringify(model)}, training ${JSON.stringify(training)}`);
  const out: Outcome[] = [];
  for (const seed of seeds) {
    const t0 = performance.now();
    const r = await trainMamba4Rec(
      { sequences: data.sequences, nItems: data.items.length },
      {
        model,
        ...training,
        seed,
        ...(maxEpochs ? { maxEpochs } : {}),
        onEpoch: (e) =>
          console.log(
            `  seed ${seed} epoch ${e.epoch}: loss ${e.loss.toFixed(4)}, valid NDCG@10 ${(e.valid['ndcg@10'] ?? 0).toFixed(4)} (${e.seconds.toFixed(1)} s)`,
          ),
      },
    );
    out.push({
      seed,
      test: r.test,
      validNdcg: r.valid['ndcg@10'] ?? 0,
      testMasked: r.testMasked,
      epochs: r.epochs.length,
      bestEpoch: r.bestEpoch,
      seconds: (performance.now() - t0) / 1000,
    });
  }
  return out;
}

const outcomes = values.local ? await locally() : await viaApi();
const keys = ['hr@5', 'ndcg@5', 'mrr@5', 'hr@10', 'ndcg@10', 'mrr@10', 'hr@20', 'ndcg@20', 'mrr@20'];
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
const agg = (pick: (o: Outcome) => Record<string, number>) => Object.fromEntries(keys.map((k) => [k, mean(outcomes.map((o) => pick(o)[k] ?? 0))]));
const test = agg((o) => o.test);
const testMasked = agg((o) => o.testMasked);
const stds = Object.fromEntries(keys.map((k) => [k, std(outcomes.map((o) => o.test[k] ?? 0))]));

console.log(`\n| metric | Kiln (mean ± std over ${outcomes.length} seeds) | Kiln masked | Mamba4Rec paper |`);
console.log('| --- | --- | --- | --- |');
for (const k of keys) {
  const p = (paper as Record<string, number>)[k];
  console.log(
    `| ${k} | ${(test[k] ?? 0).toFixed(4)} ± ${(stds[k] ?? 0).toFixed(4)} | ${(testMasked[k] ?? 0).toFixed(4)} | ${p === undefined ? '' : p.toFixed(4)} |`,
  );
}
for (const o of outcomes)
  console.log(`seed ${o.seed}: ${o.epochs} epochs (best ${o.bestEpoch}, valid NDCG@10 ${o.validNdcg.toFixed(4)}), ${(o.seconds / 60).toFixed(1)} min`);
const minutes = (performance.now() - started) / 60_000;
const pick = (m: Record<string, number>) => ({ 'hr@10': m['hr@10'], 'ndcg@10': m['ndcg@10'], 'mrr@10': m['mrr@10'] });
console.log(
  JSON.stringify({
    bench: 'ssm-ml1m',
    seeds: outcomes.length,
    minutes: Number(minutes.toFixed(2)),
    valid_ndcg10: Number(mean(outcomes.map((o) => o.validNdcg)).toFixed(4)),
    test: pick(test),
    test_masked: pick(testMasked),
    std: { 'ndcg@10': stds['ndcg@10'], 'hr@10': stds['hr@10'] },
    paper,
    via: values.local ? 'local' : 'api',
  }),
);
